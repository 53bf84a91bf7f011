#include <gtest/gtest.h>

#include "cli/mcp/jsonrpc.h"

using namespace reel;
using namespace reel::cli::mcp;

TEST(McpJsonRpc, ReadsARequestANotificationAndAResponse) {
  auto r = read_messages(R"({"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"cursor":"x"}})", false);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, Message::Kind::Request);
  EXPECT_EQ(r[0].id, 7);
  EXPECT_EQ(r[0].method, "tools/list");
  EXPECT_EQ(r[0].params["cursor"], "x");
  auto n = read_messages(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", false);
  EXPECT_EQ(n[0].kind, Message::Kind::Notification);
  EXPECT_TRUE(n[0].params.is_null());
  auto a = read_messages(R"({"jsonrpc":"2.0","id":"s1","result":{}})", false);
  EXPECT_EQ(a[0].kind, Message::Kind::Response);
  EXPECT_EQ(a[0].id, "s1");
}

TEST(McpJsonRpc, TextThatIsNotJsonGetsAParseErrorWithANullId) {
  for (const char* text : {"garbage", "{\"jsonrpc\":\"2.0\",", "", "\xff\xfe"}) {
    auto r = read_messages(text, false);
    ASSERT_EQ(r.size(), 1u) << text;
    EXPECT_EQ(r[0].kind, Message::Kind::Invalid);
    EXPECT_EQ(r[0].reply["error"]["code"], rpc_error::kParse);
    EXPECT_TRUE(r[0].reply["id"].is_null());
    EXPECT_EQ(r[0].reply["jsonrpc"], "2.0");
  }
}

TEST(McpJsonRpc, AnInvalidRequestKeepsItsIdInTheErrorReply) {
  auto r = read_messages(R"({"jsonrpc":"1.0","id":3,"method":"ping"})", false);
  EXPECT_EQ(r[0].kind, Message::Kind::Invalid);
  EXPECT_EQ(r[0].reply["id"], 3);
  EXPECT_EQ(r[0].reply["error"]["code"], rpc_error::kInvalidRequest);
  EXPECT_EQ(r[0].reply["error"]["message"], "the message needs \"jsonrpc\": \"2.0\"");
  auto p = read_messages(R"({"jsonrpc":"2.0","id":4,"method":"ping","params":5})", false);
  EXPECT_EQ(p[0].reply["id"], 4);
  EXPECT_EQ(p[0].reply["error"]["message"], "params is an object");
  auto id = read_messages(R"({"jsonrpc":"2.0","id":{"a":1},"method":"ping"})", false);
  EXPECT_EQ(id[0].kind, Message::Kind::Invalid);
  EXPECT_TRUE(id[0].reply["id"].is_null());
  auto m = read_messages(R"({"jsonrpc":"2.0","id":5,"method":""})", false);
  EXPECT_EQ(m[0].reply["error"]["message"], "the method is a non-empty string");
  auto none = read_messages(R"([1,2])", false);
  EXPECT_EQ(none[0].kind, Message::Kind::Invalid);
}

TEST(McpJsonRpc, BatchesOnlyWhereTheRevisionHasThem) {
  const char* batch = R"([{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"x"},7])";
  auto refused = read_messages(batch, false);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].reply["error"]["code"], rpc_error::kInvalidRequest);
  auto read = read_messages(batch, true);
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[0].kind, Message::Kind::Request);
  EXPECT_EQ(read[1].kind, Message::Kind::Notification);
  EXPECT_EQ(read[2].kind, Message::Kind::Invalid);
  auto empty = read_messages("[]", true);
  EXPECT_EQ(empty[0].reply["error"]["message"], "an empty batch");
}

TEST(McpJsonRpc, RepliesAreOneLineOfJson) {
  Json r = result_reply(1, {{"text", "two\nlines"}});
  EXPECT_EQ(to_line(r), R"({"jsonrpc":"2.0","id":1,"result":{"text":"two\nlines"}})");
  Json e = error_reply("a", rpc_error::kMethodNotFound, "Method not found: x");
  EXPECT_EQ(to_line(e), R"({"jsonrpc":"2.0","id":"a","error":{"code":-32601,"message":"Method not found: x"}})");
  EXPECT_EQ(to_line(notification("notifications/progress", {{"progress", 1}})),
            R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}})");
}
