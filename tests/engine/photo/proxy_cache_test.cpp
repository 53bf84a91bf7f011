// Photo proxies kept between renders: the second render reads them and makes the very same
// video; a changed photo, a damaged entry, an unwritable folder and the size budget.
#include "engine/photo/proxy_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "engine/render.h"
#include "tests/engine/support/media_fixtures.h"

namespace reel::test {
namespace {

using engine::RenderOptions;

/// Two photos far larger than the 320x180 canvas (so they are worth a proxy) in a fresh
/// folder, a draft showing them with a zoom and a fade (2 s), and where proxies go.
struct LargePhotos {
  TempDir dir;
  std::string proxies = dir.file("proxies");

  explicit LargePhotos(uint32_t seed, int width = 1600, int height = 1200) {
    write_image(dir.file("a.png"), detailed_photo(width, height, seed));
    write_image(dir.file("b.jpg"), detailed_photo(height, width, seed + 1));
  }
  static draft::Draft draft() {
    Json j = slideshow_json(320, 180, 25, {"a.png", "b.jpg"}, 1000);
    j["t"][0]["sg"][0]["m"] = {{"kb", "in"}};
    j["t"][0]["sg"][1]["m"] = {{"kb", "left"}, {"tr", {{"type", "fade"}, {"d", 400}}}};
    return load(j);
  }
  /// Options keeping proxies in `folder` ("" keeps none).
  RenderOptions opts(const std::string& folder) const {
    RenderOptions o;
    o.base_dir = dir.path().string();
    o.proxy_dir = folder;
    // One lane, so the counts below are exact: lanes side by side that both show a photo may
    // each prepare it, or one read the proxy the other just kept.
    o.threads = 1;
    return o;
  }
  engine::RenderResult render(const std::string& name, const std::string& folder, int crf = 20) const {
    RenderOptions o = opts(folder);
    o.crf = crf;
    return engine::render_to_file(draft(), dir.file(name), o);
  }
  cv::Mat still(const std::string& name, const std::string& folder, int64_t ms = 1000) const {
    engine::render_still(draft(), ms, dir.file(name), opts(folder));
    return cv::imread(dir.file(name));
  }
};

/// The pictures kept (each photo's focus is kept beside them, in a .focus file).
std::vector<fs::path> proxy_files(const std::string& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".proxy") out.push_back(e.path());
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
  LargePhotos c(11);
  // Lossless (CRF 0), so the decoded frames are the composed ones.
  auto plain = c.render("plain.mp4", "", 0);
  EXPECT_EQ(plain.proxies_read + plain.proxies_written, 0);
  EXPECT_FALSE(fs::exists(c.proxies));

  auto first = c.render("first.mp4", c.proxies, 0);
  EXPECT_EQ(first.proxies_read, 0);
  EXPECT_EQ(first.proxies_written, 2);
  ASSERT_EQ(proxy_files(c.proxies).size(), 2u);
  auto second = c.render("second.mp4", c.proxies, 0);
  EXPECT_EQ(second.proxies_read, 2);
  EXPECT_EQ(second.proxies_written, 0);

