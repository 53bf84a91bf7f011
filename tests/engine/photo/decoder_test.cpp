// Photo decoding through libjpeg and libpng: DCT-scaled JPEG sizes, grey and CMYK JPEGs, PNG
// palettes, transparency, 16 bits and interlacing, checked pixel by pixel against what the
// files hold; damaged data; and that decoding JPEG and PNG leaves OpenCV's codec list (and its
// GDAL drivers) unbuilt. The fixtures are written through libjpeg and libpng here, never
// through OpenCV's imgcodecs, which would build that list itself.
#include "engine/photo/decoder.h"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <jpeglib.h>  // after gtest.h, which brings <cstdio>: jpeglib.h uses FILE without including it
#include <png.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <vector>

#include "engine/photo/probe.h"
#include "engine/render.h"
#include "tests/engine/support/media_fixtures.h"

namespace reel::test {
namespace {

using engine::DecodeError;

draft::Color colour(int r, int g, int b) {
  draft::Color c;
  c.r = uint8_t(r);
  c.g = uint8_t(g);
  c.b = uint8_t(b);
  return c;
}

cv::Mat decode(const std::string& path, cv::Size want = {0, 0}, draft::Color bg = colour(0, 0, 0),
               engine::DecodeSize size = engine::DecodeSize::AtLeast) {
  engine::PhotoInfo info = engine::probe_photo(path);
  EXPECT_TRUE(info.defect.empty()) << path << ": " << info.defect;
  return engine::decode_photo(path, info, want, bg, size);
}

/// The DecodeError message decoding `path` gives; "no error" when it decodes.
std::string decode_failure(const std::string& path) {
  try {
    decode(path);
    return "no error";
  } catch (const DecodeError& e) {
    return e.what();
  }
}

std::vector<uint8_t> bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void write_bytes(const std::string& path, const std::vector<uint8_t>& b) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

/// A JPEG through libjpeg: `m` is BGR (3 channels), grey (1) or Adobe-inverted CMYK (4).
void write_jpeg(const std::string& path, const cv::Mat& m, int quality = 92, bool progressive = false) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  jpeg_compress_struct c{};
  jpeg_error_mgr err{};
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  jpeg_stdio_dest(&c, f);
  c.image_width = JDIMENSION(m.cols);
  c.image_height = JDIMENSION(m.rows);
  c.input_components = m.channels();
  c.in_color_space = m.channels() == 1 ? JCS_GRAYSCALE : m.channels() == 3 ? JCS_EXT_BGR : JCS_CMYK;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  if (progressive) jpeg_simple_progression(&c);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(m.ptr(int(c.next_scanline)));
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  std::fclose(f);
}

/// libjpeg's own decode of `path` into `space` (a reference for the pixels the file holds).
cv::Mat reference_jpeg(const std::string& path, J_COLOR_SPACE space, int channels) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  jpeg_decompress_struct d{};
  jpeg_error_mgr err{};
  d.err = jpeg_std_error(&err);
  jpeg_create_decompress(&d);
  jpeg_stdio_src(&d, f);
  jpeg_read_header(&d, TRUE);
  d.out_color_space = space;
  jpeg_start_decompress(&d);
  cv::Mat m(int(d.output_height), int(d.output_width), CV_8UC(channels));
  while (d.output_scanline < d.output_height) {
    JSAMPROW row = m.ptr(int(d.output_scanline));
    jpeg_read_scanlines(&d, &row, 1);
  }
  jpeg_finish_decompress(&d);
  jpeg_destroy_decompress(&d);
  std::fclose(f);
  return m;
}

struct PngSpec {
  int color_type = PNG_COLOR_TYPE_RGB;
  int depth = 8;
  bool interlaced = false;
  std::vector<png_color> palette;
  std::vector<png_byte> alphas;  // tRNS for a palette
};

