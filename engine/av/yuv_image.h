#pragma once
// Planar YUV 4:2:0 pictures (BT.709, limited range) — the engine's working format
// from the prepared source to the encoder's AVFrame — and views over memory owned elsewhere.
#include "engine/internal.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <opencv2/core.hpp>

namespace reel::engine {

/// A non-owning view of one 8-bit plane.
struct PlaneView {
  uint8_t* data = nullptr;
  int stride = 0;
  int width = 0, height = 0;
  cv::Mat mat() const { return cv::Mat(height, width, CV_8U, data, size_t(stride)); }
  uint8_t* row(int y) const { return data + ptrdiff_t(y) * stride; }
};

/// A non-owning view of a YUV 4:2:0 picture: plane 0 is Y (width x height), planes 1 and 2
/// are U and V at half size. The owner (an AVFrame or a YuvImage) outlives the view.
struct YuvView {
  PlaneView plane[3];
  int width() const { return plane[0].width; }
  int height() const { return plane[0].height; }
  /// Rows [y, y + count) of the picture (both even), chroma rows from y / 2.
  YuvView rows(int y, int count) const {
    YuvView band = *this;
    for (int p = 0; p < 3; ++p) {
      const int shift = p ? 1 : 0;
      band.plane[p].data = plane[p].row(y >> shift);
      band.plane[p].height = count >> shift;
    }
    return band;
  }
};

/// An owned YUV 4:2:0 picture with even width and height.
class YuvImage {
 public:
  YuvImage() = default;
  YuvImage(int width, int height);
  YuvView view() const;
  int width() const { return y_.cols; }
  int height() const { return y_.rows; }
  bool empty() const { return y_.empty(); }
  size_t bytes() const { return y_.total() + u_.total() + v_.total(); }

 private:
  cv::Mat y_, u_, v_;
};

/// BT.709 limited-range value of an sRGB colour.
struct Yuv {
  uint8_t y, u, v;
};
Yuv to_yuv709(uint8_t r, uint8_t g, uint8_t b);

/// Rows [y0, y0 + rows.height()) of a picture (y0 and the count even; its chroma rows from
/// y0 / 2), handed on while the picture is made.
using YuvRowsSink = std::function<void(const YuvView& rows, int y0)>;

/// 8-bit BGR -> YUV 4:2:0 BT.709 limited range through swscale, scaled to width x height
/// (even) in the same pass, from the source's rows given top to bottom in bands of any
/// height. Each finished band of the picture goes to `sink` and is dropped, so neither the
/// source nor the picture is ever held whole (a photo's decode and its framing were the
/// largest buffers of a render). The pixels are those of one pass over the whole source:
/// swscale keeps its filter's lines from band to band.
class BgrToYuvStream {
 public:
  BgrToYuvStream(int src_width, int src_height, int width, int height, YuvRowsSink sink);
  ~BgrToYuvStream();
  BgrToYuvStream(const BgrToYuvStream&) = delete;
  BgrToYuvStream& operator=(const BgrToYuvStream&) = delete;

  /// The source's next rows (src_width wide, CV_8UC3, any row stride).
  void push(const cv::Mat& rows);
  /// After the last rows: throws EngineError unless the whole source came and every row of
  /// the picture went to the sink.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};
/// YUV 4:2:0 BT.709 limited range -> 8-bit BGR, through swscale, in `bands` of rows side by
/// side (the same pixels as one pass; fewer bands for a small picture).
cv::Mat yuv_to_bgr(const YuvView& yuv, int bands = 2);

void fill(const YuvView& v, Yuv c);
/// Mixes the picture towards `c`: each sample becomes c + (sample - c) * keep (keep in 0..1).
void fade_towards(const YuvView& v, Yuv c, double keep);
void copy(const YuvView& from, const YuvView& to);

}  // namespace reel::engine
