// Header probing: sizes and orientation without decoding; defects named in plain words.
#include "engine/photo/probe.h"

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "tests/engine/support/media_fixtures.h"

namespace reel::test {
namespace {

using engine::PhotoFormat;
using engine::probe_photo;

std::vector<uint8_t> bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void write_bytes(const std::string& path, const std::vector<uint8_t>& b) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

TEST(Probe, ReadsSizeAndFormatFromEveryHeader) {
  TempDir dir;
  cv::Mat m = detailed_photo(123, 45, 1);
  for (const char* ext : {"jpg", "png", "webp", "bmp", "tiff"}) {
    std::string p = dir.file(std::string("x.") + ext);
    cv::imwrite(p, m);
    auto info = probe_photo(p);
    EXPECT_EQ(info.width, 123) << ext;
    EXPECT_EQ(info.height, 45) << ext;
    EXPECT_TRUE(info.defect.empty()) << ext << ": " << info.defect;
  }
  cv::imwrite(dir.file("lossless.webp"), m, {cv::IMWRITE_WEBP_QUALITY, 101});
  EXPECT_EQ(probe_photo(dir.file("lossless.webp")).width, 123);
}

TEST(Probe, ReadsExifOrientationAndSwapsTheDisplayedSize) {
  TempDir dir;
  write_jpeg_with_orientation(dir.file("r.jpg"), detailed_photo(60, 40, 2), 6);
  auto info = probe_photo(dir.file("r.jpg"));
  EXPECT_EQ(info.orientation, 6);
  EXPECT_EQ(info.display_width(), 40);
  EXPECT_EQ(info.display_height(), 60);
}

TEST(Probe, NamesTruncatedAndCorruptFiles) {
  TempDir dir;
  cv::Mat m = detailed_photo(200, 100, 3);
  cv::imwrite(dir.file("a.jpg"), m);
  cv::imwrite(dir.file("a.png"), m);
  cv::imwrite(dir.file("a.webp"), m);
  for (const char* name : {"a.jpg", "a.png", "a.webp"}) {
    auto b = bytes_of(dir.file(name));
    b.resize(b.size() / 2);
    write_bytes(dir.file(std::string("half-") + name), b);
    EXPECT_NE(probe_photo(dir.file(std::string("half-") + name)).defect.find("truncated"), std::string::npos) << name;
  }
  auto png = bytes_of(dir.file("a.png"));
  png[png.size() / 2] ^= 0x5A;
  write_bytes(dir.file("bad.png"), png);
  EXPECT_EQ(probe_photo(dir.file("bad.png")).defect, "the PNG is corrupt (chunk IDAT fails its checksum)");
  write_bytes(dir.file("text.jpg"), {'h', 'e', 'l', 'l', 'o', '\n'});
  EXPECT_EQ(probe_photo(dir.file("text.jpg")).format, PhotoFormat::Text);
  write_bytes(dir.file("empty.jpg"), {});
  EXPECT_EQ(probe_photo(dir.file("empty.jpg")).format, PhotoFormat::Empty);
}

}  // namespace
}  // namespace reel::test
