#include "engine/av/yuv_image.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <opencv2/core/utility.hpp>

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

YuvImage bgr_to_yuv(const cv::Mat& bgr, int width, int height) {
  if (width <= 0 || height <= 0) {
    width = bgr.cols;
    height = bgr.rows;
  }
  CV_Assert(bgr.type() == CV_8UC3 && width % 2 == 0 && height % 2 == 0);  // any row stride
  YuvImage out(width, height);
  YuvView v = out.view();
  auto sws = make_sws(bgr.cols, bgr.rows, AV_PIX_FMT_BGR24, AV_PIX_FMT_YUV420P, width, height);
  const uint8_t* src[1] = {bgr.data};
  int src_stride[1] = {int(bgr.step[0])};
  uint8_t* dst[3] = {v.plane[0].data, v.plane[1].data, v.plane[2].data};
  int dst_stride[3] = {v.plane[0].stride, v.plane[1].stride, v.plane[2].stride};
  sws_scale(sws.get(), src, src_stride, 0, bgr.rows, dst, dst_stride);
  return out;
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

YuvImage copy_region(const YuvImage& from, int x, int y, int w, int h) {
  YuvImage out(w, h);
  const YuvView src = from.view(), dst = out.view();
  for (int p = 0; p < 3; ++p) {
    const int sx = p ? x / 2 : x, sy = p ? y / 2 : y;
    for (int r = 0; r < dst.plane[p].height; ++r)
      std::memcpy(dst.plane[p].row(r), src.plane[p].row(sy + r) + sx, size_t(dst.plane[p].width));
  }
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
