#pragma once
// The agent's side of a conversation: what the events of one /run_sse turn mean for the
// person (text to show once, quiet tool activity, keep-alives, errors), and the options of a
// turn. The client's send_message (cloud/client/client.h) streams a turn through these; the reader is
// pure and tested on its own.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "cloud/protocol/sse.h"

namespace reel::cloud {

/// One thing an SSE event of /run_sse says.
struct AgentEvent {
  enum class Kind { Text, ToolCall, ToolResult, KeepAlive, Error, Other };
  Kind kind = Kind::Other;
  std::string text;  // Text: the new text to show; ToolCall/ToolResult: the tool's name;
                     // Error: the message
  int code = 0;      // Error: errorCode when given
};

/// Reads the events of one turn in order. ADK sends text in `partial: true` chunks and then
/// a `partial: false` event that repeats the whole text: only what was not shown yet comes
/// out. One reader per turn; not thread-safe.
class AgentTurnReader {
 public:
  std::vector<AgentEvent> read(const SseEvent& event);
  /// All text shown in this turn, in order.
  const std::string& text() const { return all_text_; }

 private:
  std::string since_final_;  // text of partial chunks since the last final event
  std::string all_text_;
};

/// Limits of one turn.
struct AgentStreamOptions {
  std::chrono::milliseconds still_working_every{std::chrono::minutes(2)};  // with no text
  std::chrono::seconds stall{120};  // no byte at all (not even a keep-alive) this long: dropped
  std::chrono::milliseconds turn_limit{std::chrono::minutes(15)};
};

/// What the caller is told while a turn streams (all called on the calling thread).
struct AgentCallbacks {
  std::function<void(const std::string& text)> on_text;               // new text, as it comes
  std::function<void(const std::string& tool, bool result)> on_tool;  // a tool call or its result
  std::function<void()> on_still_working;                             // each still_working_every with no text
};

/// What a finished turn said.
struct AgentTurn {
  std::string text;  // everything shown
  int tool_calls = 0, tool_results = 0, keep_alives = 0;
  bool has_text() const;  // any non-blank text
};

/// The /run_sse request body of the protocol page.
std::string agent_request_body(const std::string& session_id, const std::string& message);

}  // namespace reel::cloud