/// A PNG through libpng. `m` holds the samples as stored: 8-bit or 16-bit (native order),
/// RGB order for colour, palette indices for a palette, one sample per byte below 8 bits.
void write_png(const std::string& path, const cv::Mat& m, const PngSpec& s) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(p);
  png_init_io(p, f);
  png_set_IHDR(p, info, png_uint_32(m.cols), png_uint_32(m.rows), s.depth, s.color_type,
               s.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (!s.palette.empty()) png_set_PLTE(p, info, s.palette.data(), int(s.palette.size()));
  if (!s.alphas.empty()) png_set_tRNS(p, info, s.alphas.data(), int(s.alphas.size()), nullptr);
  png_write_info(p, info);
  if (s.depth == 16) png_set_swap(p);
  if (s.depth < 8) png_set_packing(p);
  std::vector<png_bytep> rows(size_t(m.rows));
  for (int y = 0; y < m.rows; ++y) rows[size_t(y)] = const_cast<uint8_t*>(m.ptr(y));
  png_write_image(p, rows.data());
  png_write_end(p, info);
  png_destroy_write_struct(&p, &info);
  std::fclose(f);
}

/// A 24-bit BMP by hand (BMP still goes through cv::imread).
void write_bmp(const std::string& path, int w, int h) {
  const uint32_t row = uint32_t(w * 3 + 3) & ~3u, size = 54 + row * uint32_t(h);
  std::vector<uint8_t> b(size, 0x80);
  auto le32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + size_t(i)] = uint8_t(v >> (8 * i));
  };
  std::memset(b.data(), 0, 54);
  b[0] = 'B';
  b[1] = 'M';
  le32(2, size);
  le32(10, 54);
  le32(14, 40);
  le32(18, uint32_t(w));
  le32(22, uint32_t(h));
  b[26] = 1;
  b[28] = 24;
  le32(34, row * uint32_t(h));
  write_bytes(path, b);
}

/// Four flat quadrants (BGR): red, green / blue, white.
cv::Mat quadrants(int w, int h) {
  cv::Mat m(h, w, CV_8UC3, cv::Scalar(255, 255, 255));
  m(cv::Rect(0, 0, w / 2, h / 2)).setTo(cv::Scalar(0, 0, 255));
  m(cv::Rect(w / 2, 0, w - w / 2, h / 2)).setTo(cv::Scalar(0, 255, 0));
  m(cv::Rect(0, h / 2, w / 2, h - h / 2)).setTo(cv::Scalar(255, 0, 0));
  return m;
}

/// What to_bgr8 makes of one sample over the background: the same integer rounding.
uint8_t over(int v, int a, int bg) { return uint8_t((v * a + bg * (255 - a) + 127) / 255); }
/// 16 to 8 bits, rounded to the nearest (v / 257).
int to8(int v) { return (v + 128) / 257; }

// First in this file, so it also holds when the whole executable runs in one process (ctest
// runs every test in its own).
TEST(PhotoDecode, JpegAndPngLeaveOpenCvsCodecListAndGdalAlone) {
  // OpenCV's imgcodecs on Debian links libgdal; building its codec list (the first imread)
  // registers every GDAL driver. The driver count is the observable.
  void* gdal = dlopen("libgdal.so.32", RTLD_LAZY | RTLD_NOLOAD);
  if (!gdal) GTEST_SKIP() << "libgdal is not loaded here: OpenCV was built without GDAL";
  auto driver_count = reinterpret_cast<int (*)()>(dlsym(gdal, "GDALGetDriverCount"));
  ASSERT_NE(driver_count, nullptr);
  if (driver_count() != 0) GTEST_SKIP() << "an earlier test in this process built OpenCV's codec list";
  TempDir dir;
  write_jpeg(dir.file("a.jpg"), quadrants(64, 48));
  cv::Mat rgb = quadrants(64, 48);
  write_png(dir.file("a.png"), rgb, {});
  EXPECT_EQ(decode(dir.file("a.jpg"), {32, 24}).size(), cv::Size(32, 24));
  EXPECT_EQ(decode(dir.file("a.png")).size(), cv::Size(64, 48));
  EXPECT_EQ(driver_count(), 0) << "decoding a JPEG and a PNG built OpenCV's codec list";
  // Nor does a still: the render's frame and its PNG go through libpng.
  engine::RenderOptions o;
  o.base_dir = dir.path().string();
  engine::render_still(load(slideshow_json(64, 48, 25, {"a.jpg", "a.png"}, 1000)), 1500, dir.file("still.png"), o);
  EXPECT_EQ(decode(dir.file("still.png")).size(), cv::Size(64, 48));
  EXPECT_EQ(driver_count(), 0) << "a still built OpenCV's codec list";
  // Nor does a BMP: it goes through libavcodec.
  write_bmp(dir.file("a.bmp"), 8, 4);
  const cv::Mat bmp = decode(dir.file("a.bmp"));
  EXPECT_EQ(bmp.size(), cv::Size(8, 4));
  EXPECT_EQ(bmp.at<cv::Vec3b>(2, 3), cv::Vec3b(0x80, 0x80, 0x80));
  EXPECT_EQ(driver_count(), 0) << "decoding a BMP built OpenCV's codec list";
  // The observable works: an imread builds the list.
  (void)cv::imread(dir.file("a.bmp"));
  EXPECT_GT(driver_count(), 0);
  dlclose(gdal);
}