  const auto a = frames_of(c.dir.file("plain.mp4")), b = frames_of(c.dir.file("first.mp4")),
             d = frames_of(c.dir.file("second.mp4"));
  ASSERT_EQ(a.size(), 50u);
  ASSERT_EQ(b.size(), 50u);
  ASSERT_EQ(d.size(), 50u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(a[i] == b[i]) << "frame " << i << " of a render that stores proxies differs from one without";
    EXPECT_TRUE(a[i] == d[i]) << "frame " << i << " of a render from proxies differs from one without";
  }
}

TEST(Proxies, StillAndStoryboardUseThemToo) {
  LargePhotos c(13);
  cv::Mat plain = c.still("plain.png", ""), cold = c.still("cold.png", c.proxies);
  const size_t kept = proxy_files(c.proxies).size();
  EXPECT_EQ(kept, 2u);  // the fade's midpoint shows both photos
  cv::Mat warm = c.still("warm.png", c.proxies);
  EXPECT_EQ(proxy_files(c.proxies).size(), kept);
  ASSERT_FALSE(plain.empty());
  EXPECT_EQ(cv::norm(plain, cold, cv::NORM_INF), 0);
  EXPECT_EQ(cv::norm(plain, warm, cv::NORM_INF), 0);
  engine::render_storyboard(c.draft(), c.dir.file("board.png"), c.opts(c.proxies));
  EXPECT_GT(proxy_files(c.proxies).size(), kept);  // thumbnails are framed at their own size
}

TEST(Proxies, AChangedPhotoIsDecodedAgain) {
  LargePhotos c(15);
  write_image(c.dir.file("a.png"), flat_photo(1600, 1200, {0, 0, 255}));
  cv::Scalar red = cv::mean(c.still("red.png", c.proxies, 200));
  ASSERT_EQ(proxy_files(c.proxies).size(), 1u);
  // Same name, same size, written at once: only the content differs.
  write_image(c.dir.file("a.png"), flat_photo(1600, 1200, {255, 0, 0}));
  cv::Scalar blue = cv::mean(c.still("blue.png", c.proxies, 200));
  EXPECT_EQ(proxy_files(c.proxies).size(), 2u) << "the new content has its own entry";
  EXPECT_GT(red[2], 200);
  EXPECT_LT(red[0], 40);
  EXPECT_GT(blue[0], 200) << "the proxy of the old photo was shown";
  EXPECT_LT(blue[2], 40);
}

TEST(Proxies, ADamagedEntryIsMadeAgainNotShown) {
  LargePhotos c(16);
  cv::Mat plain = c.still("plain.png", "");
  c.still("cold.png", c.proxies);
  auto files = proxy_files(c.proxies);
  ASSERT_EQ(files.size(), 2u);
  {  // one flipped byte in the middle of the pixels of the first, the second cut short
    std::fstream f(files[0], std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(std::streamoff(fs::file_size(files[0]) / 2));
    char ch = 0;
    f.read(&ch, 1);
    f.seekp(std::streamoff(fs::file_size(files[0]) / 2));
    ch = char(ch ^ 0x40);
    f.write(&ch, 1);
  }
  fs::resize_file(files[1], fs::file_size(files[1]) - 100);
  auto result = c.render("out.mp4", c.proxies);
  EXPECT_EQ(result.proxies_read, 0);
  EXPECT_EQ(result.proxies_written, 2);
  EXPECT_EQ(cv::norm(plain, c.still("again.png", c.proxies), cv::NORM_INF), 0);
}

TEST(Proxies, SmallPhotosAreNotKept) {
  LargePhotos c(18, 400, 240);
  auto result = c.render("out.mp4", c.proxies);
  EXPECT_EQ(result.proxies_written, 0);
  EXPECT_TRUE(proxy_files(c.proxies).empty());
}

TEST(Proxies, AFolderThatCannotBeWrittenDoesNotStopTheRender) {
  LargePhotos c(20);
  std::ofstream(c.dir.file("a-file")) << "not a folder";
  auto result = c.render("out.mp4", c.dir.file("a-file/proxies"));
  EXPECT_EQ(result.frames, 50);
  EXPECT_EQ(result.proxies_written, 0);
  EXPECT_TRUE(fs::exists(c.dir.file("out.mp4")));
}

/// A picture whose every row differs, so a row out of place shows.
engine::YuvImage numbered_picture(int w, int h) {
  engine::YuvImage img(w, h);
  const engine::YuvView v = img.view();
  for (int p = 0; p < 3; ++p)
    for (int y = 0; y < v.plane[p].height; ++y)
      for (int x = 0; x < v.plane[p].width; ++x) v.plane[p].row(y)[x] = uint8_t(x * 7 + y * 13 + p * 50);
  return img;
}

/// Rows [y0, y0 + n) of `img` as a view.
engine::YuvView rows_of(const engine::YuvImage& img, int y0, int n) { return img.view().rows(y0, n); }

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(Proxies, AnEntryWrittenBandByBandIsTheEntryStoredWhole) {
  TempDir dir;
  const engine::YuvImage picture = numbered_picture(120, 90);
  engine::ProxyCache whole(dir.file("whole")), banded(dir.file("banded"));
  whole.store("key", picture);
  {
    auto w = banded.writer("key", cv::Size(120, 90));
    ASSERT_TRUE(w);
    const int heights[] = {2, 6, 10, 4};
    for (int y = 0, i = 0; y < 90; ++i) {
      const int n = std::min(heights[i % 4], 90 - y);
      w->add(rows_of(picture, y, n), y);
      y += n;
    }
    w->commit();
  }
  const auto a = proxy_files(dir.file("whole")), b = proxy_files(dir.file("banded"));
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(file_bytes(a[0]), file_bytes(b[0]));
  auto back = banded.load("key");
  ASSERT_TRUE(back);
  EXPECT_EQ(cv::norm(back->view().plane[0].mat(), picture.view().plane[0].mat(), cv::NORM_INF), 0);
  EXPECT_EQ(cv::norm(back->view().plane[2].mat(), picture.view().plane[2].mat(), cv::NORM_INF), 0);
}

TEST(Proxies, AnEntryMissingRowsOrNotCommittedLeavesNothing) {
  TempDir dir;
  const engine::YuvImage picture = numbered_picture(64, 40);
  engine::ProxyCache cache(dir.file("p"));
  {  // the last 8 rows never came
    auto w = cache.writer("short", cv::Size(64, 40));
    ASSERT_TRUE(w);
    w->add(rows_of(picture, 0, 32), 0);
    w->commit();
  }
  {  // a band out of order
    auto w = cache.writer("jumbled", cv::Size(64, 40));
    w->add(rows_of(picture, 0, 10), 0);
    w->add(rows_of(picture, 20, 20), 20);
    w->add(rows_of(picture, 10, 10), 10);
    w->commit();
  }
  {  // dropped (a decode that failed half way)
    auto w = cache.writer("dropped", cv::Size(64, 40));
    w->add(rows_of(picture, 0, 20), 0);
  }
  EXPECT_FALSE(cache.load("short"));
  EXPECT_FALSE(cache.load("jumbled"));
  EXPECT_FALSE(cache.load("dropped"));
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir.file("p"))) left.push_back(e.path().filename().string());
  EXPECT_TRUE(left.empty()) << left.size() << " files left, the first " << left.front();
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
  // A part of it, read without holding the rest.
  engine::YuvImage marked(200, 100);
  engine::fill(marked.view(), {90, 100, 110});
  marked.view().plane[0].row(40)[60] = 7;  // luma (60, 40)
  marked.view().plane[1].row(20)[30] = 8;  // chroma of the same place
  cache.store("marked", marked);
  int seen_w = 0, seen_h = 0;
  auto part = cache.load("marked", [&](int w, int h) {
    seen_w = w;
    seen_h = h;
    return engine::Region{60, 40, 20, 10};
  });
  ASSERT_TRUE(part);
  EXPECT_EQ(seen_w, 200);
  EXPECT_EQ(seen_h, 100);
  EXPECT_EQ(part->width(), 20);
  EXPECT_EQ(part->height(), 10);
  EXPECT_EQ(part->view().plane[0].row(0)[0], 7);
  EXPECT_EQ(part->view().plane[0].row(0)[1], 90);
  EXPECT_EQ(part->view().plane[1].row(0)[0], 8);
  EXPECT_FALSE(cache.load("marked", [](int, int) {
    return engine::Region{1, 0, 20, 10};
  })) << "odd regions are refused";
  EXPECT_FALSE(cache.load("marked", [](int, int) { return engine::Region{190, 0, 20, 10}; })) << "past the edge";
  EXPECT_FALSE(cache.load("five"));
}

}  // namespace
}  // namespace reel::test
