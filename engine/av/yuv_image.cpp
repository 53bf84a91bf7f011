#include "engine/av/yuv_image.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <opencv2/core/utility.hpp>
#include <utility>

#include "engine/av/handles.h"
#include "engine/errors.h"

namespace reel::engine {

YuvImage::YuvImage(int width, int height)
    : y_(height, width, CV_8U), u_(height / 2, width / 2, CV_8U), v_(height / 2, width / 2, CV_8U) {}

YuvView YuvImage::view() const {
  YuvView v;
  const cv::Mat* m[3] = {&y_, &u_, &v_};
  for (int i = 0; i < 3; ++i)
    v.plane[i] = PlaneView{const_cast<uint8_t*>(m[i]->data), int(m[i]->step[0]), m[i]->cols, m[i]->rows};
  return v;
}

Yuv to_yuv709(uint8_t r8, uint8_t g8, uint8_t b8) {
  double r = r8 / 255.0, g = g8 / 255.0, b = b8 / 255.0;
  double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  double u = (b - y) / 1.8556, v = (r - y) / 1.5748;
  auto q = [](double x) { return uint8_t(std::clamp(std::lround(x), 0l, 255l)); };
  return {q(16 + 219 * y), q(128 + 224 * u), q(128 + 224 * v)};
}

namespace {
av::SwsPtr make_sws(int w, int h, AVPixelFormat from, AVPixelFormat to, int out_w = 0, int out_h = 0) {
  if (out_w <= 0 || out_h <= 0) {
    out_w = w;
    out_h = h;
  }
  // Bicubic; when it shrinks, swscale widens the filter to the scale (no aliasing).
  av::SwsPtr sws(sws_getContext(w, h, from, out_w, out_h, to, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT,
                                nullptr, nullptr, nullptr));
  if (!sws) throw EngineError("swscale: cannot convert this picture");
  const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
  bool to_rgb = to == AV_PIX_FMT_BGR24;
  // srcRange/dstRange: 1 = full (RGB), 0 = limited (video YUV).
  sws_setColorspaceDetails(sws.get(), bt709, to_rgb ? 0 : 1, bt709, to_rgb ? 1 : 0, 0, 1 << 16, 1 << 16);
  return sws;
}
}  // namespace

struct BgrToYuvStream::Impl {
  av::SwsPtr sws;
  YuvRowsSink sink;
  int src_width = 0, src_height = 0, width = 0, height = 0;
  int src_rows = 0;  // source rows pushed
  int made = 0;      // picture rows swscale has finished
  int given = 0;     // picture rows handed to the sink (even)
  // The whole picture's address space, one mapping; only the rows between `given` and `made`
  // are resident: pages behind are handed back as soon as their rows went to the sink.
  uint8_t* map = nullptr;
  size_t map_bytes = 0;
  uint8_t* plane[3] = {};
  int stride[3] = {};
  uint8_t* resident_from[3] = {};

  ~Impl() {
    if (map) ::munmap(map, map_bytes);
  }