TEST(PhotoDecode, A16BitTiffWithAlphaDecodesThroughLibavcodecOverTheBackground) {
  TempDir dir;
  cv::Mat bgra(20, 30, CV_16UC4, cv::Scalar(0, 65535, 0, 65535));  // opaque green
  bgra(cv::Rect(0, 0, 10, 20)).setTo(cv::Scalar(0, 0, 0, 0));      // the left third transparent
  ASSERT_TRUE(cv::imwrite(dir.file("a.tiff"), bgra));
  const cv::Mat m = decode(dir.file("a.tiff"), {0, 0}, colour(200, 100, 50));
  ASSERT_EQ(m.size(), cv::Size(30, 20));
  ASSERT_EQ(m.type(), CV_8UC3);
  EXPECT_EQ(m.at<cv::Vec3b>(10, 20), cv::Vec3b(0, 255, 0));
  EXPECT_EQ(m.at<cv::Vec3b>(10, 5), cv::Vec3b(50, 100, 200));  // BGR of the background
}

TEST(PhotoDecode, JpegDecodesAtTheDctScaleTheRuleGives) {
  TempDir dir;
  write_jpeg(dir.file("big.jpg"), quadrants(4000, 3000), 75);
  // need = the scale the wanted size asks for (0.85 x it for a prepared source, DecodeSize::About);
  // the smallest of 1/8, 2/8, 3/8 and 4/8 at or above it, else full size.
  struct Case {
    cv::Size want, got;
    engine::DecodeSize size = engine::DecodeSize::About;
  };
  const Case cases[] = {
      {{900, 675}, {1000, 750}},                                  // 0.225 -> need 0.191: 2/8
      {{400, 300}, {500, 375}},                                   // 0.1 -> 0.085: 1/8
      {{580, 435}, {500, 375}},                                   // 0.145 -> 0.123: 1/8 (15 % short is accepted)
      {{580, 435}, {1000, 750}, engine::DecodeSize::AtLeast},     // 0.145: 2/8, never short
      {{592, 444}, {1000, 750}},                                  // 0.148 -> 0.126: just over 1/8, so 2/8
      {{1400, 1050}, {1500, 1125}},                               // 0.35 -> 0.298: 3/8
      {{1700, 1275}, {1500, 1125}},                               // 0.425 -> 0.361: 3/8
      {{1700, 1275}, {2000, 1500}, engine::DecodeSize::AtLeast},  // 0.425: 4/8
      {{2000, 1500}, {2000, 1500}},                               // 0.5 -> 0.425: 4/8
      {{2400, 1800}, {4000, 3000}},                               // 0.6 -> 0.51: over 4/8, full size (not 5/8)
      {{3900, 2925}, {4000, 3000}},                               // 0.975 -> 0.83: full size (not 7/8)
      {{0, 0}, {4000, 3000}, engine::DecodeSize::AtLeast},        // no size asked: full size
  };
  for (const Case& c : cases) {
    cv::Mat m = decode(dir.file("big.jpg"), c.want, colour(0, 0, 0), c.size);
    EXPECT_EQ(m.size(), c.got) << "want " << c.want;
    EXPECT_EQ(m.type(), CV_8UC3);
    // Quadrant centres keep their colours at every scale.
    const cv::Point2d centre[4] = {{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}};
    const cv::Vec3b bgr[4] = {{0, 0, 255}, {0, 255, 0}, {255, 0, 0}, {255, 255, 255}};
    for (int q = 0; q < 4; ++q) {
      const cv::Vec3b p = m.at<cv::Vec3b>(int(centre[q].y * m.rows), int(centre[q].x * m.cols));
      for (int k = 0; k < 3; ++k) EXPECT_NEAR(p[k], bgr[q][k], 3) << "want " << c.want << " quadrant " << q;
    }
  }
  // Sizes that are not multiples of the scale round up, as libjpeg scales.
  write_jpeg(dir.file("odd.jpg"), quadrants(403, 301));
  EXPECT_EQ(decode(dir.file("odd.jpg"), {40, 30}).size(), cv::Size(51, 38));
  // Orientation 6: the rule works on the displayed size; the stored picture is decoded at
  // 1/4 and turned upright after.
  write_jpeg_with_orientation(dir.file("r6.jpg"), quadrants(4000, 3000), 6);
  EXPECT_EQ(decode(dir.file("r6.jpg"), {675, 900}).size(), cv::Size(750, 1000));
}

