// Photo proxies kept between renders: the second render reads them and makes the very same
// video; a changed photo, a damaged entry, an unwritable folder and the size budget.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>
#include <opencv2/imgcodecs.hpp>

#include "engine/proxy_cache.h"
#include "engine/render.h"
#include "media_fixtures.h"

namespace reel::test {
namespace {

using engine::RenderOptions;

RenderOptions opts(const TempDir& dir, const std::string& proxies) {
  RenderOptions o;
  o.base_dir = dir.path().string();
  o.proxy_dir = proxies;
  return o;
}

/// Two photos far larger than the 320x180 canvas (so they are worth a proxy), with a zoom
/// and a fade, 2 s.
Json large_photos_draft() {
  Json j = slideshow_json(320, 180, 25, {"a.png", "b.jpg"}, 1000);
  j["t"][0]["sg"][0]["m"] = {{"kb", "in"}};
  j["t"][0]["sg"][1]["m"] = {{"kb", "left"}, {"tr", {{"type", "fade"}, {"d", 400}}}};
  return j;
}

std::vector<fs::path> proxy_files(const std::string& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

/// Every decoded frame's planes, as one string per frame.
std::vector<std::string> frames_of(const std::string& path) {
  std::vector<std::string> out;
  for (const auto& planes : decode_yuv(path)) {
    std::string bytes;
    for (const cv::Mat& p : planes) bytes.append(reinterpret_cast<const char*>(p.data), p.total());
    out.push_back(std::move(bytes));
  }
  return out;
}

TEST(Proxies, SecondRenderReadsThemAndShowsTheSamePictures) {
  TempDir dir;
  write_image(dir.file("a.png"), detailed_photo(1600, 1200, 11));
  write_image(dir.file("b.jpg"), detailed_photo(1200, 1600, 12));
  const std::string proxies = dir.file("proxies");
  // Lossless, so the decoded frames are the composed ones.
  auto lossless = [&](const std::string& proxy_dir) {
    RenderOptions o = opts(dir, proxy_dir);
    o.crf = 0;
    return o;
  };
  auto plain = engine::render_to_file(load(large_photos_draft()), dir.file("plain.mp4"), lossless(""));
  EXPECT_EQ(plain.proxies_read + plain.proxies_written, 0);
  EXPECT_FALSE(fs::exists(proxies));

  auto first = engine::render_to_file(load(large_photos_draft()), dir.file("first.mp4"), lossless(proxies));
  EXPECT_EQ(first.proxies_read, 0);
  EXPECT_EQ(first.proxies_written, 2);
  ASSERT_EQ(proxy_files(proxies).size(), 2u);
  auto second = engine::render_to_file(load(large_photos_draft()), dir.file("second.mp4"), lossless(proxies));
  EXPECT_EQ(second.proxies_read, 2);
  EXPECT_EQ(second.proxies_written, 0);

  const auto a = frames_of(dir.file("plain.mp4")), b = frames_of(dir.file("first.mp4")),
             c = frames_of(dir.file("second.mp4"));
  ASSERT_EQ(a.size(), 50u);
  ASSERT_EQ(b.size(), 50u);
  ASSERT_EQ(c.size(), 50u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(a[i] == b[i]) << "frame " << i << " of a render that stores proxies differs from one without";
    EXPECT_TRUE(a[i] == c[i]) << "frame " << i << " of a render from proxies differs from one without";
  }
}

TEST(Proxies, StillAndStoryboardUseThemToo) {
  TempDir dir;
  write_image(dir.file("a.png"), detailed_photo(1600, 1200, 13));
  write_image(dir.file("b.jpg"), detailed_photo(1200, 1600, 14));
  const std::string proxies = dir.file("proxies");
  engine::render_still(load(large_photos_draft()), 1000, dir.file("plain.png"), opts(dir, ""));
  engine::render_still(load(large_photos_draft()), 1000, dir.file("cold.png"), opts(dir, proxies));
  const size_t kept = proxy_files(proxies).size();
  EXPECT_EQ(kept, 2u);  // the fade's midpoint shows both photos
  engine::render_still(load(large_photos_draft()), 1000, dir.file("warm.png"), opts(dir, proxies));
  EXPECT_EQ(proxy_files(proxies).size(), kept);
  cv::Mat plain = cv::imread(dir.file("plain.png")), warm = cv::imread(dir.file("warm.png"));
  ASSERT_FALSE(plain.empty());
  EXPECT_EQ(cv::norm(plain, cv::imread(dir.file("cold.png")), cv::NORM_INF), 0);
  EXPECT_EQ(cv::norm(plain, warm, cv::NORM_INF), 0);
  engine::render_storyboard(load(large_photos_draft()), dir.file("board.png"), opts(dir, proxies));
  EXPECT_GT(proxy_files(proxies).size(), kept);  // thumbnails are framed at their own size
}

TEST(Proxies, AChangedPhotoIsDecodedAgain) {
  TempDir dir;
  write_image(dir.file("a.png"), flat_photo(1600, 1200, {0, 0, 255}));
  write_image(dir.file("b.jpg"), detailed_photo(1200, 1600, 15));
  const std::string proxies = dir.file("proxies");
  Json j = large_photos_draft();
  engine::render_still(load(j), 200, dir.file("red.png"), opts(dir, proxies));
  // Same name, same size, written at once: only the content differs.
  write_image(dir.file("a.png"), flat_photo(1600, 1200, {255, 0, 0}));
  engine::render_still(load(j), 200, dir.file("blue.png"), opts(dir, proxies));
  cv::Scalar red = cv::mean(cv::imread(dir.file("red.png"))), blue = cv::mean(cv::imread(dir.file("blue.png")));
  EXPECT_GT(red[2], 200);
  EXPECT_LT(red[0], 40);
  EXPECT_GT(blue[0], 200) << "the proxy of the old photo was shown";
  EXPECT_LT(blue[2], 40);
}

TEST(Proxies, ADamagedEntryIsMadeAgainNotShown) {
  TempDir dir;
  write_image(dir.file("a.png"), detailed_photo(1600, 1200, 16));
  write_image(dir.file("b.jpg"), detailed_photo(1200, 1600, 17));
  const std::string proxies = dir.file("proxies");
  engine::render_still(load(large_photos_draft()), 1000, dir.file("plain.png"), opts(dir, ""));
  engine::render_still(load(large_photos_draft()), 1000, dir.file("cold.png"), opts(dir, proxies));
  auto files = proxy_files(proxies);
  ASSERT_EQ(files.size(), 2u);
  {  // one flipped byte in the middle of the pixels of the first, the second cut short
    std::fstream f(files[0], std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(std::streamoff(fs::file_size(files[0]) / 2));
    char c = 0;
    f.read(&c, 1);
    f.seekp(std::streamoff(fs::file_size(files[0]) / 2));
    c = char(c ^ 0x40);
    f.write(&c, 1);
  }
  fs::resize_file(files[1], fs::file_size(files[1]) - 100);
  auto result = engine::render_to_file(load(large_photos_draft()), dir.file("out.mp4"), opts(dir, proxies));
  EXPECT_EQ(result.proxies_read, 0);
  EXPECT_EQ(result.proxies_written, 2);
  engine::render_still(load(large_photos_draft()), 1000, dir.file("again.png"), opts(dir, proxies));
  EXPECT_EQ(cv::norm(cv::imread(dir.file("plain.png")), cv::imread(dir.file("again.png")), cv::NORM_INF), 0);
}

TEST(Proxies, SmallPhotosAreNotKept) {
  TempDir dir;
  write_image(dir.file("a.png"), detailed_photo(400, 240, 18));
  write_image(dir.file("b.jpg"), detailed_photo(360, 200, 19));
  const std::string proxies = dir.file("proxies");
  auto result = engine::render_to_file(load(large_photos_draft()), dir.file("out.mp4"), opts(dir, proxies));
  EXPECT_EQ(result.proxies_written, 0);
  EXPECT_TRUE(proxy_files(proxies).empty());
}

TEST(Proxies, AFolderThatCannotBeWrittenDoesNotStopTheRender) {
  TempDir dir;
  write_image(dir.file("a.png"), detailed_photo(1600, 1200, 20));
  write_image(dir.file("b.jpg"), detailed_photo(1200, 1600, 21));
  std::ofstream(dir.file("a-file")) << "not a folder";
  auto result = engine::render_to_file(load(large_photos_draft()), dir.file("out.mp4"), opts(dir, dir.file("a-file/proxies")));
  EXPECT_EQ(result.frames, 50);
  EXPECT_EQ(result.proxies_written, 0);
  EXPECT_TRUE(fs::exists(dir.file("out.mp4")));
}

TEST(Proxies, TheFolderStaysWithinItsBudgetDroppingTheLeastRecentlyUsed) {
  TempDir dir;
  const std::string folder = dir.file("proxies");
  engine::YuvImage picture(200, 100);  // 30,000 bytes of pixels
  engine::fill(picture.view(), {90, 100, 110});
  engine::ProxyCache cache(folder, 100'000);
  // File times are as fine as the kernel's tick: a pause between uses keeps their order.
  auto pause = [] { std::this_thread::sleep_for(std::chrono::milliseconds(30)); };
  cache.store("one", picture);
  pause();
  cache.store("two", picture);
  pause();
  cache.store("three", picture);
  pause();
  ASSERT_TRUE(cache.load("one"));  // used again: now the most recent
  pause();
  ASSERT_EQ(proxy_files(folder).size(), 3u);
  cache.store("four", picture);  // over 100,000 bytes: trimmed to 80,000
  int64_t total = 0;
  for (const auto& f : proxy_files(folder)) total += int64_t(fs::file_size(f));
  EXPECT_LE(total, 80'000);
  EXPECT_TRUE(cache.load("one"));
  EXPECT_TRUE(cache.load("four"));
  EXPECT_FALSE(cache.load("two"));
  EXPECT_FALSE(cache.load("three"));
  // What was stored is what is read.
  auto back = cache.load("four");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->width(), 200);
  EXPECT_EQ(back->height(), 100);
  EXPECT_EQ(back->view().plane[2].row(49)[99], 110);
  EXPECT_FALSE(cache.load("five"));
}

}  // namespace
}  // namespace reel::test
