// The agent's stream (POST /run_sse): what its events mean, and the client against the fault
// server (keep-alives only for a while, partial chunks, error events, a dropped or stalled
// stream that is never sent again, a no-text turn followed by the state's summary diff). Real
// HTTP on 127.0.0.1. The node's side of a turn: node/agent_turn_test.cpp.
#include "cloud/client/agent_stream.h"

#include <gtest/gtest.h>

#include "cloud/client/client.h"
#include "draft/agent.h"
#include "draft/model.h"
#include "draft/summary.h"
#include "tests/cloud/support/fake_backend.h"
#include "tests/cloud/support/test_util.h"

using namespace reel;
using namespace reel::cloud;
using namespace reel::cloud::testing;
using namespace std::chrono_literals;

namespace {

std::string adk(const Json& parts, bool partial) {
  return sse_format(Json{{"content", {{"role", "model"}, {"parts", parts}}},
                         {"author", "nemo_agent"},
                         {"partial", partial},
                         {"id", "ev"},
                         {"invocationId", "inv"},
                         {"timestamp", 1743712255.31}});
}
std::string text_event(const std::string& text, bool partial) {
  return adk(Json::array({Json{{"text", text}}}), partial);
}
const std::string kHeartbeat = "data: {\"type\": \"heartbeat\"}\n\n";
const std::string kEmptyData = "data:\n\n";

SseEvent event_of(const std::string& wire) {
  SseParser p;
  auto events = p.feed(wire);
  return events.at(0);
}

}  // namespace

TEST(AgentTurnReader, ShowsPartialChunksAndNotTheFinalThatRepeatsThem) {
  AgentTurnReader r;
  std::string shown;
  for (const std::string& wire :
       {text_event("Hel", true), text_event("lo ", true), text_event("world", true), text_event("Hello world", false)})
    for (const auto& e : r.read(event_of(wire)))
      if (e.kind == AgentEvent::Kind::Text) shown += e.text;
  EXPECT_EQ(shown, "Hello world");
  EXPECT_EQ(r.text(), "Hello world");
}

TEST(AgentTurnReader, ShowsAFinalWithoutChunksAndWhatAFinalAddsToThem) {
  AgentTurnReader r;
  auto a = r.read(event_of(text_event("Done.", false)));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].text, "Done.");
  r.read(event_of(text_event("Next ", true)));
  auto b = r.read(event_of(text_event("Next step.", false)));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].text, "step.");
  EXPECT_EQ(r.text(), "Done.Next step.");
}

TEST(AgentTurnReader, ReadsToolsKeepAlivesAndErrorsOfBothShapes) {
  AgentTurnReader r;
  auto call = r.read(event_of(
      adk(Json::array({Json{{"functionCall", {{"id", "1"}, {"name", "edit_multitrack"}, {"args", Json::object()}}}}}),
          false)));
  ASSERT_EQ(call.size(), 1u);
  EXPECT_EQ(call[0].kind, AgentEvent::Kind::ToolCall);
  EXPECT_EQ(call[0].text, "edit_multitrack");
  auto result = r.read(event_of(sse_format(Json{{"type", "tool_result"}, {"name", "render"}})));
  EXPECT_EQ(result.at(0).kind, AgentEvent::Kind::ToolResult);
  EXPECT_EQ(r.read(event_of(kEmptyData)).at(0).kind, AgentEvent::Kind::KeepAlive);
  EXPECT_EQ(r.read(event_of(kHeartbeat)).at(0).kind, AgentEvent::Kind::KeepAlive);
  auto err = r.read(event_of(sse_format(Json{{"errorCode", 2001}, {"errorMessage", "insufficient credits"}})));
  EXPECT_EQ(err.at(0).kind, AgentEvent::Kind::Error);
  EXPECT_EQ(err.at(0).code, 2001);
  EXPECT_EQ(r.read(event_of(sse_format(Json{{"error", "boom"}}))).at(0).text, "boom");
  EXPECT_EQ(r.read(event_of(sse_format(Json{{"type", "text"}, {"text", "hi"}}))).at(0).text, "hi");
}

// ---- against the fault server --------------------------------------------------------------

struct AgentFaults : ::testing::Test {
  TempDir dir;
  FakeBackend backend;
  LogCapture log;
  ClientOptions options() {
    auto o = fast_options(backend.url(), dir.file("config"), dir.file("project"));
    o.log = log.fn();
    return o;
  }
  AgentStreamOptions limits() {
    AgentStreamOptions l;
    l.still_working_every = 150ms;
    l.stall = 1s;
    l.turn_limit = 20s;
    return l;
  }
};

TEST_F(AgentFaults, WaitsThroughKeepAlivesSayingStillWorkingThenShowsTheText) {
  std::vector<FakeBackend::SseStep> steps;
  for (int i = 0; i < 6; ++i) steps.push_back({i % 2 ? kHeartbeat : kEmptyData, 100});
  steps.push_back({text_event("Your slideshow is ready.", false), 0});
  backend.script_sse(steps);
  Client c(options());
  Seen seen;
  AgentTurn turn = c.send_message("make a slideshow", seen.callbacks(), limits());
  EXPECT_EQ(seen.joined(), "Your slideshow is ready.");
  EXPECT_TRUE(turn.has_text());
  EXPECT_EQ(turn.keep_alives, 6);
  EXPECT_GE(seen.still_working, 1);
  EXPECT_EQ(backend.run_sse_calls.load(), 1);
  // The request is the protocol page's.
  for (const auto& r : backend.requests())
    if (r.path == "/run_sse") EXPECT_EQ(r.header("Accept"), "text/event-stream");
  ASSERT_EQ(backend.sse_bodies().size(), 1u);
  Json body = Json::parse(backend.sse_bodies()[0]);
  EXPECT_EQ(body["app_name"], "nemo_agent");
  EXPECT_EQ(body["user_id"], "me");
  EXPECT_EQ(body["new_message"]["parts"][0]["text"], "make a slideshow");
  EXPECT_EQ(body["session_id"].get<std::string>().size(), 19u);
}

