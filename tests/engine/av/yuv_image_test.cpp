// YUV 4:2:0 <-> BGR in bands: converted in bands side by side (to BGR), or streamed a band of
// rows at a time (to YUV, scaled), the pixels are those of one pass.
#include "engine/av/yuv_image.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "engine/errors.h"

namespace reel::engine {
namespace {

// Noise over gradients, with hard colour edges every few columns: what makes swscale's chroma
// filter reach across rows.
YuvImage busy_picture(int w, int h) {
  YuvImage img(w, h);
  const YuvView v = img.view();
  cv::RNG rng(w * 7919 + h);
  for (int p = 0; p < 3; ++p)
    for (int y = 0; y < v.plane[p].height; ++y)
      for (int x = 0; x < v.plane[p].width; ++x) {
        const int base = p == 0 ? 16 + (x + y) % 220 : ((x / 3 + y / 5) % 2 ? 40 : 220);
        v.plane[p].row(y)[x] = uint8_t(std::clamp(base + rng.uniform(-12, 13), 0, 255));
      }
  return img;
}

TEST(YuvToBgr, InBandsItGivesThePixelsOfOnePassAtEverySize) {
  for (const cv::Size size :
       {cv::Size(960, 540), cv::Size(1920, 1080), cv::Size(322, 270), cv::Size(64, 34), cv::Size(1080, 1920)}) {
    const YuvImage img = busy_picture(size.width, size.height);
    const cv::Mat one = yuv_to_bgr(img.view(), 1);
    ASSERT_EQ(one.size(), size);
    for (int bands : {2, 3, 4, 7}) {
      const cv::Mat banded = yuv_to_bgr(img.view(), bands);
      EXPECT_EQ(cv::norm(one, banded, cv::NORM_INF), 0)
          << size.width << "x" << size.height << " in " << bands << " bands";
    }
  }
}

TEST(YuvToBgr, PureColoursComeBackAsThemselves) {
  struct Want {
    uint8_t r, g, b;
  };
  for (const Want c : {Want{255, 0, 0}, Want{0, 255, 0}, Want{0, 0, 255}, Want{255, 255, 255}, Want{40, 90, 200}}) {
    YuvImage img(320, 240);
    fill(img.view(), to_yuv709(c.r, c.g, c.b));
    const cv::Vec3b got = yuv_to_bgr(img.view()).at<cv::Vec3b>(120, 160);
    EXPECT_NEAR(got[2], c.r, 2);
    EXPECT_NEAR(got[1], c.g, 2);
    EXPECT_NEAR(got[0], c.b, 2);
  }
}

/// A BGR source: noise over gradients with hard edges, so that every row differs.
cv::Mat busy_bgr(int w, int h) {
  cv::Mat m(h, w, CV_8UC3);
  cv::RNG rng(w * 31 + h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int k = 0; k < 3; ++k) {
        const int base = k == 1 ? (x * 3 + y) % 256 : ((x / 4 + y / 3 + k) % 2 ? 30 : 210);
        m.at<cv::Vec3b>(y, x)[k] = uint8_t(std::clamp(base + rng.uniform(-20, 21), 0, 255));
      }
  return m;
}

/// What a stream hands on, put together; the bands' y0 and heights as they came.
struct Streamed {
  YuvImage picture;
  std::vector<int> starts, heights;
};

Streamed stream_in_bands(const cv::Mat& src, cv::Size out, int band_rows) {
  Streamed s{YuvImage(out.width, out.height), {}, {}};
  const YuvView whole = s.picture.view();
  BgrToYuvStream stream(src.cols, src.rows, out.width, out.height, [&](const YuvView& rows, int y0) {
    s.starts.push_back(y0);
    s.heights.push_back(rows.height());
    for (int p = 0; p < 3; ++p)
      for (int y = 0; y < rows.plane[p].height; ++y)
        std::memcpy(whole.plane[p].row((y0 >> (p ? 1 : 0)) + y), rows.plane[p].row(y), size_t(rows.plane[p].width));
  });
  for (int y = 0; y < src.rows; y += band_rows) stream.push(src.rowRange(y, std::min(src.rows, y + band_rows)));
  stream.finish();
  return s;
}

bool same_planes(const YuvImage& a, const YuvImage& b) {
  const YuvView va = a.view(), vb = b.view();
  for (int p = 0; p < 3; ++p)
    if (cv::norm(va.plane[p].mat(), vb.plane[p].mat(), cv::NORM_INF) != 0) return false;
  return true;
}

TEST(BgrToYuvStream, BandsOfAnyHeightGiveThePixelsOfOnePass) {
  struct Case {
    cv::Size src, out;
  };
  // Up, down (swscale's filter widens to the scale), the same size, a portrait.
  for (const Case c : {Case{{500, 350}, {960, 540}}, Case{{1024, 1024}, {576, 576}}, Case{{640, 360}, {640, 360}},
                       Case{{270, 480}, {540, 960}}}) {
    const cv::Mat src = busy_bgr(c.src.width, c.src.height);
    const Streamed one = stream_in_bands(src, c.out, src.rows);
    for (int band : {1, 2, 7, 32}) {
      const Streamed banded = stream_in_bands(src, c.out, band);
      EXPECT_TRUE(same_planes(one.picture, banded.picture)) << c.src << " -> " << c.out << " in bands of " << band;
      // Every row handed on once, in order, in even bands.
      int next = 0;
      for (size_t i = 0; i < banded.starts.size(); ++i) {
        EXPECT_EQ(banded.starts[i], next);
        EXPECT_EQ(banded.heights[i] % 2, 0);
        next += banded.heights[i];
      }
      EXPECT_EQ(next, c.out.height);
      // As it is made: small bands for small pushes, never the picture at once.
      if (band <= 7) {
        EXPECT_GT(banded.starts.size(), size_t(c.out.height / 32)) << c.src << " in bands of " << band;
        EXPECT_LT(*std::max_element(banded.heights.begin(), banded.heights.end()), c.out.height / 8);
      }
    }
  }
}

TEST(BgrToYuvStream, ASourceCutShortIsAnErrorNotAPicture) {
  const cv::Mat src = busy_bgr(64, 48);
  int handed = 0;
  BgrToYuvStream stream(64, 48, 128, 96, [&](const YuvView& rows, int) { handed += rows.height(); });
  stream.push(src.rowRange(0, 40));
  EXPECT_LT(handed, 96);
  try {
    stream.finish();
    ADD_FAILURE() << "finish() took a source 8 rows short";
  } catch (const EngineError& e) {
    EXPECT_EQ(std::string(e.what()),
              "swscale: 40 of 48 source rows gave " + std::to_string(handed) + " of 96 picture rows");
  }
}

}  // namespace
}  // namespace reel::engine
