// YUV 4:2:0 -> BGR: converted in bands side by side, the pixels are those of one pass.
#include "engine/av/yuv_image.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>

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

}  // namespace
}  // namespace reel::engine