/// All the rows of `rows`, taken `band` at a time, in one picture.
cv::Mat rows_in_bands(engine::PhotoRows& rows, int band) {
  cv::Mat out;
  for (cv::Mat m = rows.next(band); !m.empty(); m = rows.next(band)) {
    EXPECT_LE(m.rows, band);
    out.push_back(m);
  }
  return out;
}

TEST(PhotoDecode, OnlyTheRowsAskedForAreDecodedWhereTheFormatCanStartAndStopThere) {
  auto info = [](engine::PhotoFormat format, int w, int h, int orientation = 1) {
    engine::PhotoInfo i;
    i.format = format;
    i.width = w;
    i.height = h;
    i.orientation = orientation;
    return i;
  };
  using engine::DecodeSize;
  using engine::PhotoFormat;
  using engine::RowSpan;
  // An upright JPEG: any even row (here at its 2/8 size, 1024 rows).
  EXPECT_EQ(engine::decoded_rows(info(PhotoFormat::Jpeg, 4096, 4096), {1104, 1104}, DecodeSize::About, {225, 871}),
            (RowSpan{224, 872}));
  // One stored turned is decoded whole, then turned: every row.
  EXPECT_EQ(engine::decoded_rows(info(PhotoFormat::Jpeg, 4096, 3072, 6), {828, 1104}, DecodeSize::About, {225, 871}),
            (RowSpan{0, 1024}));
  // WebP scaled 4096 -> 1104: only source rows that are multiples of 256 land on whole rows (69
  // of them), and twice that for even ones: the span widens to multiples of 138.
  EXPECT_EQ(engine::decoded_rows(info(PhotoFormat::Webp, 4096, 4096), {1104, 1104}, DecodeSize::About, {225, 870}),
            (RowSpan{138, 966}));
  // 2048 -> 768: multiples of 8 source rows make 3, of 16 make 6.
  EXPECT_EQ(engine::decoded_rows(info(PhotoFormat::Webp, 2048, 2048), {768, 768}, DecodeSize::About, {101, 300}),
            (RowSpan{96, 300}));
  // Asking for everything, or for what reaches the bottom, or a format that cannot crop.
  EXPECT_EQ(engine::decoded_rows(info(PhotoFormat::Webp, 2048, 2048), {768, 768}, DecodeSize::About, {0, 768}),
            (RowSpan{0, 768}));
  EXPECT_EQ(engine::decoded_rows(info(PhotoFormat::Webp, 2048, 2048), {768, 768}, DecodeSize::About, {400, 900}),
            (RowSpan{396, 768}));
  EXPECT_EQ(engine::decoded_rows(info(PhotoFormat::Png, 2048, 2048), {768, 768}, DecodeSize::About, {101, 300}),
            (RowSpan{0, 2048}));

  // The rows handed out are those of the whole decode.
  TempDir dir;
  write_jpeg(dir.file("up.jpg"), detailed_photo(1203, 901, 8));
  write_image(dir.file("w.webp"), detailed_photo(1200, 900, 9));
  for (const char* name : {"up.jpg", "w.webp"}) {
    const std::string path = dir.file(name);
    const engine::PhotoInfo probed = engine::probe_photo(path);
    const cv::Size want(600, 450);
    const cv::Mat whole = decode(path, want, colour(0, 0, 0), DecodeSize::About);
    const RowSpan span = engine::decoded_rows(probed, want, DecodeSize::About, {101, 300});
    EXPECT_GT(span.first, 0) << name;
    EXPECT_LT(span.end, whole.rows) << name;
    engine::PhotoRows rows(path, probed, want, colour(0, 0, 0), DecodeSize::About, RowSpan{101, 300});
    ASSERT_EQ(rows.size(), cv::Size(whole.cols, span.end - span.first)) << name;
    EXPECT_EQ(cv::norm(rows_in_bands(rows, 7), whole.rowRange(span.first, span.end), cv::NORM_INF), 0) << name;
  }
}

