// The studio's view of a draft and its segment form (cli/studio/timeline_view.h).
#include <gtest/gtest.h>

#include "base/error.h"
#include "cli/studio/timeline_view.h"
#include "draft/parse.h"

using namespace reel;
using namespace reel::cli::studio;

namespace {

draft::Draft three_photos() {
  Json j = Json::parse(R"({"m": {"fps": 25}, "t": [
    {"tt": 0, "sg": [{"s": 0, "d": 3000, "src": "a.jpg"},
                     {"s": 3000, "d": 3000, "src": "b.jpg", "m": {"tr": {"type": "fade", "d": 600}}},
                     {"s": 6000, "d": 3000, "src": "c.jpg", "m": {"kb": "in"}}]},
    {"tt": 7, "sg": [{"s": 500, "d": 2000, "m": {"text": "Hello"}}]}]})");
  draft::LoadResult r = draft::load_draft(j);
  EXPECT_TRUE(r.ok());
  return r.draft;
}

}  // namespace

TEST(StudioTimeline, ListsEveryLaneWithItsSegmentsFramesAndTransitions) {
  const Json t = timeline_json(three_photos());
  EXPECT_EQ(t["duration_ms"], 9000);
  EXPECT_EQ(t["frames"], 225);
  EXPECT_EQ(t["fps"]["num"], 25);
  ASSERT_EQ(t["tracks"].size(), 2u);
  EXPECT_EQ(t["tracks"][0]["kind"], "video");
  ASSERT_EQ(t["tracks"][0]["segments"].size(), 3u);
  EXPECT_EQ(t["tracks"][0]["segments"][1]["pointer"], "/t/0/sg/1");
  EXPECT_EQ(t["tracks"][0]["segments"][1]["tr"]["type"], "fade");
  EXPECT_EQ(t["tracks"][0]["segments"][1]["tr"]["d"], 600);
  EXPECT_FALSE(t["tracks"][0]["segments"][0].contains("tr"));
  EXPECT_EQ(t["tracks"][0]["segments"][2]["kb"], "in");
  EXPECT_EQ(t["tracks"][1]["segments"][0]["text"], "Hello");
}

TEST(StudioTimeline, ALongerPhotoMovesTheOnesAfterIt) {
  draft::Draft d = three_photos();
  EXPECT_EQ(apply_segment_settings(d, "/t/0/sg/0", Json{{"duration_ms", 5000}}), "duration 3 s → 5 s");
  EXPECT_EQ(d.tracks[0].segments[0].duration_ms, 5000);
  EXPECT_EQ(d.tracks[0].segments[1].start_ms, 5000);
  EXPECT_EQ(d.tracks[0].segments[2].start_ms, 8000);
  EXPECT_EQ(d.duration_ms(), 11000);
  EXPECT_TRUE(draft::load_draft(d.json).ok());
}

TEST(StudioTimeline, WritesKenBurnsFitTransitionFocusAndText) {
  draft::Draft d = three_photos();
  EXPECT_EQ(apply_segment_settings(d, "/t/0/sg/1",
                                   Json{{"kb", "left"},
                                        {"fit", "contain"},
                                        {"tr", {{"type", "wipeleft"}, {"d", 400}}},
                                        {"focus", {{"x", 0.1}, {"y", 0.2}, {"w", 0.5}, {"h", 0.4}}}}),
            "Ken Burns left; fit contain; transition wipeleft 0.4 s; focus set");
  const draft::Segment& s = d.tracks[0].segments[1];
  EXPECT_EQ(s.video.ken_burns.preset, draft::KenBurnsPreset::Left);
  EXPECT_EQ(s.video.fit, draft::Fit::Contain);
  EXPECT_EQ(s.video.transition->type, draft::TransitionType::WipeLeft);
  EXPECT_EQ(s.video.transition->duration_ms, 400);
  EXPECT_EQ(*s.video.focus, (draft::FocusBox{0.1, 0.2, 0.5, 0.4}));
  EXPECT_EQ(apply_segment_settings(d, "/t/0/sg/1", Json{{"tr", "none"}, {"kb", "none"}, {"focus", nullptr}}),
            "Ken Burns none; no transition; focus found by reel");
  EXPECT_FALSE(d.json["t"][0]["sg"][1]["m"].contains("tr"));
  EXPECT_FALSE(d.json["t"][0]["sg"][1]["m"].contains("kb"));
  EXPECT_EQ(apply_segment_settings(d, "/t/1/sg/0", Json{{"text", "Bye"}}), "text \"Bye\"");
  EXPECT_EQ(d.tracks[1].segments[0].text.text, "Bye");
}

TEST(StudioTimeline, ABadFormChangesNothingAndSaysWhichField) {
  draft::Draft d = three_photos();
  const Json before = d.json;
  try {
    apply_segment_settings(d, "/t/0/sg/0", Json{{"kb", "left"}, {"tr", {{"type", "fadee"}}}});
    FAIL() << "a bad transition name was taken";
  } catch (const base::Error& e) {
    EXPECT_NE(std::string(e.what()).find("tr.type \"fadee\" is not one of"), std::string::npos) << e.what();
  }
  EXPECT_EQ(d.json, before);
  EXPECT_THROW(apply_segment_settings(d, "/t/0/sg/0", Json{{"text", "x"}}), base::Error);  // a photo has no text
  EXPECT_THROW(apply_segment_settings(d, "/t/0/sg/0", Json{{"duration_ms", -5}}), base::Error);
  EXPECT_THROW(apply_segment_settings(d, "/t/0/sg/9", Json{{"kb", "in"}}), base::Error);
  EXPECT_EQ(d.json, before);
}
