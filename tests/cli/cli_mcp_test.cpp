// `reel mcp`'s command line: what it refuses before serving (the protocol and the tools are
// tested through programs no one here wrote: tests/js/mcp*.mjs), and stdio carrying nothing
// but protocol.
#include <gtest/gtest.h>

#include <sstream>

#include "draft/json.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

namespace reel::test {
namespace {

RunResult reel(const std::vector<std::string>& args, const std::string& input = "") {
  return run_command(REEL_BINARY, args, input);
}

TEST(McpCommand, RefusesAnAddressThatIsNotLoopback) {
  RunResult r = reel({"mcp", "--listen", "0.0.0.0:8791"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "reel: --listen takes 127.0.0.1:PORT (loopback only; port 0 picks a free one), not 0.0.0.0:8791\n");
}

TEST(McpCommand, RefusesATokenWithoutListenOrTooShort) {
  RunResult alone = reel({"mcp", "--token", "0123456789abcdef"});
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_EQ(alone.err, "reel: --token protects the HTTP server: give --listen 127.0.0.1:PORT with it\n");
  RunResult short_token = reel({"mcp", "--listen", "127.0.0.1:0", "--token", "abc"});
  EXPECT_EQ(short_token.exit_code, 2);
  EXPECT_NE(short_token.err.find("--token needs at least 16 characters"), std::string::npos) << short_token.err;
}

TEST(McpCommand, RefusesARootThatIsNotAFolder) {
  RunResult r = reel({"mcp", "--root", "/nonexistent/shows"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "reel: --root /nonexistent/shows: there is no such folder; give the folder of the drafts\n");
}

TEST(McpCommand, StdoutCarriesOneJsonRpcLinePerReplyAndNothingElse) {
  TempDir dir;
  const std::string input =
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25"}})"
      "\n"
      "not json\n"
      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"validate_draft","arguments":{"draft":"nosuch.json"}}})"
      "\n";
  RunResult r = reel({"mcp", "--root", dir.path().string()}, input);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<Json> lines;
  std::istringstream out(r.out);
  for (std::string line; std::getline(out, line);) lines.push_back(Json::parse(line));
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0]["result"]["protocolVersion"], "2025-11-25");
  EXPECT_EQ(lines[1]["error"]["code"], -32700);
  EXPECT_EQ(lines[2]["result"]["isError"], true);
  EXPECT_NE(lines[2]["result"]["content"][0]["text"].get<std::string>().find("nosuch.json"), std::string::npos);
  EXPECT_NE(r.err.find("reel mcp: serving 11 tools over stdio on "), std::string::npos) << r.err;
}

}  // namespace
}  // namespace reel::test
