// `reel make`'s choices, on media described by numbers (the engine measures real files).
#include "draft/make.h"

#include <gtest/gtest.h>

#include "draft/model.h"
#include "draft/styles.h"
#include "draft/summary.h"

using namespace reel;
using namespace reel::draft;

namespace {

MediaItem photo(const std::string& ref, int w = 4000, int h = 3000, std::optional<int64_t> at = std::nullopt) {
  MediaItem m;
  m.reference = ref;
  m.width = w;
  m.height = h;
  m.captured_at = at;
  return m;
}

Draft made(const MakeRequest& r) {
  LoadResult l = load_draft(make_draft(r));
  EXPECT_TRUE(l.ok()) << l.problems.front().line();
  return l.draft;
}

}  // namespace

TEST(Make, PhotosGoInCaptureTimeOrderThenByNameAndTheLogoLast) {
  auto order = ordered_media(
      {photo("c.jpg"), photo("logo.png"), photo("b.jpg", 10, 10, 2000), photo("a.jpg"), photo("z.jpg", 10, 10, 1000)});
  std::vector<std::string> refs;
  for (auto& m : order) refs.push_back(m.reference);
  EXPECT_EQ(refs, (std::vector<std::string>{"z.jpg", "b.jpg", "a.jpg", "c.jpg", "logo.png"}));
}

TEST(Make, SlideshowIsCalmWithDissolvesMotionAndMusicFitToTheVideo) {
  MakeRequest r;
  for (int i = 1; i <= 5; ++i) r.media.push_back(photo("p" + std::to_string(i) + ".jpg"));
  r.music = "music/lofi.mp3";
  r.music_ms = 12000;
  r.title = "Lisbon";
  Draft d = made(r);
  EXPECT_EQ(timeline_summary(d),
            "Timeline (3 tracks): 1. Video: slideshow (0-20s) 2. BGM: Lofi (0-20s, 80%) 3. Title: \"Lisbon\" (0-3s)");
  EXPECT_EQ(d.canvas.width, 1920);
  for (size_t i = 0; i < 5; ++i) {
    const Segment& s = d.tracks[0].segments[i];
    EXPECT_EQ(s.duration_ms, 4000);
    EXPECT_EQ(s.video.ken_burns.preset, KenBurnsPreset::Auto);
    if (i > 0) EXPECT_EQ(s.video.transition->type, TransitionType::Fade);
  }
  const Segment& music = d.tracks[1].segments[0];
  EXPECT_EQ(music.audio.fade_in_ms, 1500);
  EXPECT_EQ(music.audio.fade_out_ms, 3000);
  EXPECT_TRUE(music.audio.loop);  // 12 s of music for a 20 s video
}

TEST(Make, VerticalPhotosInAWideVideoUseBlurAndLandscapesInAVerticalOneTravel) {
  MakeRequest r;
  r.media = {photo("a.jpg", 3000, 4000), photo("b.jpg", 4000, 3000)};
  Draft wide = made(r);
  EXPECT_EQ(wide.tracks[0].segments[0].video.fit, Fit::Blur);
  EXPECT_EQ(wide.tracks[0].segments[1].video.fit, Fit::Cover);
  r.aspect = "9:16";
  Draft tall = made(r);
  EXPECT_EQ(tall.canvas.height, 1920);
  EXPECT_EQ(tall.tracks[0].segments[1].video.fit, Fit::Cover);
  EXPECT_EQ(tall.tracks[0].segments[1].video.ken_burns.preset, KenBurnsPreset::Left);
}

