#include "draft/edit.h"

#include <gtest/gtest.h>

#include "draft/parse.h"
#include "draft_test_util.h"

using namespace reel;
using namespace reel::draft;
using namespace reel::draft::test;

TEST(Edit, ReplacingASourceChangesOnlyThatKey) {
  Json original = parse_json(read_file(seed_path()), "seed");
  Draft d = load_draft(original).draft;
  set_segment_source(d, 0, 0, "https://cdn.example/u/01.jpg");

  Json expected = original;
  expected["t"][0]["sg"][0]["src"] = "https://cdn.example/u/01.jpg";
  EXPECT_EQ(d.json.dump(), expected.dump());                                  // same value and same key order
  EXPECT_EQ(d.tracks[0].segments[0].source, "https://cdn.example/u/01.jpg");  // the view follows
}

TEST(Edit, NewKeysUseTheSpellingTheDraftUses) {
  Draft d = load_text(R"({"tracks": [{"track_type": 0, "segments": [{"duration": 1000, "source": "a.jpg"}]}]})").draft;
  set_segment_start(d, 0, 0, 500);
  EXPECT_EQ(d.json.dump(),
            R"({"tracks":[{"track_type":0,"segments":[{"duration":1000,"source":"a.jpg","start":500}]}]})");
  EXPECT_EQ(d.tracks[0].segments[0].start_ms, 500);

  Draft s = load_text(R"({"t": [{"tt": 0, "sg": [{"d": 1000, "src": "a.jpg"}]}]})").draft;
  set_segment_start(s, 0, 0, 500);
  set_segment_meta(s, 0, 0, "fit", "contain");
  EXPECT_EQ(s.json.dump(), R"({"t":[{"tt":0,"sg":[{"d":1000,"src":"a.jpg","s":500,"m":{"fit":"contain"}}]}]})");
  EXPECT_EQ(s.tracks[0].segments[0].video.fit, Fit::Contain);
}

TEST(Edit, ExistingSpellingIsKeptEvenInAShortKeyDraft) {
  Draft d = load_text(R"({"t": [{"tt": 0, "sg": [{"start": 0, "d": 1000, "src": "a.jpg"}]}]})").draft;
  set_segment_duration(d, 0, 0, 2500);
  set_segment_start(d, 0, 0, 100);
  EXPECT_EQ(d.json.dump(), R"({"t":[{"tt":0,"sg":[{"start":100,"d":2500,"src":"a.jpg"}]}]})");
}

TEST(Edit, DraftMetadataIsCreatedWhenAbsent) {
  Draft d = load_text(R"({"t": []})").draft;
  set_draft_meta(d, "title", "Summer in Lisbon");
  EXPECT_EQ(d.json.dump(), R"({"t":[],"m":{"title":"Summer in Lisbon"}})");
  EXPECT_EQ(d.title, "Summer in Lisbon");
}

TEST(Edit, AMissingSegmentIsRefused) {
  Draft d = load_text(R"({"t": []})").draft;
  EXPECT_THROW(set_segment_source(d, 0, 0, "x.jpg"), std::out_of_range);
}

TEST(Edit, ASegmentThatIsNotAnObjectIsRefused) {
  Draft d = load_text(R"({"t": [{"tt": 0, "sg": [0]}]})").draft;
  EXPECT_THROW(set_segment_source(d, 0, 0, "x.jpg"), std::invalid_argument);
  EXPECT_EQ(d.json.dump(), R"({"t":[{"tt":0,"sg":[0]}]})");
}
