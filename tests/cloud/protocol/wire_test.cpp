#include "cloud/protocol/wire.h"

#include <gtest/gtest.h>

#include "cloud/protocol/errors.h"
#include "cloud/protocol/sse.h"

using namespace reel;
using namespace reel::cloud;

namespace {
ErrorContext ctx() {
  ErrorContext c;
  c.what = "doing a thing";
  c.user_id = "anon_abc";
  c.register_url = "https://example.test/register";
  return c;
}
ErrorKind kind_of_answer(long status, const std::string& body) {
  try {
    unwrap_answer(status, body, ctx());
  } catch (const CloudError& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no error for " << body;
  return ErrorKind::Refused;
}
}  // namespace

TEST(Envelope, UnwrapsCodeZeroAndSuccessTrueToData) {
  EXPECT_EQ(unwrap_answer(200, R"({"code":0,"message":"ok","data":{"a":1}})", ctx())["a"], 1);
  EXPECT_EQ(unwrap_answer(200, R"({"success":true,"data":{"b":2}})", ctx())["b"], 2);
  EXPECT_EQ(unwrap_answer(200, R"({"status":"completed"})", ctx())["status"], "completed");
}

TEST(Envelope, MapsEveryBackendCodeToATypedError) {
  EXPECT_EQ(kind_of_answer(200, R"({"code":1001,"message":"x"})"), ErrorKind::BadToken);
  EXPECT_EQ(kind_of_answer(200, R"({"code":1002,"message":"x"})"), ErrorKind::SessionNotFound);
  EXPECT_EQ(kind_of_answer(200, R"({"code":2001,"message":"x"})"), ErrorKind::NoCredits);
  EXPECT_EQ(kind_of_answer(200, R"({"code":4001,"message":"x"})"), ErrorKind::UnsupportedType);
  EXPECT_EQ(kind_of_answer(200, R"({"code":4002,"message":"x"})"), ErrorKind::TooLarge);
  EXPECT_EQ(kind_of_answer(200, R"({"code":7777,"message":"x"})"), ErrorKind::Refused);
  EXPECT_EQ(kind_of_answer(402, R"({"success":false,"error":"pay"})"), ErrorKind::ExportBlocked);
  EXPECT_EQ(kind_of_answer(429, ""), ErrorKind::RateLimited);
  EXPECT_EQ(kind_of_answer(503, "<html>"), ErrorKind::Transient);
  EXPECT_EQ(kind_of_answer(408, ""), ErrorKind::Transient);
  EXPECT_EQ(kind_of_answer(404, R"({"success":false,"error":"nope"})"), ErrorKind::NotFound);
  EXPECT_EQ(kind_of_answer(200, R"({"success":false,"error":"Duplicate id"})"), ErrorKind::DuplicateId);
  EXPECT_EQ(kind_of_answer(200, "not json"), ErrorKind::BadResponse);
  EXPECT_EQ(kind_of_answer(401, ""), ErrorKind::BadToken);
}

TEST(Envelope, MessagesSayWhatToDo) {
  try {
    unwrap_answer(200, R"({"code":2001,"message":"x"})", ctx());
  } catch (const CloudError& e) {
    EXPECT_NE(std::string(e.what()).find("https://example.test/register?bind=anon_abc"), std::string::npos) << e.what();
  }
  ErrorContext registered = ctx();
  registered.anonymous = false;
  try {
    unwrap_answer(200, R"({"code":2001,"message":"x"})", registered);
  } catch (const CloudError& e) {
    EXPECT_NE(std::string(e.what()).find("top up credits"), std::string::npos) << e.what();
  }
  try {
    unwrap_answer(402, "", ctx());
  } catch (const CloudError& e) {
    EXPECT_NE(std::string(e.what()).find("register or upgrade to unlock export"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("render locally"), std::string::npos);
  }
  try {
    unwrap_answer(200, R"({"code":4001,"message":"bad type"})", ctx());
  } catch (const CloudError& e) {
    EXPECT_NE(std::string(e.what()).find("mp4, mov"), std::string::npos);
  }
  try {
    unwrap_answer(200, R"({"code":4002,"message":"big"})", ctx());
  } catch (const CloudError& e) {
    EXPECT_NE(std::string(e.what()).find("compress it or trim it"), std::string::npos);
  }
}

TEST(RenderStatusShape, ReadsTheNewShape) {
  auto s = parse_render_status(Json::parse(
      R"({"success":true,"data":{"id":"render_1","status":"completed","progress":100,"outputUrl":"https://c/x.mp4","createdAt":1,"completedAt":2,"error":null}})"));
  EXPECT_EQ(s.id, "render_1");
  EXPECT_EQ(s.state, RenderState::Completed);
  EXPECT_EQ(s.output_url, "https://c/x.mp4");
  EXPECT_EQ(s.completed_at_ms, 2);
}

TEST(RenderStatusShape, NumbersOutOfRangeAreHeldAtTheirEdges) {
  // Found by fuzz_http_answer: a progress of 1e122 was cast to int (undefined behaviour).
  auto s = parse_render_status(
      Json::parse(R"({"data":{"id":"r","status":"processing","progress":1e122,"createdAt":-5,"completedAt":1e300}})"));
  EXPECT_EQ(s.progress, 100);
  EXPECT_EQ(s.created_at_ms, 0);
  EXPECT_EQ(s.completed_at_ms, int64_t(1) << 62);
  EXPECT_EQ(parse_render_status(Json::parse(R"({"status":"processing","progress":-3})")).progress, 0);
  EXPECT_EQ(parse_render_status(Json::parse(R"({"status":"processing","progress":"nan"})")).progress, 0);
  EXPECT_EQ(parse_render_status(Json::parse(R"({"status":"processing","progress":42.7})")).progress, 42);
}

TEST(RenderStatusShape, ReadsTheOlderShape) {
  auto s = parse_render_status(Json::parse(R"({"id":"r","status":"completed","output":{"url":"https://c/y.mp4"}})"));
  EXPECT_EQ(s.state, RenderState::Completed);
  EXPECT_EQ(s.output_url, "https://c/y.mp4");
  auto f = parse_render_status(Json::parse(R"({"status":"failed","error":"font missing"})"));
  EXPECT_EQ(f.state, RenderState::Failed);
  EXPECT_EQ(f.error, "font missing");
}

TEST(Iso8601, ParsesUtcOffsetsAndFractions) {
  EXPECT_EQ(parse_iso8601("1970-01-01T00:00:10Z"), 10);
  EXPECT_EQ(parse_iso8601("1970-01-01T01:00:10+01:00"), 10);
  EXPECT_EQ(parse_iso8601("1970-01-01T00:00:10.250Z"), 10);
  EXPECT_FALSE(parse_iso8601("yesterday"));
  EXPECT_EQ(parse_iso8601(format_iso8601(1800000000)), 1800000000);
}

TEST(Sse, ParsesAdkEventsKeepAlivesAndSplitChunks) {
  SseParser p;
  std::string stream =
      "data: {\"type\":\"heartbeat\"}\n\n"
      "data:\n\n"
      ": comment\n"
      "data: "
      "{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hel\"},{\"text\":\"lo\"}]},\"author\":\"nemo_agent\"}"
      "\r\n\r\n"
      "data: {\"error\":\"boom\"}\n\n";
  std::vector<SseEvent> events;
  for (size_t i = 0; i < stream.size(); i += 7) {
    auto got = p.feed(std::string_view(stream).substr(i, 7));
    events.insert(events.end(), got.begin(), got.end());
  }
  auto rest = p.finish();
  events.insert(events.end(), rest.begin(), rest.end());
  ASSERT_EQ(events.size(), 4u);
  EXPECT_TRUE(events[0].keep_alive());
  EXPECT_TRUE(events[1].keep_alive());
  EXPECT_EQ(events[2].text(), "Hello");
  EXPECT_EQ(events[3].error(), "boom");
}

TEST(Envelope, AnAnswerNestedTensOfThousandsDeepIsABadResponseNotACrash) {
  const std::string deep = std::string(50000, '[') + std::string(50000, ']');
  try {
    unwrap_answer(200, deep, ctx());
    FAIL() << "accepted";
  } catch (const CloudError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadResponse) << e.what();
  }
  // Deep inside an object that is otherwise an envelope: the same.
  const std::string wrapped = R"({"code": 0, "data": )" + std::string(50000, '{') + std::string(50000, '}') + "}";
  EXPECT_THROW(unwrap_answer(200, wrapped, ctx()), CloudError);
}

TEST(Sse, AnEndlessLineOrAnEndlessEventIsStoppedAtItsLimitInLinearTime) {
  SseParser endless_line;
  const std::string chunk(64 * 1024, 'x');
  size_t fed = 0;
  try {
    endless_line.feed("data: ");
    for (; fed < 64 * SseParser::kMaxLineBytes; fed += chunk.size()) endless_line.feed(chunk);
    FAIL() << "a line of " << fed << " bytes was kept";
  } catch (const CloudError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadResponse);
    EXPECT_STREQ(e.what(), "the agent's stream sent a line longer than 1 MB; the turn was stopped");
    EXPECT_LE(fed, SseParser::kMaxLineBytes);
  }
  SseParser endless_event;  // many short data lines and never the blank line that ends the event
  const std::string line = "data: " + std::string(1000, 'y') + "\n";
  try {
    for (fed = 0; fed < 64 * SseParser::kMaxEventBytes; fed += line.size()) endless_event.feed(line);
    FAIL() << "an event of " << fed << " bytes was kept";
  } catch (const CloudError& e) {
    EXPECT_STREQ(e.what(), "the agent's stream sent an event larger than 4 MB; the turn was stopped");
    EXPECT_LE(fed, SseParser::kMaxEventBytes / 10 * 11);  // stopped as soon as the data passed the limit
  }
  // Events of ordinary size still come through after many of them.
  SseParser ok;
  size_t events = 0;
  for (int i = 0; i < 2000; ++i) events += ok.feed("data: {\"type\":\"text\",\"text\":\"hi\"}\n\n").size();
  EXPECT_EQ(events, 2000u);
}

TEST(Sse, AnEventWhoseFieldsHaveTheWrongShapeIsReadWithoutThrowing) {
  // Found by fuzzing: "type" holding an object made every question about the event throw.
  SseParser p;
  auto events = p.feed("data: {\"type\": {\"parts\": []}, \"text\": 5, \"errorMessage\": [1]}\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].keep_alive());
  EXPECT_EQ(events[0].text(), "");
  EXPECT_EQ(events[0].error(), "");
}