TEST(PhotoDecode, RowsHandedOutInBandsAreThoseOfTheWholeDecode) {
  TempDir dir;
  write_jpeg(dir.file("up.jpg"), detailed_photo(1203, 901, 4));  // read from libjpeg a band at a time
  write_jpeg_with_orientation(dir.file("r6.jpg"), detailed_photo(901, 1203, 5), 6);  // turned: decoded whole
  write_image(dir.file("p.png"), detailed_photo(333, 221, 6));
  for (const char* name : {"up.jpg", "r6.jpg", "p.png"}) {
    const std::string path = dir.file(name);
    const engine::PhotoInfo info = engine::probe_photo(path);
    for (const cv::Size want : {cv::Size(0, 0), cv::Size(580, 435)}) {
      const cv::Mat whole = decode(path, want, colour(0, 0, 0), engine::DecodeSize::About);
      engine::PhotoRows rows(path, info, want, colour(0, 0, 0), engine::DecodeSize::About);
      ASSERT_EQ(rows.size(), whole.size()) << name;
      const cv::Mat banded = rows_in_bands(rows, 7);
      ASSERT_EQ(banded.size(), whole.size()) << name;
      EXPECT_EQ(cv::norm(banded, whole, cv::NORM_INF), 0) << name << " at " << want;
      // The rest after a few bands: the rows not handed out yet, in a picture of their own.
      engine::PhotoRows again(path, info, want, colour(0, 0, 0), engine::DecodeSize::About);
      again.next(10);
      again.next(10);
      const cv::Mat rest = again.rest();
      ASSERT_EQ(rest.rows, whole.rows - 20) << name;
      EXPECT_EQ(cv::norm(rest, whole.rowRange(20, whole.rows), cv::NORM_INF), 0) << name;
      EXPECT_TRUE(again.next(10).empty());
      EXPECT_TRUE(again.rest().empty());
    }
  }
  // A picture already decoded (a clip's) is handed out the same way.
  const cv::Mat picture = detailed_photo(64, 40, 7);
  engine::PhotoRows given(picture.clone());
  EXPECT_EQ(cv::norm(rows_in_bands(given, 16), picture, cv::NORM_INF), 0);
}

TEST(PhotoDecode, AJpegCutShortWhileStreamedRendersWhatDecodedAsTheWholeDecodeDoes) {
  TempDir dir;
  write_jpeg(dir.file("a.jpg"), detailed_photo(640, 480, 8));
  auto j = bytes_of(dir.file("a.jpg"));
  // Half of the scan data gone; the EOI kept, so only the decoder can tell.
  std::vector<uint8_t> cut(j.begin(), j.begin() + std::ptrdiff_t(j.size() / 2));
  cut.push_back(0xFF);
  cut.push_back(0xD9);
  write_bytes(dir.file("cut.jpg"), cut);
  const engine::PhotoInfo info = engine::probe_photo(dir.file("cut.jpg"));
  testing::internal::CaptureStderr();
  const cv::Mat whole = engine::decode_photo(dir.file("cut.jpg"), info, {}, colour(0, 0, 0));
  engine::PhotoRows rows(dir.file("cut.jpg"), info, {}, colour(0, 0, 0), engine::DecodeSize::AtLeast);
  const cv::Mat banded = rows_in_bands(rows, 32);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  ASSERT_EQ(banded.size(), whole.size());
  EXPECT_EQ(cv::norm(banded, whole, cv::NORM_INF), 0);
}

