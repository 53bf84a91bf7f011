#pragma once
// Server-sent events as the backend's /run_sse sends them: `data: <json>` lines, an event
// ending at a blank line; empty `data:` lines and heartbeats are keep-alives. The parser is
// incremental (feed chunks as they arrive); the formatter is what the render node writes.
#include <string>
#include <string_view>
#include <vector>

#include "draft/json.h"

namespace reel::cloud {

struct SseEvent {
  std::string data;         // the joined data lines
  Json json;                // the parsed data, or null when it is not JSON / empty
  bool keep_alive() const;  // empty data, {"type": "heartbeat"} or a comment-only event
  /// The text of a text event (ADK content.parts[].text or {"type":"text","text"}); else empty.
  std::string text() const;
  /// The error of an {"error": ...} / errorMessage event; else empty.
  std::string error() const;
};

class SseParser {
 public:
  /// The longest line and the largest event (its data lines joined) accepted: far above any
  /// real event (a few kB), far below what would exhaust memory.
  static constexpr size_t kMaxLineBytes = 1u << 20;
  static constexpr size_t kMaxEventBytes = 4u << 20;

  /// Feeds bytes; returns the events completed by them. Throws CloudError(BadResponse) for a
  /// line or an event over its limit.
  std::vector<SseEvent> feed(std::string_view chunk);
  /// The event still open when the stream closed, if any.
  std::vector<SseEvent> finish();

 private:
  void line(std::string_view l, std::vector<SseEvent>& out);
  std::string buffer_;
  std::string data_;
  bool has_data_ = false;
};

/// "data: <compact json>\n\n".
std::string sse_format(const Json& event);

}  // namespace reel::cloud