TEST_F(AgentFaults, ShowsPartialTextChunksAsTheyComeAndTheFinalOnlyOnce) {
  backend.script_sse({{text_event("I added ", true), 50},
                      {text_event("fade transitions ", true), 50},
                      {text_event("between the photos.", true), 50},
                      {text_event("I added fade transitions between the photos.", false), 0},
                      {sse_format(Json{{"type", "tool_call"}, {"name", "edit_multitrack"}}), 0}});
  Client c(options());
  Seen seen;
  AgentTurn turn = c.send_message("add transitions", seen.callbacks(), limits());
  EXPECT_EQ(seen.texts.size(), 3u);
  EXPECT_EQ(seen.joined(), "I added fade transitions between the photos.");
  EXPECT_EQ(turn.text, seen.joined());
  ASSERT_EQ(seen.tools.size(), 1u);
  EXPECT_EQ(seen.tools[0], "edit_multitrack called");
}

TEST_F(AgentFaults, AnErrorEventBecomesATypedError) {
  backend.script_sse(
      {{kHeartbeat, 0}, {sse_format(Json{{"error", "the agent crashed"}}), 0}, {text_event("never shown", false), 0}});
  Client c(options());
  Seen seen;
  try {
    c.send_message("hello", seen.callbacks(), limits());
    FAIL() << "no error";
  } catch (const CloudError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::AgentError);
    EXPECT_NE(std::string(e.what()).find("the agent crashed"), std::string::npos);
  }
  EXPECT_TRUE(seen.texts.empty());
  backend.script_sse({{sse_format(Json{{"errorCode", 2001}, {"errorMessage", "insufficient credits"}}), 0}});
  try {
    c.send_message("hello again", seen.callbacks(), limits());
    FAIL() << "no error";
  } catch (const CloudError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NoCredits);
  }
}

TEST_F(AgentFaults, ADroppedStreamIsReportedAndTheMessageIsNotSentAgain) {
  backend.script_sse({{kHeartbeat, 0}, {text_event("Working on ", true), 50}}, /*drop=*/true);
  Client c(options());
  Seen seen;
  try {
    c.send_message("make it vertical", seen.callbacks(), limits());
    FAIL() << "no error";
  } catch (const CloudError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::StreamDropped);
    EXPECT_NE(std::string(e.what()).find("was sent once and was not re-sent"), std::string::npos) << e.what();
    EXPECT_FALSE(e.retryable());
  }
  EXPECT_EQ(seen.joined(), "Working on ");
  EXPECT_EQ(backend.run_sse_calls.load(), 1);
  EXPECT_EQ(log.all().find(std::string(backend.issued_tokens().at(0))), std::string::npos);
}

TEST_F(AgentFaults, AStalledStreamIsReportedAsDroppedAfterTheStallLimitNotResent) {
  backend.script_sse({{kHeartbeat, 0}, {text_event("Thinking", true), 0}, {kHeartbeat, 4000}});
  Client c(options());
  Seen seen;
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_THROW(
      {
        try {
          c.send_message("make it vertical", seen.callbacks(), limits());
        } catch (const CloudError& e) {
          EXPECT_EQ(e.kind(), ErrorKind::StreamDropped) << e.what();
          throw;
        }
      },
      CloudError);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3500ms);
  EXPECT_EQ(backend.run_sse_calls.load(), 1);
}

TEST_F(AgentFaults, ANoTextTurnIsFollowedByTheStateSummaryDiff) {
  Json before = Json::parse(R"({"m": {"width": 1920, "height": 1080}, "t": [{"tt": 0, "m": {"name": "photos"}, "sg": [
    {"s": 0, "d": 3000, "src": "a.jpg"}, {"s": 3000, "d": 3000, "src": "b.jpg"}]}]})");
  Json after = before;
  after["m"]["width"] = 1080;
  after["m"]["height"] = 1920;
  backend.set_state_draft(before);
  backend.set_state_draft_after_sse(after);
  backend.script_sse(
      {{kHeartbeat, 0},
       {adk(Json::array({Json{{"functionCall", {{"id", "1"}, {"name", "edit_multitrack"}, {"args", Json::object()}}}}}),
            false),
        20},
       {adk(Json::array(
                {Json{{"functionResponse", {{"id", "1"}, {"name", "edit_multitrack"}, {"response", Json::object()}}}}}),
            false),
        20},
       {kEmptyData, 20}});
  Client c(options());
  auto draft_of = [&](const Json& state) { return draft::load_draft(state["state"]["draft"]).draft; };
  draft::Draft d0 = draft_of(c.state());
  Seen seen;
  AgentTurn turn = c.send_message("make it vertical", seen.callbacks(), limits());
  EXPECT_FALSE(turn.has_text());
  EXPECT_EQ(turn.tool_calls, 1);
  EXPECT_EQ(turn.tool_results, 1);
  draft::Draft d1 = draft_of(c.state());
  EXPECT_EQ(draft::summary_diff(d0, d1), "canvas 1920x1080 → 1080x1920");
}
