// The storyboard: its heading counts what the timeline holds, and its labels are drawn by the
// engine's own text renderer, so titles and file names in any script read as written.
#include "engine/output/storyboard.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "engine/render.h"
#include "support/clip_writer.h"
#include "tests/engine/support/media_fixtures.h"

namespace reel::test {
namespace {

TEST(Storyboard, HeadingCountsClipsAsClipsAndPhotosAsPhotos) {
  Json j = slideshow_json(160, 90, 25, {"a.jpg", "b.mp4", "c.mov"}, 1000);
  j["m"]["title"] = "Trip";
  const draft::Draft d = load(j);
  EXPECT_EQ(engine::storyboard_heading(d, {"a.jpg", "b.mp4", "c.mov"}),
            "Trip\u200E   160x90  25 fps  3s  1 photo, 2 clips");
  EXPECT_EQ(engine::storyboard_heading(d, {"b.mp4", "c.mov"}), "Trip\u200E   160x90  25 fps  3s  2 clips");
}

// A board of two pictures (the same every time) named `a` and `b`, titled `title`; a name
// ending in .mp4 is a one-second clip, any other a photo.
cv::Mat board(const std::string& title, const std::string& a, const std::string& b) {
  TempDir dir;
  auto write = [&](const std::string& name, cv::Scalar bgr) {
    if (name.ends_with(".mp4")) {
      std::vector<int64_t> pts_ms;
      for (int64_t t = 0; t < 1000; t += 40) pts_ms.push_back(t);
      write_clip(dir.path() / name, 320, 180, pts_ms);
    } else {
      write_image(dir.file(name), flat_photo(320, 180, bgr));
    }
  };
  write(a, cv::Scalar(40, 90, 160));
  write(b, cv::Scalar(160, 90, 40));
  Json j = slideshow_json(160, 90, 25, {a, b}, 1000);
  j["m"]["title"] = title;
  engine::RenderOptions o;
  o.base_dir = dir.path().string();
  engine::render_storyboard(load(j), dir.file("board.png"), o);
  return cv::imread(dir.file("board.png"));
}

int differing_pixels(const cv::Mat& x, const cv::Mat& y) {
  if (x.size() != y.size()) return x.rows * x.cols;
  cv::Mat diff, grey;
  cv::absdiff(x, y, diff);
  cv::cvtColor(diff, grey, cv::COLOR_BGR2GRAY);
  return cv::countNonZero(grey > 40);
}

// The heading as drawn: a board of a photo and a clip is not headed like a board of two photos.
TEST(Storyboard, TheDrawnHeadingOfAPhotoAndAClipIsNotThatOfTwoPhotos) {
  const cv::Mat photos = board("Trip", "a.jpg", "b.jpg"), with_clip = board("Trip", "a.jpg", "b.mp4");
  ASSERT_FALSE(photos.empty());
  ASSERT_EQ(photos.size(), with_clip.size());
  const cv::Rect heading(0, 0, photos.cols, 40);
  EXPECT_GT(differing_pixels(photos(heading), with_clip(heading)), 30)
      << "\"2 photos\" and \"1 photo, 1 clip\" are drawn differently";
}

TEST(Storyboard, CjkAndArabicLabelsAreDrawnAsWrittenNotAsQuestionMarks) {
  const cv::Mat tokyo = board("東京の夏", "a.jpg", "b.jpg"), osaka = board("大阪の冬", "a.jpg", "b.jpg");
  ASSERT_FALSE(tokyo.empty());
  const cv::Rect heading(0, 0, tokyo.cols, 40);
  EXPECT_GT(differing_pixels(tokyo(heading), osaka(heading)), 50) << "two different titles of four CJK characters";

  const cv::Mat salam = board("Trip", "سلام.jpg", "b.jpg"), sura = board("Trip", "صورة.jpg", "b.jpg");
  const cv::Rect below_thumbnails(0, 40, salam.cols, salam.rows - 40);
  EXPECT_GT(differing_pixels(salam(below_thumbnails), sura(below_thumbnails)), 30)
      << "two different Arabic file names of four letters";
  EXPECT_EQ(differing_pixels(salam(heading), sura(heading)), 0) << "the same heading draws the same pixels";
}

TEST(Storyboard, EmojiInATitleAreDrawnInColour) {
  auto coloured = [](const cv::Mat& m) {
    int n = 0;
    for (int y = 0; y < m.rows; ++y)
      for (int x = 0; x < m.cols; ++x) {
        const cv::Vec3b p = m.at<cv::Vec3b>(y, x);
        n += std::max({p[0], p[1], p[2]}) - std::min({p[0], p[1], p[2]}) > 80;
      }
    return n;
  };
  const cv::Mat sunrise = board("Beach 🌅🌊", "a.jpg", "b.jpg"), plain = board("Beach", "a.jpg", "b.jpg");
  const cv::Rect heading(0, 0, sunrise.cols, 40);
  EXPECT_EQ(coloured(plain(heading)), 0) << "the heading's ink is grey";
  EXPECT_GT(coloured(sunrise(heading)), 40) << "the emoji are drawn by the colour emoji font";
}

}  // namespace
}  // namespace reel::test
