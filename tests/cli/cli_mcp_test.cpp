// `reel mcp`'s command line: what it refuses before serving (the protocol and the tools are
// tested through programs no one here wrote: tests/js/mcp*.mjs), and stdio carrying nothing
// but protocol.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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

TEST(McpCommand, AClientThatClosesStdoutStopsTheServerWithoutASignal) {
  TempDir dir;
  // The reader of reel's stdout (true) is gone before the request comes: the reply's write
  // fails. Without care, SIGPIPE kills reel (exit 141); it must stop cleanly and say why.
  const std::string request = R"({"jsonrpc":"2.0","id":1,"method":"ping"})";
  RunResult r = run_command(
      "bash", {"-c",
               "{ sleep 0.5; printf '%s\\n' \"$1\"; sleep 1; } | \"$2\" mcp --root \"$3\" 2>\"$3/err\" | true; "
               "s=${PIPESTATUS[1]}; cat \"$3/err\"; exit $s",
               "-", request, REEL_BINARY, dir.path().string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("reel mcp: the client closed its end of stdout; stopped\n"), std::string::npos) << r.out;
}

// A port held by a socket that allows sharing (SO_REUSEPORT, as httplib's servers set by
// default): a reel server must not bind beside it and take half of its connections.
int shareable_listener(int* port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  int yes = 1;
  ::setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof yes);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(s, 4) != 0 ||
      ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    return -1;
  *port = ntohs(a.sin_port);
  return s;
}

TEST(McpCommand, ListenOnAPortInUseIsRefusedEvenWhenItsOwnerAllowsSharing) {
  int port = 0;
  const int held = shareable_listener(&port);
  ASSERT_GE(held, 0);
  const std::string address = "127.0.0.1:" + std::to_string(port);
  TempDir dir;
  RunResult mcp =
      run_command("timeout", {"10", REEL_BINARY, "mcp", "--listen", address, "--root", dir.path().string()});
  EXPECT_EQ(mcp.exit_code, 6) << mcp.err;
  EXPECT_NE(mcp.err.find("cannot listen on " + address + " (is another program using that port?)"), std::string::npos)
      << mcp.err;
  RunResult serve =
      run_command("timeout", {"10", "env", "XDG_DATA_HOME=" + dir.file("data"), "XDG_CONFIG_HOME=" + dir.file("config"),
                              REEL_BINARY, "serve", "--listen", address, "--data", dir.file("node")});
  EXPECT_NE(serve.exit_code, 0);
  EXPECT_NE(serve.exit_code, 124) << "reel serve shared the port and served until the timeout";
  EXPECT_NE(serve.err.find("cannot listen on " + address), std::string::npos) << serve.err;
  ::close(held);
}

}  // namespace
}  // namespace reel::test
