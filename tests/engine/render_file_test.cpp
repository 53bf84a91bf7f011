// Renders real files through render_to_file and checks them through libavformat.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "engine/errors.h"
#include "engine/render.h"
#include "tests/engine/support/media_fixtures.h"

extern "C" {
#include <libavutil/pixfmt.h>
}

namespace reel::test {
namespace {

using engine::RenderOptions;

RenderOptions opts(const TempDir& dir, int crf = 12) {
  RenderOptions o;
  o.base_dir = dir.path().string();
  o.crf = crf;
  return o;
}

TEST(RenderFile, WritesH264Yuv420pBt709Mp4WithExactSizeFpsFrameCountAndDuration) {
  TempDir dir;
  write_image(dir.file("a.jpg"), detailed_photo(640, 480, 1));
  write_image(dir.file("b.png"), detailed_photo(500, 500, 2));
  Json j = slideshow_json(320, 180, 25, {"a.jpg", "b.png"}, 1000);
  j["t"][0]["sg"][1]["m"] = {{"tr", {{"type", "fade"}, {"d", 400}}}, {"kb", "in"}};
  auto result = engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir));
  EXPECT_EQ(result.frames, 50);
  VideoProbe p = probe_video(dir.file("out.mp4"));
  EXPECT_EQ(p.codec, "h264");
  EXPECT_EQ(p.width, 320);
  EXPECT_EQ(p.height, 180);
  EXPECT_DOUBLE_EQ(p.fps, 25.0);
  EXPECT_EQ(p.frames, 50);
  EXPECT_NEAR(p.duration, 2.0, 0.001);
  EXPECT_EQ(p.pix_fmt, "yuv420p");
  EXPECT_EQ(p.color_primaries, AVCOL_PRI_BT709);
  EXPECT_EQ(p.color_trc, AVCOL_TRC_BT709);
  EXPECT_EQ(p.colorspace, AVCOL_SPC_BT709);
  EXPECT_EQ(p.color_range, AVCOL_RANGE_MPEG);
  // Nothing but the output is left in the folder.
  int files = 0;
  for (auto& e : fs::directory_iterator(dir.path())) files += e.path().extension() == ".tmp" ? 100 : 1;
  EXPECT_EQ(files, 3);
}

TEST(RenderFile, APictureTooElongatedToFrameIsRefusedNamedInEveryFitMode) {
  TempDir dir;
  write_image(dir.file("line.png"), flat_photo(100000, 1, cv::Scalar(0, 0, 255)));
  write_image(dir.file("column.png"), flat_photo(1, 100000, cv::Scalar(0, 0, 255)));
  for (const char* fit : {"cover", "contain", "blur", "stretch"}) {
    for (const auto& [name, size] : {std::pair{"line.png", "100000x1"}, std::pair{"column.png", "1x100000"}}) {
      Json j = slideshow_json(320, 180, 25, {name}, 400);
      j["t"][0]["sg"][0]["m"]["fit"] = fit;
      try {
        engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir));
        ADD_FAILURE() << fit << " " << name << ": rendered";
      } catch (const engine::MediaError& e) {
        EXPECT_EQ(std::string(e.what()), std::string("/t/0/sg/0: ") + name + ": is " + size +
                                             " pixels, more elongated than 64:1, which no framing can show; crop it "
                                             "to the part you want to show")
            << fit;
      }
      EXPECT_FALSE(fs::exists(dir.file("out.mp4")));
    }
  }
}