TEST(PhotoDecode, GreyJpegComesOutAsTheSameGreyInAllThreeChannels) {
  TempDir dir;
  cv::Mat grey(120, 200, CV_8UC1);
  for (int y = 0; y < grey.rows; ++y)
    for (int x = 0; x < grey.cols; ++x) grey.at<uint8_t>(y, x) = uint8_t((x * 255 / 199 + y * 7) % 256);
  write_jpeg(dir.file("g.jpg"), grey);
  cv::Mat want = reference_jpeg(dir.file("g.jpg"), JCS_GRAYSCALE, 1);
  cv::Mat m = decode(dir.file("g.jpg"));
  ASSERT_EQ(m.type(), CV_8UC3);
  ASSERT_EQ(m.size(), want.size());
  std::vector<cv::Mat> ch;
  cv::split(m, ch);
  for (int k = 0; k < 3; ++k) EXPECT_EQ(cv::norm(ch[size_t(k)], want, cv::NORM_INF), 0) << "channel " << k;
}

TEST(PhotoDecode, AdobeCmykJpegShowsItsColours) {
  TempDir dir;
  // Inks (C, M, Y, K) per 16x16 block, stored inverted as Photoshop writes them.
  const std::vector<cv::Vec4b> inks = {{0, 255, 255, 0}, {255, 0, 255, 0},   {255, 255, 0, 0},  {0, 0, 0, 0},
                                       {0, 0, 0, 128},   {64, 128, 192, 32}, {200, 30, 90, 10}, {255, 255, 255, 255}};
  cv::Mat cmyk(16, 16 * int(inks.size()), CV_8UC4);
  for (size_t i = 0; i < inks.size(); ++i) {
    const cv::Vec4b& k = inks[i];
    cmyk(cv::Rect(16 * int(i), 0, 16, 16)).setTo(cv::Scalar(255 - k[0], 255 - k[1], 255 - k[2], 255 - k[3]));
  }
  write_jpeg(dir.file("cmyk.jpg"), cmyk, 100);
  cv::Mat m = decode(dir.file("cmyk.jpg"));
  ASSERT_EQ(m.size(), cmyk.size());
  for (size_t i = 0; i < inks.size(); ++i) {
    const cv::Vec4b& k = inks[i];
    // Subtractive: each channel is what its ink and the black leave of full light.
    const double r = (255 - k[0]) * (255 - k[3]) / 255.0, g = (255 - k[1]) * (255 - k[3]) / 255.0,
                 b = (255 - k[2]) * (255 - k[3]) / 255.0;
    const cv::Vec3b p = m.at<cv::Vec3b>(8, 16 * int(i) + 8);
    EXPECT_NEAR(p[0], b, 3) << "block " << i;
    EXPECT_NEAR(p[1], g, 3) << "block " << i;
    EXPECT_NEAR(p[2], r, 3) << "block " << i;
  }
}

TEST(PhotoDecode, PalettePngWithTransparencyIsCompositedOverTheBackground) {
  TempDir dir;
  // 2-bit palette: opaque red, half-transparent green, transparent blue, and white beyond
  // the tRNS entries (opaque).
  PngSpec s;
  s.color_type = PNG_COLOR_TYPE_PALETTE;
  s.depth = 2;
  s.palette = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
  s.alphas = {255, 128, 0};
  cv::Mat idx(21, 37, CV_8UC1);
  for (int y = 0; y < idx.rows; ++y)
    for (int x = 0; x < idx.cols; ++x) idx.at<uint8_t>(y, x) = uint8_t((x + 3 * y) % 4);
  write_png(dir.file("pal.png"), idx, s);
  const draft::Color bg = colour(10, 20, 200);
  cv::Mat m = decode(dir.file("pal.png"), {}, bg);
  ASSERT_EQ(m.size(), idx.size());
  ASSERT_EQ(m.type(), CV_8UC3);
  for (int y = 0; y < idx.rows; ++y)
    for (int x = 0; x < idx.cols; ++x) {
      const int i = idx.at<uint8_t>(y, x), a = i < 3 ? s.alphas[size_t(i)] : 255;
      const png_color& c = s.palette[size_t(i)];
      const cv::Vec3b want(over(c.blue, a, bg.b), over(c.green, a, bg.g), over(c.red, a, bg.r));
      ASSERT_EQ(m.at<cv::Vec3b>(y, x), want) << "at " << x << "," << y << " index " << i;
    }
}

