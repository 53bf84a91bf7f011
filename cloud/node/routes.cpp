#include "cloud/node/routes.h"

#include "cloud/node/agent_turn.h"
#include "cloud/node/auth.h"
#include "cloud/node/renders.h"
#include "cloud/node/sessions.h"
#include "cloud/node/uploads.h"

namespace reel::cloud::node {

namespace {

using Handler = void (*)(NodeState&, const Request&, Response&);
using BodyHandler = void (*)(NodeState&, const Request&, Response&, const ContentReader&);

/// A GET (or any bodiless) route calling `h` with the node's state.
httplib::Server::Handler with(NodeState& n, Handler h) {
  return [&n, h](const Request& req, Response& res) { h(n, req, res); };
}
/// A POST route that reads its own body (capped, streamed) calling `h`.
httplib::Server::HandlerWithContentReader with(NodeState& n, BodyHandler h) {
  return [&n, h](const Request& req, Response& res, const ContentReader& reader) { h(n, req, res, reader); };
}

}  // namespace

void register_routes(httplib::Server& s, NodeState& n) {
  // Tokens and credits.
  s.Post("/api/auth/anonymous-token", with(n, handle_anonymous_token));
  s.Get("/api/credits/balance/simple", with(n, handle_credits));
  // Sessions and their state.
  s.Post("/api/tasks/me/with-session/nemo_agent", with(n, handle_new_session));
  s.Get(R"(/api/state/nemo_agent/me/(\d+)/latest)", with(n, handle_state));
  // Uploads, and the files served back at their cdn_url.
  s.Post(R"(/api/upload-video/nemo_agent/me/(\d+))", with(n, handle_upload));
  s.Get(R"(/files/(\d+)/([A-Za-z0-9._-]+))", with(n, handle_file));
  // Renders.
  s.Post("/api/render/proxy/lambda", with(n, handle_submit));
  s.Get(R"(/api/render/proxy/lambda/([A-Za-z0-9_.-]+))", with(n, handle_status));
  s.Post(R"(/api/render/proxy/lambda/([A-Za-z0-9_.-]+)/cancel)", with(n, handle_cancel));
  s.Get(R"(/api/render/proxy/([A-Za-z0-9_.-]+)/download)", with(n, handle_download));
  s.Get(R"(/outputs/([0-9a-f]+)/([A-Za-z0-9_.-]+)\.mp4)", with(n, handle_output));
  // The agent.
  s.Post("/run_sse", with(n, handle_run_sse));
}

}  // namespace reel::cloud::node