TEST(Make, PromoIsThirtySecondsWithTheLogoOnAnEndCardAndNeverFileNamesAsWords) {
  MakeRequest r;
  r.style = Style::Promo;
  r.media = {photo("shoe_red.jpg"), photo("logo.png", 800, 800), photo("shoe-blue.jpg")};
  Draft d = made(r);
  EXPECT_EQ(d.duration_ms(), 30000);
  const Segment& end = d.tracks[0].segments[2];
  EXPECT_EQ(end.source, "logo.png");
  EXPECT_EQ(end.video.fit, Fit::Contain);
  EXPECT_EQ(end.video.ken_burns.preset, KenBurnsPreset::None);
  EXPECT_EQ(d.tracks[0].segments[1].video.transition->type, TransitionType::SlideLeft);
  ASSERT_EQ(d.tracks.size(), 1u) << "no words given: no words on screen (not \"Shoe red\")";
  r.title = "New season";
  r.tagline = "Shop now";
  Draft worded = made(r);
  const auto& texts = worded.tracks[1].segments;
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[0].text.text, "New season");
  EXPECT_EQ(texts[1].text.text, "Shop now");
  EXPECT_GT(texts[0].text.style.size, texts[1].text.style.size) << "the title is larger than the tagline";
  for (const auto& t : texts) EXPECT_GE(t.duration_ms, 1500 + 2 * t.text.anim.duration_ms) << t.text.text;
  EXPECT_LE(texts[1].end_ms(), 20000) << "the words end before the logo's end card";
}

TEST(Make, AVerticalPromosWordsStayInsideThePlatformsSafeArea) {
  MakeRequest r;
  r.style = Style::Promo;
  r.aspect = "9:16";
  r.duration_ms = 6000;
  r.title = "Summer Sale";
  r.tagline = "Everything 30% off this week";
  for (int i = 0; i < 4; ++i) r.media.push_back(photo("p" + std::to_string(i) + ".jpg"));
  Draft d = made(r);
  ASSERT_GE(d.tracks.size(), 2u);
  int texts = 0;
  for (const auto& track : d.tracks) {
    if (track.kind != TrackKind::Text) continue;
    for (const auto& t : track.segments) {
      ++texts;
      const TextStyle& st = t.text.style;
      ASSERT_FALSE(st.position.anchor) << "placed by x, y";
      // The block is centred on (x, y), at most max_width wide: it stays left of the right-hand
      // button strip (the last 15%) and above the bottom fifth.
      EXPECT_LE(st.position.x + st.max_width / 2, 0.85) << t.text.text;
      EXPECT_LE(st.position.y, 0.6) << t.text.text;
      EXPECT_GE(t.duration_ms, 2300) << t.text.text;
      EXPECT_LE(t.end_ms(), 6000);
    }
  }
  EXPECT_EQ(texts, 2);
}

TEST(Make, FitMusicEndsWithTheSongAndManyPhotosShareABeatRatherThanLoopIt) {
  MakeRequest r;
  r.music = "song.mp3";
  r.music_ms = 20000;
  for (int64_t b = 0; b < 20000; b += 500) r.beats_ms.push_back(b);
  r.fit_music = true;
  for (int i = 0; i < 5; ++i) r.media.push_back(photo("p" + std::to_string(i) + ".jpg"));
  Draft few = made(r);
  EXPECT_EQ(few.duration_ms(), 20000);
  EXPECT_EQ(few.tracks[1].segments[0].duration_ms, 20000);
  EXPECT_FALSE(few.tracks[1].segments[0].audio.loop);
  r.media.clear();
  for (int i = 0; i < 60; ++i) r.media.push_back(photo("p" + std::to_string(i) + ".jpg"));
  Draft many = made(r);  // 60 photos in 20 s: a third of a second each, two or three a beat
  EXPECT_EQ(many.duration_ms(), 20000);
  ASSERT_EQ(many.tracks.size(), 2u) << "the song plays once";
  for (const auto& s : many.tracks[0].segments) EXPECT_GE(s.duration_ms, 250);
  EXPECT_EQ(many.tracks[0].segments.back().end_ms(), 20000);
}

