#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "cli/mcp/schemas.h"
#include "cli/mcp/session.h"

using namespace reel;
using namespace reel::cli::mcp;

namespace {

// A catalog of five tools: one that echoes, one that fails as a caller's mistake, one that
// works until it is cancelled, reporting progress, one that logs, one that links a file.
ToolCatalog test_tools() {
  ToolCatalog tools;
  tools.push_back({"echo", "Echo", "Returns its words.", object_schema({{"words", string_schema("words")}}, {"words"}),
                   object_schema({{"words", string_schema("words")}}, {"words"}), true,
                   [](const Json& a, const ToolCall&) {
                     ToolResult r;
                     r.structured = {{"words", a.value("words", "")}};
                     return r;
                   }});
  tools.push_back(
      {"refuse", "Refuse", "Always refuses.", object_schema(Json::object()), Json(), true,
       [](const Json&, const ToolCall&) -> ToolResult { throw ToolError("that cannot be done; do this"); }});
  tools.push_back({"count", "Count", "Counts until cancelled.", object_schema(Json::object()), Json(), true,
                   [](const Json& a, const ToolCall& call) {
                     const int most = a.value("to", 1000000);
                     int n = 0;
                     for (; n < most && !call.cancelled(); ++n) {
                       call.progress(n + 1, most);
                       if (a.value("slow", false)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                     }
                     ToolResult r;
                     r.content.push_back({{"type", "text"}, {"text", call.cancelled() ? "cancelled" : "counted"}});
                     r.is_error = call.cancelled();
                     return r;
                   }});
  tools.push_back({"log", "Log", "Logs at two levels.", object_schema(Json::object()), Json(), true,
                   [](const Json&, const ToolCall& call) {
                     call.log("debug", "a detail");
                     call.log("warning", "photo.jpg: upscaled 3x");
                     return ToolResult{};
                   }});
  tools.push_back({"link", "Link", "Returns a file.", object_schema(Json::object()), Json(), true,
                   [](const Json&, const ToolCall&) {
                     ToolResult r;
                     r.content.push_back({{"type", "text"}, {"text", "wrote /tmp/x.mp4"}});
                     r.content.push_back({{"type", "resource_link"}, {"uri", "file:///tmp/x.mp4"}, {"name", "x.mp4"}});
                     return r;
                   }});
  return tools;
}

struct Outbox {
  std::mutex mutex;
  std::vector<Json> messages;
  Session::Send send() {
    return [this](const Json& m) {
      std::lock_guard<std::mutex> lock(mutex);
      messages.push_back(m);
    };
  }
  Json last() {
    std::lock_guard<std::mutex> lock(mutex);
    return messages.empty() ? Json() : messages.back();
  }
};

Message one(const std::string& text) { return read_messages(text, false).at(0); }

Json initialize(Session& s, Outbox& out, const std::string& version) {
  s.handle(one(R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":")" + version +
               R"(","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})"),
           out.send());
  return out.last()["result"];
}

}  // namespace

TEST(McpSession, SettlesOnTheRevisionTheClientAsksForWhenReelSpeaksIt) {
  const ToolCatalog tools = test_tools();
  for (const char* v : {"2025-03-26", "2025-06-18", "2025-11-25"}) {
    Session s(tools, CallThreads::Caller);
    Outbox out;
    EXPECT_EQ(initialize(s, out, v)["protocolVersion"], v);
    EXPECT_EQ(s.protocol_version(), v);
  }
  Session s(tools, CallThreads::Caller);
  Outbox out;
  Json r = initialize(s, out, "2024-11-05");
  EXPECT_EQ(r["protocolVersion"], "2025-06-18");
  EXPECT_EQ(r["serverInfo"]["name"], "reel");
  EXPECT_TRUE(r["capabilities"].contains("tools"));
  s.handle(one(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})"), out.send());
  EXPECT_EQ(out.last()["error"]["code"], rpc_error::kInvalidParams);
}