  void hand_on(int upto) {
    if (upto <= given) return;
    YuvView whole;
    for (int p = 0; p < 3; ++p)
      whole.plane[p] = PlaneView{plane[p], stride[p], width >> (p ? 1 : 0), height >> (p ? 1 : 0)};
    sink(whole.rows(given, upto - given), given);
    given = upto;
    static const uintptr_t page = uintptr_t(::sysconf(_SC_PAGESIZE));
    for (int p = 0; p < 3; ++p) {
      const int shift = p ? 1 : 0;
      uint8_t* done = reinterpret_cast<uint8_t*>(
          reinterpret_cast<uintptr_t>(plane[p] + ptrdiff_t(given >> shift) * stride[p]) & ~(page - 1));
      if (done > resident_from[p]) {
        ::madvise(resident_from[p], size_t(done - resident_from[p]), MADV_DONTNEED);
        resident_from[p] = done;
      }
    }
  }
};

BgrToYuvStream::BgrToYuvStream(int src_width, int src_height, int width, int height, YuvRowsSink sink)
    : impl_(std::make_unique<Impl>()) {
  CV_Assert(src_width > 0 && src_height > 0 && width > 0 && height > 0 && width % 2 == 0 && height % 2 == 0);
  Impl& s = *impl_;
  s.sws = make_sws(src_width, src_height, AV_PIX_FMT_BGR24, AV_PIX_FMT_YUV420P, width, height);
  s.sink = std::move(sink);
  s.src_width = src_width;
  s.src_height = src_height;
  s.width = width;
  s.height = height;
  const size_t page = size_t(::sysconf(_SC_PAGESIZE));
  auto page_up = [&](size_t n) { return (n + page - 1) / page * page; };
  s.stride[0] = (width + 63) / 64 * 64;
  s.stride[1] = s.stride[2] = (width / 2 + 63) / 64 * 64;
  const size_t luma = page_up(size_t(s.stride[0]) * size_t(height)),
               chroma = page_up(size_t(s.stride[1]) * size_t(height / 2));
  s.map_bytes = luma + 2 * chroma;
  void* map = ::mmap(nullptr, s.map_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED) {
    s.map_bytes = 0;
    throw EngineError("out of memory for a " + std::to_string(width) + "x" + std::to_string(height) + " picture");
  }
  s.map = static_cast<uint8_t*>(map);
  s.plane[0] = s.map;
  s.plane[1] = s.map + luma;
  s.plane[2] = s.map + luma + chroma;
  for (int p = 0; p < 3; ++p) s.resident_from[p] = s.plane[p];
}

BgrToYuvStream::~BgrToYuvStream() = default;

void BgrToYuvStream::push(const cv::Mat& rows) {
  Impl& s = *impl_;
  CV_Assert(rows.type() == CV_8UC3 && rows.cols == s.src_width && s.src_rows + rows.rows <= s.src_height);
  if (rows.rows == 0) return;
  const uint8_t* src[1] = {rows.data};
  const int src_stride[1] = {int(rows.step[0])};
  s.made += sws_scale(s.sws.get(), src, src_stride, s.src_rows, rows.rows, s.plane, s.stride);
  s.src_rows += rows.rows;
  // A chroma row is finished with the first of its two luma rows: hand on whole pairs.
  s.hand_on(s.made == s.height ? s.made : s.made & ~1);
}

void BgrToYuvStream::finish() {
  const Impl& s = *impl_;
  if (s.src_rows != s.src_height || s.given != s.height)
    throw EngineError("swscale: " + std::to_string(s.src_rows) + " of " + std::to_string(s.src_height) +
                      " source rows gave " + std::to_string(s.given) + " of " + std::to_string(s.height) +
                      " picture rows");
}

namespace {
/// Rows [top, top + rows) of `v` (top and rows even) converted as a picture of their own.
void convert_rows(const YuvView& v, int top, int rows, uint8_t* out, int out_stride) {
  auto sws = make_sws(v.width(), rows, AV_PIX_FMT_YUV420P, AV_PIX_FMT_BGR24);
  const uint8_t* src[3] = {v.plane[0].row(top), v.plane[1].row(top / 2), v.plane[2].row(top / 2)};
  int src_stride[3] = {v.plane[0].stride, v.plane[1].stride, v.plane[2].stride};
  uint8_t* dst[1] = {out};
  int dst_stride[1] = {out_stride};
  sws_scale(sws.get(), src, src_stride, 0, rows, dst, dst_stride);
}

// Rows a band converts beyond its own on each side: swscale's chroma filter reaches two chroma
// rows (four picture rows) past a row, so from eight rows in a band's pixels are the whole
// picture's (tests/engine/av/yuv_image_test.cpp checks it byte for byte).
constexpr int kBandOverlap = 16;
}  // namespace

cv::Mat yuv_to_bgr(const YuvView& v, int bands) {
  cv::Mat out(v.height(), v.width(), CV_8UC3);
  const int h = v.height();
  bands = std::clamp(bands, 1, std::max(1, h / (4 * kBandOverlap)));
  if (bands == 1) {
    convert_rows(v, 0, h, out.data, int(out.step[0]));
    return out;
  }
  // swscale's accurate full-chroma path has no SIMD (about 10 ms for 960x540): bands on the
  // cores, each with rows of overlap so that every kept row is the one-pass conversion's.
  cv::parallel_for_(cv::Range(0, bands), [&](const cv::Range& r) {
    for (int b = r.start; b < r.end; ++b) {
      const int top = h * b / bands / 2 * 2, bottom = b + 1 == bands ? h : h * (b + 1) / bands / 2 * 2;
      const int from = std::max(0, top - kBandOverlap), to = std::min(h, bottom + kBandOverlap);
      cv::Mat band(to - from, v.width(), CV_8UC3);
      convert_rows(v, from, to - from, band.data, int(band.step[0]));
      band.rowRange(top - from, bottom - from).copyTo(out.rowRange(top, bottom));
    }
  });
  return out;
}

void fill(const YuvView& v, Yuv c) {
  const uint8_t val[3] = {c.y, c.u, c.v};
  for (int p = 0; p < 3; ++p)
    for (int y = 0; y < v.plane[p].height; ++y) std::memset(v.plane[p].row(y), val[p], size_t(v.plane[p].width));
}

void fade_towards(const YuvView& v, Yuv c, double keep) {
  const uint8_t val[3] = {c.y, c.u, c.v};
  for (int p = 0; p < 3; ++p) {
    cv::Mat m = v.plane[p].mat();
    m.convertTo(m, -1, keep, double(val[p]) * (1 - keep));  // saturating, rounded
  }
}

void copy(const YuvView& from, const YuvView& to) {
  for (int p = 0; p < 3; ++p)
    for (int y = 0; y < to.plane[p].height; ++y)
      std::memcpy(to.plane[p].row(y), from.plane[p].row(y), size_t(to.plane[p].width));
}

}  // namespace reel::engine
