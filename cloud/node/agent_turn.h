#pragma once
// The node's agent, internal to cloud/node/: POST /run_sse answered by the local editing agent
// (draft/agent.h) applied to the session's draft, and the turn streamed back as ADK events.
// A session with uploads and no draft yet first gets one made from its photos and clips.
#include <string>
#include <vector>

#include "cloud/node/responses.h"
#include "cloud/node/state.h"

namespace reel::cloud::node {

/// What one turn did to a session.
struct AgentOutcome {
  bool changed = false;  // the session's draft changed (and was replaced)
  bool made = false;     // a draft was first made from the session's uploads
  bool no_text = false;  // the answer streams no text (NodeOptions::no_text_turns)
  std::string reply, summary;
};

/// One turn of the node's agent on session `sid`: `ns.draft` changed when the words asked
/// for an edit. `ns` is the caller's copy: no lock is held for the turn. `coin` in [0, 1)
/// decides a Random no-text turn.
AgentOutcome agent_turn(const NodeState& n, const std::string& sid, NodeSession& ns, const std::string& message,
                        double coin);
/// The turn as SSE events: heartbeats, the edit as a functionCall / functionResponse pair,
/// the reply in partial chunks and then whole (unless no_text).
std::vector<std::string> agent_events(const AgentOutcome& turn, const std::string& message);

/// POST /run_sse.
void handle_run_sse(NodeState& n, const Request& req, Response& res, const ContentReader& reader);

}  // namespace reel::cloud::node