TEST(McpSession, ListsEveryToolWithSchemasThatNameTheirDialect) {
  const ToolCatalog tools = test_tools();
  Session s(tools, CallThreads::Caller);
  Outbox out;
  initialize(s, out, "2025-06-18");
  s.handle(one(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})"), out.send());
  const Json list = out.last()["result"]["tools"];
  ASSERT_EQ(list.size(), 5u);
  EXPECT_EQ(list[0]["name"], "echo");
  EXPECT_EQ(list[0]["inputSchema"]["$schema"], "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(list[0]["inputSchema"]["required"], Json::array({"words"}));
  EXPECT_EQ(list[0]["outputSchema"]["$schema"], "https://json-schema.org/draft/2020-12/schema");
  EXPECT_FALSE(list[1].contains("outputSchema"));
  EXPECT_EQ(list[0]["annotations"]["readOnlyHint"], true);
}

TEST(McpSession, ACallAnswersWithStructuredContentAndTheSameJsonAsText) {
  const ToolCatalog tools = test_tools();
  Session s(tools, CallThreads::Caller);
  Outbox out;
  initialize(s, out, "2025-06-18");
  s.handle(
      one(R"({"jsonrpc":"2.0","id":"c","method":"tools/call","params":{"name":"echo","arguments":{"words":"hi"}}})"),
      out.send());
  const Json r = out.last();
  EXPECT_EQ(r["id"], "c");
  EXPECT_EQ(r["result"]["isError"], false);
  EXPECT_EQ(r["result"]["structuredContent"], Json({{"words", "hi"}}));
  EXPECT_EQ(Json::parse(r["result"]["content"][0]["text"].get<std::string>()), Json({{"words", "hi"}}));
}

TEST(McpSession, BeforeTheRevisionOfStructuredResultsTheyComeAsTextOnly) {
  const ToolCatalog tools = test_tools();
  Session s(tools, CallThreads::Caller);
  Outbox out;
  initialize(s, out, "2025-03-26");
  s.handle(one(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})"), out.send());
  EXPECT_FALSE(out.last()["result"]["tools"][0].contains("outputSchema"));
  s.handle(one(R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"words":"x"}}})"),
           out.send());
  EXPECT_FALSE(out.last()["result"].contains("structuredContent"));
  EXPECT_EQ(out.last()["result"]["content"][0]["type"], "text");
  // resource_link came with 2025-06-18 as well: the older client gets the text alone.
  s.handle(one(R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"link"}})"), out.send());
  EXPECT_EQ(out.last()["result"]["content"], Json::parse(R"([{"type":"text","text":"wrote /tmp/x.mp4"}])"));
  Session newer(tools, CallThreads::Caller);
  initialize(newer, out, "2025-06-18");
  newer.handle(one(R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"link"}})"), out.send());
  EXPECT_EQ(out.last()["result"]["content"][1]["type"], "resource_link");
}

TEST(McpSession, AToolsFailureIsAResultWithIsErrorAndTheCliText) {
  const ToolCatalog tools = test_tools();
  Session s(tools, CallThreads::Caller);
  Outbox out;
  s.handle(one(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"refuse"}})"), out.send());
  const Json r = out.last()["result"];
  EXPECT_EQ(r["isError"], true);
  EXPECT_EQ(r["content"][0]["text"], "reel: that cannot be done; do this");
}

TEST(McpSession, ProtocolMistakesAreJsonRpcErrors) {
  const ToolCatalog tools = test_tools();
  Session s(tools, CallThreads::Caller);
  Outbox out;
  s.handle(one(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"nosuch"}})"), out.send());
  EXPECT_EQ(out.last()["error"]["code"], rpc_error::kInvalidParams);
  EXPECT_EQ(out.last()["error"]["message"], "Unknown tool: nosuch (the tools are echo, refuse, count, log, link)");
  s.handle(one(R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":[1]}})"),
           out.send());
  EXPECT_EQ(out.last()["error"]["code"], rpc_error::kInvalidParams);
  s.handle(one(R"({"jsonrpc":"2.0","id":3,"method":"resources/list"})"), out.send());
  EXPECT_EQ(out.last()["error"]["code"], rpc_error::kMethodNotFound);
  s.handle(one(R"({"jsonrpc":"2.0","id":4,"method":"ping"})"), out.send());
  EXPECT_EQ(out.last()["result"], Json::object());
  s.handle(one(R"({"jsonrpc":"2.0","id":5,"method":"logging/setLevel","params":{"level":"loud"}})"), out.send());
  EXPECT_EQ(out.last()["error"]["code"], rpc_error::kInvalidParams);
  const size_t before = out.messages.size();
  s.handle(one(R"({"jsonrpc":"2.0","method":"notifications/whatever"})"), out.send());
  s.handle(one(R"({"jsonrpc":"2.0","id":9,"result":{}})"), out.send());
  EXPECT_EQ(out.messages.size(), before) << "notifications and responses get no answer";
}