TEST(RenderFile, ALongPanoramaIsCoveredByItsCentreInEveryFitMode) {
  // 60:1: covering a 320x180 canvas would take 10800 px of width; the cover keeps the centre
  // four canvas widths, cropped before scaling.
  TempDir dir;
  cv::Mat pano = flat_photo(6000, 100, cv::Scalar(0, 0, 255));      // red
  pano(cv::Rect(3000, 0, 3000, 100)).setTo(cv::Scalar(255, 0, 0));  // right half blue
  write_image(dir.file("pano.png"), pano);
  for (const char* fit : {"cover", "contain", "blur", "stretch"}) {
    Json j = slideshow_json(320, 180, 25, {"pano.png"}, 400);
    j["t"][0]["sg"][0]["m"]["fit"] = fit;
    j["t"][0]["sg"][0]["m"].erase("kb");
    auto result = engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir));
    EXPECT_EQ(result.frames, 10) << fit;
    if (std::string(fit) != "cover") continue;
    engine::render_still(load(j), 0, dir.file("still.png"), opts(dir));
    cv::Mat still = cv::imread(dir.file("still.png"));
    ASSERT_EQ(still.size(), cv::Size(320, 180));
    const cv::Vec3b left = still.at<cv::Vec3b>(90, 60), right = still.at<cv::Vec3b>(90, 260);
    EXPECT_GT(left[2], 200) << "the left of the centre is red";
    EXPECT_LT(left[0], 60);
    EXPECT_GT(right[0], 200) << "the right of the centre is blue";
    EXPECT_LT(right[2], 60);
  }
}

TEST(RenderFile, NtscRateGivesRoundedFrameCount) {
  TempDir dir;
  write_image(dir.file("a.jpg"), detailed_photo(320, 180, 3));
  Json j = slideshow_json(160, 90, 30, {"a.jpg"}, 1000);
  j["m"]["fps"] = 29.97;
  engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir));
  VideoProbe p = probe_video(dir.file("out.mp4"));
  EXPECT_EQ(p.frames, 30);  // round(1000 * 30000/1001 / 1000) = round(29.97)
  EXPECT_NEAR(p.fps, 30000.0 / 1001, 1e-6);
}

TEST(RenderFile, StillFrameMatchesThePhotoScaledIndependently) {
  TempDir dir;
  cv::Mat photo = detailed_photo(640, 360, 4);
  write_image(dir.file("a.png"), photo);
  Json j = slideshow_json(320, 180, 25, {"a.png"}, 1000, {{"kb", "none"}});
  engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir, 10));
  auto frames = decode_yuv(dir.file("out.mp4"));
  ASSERT_EQ(frames.size(), 25u);
  cv::Mat expected;
  cv::resize(photo, expected, cv::Size(320, 180), 0, 0, cv::INTER_AREA);
  // Luma carries the detail (4:2:0 halves the chroma resolution by design).
  EXPECT_GT(psnr(frames[10][0], luma709(expected)), 38.0);
}

TEST(RenderFile, KenBurnsZoomFrameMatchesTheWindowCutFromTheOriginal) {
  TempDir dir;
  cv::Mat photo = detailed_photo(1280, 720, 5);
  write_image(dir.file("a.png"), photo);
  Json kb = {
      {"from", {{"x", 0.5}, {"y", 0.5}, {"z", 1.0}}}, {"to", {{"x", 0.5}, {"y", 0.5}, {"z", 2.0}}}, {"ease", "linear"}};
  Json j = slideshow_json(320, 180, 25, {"a.png"}, 1000, {{"kb", kb}});
  engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir, 10));
  auto frames = decode_yuv(dir.file("out.mp4"));
  ASSERT_EQ(frames.size(), 25u);
  for (int n : {0, 12, 24}) {
    double z = 1.0 + 1.0 * (n * 40.0) / 1000.0;  // frame n at n*40 ms, linear over 1000 ms
    cv::Mat window;
    cv::getRectSubPix(photo, cv::Size(int(std::lround(1280 / z)), int(std::lround(720 / z))),
                      cv::Point2f(639.5f, 359.5f), window);
    cv::Mat expected;
    cv::resize(window, expected, cv::Size(320, 180), 0, 0, cv::INTER_AREA);
    EXPECT_GT(psnr(frames[size_t(n)][0], luma709(expected)), 32.0) << "frame " << n << " zoom " << z;
  }
}