TEST(PhotoDecode, SixteenBitGreyAlphaPngRoundsTo8BitsThenComposites) {
  TempDir dir;
  // Every 16-bit grey value once, with alpha running the other way.
  cv::Mat ga(256, 256, CV_16UC2);
  for (int i = 0; i < 65536; ++i)
    ga.at<cv::Vec<uint16_t, 2>>(i / 256, i % 256) = {uint16_t(i), uint16_t(65535 - (i * 7919) % 65536)};
  for (bool interlaced : {false, true}) {
    PngSpec s;
    s.color_type = PNG_COLOR_TYPE_GRAY_ALPHA;
    s.depth = 16;
    s.interlaced = interlaced;
    write_png(dir.file("ga.png"), ga, s);
    const draft::Color bg = colour(250, 0, 90);
    cv::Mat m = decode(dir.file("ga.png"), {}, bg);
    ASSERT_EQ(m.size(), ga.size());
    for (int y = 0; y < ga.rows; ++y)
      for (int x = 0; x < ga.cols; ++x) {
        const auto v = ga.at<cv::Vec<uint16_t, 2>>(y, x);
        const int g = to8(v[0]), a = to8(v[1]);
        const cv::Vec3b want(over(g, a, bg.b), over(g, a, bg.g), over(g, a, bg.r));
        ASSERT_EQ(m.at<cv::Vec3b>(y, x), want) << "grey " << v[0] << " alpha " << v[1] << " interlaced " << interlaced;
      }
  }
}

TEST(PhotoDecode, InterlacedPngsComeOutWholeInBgrOrder) {
  TempDir dir;
  cv::Mat rgb(29, 37, CV_8UC3), rgba(29, 37, CV_8UC4), grey1(29, 37, CV_8UC1);
  cv::RNG rng(7);
  rng.fill(rgb, cv::RNG::UNIFORM, 0, 256);
  rng.fill(rgba, cv::RNG::UNIFORM, 0, 256);
  rng.fill(grey1, cv::RNG::UNIFORM, 0, 2);
  PngSpec s;
  s.interlaced = true;
  write_png(dir.file("rgb.png"), rgb, s);
  s.color_type = PNG_COLOR_TYPE_RGB_ALPHA;
  write_png(dir.file("rgba.png"), rgba, s);
  s.color_type = PNG_COLOR_TYPE_GRAY;
  s.depth = 1;
  write_png(dir.file("bits.png"), grey1, s);
  const draft::Color bg = colour(0, 128, 255);
  cv::Mat a = decode(dir.file("rgb.png")), b = decode(dir.file("rgba.png"), {}, bg), c = decode(dir.file("bits.png"));
  for (int y = 0; y < rgb.rows; ++y)
    for (int x = 0; x < rgb.cols; ++x) {
      const cv::Vec3b p = rgb.at<cv::Vec3b>(y, x);
      ASSERT_EQ(a.at<cv::Vec3b>(y, x), cv::Vec3b(p[2], p[1], p[0])) << x << "," << y;
      const cv::Vec4b q = rgba.at<cv::Vec4b>(y, x);
      ASSERT_EQ(b.at<cv::Vec3b>(y, x),
                cv::Vec3b(over(q[2], q[3], bg.b), over(q[1], q[3], bg.g), over(q[0], q[3], bg.r)))
          << x << "," << y;
      const uint8_t g = grey1.at<uint8_t>(y, x) ? 255 : 0;
      ASSERT_EQ(c.at<cv::Vec3b>(y, x), cv::Vec3b(g, g, g)) << x << "," << y;
    }
}

TEST(PhotoDecode, JpegWithDamagedScanDataRendersWhatDecodedWithoutAWord) {
  TempDir dir;
  cv::Mat photo = detailed_photo(320, 240, 5);
  write_jpeg(dir.file("good.jpg"), photo);
  auto b = bytes_of(dir.file("good.jpg"));
  size_t sos = 0;
  for (size_t i = 2; i + 1 < b.size() && !sos; ++i)
    if (b[i] == 0xFF && b[i + 1] == 0xDA) sos = i;
  ASSERT_GT(sos, 0u);
  // Garbage (with stray markers) from the middle of the entropy-coded data on; SOI..SOS and
  // EOI intact, so the probe passes it.
  const size_t from = sos + (b.size() - sos) / 2;
  for (size_t i = from; i < from + 300; ++i) b[i] = uint8_t(i * 37);
  write_bytes(dir.file("bad.jpg"), b);
  cv::Mat good = decode(dir.file("good.jpg"));
  testing::internal::CaptureStderr();
  cv::Mat bad;
  EXPECT_NO_THROW(bad = decode(dir.file("bad.jpg")));
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "") << "libjpeg's warnings are not printed";
  ASSERT_EQ(bad.size(), good.size());
  // The rows before the damage are exact; the rest is whatever libjpeg made of it.
  EXPECT_EQ(cv::norm(bad.rowRange(0, 64), good.rowRange(0, 64), cv::NORM_INF), 0);
  EXPECT_GT(cv::norm(bad, good, cv::NORM_INF), 0);
}