TEST(McpSession, ProgressGoesUpOnlyAtMostTenTimesASecondAndEndsAtTheTotal) {
  const ToolCatalog tools = test_tools();
  Session s(tools, CallThreads::Caller);
  Outbox out;
  const auto t0 = std::chrono::steady_clock::now();
  s.handle(
      one(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"count","arguments":{"to":300,"slow":true},"_meta":{"progressToken":"p"}}})"),
      out.send());
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::vector<double> steps;
  for (const Json& m : out.messages)
    if (m.value("method", "") == "notifications/progress") {
      EXPECT_EQ(m["params"]["progressToken"], "p");
      EXPECT_EQ(m["params"]["total"], 300);
      steps.push_back(m["params"]["progress"].get<double>());
    }
  ASSERT_GE(steps.size(), 2u);
  EXPECT_LE(double(steps.size()), ms / 100 + 2) << "at most one every 100 ms, and the last";
  EXPECT_LT(steps.size(), 300u);
  for (size_t i = 1; i < steps.size(); ++i) EXPECT_GT(steps[i], steps[i - 1]);
  EXPECT_EQ(steps.front(), 1);
  EXPECT_EQ(steps.back(), 300);
  EXPECT_EQ(out.last()["id"], 1);
}

TEST(McpSession, WithoutAProgressTokenNoProgressIsSent) {
  const ToolCatalog tools = test_tools();
  Session s(tools, CallThreads::Caller);
  Outbox out;
  s.handle(one(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"count","arguments":{"to":50}}})"),
           out.send());
  ASSERT_EQ(out.messages.size(), 1u);
  EXPECT_EQ(out.last()["result"]["content"][0]["text"], "counted");
}

TEST(McpSession, LogMessagesGoOutFromTheLevelTheClientSet) {
  const ToolCatalog tools = test_tools();
  Session s(tools, CallThreads::Caller);
  auto logged = [&](const char* set_level) {
    Outbox out;
    if (set_level)
      s.handle(one(std::string(R"({"jsonrpc":"2.0","id":9,"method":"logging/setLevel","params":{"level":")") +
                   set_level + "\"}}"),
               out.send());
    s.handle(one(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"log"}})"), out.send());
    std::vector<std::string> lines;
    for (const Json& m : out.messages)
      if (m.value("method", "") == "notifications/message") {
        EXPECT_EQ(m["params"]["logger"], "reel");
        lines.push_back(m["params"]["level"].get<std::string>() + ": " + m["params"]["data"].get<std::string>());
      }
    return lines;
  };
  EXPECT_EQ(logged(nullptr), std::vector<std::string>{"warning: photo.jpg: upscaled 3x"}) << "info until set";
  EXPECT_EQ(logged("debug"), (std::vector<std::string>{"debug: a detail", "warning: photo.jpg: upscaled 3x"}));
  EXPECT_TRUE(logged("error").empty());
}

TEST(McpSession, NotificationsCancelledStopsARunningCallWhichAnswersCancelled) {
  const ToolCatalog tools = test_tools();
  Session s(tools, CallThreads::Own);
  Outbox out;
  s.handle(
      one(R"({"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"name":"count","arguments":{"slow":true}}})"),
      out.send());
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_TRUE(out.last().is_null()) << "still counting";
  const auto t0 = std::chrono::steady_clock::now();
  s.handle(one(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":42,"reason":"enough"}})"),
           out.send());
  s.wait_idle();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  const Json r = out.last();
  EXPECT_EQ(r["id"], 42);
  EXPECT_EQ(r["result"]["isError"], true);
  EXPECT_EQ(r["result"]["content"][0]["text"], "cancelled");
}
