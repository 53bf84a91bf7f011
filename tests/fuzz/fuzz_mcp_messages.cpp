// Fuzzes reel mcp's reader and dispatcher (cli/mcp/jsonrpc.h, cli/mcp/session.h): a line of
// bytes -> JSON-RPC messages -> a session that initializes, lists and calls tools (a catalog
// of its own; the real tools render). Every request must get exactly one reply, which is a
// JSON-RPC 2.0 result or error with the request's id; notifications and responses none.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cli/mcp/schemas.h"
#include "cli/mcp/session.h"

using namespace reel;
using namespace reel::cli::mcp;

namespace {

const ToolCatalog& tools() {
  static const ToolCatalog catalog = [] {
    ToolCatalog t;
    t.push_back({"echo", "Echo", "Returns its arguments.", object_schema(Json::object()), object_schema(Json::object()),
                 true, [](const Json& a, const ToolCall& call) {
                   call.progress(1, 2);
                   call.progress(2, 2);
                   ToolResult r;
                   r.structured = {{"arguments", a}};
                   return r;
                 }});
    t.push_back({"refuse", "Refuse", "Throws.", object_schema(Json::object()), Json(), true,
                 [](const Json&, const ToolCall&) -> ToolResult { throw ToolError("refused"); }});
    return t;
  }();
  return catalog;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Session session(tools(), CallThreads::Caller);
  // The first byte picks whether the session has settled on 2025-03-26 (batches) first.
  const bool batches = size > 0 && (data[0] & 1);
  if (batches)
    session.handle(
        read_messages(R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-03-26"}})",
                      false)[0],
        [](const Json&) {});
  for (const Message& m : read_messages(text, batches)) {
    int replies = 0;
    session.handle(m, [&](const Json& reply) {
      if (reply.value("jsonrpc", "") != "2.0") std::abort();
      if (reply.contains("method")) return;  // a progress notification
      if (!reply.contains("id") || (reply.contains("result") == reply.contains("error"))) std::abort();
      if (m.kind == Message::Kind::Request && reply["id"] != m.id) std::abort();
      (void)to_line(reply);
      ++replies;
    });
    const bool answered = m.kind == Message::Kind::Request || m.kind == Message::Kind::Invalid;
    if (replies != (answered ? 1 : 0)) std::abort();
  }
  return 0;
}
