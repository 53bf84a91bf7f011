// Clips rendered through render_to_file: each output frame is checked against the source
// picture the frame clock says it shows (the test's clips encode the picture number in the
// brightness of their left half, see support/clip_writer.h).
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "engine/errors.h"
#include "engine/render.h"
#include "support/clip_writer.h"
#include "tests/engine/support/media_fixtures.h"

namespace reel::test {
namespace {

std::vector<int64_t> every(int64_t step_ms, int n) {
  std::vector<int64_t> v;
  for (int i = 0; i < n; ++i) v.push_back(i * step_ms);
  return v;
}

engine::RenderOptions opts(const TempDir& dir, int threads) {
  engine::RenderOptions o;
  o.base_dir = dir.path().string();
  o.crf = 10;
  o.threads = threads;
  return o;
}

Json clip_segment(int64_t s, int64_t d, const std::string& src, int64_t in = 0, const Json& meta = Json::object()) {
  Json sg = {{"s", s}, {"d", d}, {"src", src}};
  if (in) sg["in"] = in;
  sg["m"] = meta;
  sg["m"]["kb"] = "none";
  return sg;
}

Json draft_of(int w, int h, int fps, const Json& segments) {
  return Json{{"m", {{"width", w}, {"height", h}, {"fps", fps}}}, {"t", Json::array({{{"tt", 0}, {"sg", segments}}})}};
}

// Mean luma of a region of each output frame.
std::vector<double> region_luma(const std::string& path, cv::Rect r) {
  std::vector<double> out;
  for (const auto& f : decode_yuv(path)) out.push_back(cv::mean(f[0](r))[0]);
  return out;
}

// The picture of a steady clip (one every step_ms) on screen at source time t_us.
int picture_at(int64_t t_us, int64_t step_ms, int pictures) {
  return int(std::clamp<int64_t>(t_us / (step_ms * 1000), 0, pictures - 1));
}

TEST(ClipRender, ClipFramesLandOnTheRightOutputFramesWithOneAndManyThreads) {
  TempDir dir;
  write_clip(dir.path() / "clip.mp4", 160, 120, every(40, 50));  // 25 fps, 2 s
  write_image(dir.file("grey.png"), flat_photo(160, 120, cv::Scalar(128, 128, 128)));
  Json j =
      draft_of(160, 120, 30,
               Json::array({{{"s", 0}, {"d", 1000}, {"src", "grey.png"}}, clip_segment(1000, 1000, "clip.mp4", 400)}));
  std::vector<double> single, many;
  for (int threads : {1, 3}) {
    std::string out = dir.file("out" + std::to_string(threads) + ".mp4");
    engine::render_to_file(load(j), out, opts(dir, threads));
    VideoProbe p = probe_video(out);
    EXPECT_EQ(p.frames, 60);
    EXPECT_FALSE(p.has_audio);  // the clip has no sound of its own
    (threads == 1 ? single : many) = region_luma(out, cv::Rect(8, 8, 64, 104));
  }
  ASSERT_EQ(single.size(), 60u);
  for (int n = 30; n < 60; ++n) {
    // Source time = in + (frame time - segment start), exactly: 400 ms + (n/30 s - 1 s).
    int64_t t_us = (400000 * 30 + int64_t(n) * 1000000 - 1000000 * 30) / 30;
    int want = level(picture_at(t_us, 40, 50));
    EXPECT_NEAR(single[size_t(n)], want, 4) << "frame " << n;
  }
  ASSERT_EQ(many.size(), single.size());
  for (size_t n = 0; n < single.size(); ++n) EXPECT_NEAR(many[n], single[n], 0.01) << "frame " << n;
}

TEST(ClipRender, RotatedPhoneClipComesOutUpright) {
  TempDir dir;
  write_clip(dir.path() / "phone.mp4", 160, 120, every(40, 10), 90);  // stored landscape, shown portrait
  Json j = draft_of(120, 160, 25, Json::array({clip_segment(0, 400, "phone.mp4")}));
  engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir, 1));
  VideoProbe p = probe_video(dir.file("out.mp4"));
  EXPECT_EQ(p.width, 120);
  EXPECT_EQ(p.height, 160);
  auto frames = decode_yuv(dir.file("out.mp4"));
  ASSERT_EQ(frames.size(), 10u);
  // Stored: dark left half, white right half; upright: the dark half on top, filling the frame.
  for (size_t n = 0; n < frames.size(); ++n) {
    EXPECT_NEAR(cv::mean(frames[n][0](cv::Rect(4, 4, 112, 68)))[0], level(int(n)), 4) << n;
    EXPECT_NEAR(cv::mean(frames[n][0](cv::Rect(4, 88, 112, 68)))[0], 235, 4) << n;
  }
}

