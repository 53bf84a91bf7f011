#pragma once
// Planar YUV 4:2:0 pictures (BT.709, limited range) — the engine's working format
// from the prepared source to the encoder's AVFrame — and views over memory owned elsewhere.
#include "engine/internal.h"

#include <cstdint>
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

/// 8-bit BGR -> YUV 4:2:0 BT.709 limited range, through swscale; scaled to width x height
/// (even) in the same pass when given, else the same (even) size.
YuvImage bgr_to_yuv(const cv::Mat& bgr, int width = 0, int height = 0);
/// YUV 4:2:0 BT.709 limited range -> 8-bit BGR, through swscale, in `bands` of rows side by
/// side (the same pixels as one pass; fewer bands for a small picture).
cv::Mat yuv_to_bgr(const YuvView& yuv, int bands = 2);

/// A copy of the region (x, y, w, h) of `from`; all four even.
YuvImage copy_region(const YuvImage& from, int x, int y, int w, int h);

void fill(const YuvView& v, Yuv c);
/// Mixes the picture towards `c`: each sample becomes c + (sample - c) * keep (keep in 0..1).
void fade_towards(const YuvView& v, Yuv c, double keep);
void copy(const YuvView& from, const YuvView& to);

}  // namespace reel::engine
