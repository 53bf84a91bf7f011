#pragma once
// MCP over standard input and output: one JSON-RPC message a line each way. Nothing but
// protocol goes to standard output (the process's stdout is pointed at stderr while it runs,
// so a stray print cannot break the stream); logs go to stderr.
#include <atomic>

#include "cli/mcp/tool.h"

namespace reel::cli::mcp {

/// Serves `tools` on fds 0 and 1 until standard input ends or `stop` is set (checked every
/// 200 ms). Running calls are cancelled and waited for before it returns.
void serve_stdio(const ToolCatalog& tools, const std::atomic<bool>& stop);

}  // namespace reel::cli::mcp