TEST(Make, ALoopThatCannotBeHelpedIsCrossfaded) {
  MakeRequest r;
  r.music = "short.mp3";
  r.music_ms = 4000;
  r.fit_music = true;
  for (int i = 0; i < 30; ++i) r.media.push_back(photo("p" + std::to_string(i) + ".jpg"));
  Draft d = made(r);  // 30 photos need 7.5 s at a quarter second: the 4 s song plays three times
  ASSERT_EQ(d.tracks.size(), 3u);
  const Segment& first = d.tracks[1].segments[0];
  const Segment& second = d.tracks[2].segments[0];
  EXPECT_EQ(first.start_ms, 0);
  EXPECT_EQ(first.duration_ms, 4000);
  EXPECT_EQ(second.start_ms, 3000) << "the second play starts under the first's last second";
  EXPECT_EQ(first.audio.fade_out_ms, 1000);
  EXPECT_EQ(second.audio.fade_in_ms, 1000);
  EXPECT_EQ(d.duration_ms(), 10000);
  EXPECT_EQ(d.tracks[1].segments.back().end_ms(), 10000);
}

TEST(Make, PaceAndTransitionChoicesChangeTheCuts) {
  MakeRequest r;
  for (int i = 0; i < 4; ++i) r.media.push_back(photo("p" + std::to_string(i) + ".jpg"));
  r.pace = 0.6;
  r.transition = TransitionType::ZoomIn;
  Draft d = made(r);
  EXPECT_EQ(d.tracks[0].segments[0].duration_ms, 2400);
  EXPECT_EQ(d.tracks[0].segments[1].video.transition->type, TransitionType::ZoomIn);
  r.transition = TransitionType::None;
  Draft cuts = made(r);
  EXPECT_FALSE(cuts.tracks[0].segments[1].video.transition);
}

TEST(Make, HighlightCutsLandOnTheBeatsAndOpensWithATitle) {
  MakeRequest r;
  r.style = Style::Highlight;
  for (int i = 0; i < 7; ++i) r.media.push_back(photo("h" + std::to_string(i) + ".jpg"));
  r.music = "beat.wav";
  r.music_ms = 60000;
  for (int64_t b = 0; b < 60000; b += 500) r.beats_ms.push_back(b + 37);  // 120 BPM, first beat at 37 ms
  r.duration_ms = 15000;
  Draft d = made(r);
  const auto& segs = d.tracks[0].segments;
  for (size_t i = 1; i < segs.size(); ++i) {
    EXPECT_EQ((segs[i].start_ms - 37) % 500, 0) << "cut " << i << " at " << segs[i].start_ms;
    EXPECT_EQ(segs[i - 1].end_ms(), segs[i].start_ms);
    EXPECT_GE(segs[i].duration_ms, 500);
  }
  EXPECT_EQ(d.tracks.back().segments[0].text.text, "Highlights");
}

TEST(Make, ImpossibleRequestsAreRefusedWithAReason) {
  MakeRequest r;
  EXPECT_THROW(make_draft(r), std::invalid_argument);
  for (int i = 0; i < 10; ++i) r.media.push_back(photo("p" + std::to_string(i) + ".jpg"));
  r.duration_ms = 2000;
  try {
    make_draft(r);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "the video would give each of the 10 photos less than half a second; make it at least 5 s long or use "
                 "fewer photos");
  }
}

TEST(Styles, WordsNameAStyleInEnglishOrChineseSlideshowFirst) {
  EXPECT_EQ(style_in_words("turn these photos into a slide show"), Style::Slideshow);
  EXPECT_EQ(style_in_words("make a promotion video"), Style::Promo);
  EXPECT_EQ(style_in_words("做一个宣传片"), Style::Promo);
  EXPECT_EQ(style_in_words("a highlight reel of the match"), Style::Highlight);
  EXPECT_EQ(style_in_words("a promo slideshow"), Style::Slideshow);
  EXPECT_EQ(style_in_words("make it vertical"), std::nullopt);
  EXPECT_STREQ(style_spec(Style::Highlight).label, "highlight reel");
}
