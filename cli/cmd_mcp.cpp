// reel mcp: the MCP server that lets an AI assistant validate, look at, edit, render and
// export drafts on this machine (cli/mcp/; docs/agents.md).
#include <iostream>
#include <memory>
#include <regex>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/mcp/http_transport.h"
#include "cli/mcp/stdio_transport.h"
#include "cli/mcp/tools.h"
#include "cli/process.h"
#include "cli/progress.h"

namespace reel::cli {

namespace {

struct McpArgs {
  std::string root = ".";
  std::string listen;
  std::string token;
};

// "127.0.0.1:PORT", "localhost:PORT" or "[::1]:PORT": loopback only.
mcp::HttpOptions listen_options(const McpArgs& a) {
  std::smatch m;
  if (!std::regex_match(a.listen, m, std::regex(R"((127\.0\.0\.1|localhost|\[::1\]):(\d{1,5}))")))
    throw UsageError("--listen takes 127.0.0.1:PORT (loopback only; port 0 picks a free one), not " + a.listen);
  mcp::HttpOptions o;
  o.host = m[1] == "[::1]" ? "::1" : "127.0.0.1";
  o.port = std::stoi(m[2]);
  if (o.port > 65535) throw UsageError("--listen: a port is 0 to 65535");
  o.token = a.token;
  return o;
}

int run_mcp(const McpArgs& a) {
  if (!a.token.empty() && a.listen.empty())
    throw UsageError("--token protects the HTTP server: give --listen 127.0.0.1:PORT with it");
  if (!a.token.empty() && a.token.size() < 16)
    throw UsageError(
        "--token needs at least 16 characters (reel mcp --listen ... prints none; make one with "
        "`head -c 16 /dev/urandom | xxd -p`)");
  const mcp::Workspace workspace(a.root);
  const mcp::ToolCatalog tools = mcp::reel_tools(workspace);
  if (a.listen.empty()) {
    std::cerr << "reel mcp: serving " << tools.size() << " tools over stdio on " << workspace.root() << "\n";
    mcp::serve_stdio(tools, interrupted());
    return kExitOk;
  }
  const mcp::HttpOptions o = listen_options(a);
  mcp::serve_http(tools, o, interrupted(), [&](int port) {
    const std::string host = o.host == "::1" ? "[::1]" : o.host;
    std::cerr << "reel mcp: serving " << tools.size() << " tools on " << workspace.root() << " at http://" << host
              << ":" << port << "/mcp" << (o.token.empty() ? "" : " (Authorization: Bearer TOKEN)") << std::endl;
  });
  std::cerr << "reel mcp: stopped\n";
  return kExitOk;
}

}  // namespace

void add_mcp_commands(CLI::App& app, Commands& commands) {
  auto a = std::make_shared<McpArgs>();
  auto* sub = app.add_subcommand(
      "mcp", "Serve drafts to AI assistants over MCP: frames as images, edits, renders and exports (docs/agents.md)");
  sub->add_option("--root", a->root,
                  "the folder of the drafts: every draft, media file and output a tool names lies inside it "
                  "(default: the current folder)");
  sub->add_option("--listen", a->listen,
                  "serve Streamable HTTP at 127.0.0.1:PORT/mcp instead of stdio (port 0 picks a free one)");
  sub->add_option("--token", a->token, "with --listen: require Authorization: Bearer TOKEN on every request");
  commands.add(
      sub, [a] { return run_mcp(*a); }, Needs::Network);
}

}  // namespace reel::cli
