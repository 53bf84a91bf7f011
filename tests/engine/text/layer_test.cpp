// Text on frames: present inside its time range, absent outside, animated as documented,
// blended with the right alpha in BT.709 YUV.
#include "engine/text/layer.h"

#include <gtest/gtest.h>

#include "draft/parse.h"

using namespace reel;
using namespace reel::engine;

namespace {

draft::Draft draft_of(const std::string& text) { return draft::load_draft(draft::parse_json(text, "t")).draft; }

// How many luma samples differ from the background by more than `by`.
int changed_pixels(const YuvImage& img, uint8_t background, int by = 8) {
  YuvView v = img.view();
  int n = 0;
  for (int y = 0; y < v.height(); ++y)
    for (int x = 0; x < v.width(); ++x) n += std::abs(v.plane[0].row(y)[x] - background) > by;
  return n;
}

YuvImage black_frame(int w, int h) {
  YuvImage img(w, h);
  fill(img.view(), Yuv{16, 128, 128});
  return img;
}

}  // namespace

TEST(TextLayer, TextShowsInsideItsTimeRangeAndNowhereElse) {
  draft::Draft d =
      draft_of(R"({"m": {"fps": 10}, "t": [{"tt": 7, "sg": [{"s": 1000, "d": 1000, "m": {"text": "Hello"}}]}]})");
  TextLayer layer(d, 320, 180, d.canvas.fps, {});
  for (int64_t n : {0, 9, 10, 15, 19, 20, 25}) {
    YuvImage img = black_frame(320, 180);
    layer.draw(n, img.view());
    bool inside = n >= 10 && n < 20;
    if (inside)
      EXPECT_GT(changed_pixels(img, 16), 100) << "frame " << n;
    else
      EXPECT_EQ(changed_pixels(img, 16), 0) << "frame " << n;
  }
}

TEST(TextLayer, OpaqueWhiteIsPeakWhiteAndHalfAlphaIsHalfWay) {
  draft::Draft d = draft_of(R"({"t": [{"tt": 7, "sg": [{"s": 0, "d": 1000, "m": {"text": "I", "style": {"size": 0.5}}},
      {"s": 1000, "d": 1000, "m": {"text": "I", "style": {"size": 0.5, "color": "#FFFFFF80"}}}]}]})");
  TextLayer layer(d, 320, 180, d.canvas.fps, {});
  YuvImage full = black_frame(320, 180), half = black_frame(320, 180);
  layer.draw(0, full.view());
  layer.draw(30, half.view());
  auto peak = [](const YuvImage& img) {
    int m = 0;
    YuvView v = img.view();
    for (int y = 0; y < v.height(); ++y)
      for (int x = 0; x < v.width(); ++x) m = std::max<int>(m, v.plane[0].row(y)[x]);
    return m;
  };
  EXPECT_NEAR(peak(full), 235, 1);
  EXPECT_NEAR(peak(half), 16 + 219 * 128 / 255.0, 2);
}

TEST(TextPose, FadesRampInAndOut) {
  draft::TextAnim a;
  a.in = draft::TextAnimIn::Fade;
  a.out = draft::TextAnimOut::Fade;
  a.duration_ms = 500;
  EXPECT_DOUBLE_EQ(text_pose(a, 0, 3000000, 5, 1080).opacity, 0.0);
  EXPECT_DOUBLE_EQ(text_pose(a, 250000, 3000000, 5, 1080).opacity, 0.5);
  EXPECT_DOUBLE_EQ(text_pose(a, 1500000, 3000000, 5, 1080).opacity, 1.0);
  EXPECT_DOUBLE_EQ(text_pose(a, 2750000, 3000000, 5, 1080).opacity, 0.5);
  // A segment shorter than both animations gives each half of it.
  EXPECT_DOUBLE_EQ(text_pose(a, 200000, 400000, 5, 1080).opacity, 1.0);
}

TEST(TextPose, SlideUpPopAndType) {
  draft::TextAnim a;
  a.duration_ms = 1000;
  a.in = draft::TextAnimIn::SlideUp;
  EXPECT_NEAR(text_pose(a, 0, 5000000, 5, 1000).dy, 40, 1e-9);
  EXPECT_NEAR(text_pose(a, 1000000, 5000000, 5, 1000).dy, 0, 1e-9);
  a.in = draft::TextAnimIn::Pop;
  EXPECT_NEAR(text_pose(a, 0, 5000000, 5, 1000).scale, 0.6, 1e-9);
  EXPECT_GT(text_pose(a, 700000, 5000000, 5, 1000).scale, 1.0);  // overshoots, then settles
  EXPECT_NEAR(text_pose(a, 1000000, 5000000, 5, 1000).scale, 1.0, 1e-9);
  a.in = draft::TextAnimIn::Type;
  EXPECT_EQ(text_pose(a, 0, 5000000, 10, 1000).visible_chars, 0);
  EXPECT_EQ(text_pose(a, 500000, 5000000, 10, 1000).visible_chars, 5);
  EXPECT_EQ(text_pose(a, 1000000, 5000000, 10, 1000).visible_chars, 10);
}

TEST(TextLayer, TypeRevealsCharactersWithoutMovingThem) {
  draft::Draft d = draft_of(R"({"m": {"fps": 10}, "t": [{"tt": 7, "sg": [{"s": 0, "d": 3000,
      "m": {"text": "ABCD", "anim": {"in": "type", "d": 1000}}}]}]})");
  TextLayer layer(d, 320, 180, d.canvas.fps, {});
  YuvImage two = black_frame(320, 180), all = black_frame(320, 180);
  layer.draw(5, two.view());   // half way: "AB"
  layer.draw(20, all.view());  // "ABCD"
  int partial = changed_pixels(two, 16), full = changed_pixels(all, 16);
  EXPECT_GT(partial, 50);
  EXPECT_LT(partial, full * 3 / 4);
  // Every pixel of the partial text is a pixel of the whole text: nothing moved.
  YuvView p = two.view(), f = all.view();
  for (int y = 0; y < 180; ++y)
    for (int x = 0; x < 320; ++x)
      if (p.plane[0].row(y)[x] > 100) EXPECT_GT(f.plane[0].row(y)[x], 60) << x << "," << y;
}
