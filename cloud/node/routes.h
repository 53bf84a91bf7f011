#pragma once
// The node's routes, internal to cloud/node/: each endpoint of the protocol table registered
// with the handler of its concern (auth, sessions, uploads, renders, agent_turn).
#include <httplib.h>

#include "cloud/node/state.h"

namespace reel::cloud::node {

/// Registers every endpoint on `server`; the handlers use `n`, which outlives the server.
void register_routes(httplib::Server& server, NodeState& n);

}  // namespace reel::cloud::node
