// Subtitles in (SRT, WebVTT) and out, through a draft's text track.
#include "draft/subtitles.h"

#include <gtest/gtest.h>

#include "draft/summary.h"
#include "draft_test_util.h"

using namespace reel;
using namespace reel::draft;
using namespace reel::draft::test;

TEST(Subtitles, SubRipCuesAreReadWithTheirTimesAndLines) {
  auto cues = parse_subtitles(
      "1\r\n00:00:01,000 --> 00:00:03,500\r\n<i>Hello</i> there\r\nsecond line\r\n\r\n"
      "2\n00:01:02,250 --> 00:01:04,000 X1:0\n{\\an8}第一天 · 海边\n",
      "a.srt");
  ASSERT_EQ(cues.size(), 2u);
  EXPECT_EQ(cues[0].start_ms, 1000);
  EXPECT_EQ(cues[0].end_ms, 3500);
  EXPECT_EQ(cues[0].text, "Hello there\nsecond line");
  EXPECT_EQ(cues[1].start_ms, 62250);
  EXPECT_EQ(cues[1].text, "第一天 · 海边");
}

TEST(Subtitles, WebVttWithShortTimesNotesAndSettings) {
  auto cues = parse_subtitles(
      "WEBVTT\n\nNOTE a comment\n\nintro\n00:01.000 --> 00:02.500 line:90%\nHi\n\n01:00:00.000 --> "
      "01:00:01.000\nLate\n",
      "a.vtt");
  ASSERT_EQ(cues.size(), 2u);
  EXPECT_EQ(cues[0].start_ms, 1000);
  EXPECT_EQ(cues[0].end_ms, 2500);
  EXPECT_EQ(cues[1].start_ms, 3600000);
}

TEST(Subtitles, MalformedFilesNameTheLine) {
  try {
    parse_subtitles("1\n00:00:03,000 --> 00:00:01,000\nbackwards\n", "bad.srt");
    FAIL();
  } catch (const DraftError& e) {
    EXPECT_STREQ(e.what(),
                 "bad.srt:2: the cue timing \"00:00:03,000 --> 00:00:01,000\" is not start --> end (such as "
                 "00:00:01,000 --> 00:00:03,500) with the end after the start");
  }
  EXPECT_THROW(parse_subtitles("just some words\n", "notes.srt"), DraftError);
}

TEST(Subtitles, CuesBecomeCaptionTracksAndComeBackOutTheSame) {
  Draft d = load_text(R"({"t": [{"tt": 0, "sg": [{"s": 0, "d": 5000, "src": "a.jpg"}]}]})").draft;
  std::vector<Cue> cues = {{500, 1500, "one"}, {1400, 2500, "two\nlines"}, {3000, 4000, "three"}};
  add_caption_tracks(d, cues);
  EXPECT_TRUE(load_draft(d.json).ok());
  EXPECT_EQ(timeline_summary(d),
            "Timeline (3 tracks): 1. Video: 1 photo (0-5s) 2. Caption: \"one\" +1 more (0.5-4s) 3. Caption: \"two "
            "lines\" (1.4-2.5s)");
  // The cue that overlaps goes on a second track drawn above the first: both show, stacked.
  EXPECT_EQ(d.json["t"][1]["sg"][0]["m"]["style"]["pos"], "bottom");
  const Json& above = d.json["t"][2]["sg"][0]["m"]["style"]["pos"];
  ASSERT_TRUE(above.is_object()) << above.dump();
  // The bottom track's one line (0.0775 of the frame) and a gap, then this two-line block's half.
  EXPECT_NEAR(above["y"].get<double>(), 0.95 - 0.0775 - 0.01 - 0.14 / 2, 1e-4);
  auto back = captions_of(d);
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[1].start_ms, 1400);  // overlapping cues keep their own times
  EXPECT_EQ(write_srt(back),
            "1\n00:00:00,500 --> 00:00:01,500\none\n\n2\n00:00:01,400 --> 00:00:02,500\ntwo\nlines\n\n"
            "3\n00:00:03,000 --> 00:00:04,000\nthree\n\n");
  EXPECT_EQ(write_vtt({{3723004, 3724000, "x"}}), "WEBVTT\n\n01:02:03.004 --> 01:02:04.000\nx\n\n");
}

TEST(Subtitles, OnlyCaptionTracksAreCaptionsNotTitleCards) {
  Draft d = load_text(R"({"t": [{"tt": 7, "m": {"kind": "title"}, "sg": [{"s": 0, "d": 1000, "m": {"text": "Title"}}]},
      {"tt": 7, "m": {"kind": "caption"}, "sg": [{"s": 2000, "d": 1000, "m": {"text": "Said"}}]},
      {"tt": 7, "sg": [{"s": 4000, "d": 1000, "m": {"text": "Sub", "kind": "subtitle"}}, {"s": 5000, "d": 500, "m": {"text": "Card"}}]}]})")
                .draft;
  auto cues = captions_of(d);
  ASSERT_EQ(cues.size(), 2u);
  EXPECT_EQ(cues[0].text, "Said");
  EXPECT_EQ(cues[1].text, "Sub");
  Draft titles = load_text(R"({"t": [{"tt": 7, "sg": [{"s": 0, "d": 1000, "m": {"text": "Title"}}]}]})").draft;
  EXPECT_TRUE(captions_of(titles).empty()) << "a title card is not a caption";
}

TEST(Subtitles, HostileTimingsAndTagOnlyLinesAreReadWithoutACrash) {
  // Found by fuzzing: an hour count too long for a number crashed the reader; a line of tags
  // left a blank line in the cue, which broke it in two when written out again.
  EXPECT_THROW(parse_subtitles("1\n99999999999999999999:00:00,000 --> 99999999999999999999:00:01,000\nhi\n", "s.srt"),
               reel::draft::DraftError);
  std::vector<Cue> cues = parse_subtitles("WEBVTT\n\n00:01.000 --> 00:03.500\nHello\n</b>\nthere\n", "s.vtt");
  ASSERT_EQ(cues.size(), 1u);
  EXPECT_EQ(cues[0].text, "Hello\nthere");
  EXPECT_EQ(parse_subtitles(write_srt(cues), "again").size(), 1u);
  // A line far longer than any timing is text, read without the regex.
  cues = parse_subtitles("1\n00:00:01,000 --> 00:00:02,000\n" + std::string(200000, 'a') + "\n", "s.srt");
  ASSERT_EQ(cues.size(), 1u);
  EXPECT_EQ(cues[0].text.size(), 200000u);
}
