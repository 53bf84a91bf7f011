#include "draft/summary.h"

#include <gtest/gtest.h>

#include "draft_test_util.h"

using namespace reel;
using namespace reel::draft;
using namespace reel::draft::test;

namespace {
std::string summary_of(const std::string& text) { return timeline_summary(load_text(text).draft); }
}  // namespace

TEST(Summary, SeedExampleReadsExactlyAsTheFormatSays) {
  Draft d = load_draft(parse_json(read_file(seed_path()), "seed")).draft;
  EXPECT_EQ(timeline_summary(d),
            "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: \"Urban "
            "Dreams\" (0-3s)");
}

TEST(Summary, UnnamedVideoTracksCountPhotosAndClips) {
  EXPECT_EQ(summary_of(video_draft(R"([{"s": 0, "d": 1000, "src": "a.jpg"}, {"s": 1000, "d": 1000, "src": "b.HEIC"},
      {"s": 2000, "d": 1000, "src": "c.png"}, {"s": 3000, "d": 1000, "src": "d.webp"}, {"s": 4000, "d": 1000, "src": "e.jpeg"}])")),
            "Timeline (1 track): 1. Video: 5 photos (0-5s)");
  EXPECT_EQ(summary_of(video_draft(
                R"([{"s": 0, "d": 1000, "src": "a.mp4"}, {"s": 1000, "d": 1000, "src": "https://x/b.MOV?sig=1"}])")),
            "Timeline (1 track): 1. Video: 2 clips (0-2s)");
  EXPECT_EQ(summary_of(video_draft(R"([{"s": 0, "d": 1000, "src": "a.jpg"}, {"s": 1000, "d": 1000, "src": "b.jpg"},
      {"s": 2000, "d": 1000, "src": "c.jpg"}, {"s": 3000, "d": 1000, "src": "d.jpg"}, {"s": 4000, "d": 1000, "src": "e.jpg"},
      {"s": 5000, "d": 1000, "src": "f.mp4"}])")),
            "Timeline (1 track): 1. Video: 5 photos, 1 clip (0-6s)");
}

TEST(Summary, SingleSegmentNameWinsOverTrackName) {
  EXPECT_EQ(
      summary_of(
          R"({"t": [{"tt": 0, "m": {"name": "trip"}, "sg": [{"s": 0, "d": 1000, "src": "a.jpg", "m": {"name": "sunset"}}]}]})"),
      "Timeline (1 track): 1. Video: sunset (0-1s)");
  EXPECT_EQ(
      summary_of(
          R"({"t": [{"tt": 0, "m": {"name": "trip"}, "sg": [{"s": 0, "d": 1000, "src": "a.jpg", "m": {"name": "x"}},
      {"s": 1000, "d": 1000, "src": "b.jpg", "m": {"name": "y"}}]}]})"),
      "Timeline (1 track): 1. Video: trip (0-2s)");
}

TEST(Summary, AudioKindsVolumesAndRanges) {
  EXPECT_EQ(
      summary_of(
          R"({"t": [{"tt": 1, "m": {"kind": "voice"}, "sg": [{"s": 2500, "d": 23000, "src": "v.m4a", "m": {"vol": "80%"}}]},
      {"tt": 1, "sg": [{"s": 0, "d": 4000, "src": "a.mp3"}, {"s": 4000, "d": 1000, "src": "b.mp3", "m": {"vol": 0.2}}]},
      {"tt": 1, "m": {"kind": "SFX"}, "sg": [{"s": 100, "d": 50, "src": "pop.wav", "m": {"vol": 1.256}}]}]})"),
      "Timeline (3 tracks): 1. Voice: 1 sound (2.5-25.5s, 80%) 2. BGM: 2 sounds (0-5s, 100%) 3. SFX: 1 sound "
      "(0.1-0.15s, 126%)");
}

TEST(Summary, TextTracksShowTheFirstTextAndHowManyMore) {
  EXPECT_EQ(summary_of(R"({"t": [{"tt": 7, "sg": [{"s": 4000, "d": 1000, "m": {"text": "later", "kind": "caption"}},
      {"s": 1000, "d": 1000, "m": {"text": "第一天\n海边", "kind": "caption"}}, {"s": 6000, "d": 1000, "m": {"text": "end"}}]}]})"),
            "Timeline (1 track): 1. Caption: \"第一天 海边\" +2 more (1-7s)");
  EXPECT_EQ(summary_of(R"({"t": [{"tt": 7, "sg": [{"s": 0, "d": 1000, "m": {"text": "Hi"}}]}]})"),
            "Timeline (1 track): 1. Text: \"Hi\" (0-1s)");
}

TEST(Summary, EmptyTracksAreLeftOutAndLongKeysReadTheSame) {
  EXPECT_EQ(
      summary_of(R"({"tracks": [{"track_type": 0, "segments": []}, {"track_type": 7, "metadata": {"kind": "subtitle"},
      "segments": [{"start": 0, "duration": 2000, "metadata": {"text": "Hello"}}]}]})"),
      "Timeline (1 track): 1. Subtitle: \"Hello\" (0-2s)");
  EXPECT_EQ(summary_of(R"({"t": []})"), "Timeline (0 tracks):");
}

TEST(Summary, JsonFormGivesTheTracksAsData) {
  Draft d = load_draft(parse_json(read_file(seed_path()), "seed")).draft;
  Json j = summary_json(d);
  ASSERT_EQ(j["tracks"].size(), 3u);
  EXPECT_EQ(j["tracks"][1]["kind"], "BGM");
  EXPECT_EQ(j["tracks"][1]["label"], "Lo-fi");
  EXPECT_EQ(j["tracks"][1]["volume_percent"], 35);
  EXPECT_EQ(j["tracks"][2]["to_ms"], 3000);
  EXPECT_EQ(j["duration_ms"], 10000);
  EXPECT_EQ(j["fps"], "30");
}
