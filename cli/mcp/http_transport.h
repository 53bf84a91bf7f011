#pragma once
// MCP over Streamable HTTP (protocol 2025-06-18, "Transports"), on loopback: POST /mcp takes
// one message (a batch under 2025-03-26) and answers with JSON, or with an SSE stream that
// carries a tool call's progress and then its result; sessions by Mcp-Session-Id; DELETE ends
// one; GET (the server's own stream) is not offered (405). Every request passes
// cli/loopback/guard.h's Host and Origin check (DNS rebinding), and the bearer token when one
// is set.
#include <atomic>
#include <functional>
#include <string>

#include "cli/mcp/tool.h"

namespace reel::cli::mcp {

struct HttpOptions {
  std::string host = "127.0.0.1";  // a loopback address
  int port = 0;                    // 0: any free port
  std::string token;               // empty: no Authorization needed
};

/// Serves `tools` until `stop` is set (checked every 200 ms). `listening` is told the port
/// once it is bound. Throws base::Error (Environment) when the port cannot be bound.
void serve_http(const ToolCatalog& tools, const HttpOptions& options, const std::atomic<bool>& stop,
                const std::function<void(int port)>& listening);

}  // namespace reel::cli::mcp
