#pragma once
// One MCP session: the protocol's lifecycle (initialize and the version it settles on, ping),
// tools/list and tools/call, and cancellation. Transports hand it messages and say where its
// messages go; it knows no transport. A tool call runs off the reader's thread so that a
// notifications/cancelled read while it runs can stop it. No engine, no I/O: fuzzed with a
// catalog of its own (tests/fuzz/fuzz_mcp_messages).
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/mcp/jsonrpc.h"
#include "cli/mcp/tool.h"

namespace reel::cli::mcp {

/// The revision reel speaks, and the ones it settles on when a client asks for them.
inline constexpr const char* kProtocolVersion = "2025-06-18";
const std::vector<std::string>& supported_protocol_versions();  // newest first

/// The revision a session settles on for a client asking `requested`: that one when reel
/// speaks it, else reel's own.
std::string negotiate_protocol_version(const std::string& requested);

/// How a tool call runs: on its own thread (the server), or on the caller's (tests, fuzzing).
enum class CallThreads { Own, Caller };

class Session {
 public:
  /// Where the messages about one incoming message go (its reply, a call's progress). Must be
  /// callable from any thread.
  using Send = std::function<void(const Json& message)>;

  Session(const ToolCatalog& tools, CallThreads threads = CallThreads::Own);
  ~Session();  // cancels running calls and waits for them
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Handles one message. Requests are answered through `send` (tools/call later, from its
  /// thread); notifications and responses get nothing.
  void handle(const Message& message, const Send& send);

  /// Cancels every running call and waits until all have answered.
  void stop();
  /// Waits until no call is running.
  void wait_idle();

  /// The revision settled by initialize ("" before it).
  std::string protocol_version() const;
  bool initialized() const;
  /// The least severe log level sent (logging/setLevel; "info" until the client sets one).
  std::string log_level() const;

 private:
  Json list_tools() const;
  void call_tool(const Json& id, const Json& params, const Send& send);
  Json run_tool(const ToolSpec& tool, const Json& arguments, const Json& progress_token, const std::atomic<bool>* flag,
                const Send& send) const;

  const ToolCatalog& tools_;
  const CallThreads threads_;
  mutable std::mutex mutex_;  // guards everything below
  std::string version_;
  bool initialized_ = false;
  struct Running {
    std::shared_ptr<std::atomic<bool>> cancel;
  };
  std::map<std::string, Running> running_;  // by the request id's JSON text
  struct CallThread {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<CallThread> call_threads_;  // joined when done (at the next call) or at stop()
  std::condition_variable idle_;          // running_ became empty
  std::string log_level_ = "info";        // logging/setLevel
};

}  // namespace reel::cli::mcp