TEST(RenderFile, FadeMidpointIsAnEvenBlendOfBothPhotos) {
  TempDir dir;
  write_image(dir.file("red.png"), flat_photo(320, 180, cv::Scalar(30, 40, 220)));
  write_image(dir.file("blue.png"), flat_photo(320, 180, cv::Scalar(200, 120, 20)));
  Json j = slideshow_json(320, 180, 25, {"red.png", "blue.png"}, 1000);
  j["t"][0]["sg"][1]["m"] = {{"tr", {{"type", "fade"}, {"d", 400}}}};
  engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir, 8));
  auto frames = decode_yuv(dir.file("out.mp4"));
  ASSERT_EQ(frames.size(), 50u);
  auto centre = [&](size_t n) { return to_bgr(frames[n]).at<cv::Vec3b>(90, 160); };
  cv::Vec3b a = centre(10), b = centre(40), mid = centre(25);  // frame 25 is the cut: progress 0.5
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(mid[c], (a[c] + b[c]) / 2.0, 4) << "channel " << c;
  // The transition spans 800..1200 ms: frame 19 (760 ms) is all red, frame 30 (1200 ms) all blue.
  cv::Vec3b before = centre(19), after = centre(30);
  for (int c = 0; c < 3; ++c) {
    EXPECT_NEAR(before[c], a[c], 3);
    EXPECT_NEAR(after[c], b[c], 3);
  }
  // Eased: a quarter of the way in, less than a quarter of the change has happened.
  cv::Vec3b q = centre(22);  // 880 ms: linear 0.2, smoothstep 0.104
  EXPECT_LT(std::abs(q[0] - a[0]), 0.2 * std::abs(b[0] - a[0]));
}

TEST(RenderFile, RangeRendersJustThatPart) {
  TempDir dir;
  write_image(dir.file("a.jpg"), detailed_photo(320, 180, 6));
  Json j = slideshow_json(160, 90, 25, {"a.jpg", "a.jpg", "a.jpg"}, 1000);
  RenderOptions o = opts(dir);
  o.from_ms = 1000;
  o.to_ms = 2000;
  auto r = engine::render_to_file(load(j), dir.file("out.mp4"), o);
  EXPECT_EQ(r.frames, 25);
  EXPECT_EQ(probe_video(dir.file("out.mp4")).frames, 25);
}

TEST(RenderFile, PreviewPresetScalesToLongSide960) {
  TempDir dir;
  write_image(dir.file("a.jpg"), detailed_photo(320, 180, 7));
  Json j = slideshow_json(1080, 1920, 25, {"a.jpg"}, 200);
  RenderOptions o = opts(dir);
  o.preset = engine::Preset::Preview;
  auto r = engine::render_to_file(load(j), dir.file("out.mp4"), o);
  EXPECT_EQ(r.width, 540);
  EXPECT_EQ(r.height, 960);
}

TEST(RenderFile, CancelLeavesNoFileBehind) {
  TempDir dir;
  write_image(dir.file("a.jpg"), detailed_photo(320, 180, 8));
  Json j = slideshow_json(160, 90, 25, {"a.jpg", "a.jpg"}, 2000);
  std::atomic<bool> cancel{false};
  EXPECT_THROW(engine::render_to_file(
                   load(j), dir.file("out.mp4"), opts(dir),
                   [&](const engine::RenderProgress& p) {
                     if (p.frames_done >= 5) cancel = true;
                   },
                   &cancel),
               engine::Cancelled);
  int files = 0;
  for (auto& e : fs::directory_iterator(dir.path())) files += e.path().filename() == "a.jpg" ? 0 : 1;
  EXPECT_EQ(files, 0);
}

TEST(RenderFile, MissingPhotoIsReportedUpFrontWithItsSegmentAndNoFile) {
  TempDir dir;
  write_image(dir.file("a.jpg"), detailed_photo(320, 180, 9));
  Json j = slideshow_json(160, 90, 25, {"a.jpg", "missing.jpg"}, 500);
  try {
    engine::render_to_file(load(j), dir.file("out.mp4"), opts(dir));
    FAIL() << "expected a MediaError";
  } catch (const engine::MediaError& e) {
    ASSERT_EQ(e.issues().size(), 1u);
    EXPECT_EQ(e.issues()[0].pointer, "/t/0/sg/1");
    EXPECT_EQ(e.issues()[0].file, "missing.jpg");
  }
  EXPECT_FALSE(fs::exists(dir.file("out.mp4")));
}

}  // namespace
}  // namespace reel::test