TEST(PhotoDecode, AJpegWithThousandsOfScansIsRefusedNotDecodedForMinutes) {
  TempDir dir;
  // A progressive JPEG, then its last scan repeated 5000 times before EOI: each repeat is a
  // full pass over the picture for libjpeg (a known way to make a decoder crawl).
  write_jpeg(dir.file("p.jpg"), detailed_photo(640, 480, 9), 92, true);
  cv::Mat good = decode(dir.file("p.jpg"));  // the progressive original decodes
  EXPECT_EQ(good.cols, 640);
  auto b = bytes_of(dir.file("p.jpg"));
  size_t last_sos = 0;
  for (size_t i = 2; i + 1 < b.size(); ++i)
    if (b[i] == 0xFF && b[i + 1] == 0xDA) last_sos = i;
  ASSERT_GT(last_sos, 0u);
  ASSERT_EQ(b[b.size() - 2], 0xFF);
  ASSERT_EQ(b[b.size() - 1], 0xD9);
  const std::vector<uint8_t> scan(b.begin() + std::ptrdiff_t(last_sos), b.end() - 2);
  std::vector<uint8_t> crafted(b.begin(), b.end() - 2);
  for (int i = 0; i < 5000; ++i) crafted.insert(crafted.end(), scan.begin(), scan.end());
  crafted.push_back(0xFF);
  crafted.push_back(0xD9);
  write_bytes(dir.file("scans.jpg"), crafted);
  testing::internal::CaptureStderr();
  EXPECT_EQ(decode_failure(dir.file("scans.jpg")), "the JPEG image data is corrupt (more than 256 progressive scans)");
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

TEST(PhotoDecode, BrokenJpegAndPngDataNameLibjpegsAndLibpngsMessage) {
  TempDir dir;
  write_jpeg(dir.file("a.jpg"), detailed_photo(64, 48, 2));
  auto j = bytes_of(dir.file("a.jpg"));
  // A Huffman table whose code counts overflow (the marker structure stays valid).
  size_t dht = 0;
  for (size_t i = 2; i + 1 < j.size() && !dht; ++i)
    if (j[i] == 0xFF && j[i + 1] == 0xC4) dht = i;
  ASSERT_GT(dht, 0u);
  for (size_t i = dht + 5; i < dht + 21; ++i) j[i] = 0xFF;
  write_bytes(dir.file("dht.jpg"), j);
  testing::internal::CaptureStderr();
  EXPECT_EQ(decode_failure(dir.file("dht.jpg")), "the JPEG image data is corrupt (Bogus Huffman table definition)");
  // A PNG whose compressed rows are damaged under a valid checksum: libpng finds it.
  write_png(dir.file("a.png"), detailed_photo(64, 48, 3), {});
  auto p = bytes_of(dir.file("a.png"));
  for (size_t i = 8; i + 12 <= p.size();) {
    const uint32_t len = uint32_t(p[i]) << 24 | uint32_t(p[i + 1]) << 16 | uint32_t(p[i + 2]) << 8 | p[i + 3];
    if (std::memcmp(&p[i + 4], "IDAT", 4) == 0) {
      for (size_t k = i + 8 + len / 2; k < i + 8 + len / 2 + 32; ++k) p[k] ^= 0x5A;
      const uint32_t crc = uint32_t(crc32(crc32(0, nullptr, 0), &p[i + 4], len + 4));
      for (int k = 0; k < 4; ++k) p[i + 8 + len + size_t(k)] = uint8_t(crc >> (24 - 8 * k));
      break;
    }
    i += 12 + len;
  }
  write_bytes(dir.file("bad.png"), p);
  const std::string png_failure = decode_failure(dir.file("bad.png"));
  EXPECT_EQ(png_failure.rfind("the PNG image data is corrupt (", 0), 0u) << png_failure;
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "") << "nothing on stderr";
}

}  // namespace
}  // namespace reel::test
