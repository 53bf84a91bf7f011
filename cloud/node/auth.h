#pragma once
// The node's tokens, internal to cloud/node/: anonymous tokens handed out per client id (at
// most tokens_per_client a week), the bearer token of a request checked, the attribution
// headers an export needs, and the credits of a token.
#include <string>

#include "cloud/node/responses.h"
#include "cloud/node/state.h"

namespace reel::cloud::node {

/// The user of the request's bearer token; answers 401 with code 1001 and returns empty when
/// the token is missing, unknown or expired. Takes the state's mutex.
std::string user_of(NodeState& n, const Request& req, Response& res);
/// Whether the request carries X-Skill-Source, X-Skill-Version and X-Skill-Platform.
bool has_attribution(const Request& req);

/// POST /api/auth/anonymous-token.
void handle_anonymous_token(NodeState& n, const Request& req, Response& res, const ContentReader& reader);
/// GET /api/credits/balance/simple.
void handle_credits(NodeState& n, const Request& req, Response& res);

}  // namespace reel::cloud::node
