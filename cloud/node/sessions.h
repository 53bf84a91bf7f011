#pragma once
// The node's sessions, internal to cloud/node/: 19-digit ids owned by the token's user (another
// user's session is 1002), and the session state the client reads back (the latest draft, its
// files as video_infos, the canvas).
#include <string>

#include "cloud/node/responses.h"
#include "cloud/node/state.h"

namespace reel::cloud::node {

/// The session when it exists and belongs to `user`, else null. Under the state's mutex.
NodeSession* session_locked(NodeState& n, const std::string& sid, const std::string& user);

/// POST /api/tasks/me/with-session/nemo_agent.
void handle_new_session(NodeState& n, const Request& req, Response& res, const ContentReader& reader);
/// GET /api/state/nemo_agent/me/<session>/latest.
void handle_state(NodeState& n, const Request& req, Response& res);

}  // namespace reel::cloud::node
