#pragma once
// What an MCP tool is to the dispatcher: its name, description and schemas, and a handler
// that turns arguments into a result. Pure: the handlers that render live in tools_*.cpp.
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "base/error.h"
#include "draft/json.h"

namespace reel::cli::mcp {

/// What a running tool call may do besides returning: report progress, log, see cancellation.
/// Made by the dispatcher for one call; used from the thread running it.
class ToolCall {
 public:
  using ProgressSink = std::function<void(double done, double total, const std::string& message)>;
  using LogSink = std::function<void(const std::string& level, const std::string& text)>;
  ToolCall(const std::atomic<bool>* cancelled, ProgressSink progress, LogSink log = nullptr)
      : cancelled_(cancelled), progress_(std::move(progress)), log_(std::move(log)) {}
  /// Set once the client sent notifications/cancelled for this call (or the server stops).
  const std::atomic<bool>* cancel_flag() const { return cancelled_; }
  bool cancelled() const { return cancelled_ && cancelled_->load(); }
  /// Progress towards `total`; sent only when the request asked for it (a progress token),
  /// never going back, at most every 100 ms (the last step always).
  void progress(double done, double total, const std::string& message = "") const {
    if (progress_) progress_(done, total, message);
  }
  /// A log message (notifications/message) at an MCP level ("warning", "info" …); sent when
  /// the level is at least the one the client set (logging/setLevel; "info" until it does).
  void log(const std::string& level, const std::string& text) const {
    if (log_) log_(level, text);
  }

 private:
  const std::atomic<bool>* cancelled_;
  ProgressSink progress_;
  LogSink log_;
};

/// A tool call's result: the content blocks (text, image, resource_link) and the structured
/// value. The text block with the structured JSON is added by the dispatcher.
struct ToolResult {
  Json content = Json::array();
  Json structured;  // an object conforming to the tool's outputSchema; null for none
  bool is_error = false;
};

/// A failure the caller can fix (a bad argument, a stale hash): the result has isError and
/// this text, as the CLI would print it.
class ToolError : public base::Error {
 public:
  explicit ToolError(const std::string& message) : base::Error(base::Fault::Usage, message) {}
};

struct ToolSpec {
  std::string name, title, description;
  Json input_schema, output_schema;
  bool read_only = true;  // annotations.readOnlyHint
  std::function<ToolResult(const Json& arguments, const ToolCall& call)> run;
};

using ToolCatalog = std::vector<ToolSpec>;

}  // namespace reel::cli::mcp