TEST(ClipRender, VariableFrameRateFollowsTimestamps) {
  TempDir dir;
  const std::vector<int64_t> pts = {0, 30, 100, 110, 200, 330, 400, 420, 600, 650, 800, 900};
  write_clip(dir.path() / "vfr.mp4", 160, 120, pts);
  Json j = draft_of(160, 120, 25, Json::array({clip_segment(0, 1000, "vfr.mp4")}));
  engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir, 2));
  auto luma = region_luma(dir.file("out.mp4"), cv::Rect(8, 8, 64, 104));
  ASSERT_EQ(luma.size(), 25u);
  for (int n = 0; n < 25; ++n) {
    int want = 0;
    for (size_t i = 0; i < pts.size(); ++i)
      if (pts[i] <= n * 40) want = int(i);
    EXPECT_NEAR(luma[size_t(n)], level(want), 4) << "frame " << n;
  }
}

TEST(ClipRender, ShortClipHoldsItsLastPictureOrLoops) {
  TempDir dir;
  write_clip(dir.path() / "short.mp4", 160, 120, every(40, 10));  // 400 ms
  for (bool loop : {false, true}) {
    Json meta = Json::object();
    if (loop) meta["loop"] = true;
    Json j = draft_of(160, 120, 25, Json::array({clip_segment(0, 1000, "short.mp4", 0, meta)}));
    engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir, 2));
    auto luma = region_luma(dir.file("out.mp4"), cv::Rect(8, 8, 64, 104));
    ASSERT_EQ(luma.size(), 25u);
    for (int n = 0; n < 25; ++n) {
      int want = loop ? n % 10 : std::min(n, 9);
      EXPECT_NEAR(luma[size_t(n)], level(want), 4) << (loop ? "loop" : "hold") << " frame " << n;
    }
  }
}

TEST(ClipRender, FadeFromAPhotoIntoAClipBlendsAtTheMidpoint) {
  TempDir dir;
  write_clip(dir.path() / "clip.mp4", 160, 120, every(40, 50));
  write_image(dir.file("white.png"), flat_photo(160, 120, cv::Scalar(255, 255, 255)));
  Json tr = {{"tr", {{"type", "fade"}, {"d", 400}}}};
  Json j = draft_of(
      160, 120, 25,
      Json::array({{{"s", 0}, {"d", 1000}, {"src", "white.png"}}, clip_segment(1000, 1000, "clip.mp4", 400, tr)}));
  engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir, 2));
  auto luma = region_luma(dir.file("out.mp4"), cv::Rect(8, 8, 64, 104));
  ASSERT_EQ(luma.size(), 50u);
  // Frame 25 (1 s) is the midpoint: half white, half the clip's picture at `in` (400 ms: 10).
  EXPECT_NEAR(luma[25], (235 + level(10)) / 2.0, 5);
  // The handle before the segment shows the clip's real material before `in` (frame 22: 280 ms).
  EXPECT_LT(luma[22], 235 - 5);
  EXPECT_NEAR(luma[30], level(15), 4);  // after the fade: the clip alone
}

TEST(ClipRender, InPastTheEndOfTheClipIsReportedWithTheSegment) {
  TempDir dir;
  write_clip(dir.path() / "clip.mp4", 160, 120, every(40, 10));
  Json j = draft_of(160, 120, 25, Json::array({clip_segment(0, 1000, "clip.mp4", 900)}));
  try {
    engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir, 1));
    FAIL() << "no error";
  } catch (const engine::MediaError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("/t/0/sg/0"), std::string::npos) << m;
    EXPECT_NE(m.find("`in` is past the end of the clip (0.4 s long)"), std::string::npos) << m;
  }
  EXPECT_FALSE(fs::exists(dir.file("out.mp4")));
}

TEST(ClipRender, AnimatedGifPlaysAtItsOwnDelays) {
  TempDir dir;
  write_clip(dir.path() / "anim.gif", 64, 48, every(100, 6), 0, "gif");  // 10 pictures a second
  Json j = draft_of(64, 48, 25, Json::array({clip_segment(0, 600, "anim.gif")}));
  engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir, 2));
  auto luma = region_luma(dir.file("out.mp4"), cv::Rect(4, 4, 24, 40));
  ASSERT_EQ(luma.size(), 15u);
  for (int n = 0; n < 15; ++n)  // grey k in full range is 16 + k * 219 / 255 in limited-range luma
    EXPECT_NEAR(luma[size_t(n)], 16 + level(n * 40 / 100) * 219.0 / 255, 4) << "frame " << n;
}

TEST(ClipRender, ClipsOwnSoundIsInTheOutputUnlessMuted) {
  TempDir dir;
  write_clip(dir.path() / "talk.mp4", 160, 120, every(40, 25), 0, "libx264", 440);
  for (bool mute : {false, true}) {
    Json meta = Json::object();
    if (mute) meta["mute"] = true;
    Json j = draft_of(160, 120, 25, Json::array({clip_segment(0, 1000, "talk.mp4", 0, meta)}));
    engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir, 2));
    VideoProbe p = probe_video(dir.file("out.mp4"));
    EXPECT_EQ(p.frames, 25);
    EXPECT_EQ(p.has_audio, !mute) << (mute ? "muted" : "with sound");
  }
}

}  // namespace
}  // namespace reel::test
