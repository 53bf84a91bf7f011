// engine::StillMaker (the studio's scrubbing) gives render_still's pixels in any order, and
// engine::sound_peaks a waveform of what the sound holds.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "engine/errors.h"
#include "engine/media_info.h"
#include "engine/render.h"
#include "tests/engine/support/media_fixtures.h"
#include "tests/support/clip_writer.h"
#include "tests/support/wav_writer.h"

namespace reel::test {
namespace {

TEST(StillMaker, GivesRenderStillsPixelsInAnyOrderAcrossCutsTransitionsTextAndAClip) {
  TempDir dir;
  write_image(dir.file("a.jpg"), detailed_photo(640, 480, 1));
  write_image(dir.file("b.png"), detailed_photo(500, 500, 2));
  std::vector<int64_t> pts;
  for (int i = 0; i < 25; ++i) pts.push_back(i * 40);
  write_clip(dir.path() / "c.mp4", 320, 240, pts);
  Json j = slideshow_json(320, 180, 25, {"a.jpg", "b.png", "c.mp4"}, 1000);
  j["t"][0]["sg"][1]["m"] = {{"tr", {{"type", "fade"}, {"d", 400}}}, {"kb", "in"}};
  j["t"].push_back({{"tt", 7}, {"sg", {{{"s", 300}, {"d", 1200}, {"m", {{"text", "Scrub"}}}}}}});
  const draft::Draft d = load(j);
  engine::RenderOptions o;
  o.base_dir = dir.path().string();
  o.proxy_dir = dir.file("proxies");  // each photo's subject found once, for both
  for (bool stored : {false, true}) {
    engine::StillMaker maker(d, o, stored, 1);  // holds one photo: lets go and starts again
    for (int64_t at : {2900, 100, 1000, 2100, 400, 1000}) {
      engine::render_still(d, at, dir.file("still.png"), o);
      maker.write(at, dir.file("made.png"));
      const cv::Mat want = cv::imread(dir.file("still.png")), got = cv::imread(dir.file("made.png"));
      ASSERT_EQ(got.size(), cv::Size(320, 180)) << at;
      EXPECT_EQ(cv::norm(want, got, cv::NORM_INF), 0) << "at " << at << " ms, stored " << stored;
    }
    if (stored)  // no compression: the pixels and a few hundred bytes of PNG framing
      EXPECT_GT(fs::file_size(dir.file("made.png")), 320u * 180 * 3);
    else
      EXPECT_LT(fs::file_size(dir.file("made.png")), 320u * 180 * 3);
  }
}

TEST(SoundPeaks, FollowTheLoudnessOfTheSegmentsPartOfTheSound) {
  TempDir dir;
  std::vector<int16_t> s = sine(1.0, 440, 0.8);
  const std::vector<int16_t> quiet = sine(1.0, 440, 0.2);
  s.insert(s.end(), quiet.begin(), quiet.end());
  write_wav(dir.file("tone.wav"), s);
  const std::vector<float> all = engine::sound_peaks(dir.file("tone.wav"), "tone.wav", 0, 2000, 4);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_NEAR(all[0], 0.8, 0.02);
  EXPECT_NEAR(all[1], 0.8, 0.02);
  EXPECT_NEAR(all[2], 0.2, 0.02);
  EXPECT_NEAR(all[3], 0.2, 0.02);
  // From 1.5 s for 1 s: the quiet half, then past the end of the sound.
  const std::vector<float> tail = engine::sound_peaks(dir.file("tone.wav"), "tone.wav", 1500, 1000, 2);
  EXPECT_NEAR(tail[0], 0.2, 0.02);
  EXPECT_EQ(tail[1], 0.0f);
  write_image(dir.file("not-sound.png"), flat_photo(8, 8, cv::Scalar(0, 0, 0)));
  EXPECT_THROW(engine::sound_peaks(dir.file("not-sound.png"), "not-sound.png", 0, 1000, 4), engine::MediaError);
}

}  // namespace
}  // namespace reel::test
