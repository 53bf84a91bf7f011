#pragma once
// JSON-RPC 2.0 as MCP uses it: one message (or, before protocol 2025-06-18, a batch) read from
// text, and the replies built. Pure: no I/O, no threads; fuzzed (tests/fuzz/fuzz_mcp_messages).
#include <string>
#include <string_view>
#include <vector>

#include "draft/json.h"

namespace reel::cli::mcp {

/// JSON-RPC's error codes.
namespace rpc_error {
inline constexpr int kParse = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternal = -32603;
}  // namespace rpc_error

/// One message as read. A message that is not valid JSON-RPC is Kind::Invalid and carries
/// the error reply to send back (with the request's id when one could be read, else null).
struct Message {
  enum class Kind { Request, Notification, Response, Invalid };
  Kind kind = Kind::Invalid;
  Json id;             // a request's or response's id (a string or an integer)
  std::string method;  // requests and notifications
  Json params;         // an object, or null when absent
  Json reply;          // Invalid: the error reply
};

/// The largest message reel reads: an inline draft of 16 MB and room around it.
inline constexpr size_t kMaxMessageBytes = 20u << 20;

/// The messages in one line (stdio) or one HTTP body. A JSON array is a batch when
/// `allow_batch` (protocol 2025-03-26), else one Invalid message; an empty batch is Invalid.
/// Text that is not JSON gives one Invalid message with a parse error. Never throws.
std::vector<Message> read_messages(std::string_view text, bool allow_batch);

/// {"jsonrpc":"2.0","id":…,"result":…}
Json result_reply(const Json& id, Json result);
/// {"jsonrpc":"2.0","id":…,"error":{"code","message"[,"data"]}}
Json error_reply(const Json& id, int code, const std::string& message, const Json& data = nullptr);
/// {"jsonrpc":"2.0","method":…,"params":…}
Json notification(const std::string& method, Json params);

/// A message as one line of text (no newline inside: JSON escapes them), for stdio and SSE.
std::string to_line(const Json& message);

}  // namespace reel::cli::mcp
