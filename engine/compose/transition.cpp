#include "engine/compose/transition.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace reel::engine {

using draft::TransitionType;

LayerMotion outgoing_motion(TransitionType t, double p, int w, int h) {
  switch (t) {
    case TransitionType::SlideLeft:
      return {1, -p * w, 0};
    case TransitionType::SlideRight:
      return {1, p * w, 0};
    case TransitionType::SlideUp:
      return {1, 0, -p * h};
    case TransitionType::SlideDown:
      return {1, 0, p * h};
    case TransitionType::ZoomIn:
      return {1 + p, 0, 0};
    default:
      return {};
  }
}

LayerMotion incoming_motion(TransitionType t, double p, int w, int h) {
  switch (t) {
    case TransitionType::SlideLeft:
      return {1, (1 - p) * w, 0};
    case TransitionType::SlideRight:
      return {1, -(1 - p) * w, 0};
    case TransitionType::SlideUp:
      return {1, 0, (1 - p) * h};
    case TransitionType::SlideDown:
      return {1, 0, -(1 - p) * h};
    default:
      return {};
  }
}

namespace {

inline int alpha256(double a) { return int(std::clamp(a, 0.0, 1.0) * 256 + 0.5); }

/// out = out + (in - out) * alpha / 256, alpha constant.
void blend_const(const PlaneView& out, const PlaneView& in, int alpha) {
  for (int y = 0; y < out.height; ++y) {
    uint8_t* o = out.row(y);
    const uint8_t* b = in.row(y);
    for (int x = 0; x < out.width; ++x) o[x] = uint8_t(o[x] + (((int(b[x]) - int(o[x])) * alpha + 128) >> 8));
  }
}

/// out = out + (c - out) * alpha / 256.
void blend_colour(const PlaneView& out, uint8_t c, int alpha) {
  for (int y = 0; y < out.height; ++y) {
    uint8_t* o = out.row(y);
    for (int x = 0; x < out.width; ++x) o[x] = uint8_t(o[x] + (((int(c) - int(o[x])) * alpha + 128) >> 8));
  }
}

/// Per-pixel alpha from f(x, y) in luma pixel coordinates (centres at integers). `sub` is 1
/// for luma and 2 for chroma; a chroma sample sits at luma (2j + 0.5). The planes' rows are
/// rows first_row.. of the picture.
template <class F>
void blend_mask(const PlaneView& out, const PlaneView& in, int sub, int first_row, F&& f) {
  for (int y = 0; y < out.height; ++y) {
    uint8_t* o = out.row(y);
    const uint8_t* b = in.row(y);
    const int py = first_row + y;
    double ly = sub == 1 ? py : 2 * py + 0.5;
    for (int x = 0; x < out.width; ++x) {
      double lx = sub == 1 ? x : 2 * x + 0.5;
      int a = alpha256(f(lx, ly));
      o[x] = uint8_t(o[x] + (((int(b[x]) - int(o[x])) * a + 128) >> 8));
    }
  }
}

/// A hash in [0, 1) of a luma position: the dissolve pattern (same for every frame, so pixels
/// switch once, as with xfade's dissolve).
inline double noise(int x, int y) {
  uint32_t h = uint32_t(x) * 0x8da6b343u ^ uint32_t(y) * 0xd8163841u;
  h ^= h >> 13;
  h *= 0x5bd1e995u;
  h ^= h >> 15;
  return (h & 0xFFFFFF) / double(0x1000000);
}

void pixelize(const PlaneView& p, int block) {
  if (block <= 1) return;
  cv::Mat m = p.mat(), small;
  cv::resize(m, small,
             cv::Size(std::max(1, (p.width + block - 1) / block), std::max(1, (p.height + block - 1) / block)), 0, 0,
             cv::INTER_AREA);
  cv::resize(small, m, m.size(), 0, 0, cv::INTER_NEAREST);
}

}  // namespace

void apply_transition(TransitionType t, double p, const YuvView& out, const YuvView& in, Yuv black, Yuv white,
                      int first_row, int height) {
  const double W = out.width(), H = height > 0 ? height : out.height();
  for (int i = 0; i < 3; ++i) {
    const PlaneView& o = out.plane[i];
    const PlaneView& b = in.plane[i];
    const int sub = i == 0 ? 1 : 2, row0 = first_row / sub;
    const uint8_t blk = i == 0 ? black.y : i == 1 ? black.u : black.v;
    const uint8_t wht = i == 0 ? white.y : i == 1 ? white.u : white.v;
    switch (t) {
      case TransitionType::FadeBlack:
      case TransitionType::FadeWhite: {
        uint8_t c = t == TransitionType::FadeBlack ? blk : wht;
        if (p < 0.5) {
          blend_colour(o, c, alpha256(2 * p));
        } else {
          // From the colour to the incoming picture.
          for (int y = 0; y < o.height; ++y) std::fill_n(o.row(y), o.width, c);
          blend_const(o, b, alpha256(2 * p - 1));
        }
        break;
      }
      case TransitionType::Dissolve:
        blend_mask(o, b, sub, row0, [&](double x, double y) { return noise(int(x), int(y)) < p ? 1.0 : 0.0; });
        break;
      case TransitionType::WipeLeft:
        blend_mask(o, b, sub, row0, [&](double x, double) { return x + 0.5 - W * (1 - p) + 0.5; });
        break;
      case TransitionType::WipeRight:
        blend_mask(o, b, sub, row0, [&](double x, double) { return W * p - (x + 0.5) + 0.5; });
        break;
      case TransitionType::WipeUp:
        blend_mask(o, b, sub, row0, [&](double, double y) { return y + 0.5 - H * (1 - p) + 0.5; });
        break;
      case TransitionType::WipeDown:
        blend_mask(o, b, sub, row0, [&](double, double y) { return H * p - (y + 0.5) + 0.5; });
        break;
      case TransitionType::SlideLeft:
        blend_mask(o, b, sub, row0, [&](double x, double) { return x + 0.5 - W * (1 - p) + 0.5; });
        break;
      case TransitionType::SlideRight:
        blend_mask(o, b, sub, row0, [&](double x, double) { return W * p - (x + 0.5) + 0.5; });
        break;
      case TransitionType::SlideUp:
        blend_mask(o, b, sub, row0, [&](double, double y) { return y + 0.5 - H * (1 - p) + 0.5; });
        break;
      case TransitionType::SlideDown:
        blend_mask(o, b, sub, row0, [&](double, double y) { return H * p - (y + 0.5) + 0.5; });
        break;
      case TransitionType::CircleOpen:
      case TransitionType::CircleClose: {
        double R = std::hypot(W, H) / 2, cx = W / 2, cy = H / 2;
        bool open = t == TransitionType::CircleOpen;
        double r = open ? p * R : (1 - p) * R;
        blend_mask(o, b, sub, row0, [&](double x, double y) {
          double dx = x + 0.5 - cx, dy = y + 0.5 - cy, d = std::sqrt(dx * dx + dy * dy);
          return open ? r - d + 0.5 : d - r + 0.5;
        });
        break;
      }
      case TransitionType::Radial: {
        double cx = W / 2, cy = H / 2, sweep = p * 2 * M_PI;
        blend_mask(o, b, sub, row0, [&](double x, double y) {
          double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
          double a = std::atan2(dx, -dy);  // 0 at twelve o'clock, clockwise
          if (a < 0) a += 2 * M_PI;
          return (sweep - a) * std::max(1.0, std::sqrt(dx * dx + dy * dy)) + 0.5;
        });
        break;
      }
      case TransitionType::Pixelize:  // then its blocks, over the whole frame: finish_transition
        blend_const(o, b, alpha256(p));
        break;
      case TransitionType::None:
        if (p >= 0.5) blend_const(o, b, 256);
        break;
      case TransitionType::Fade:
      case TransitionType::ZoomIn:
      default:
        blend_const(o, b, alpha256(p));
        break;
    }
  }
}

void finish_transition(TransitionType t, double p, const YuvView& out) {
  if (t != TransitionType::Pixelize) return;
  const int max_block = std::max(2, out.width() / 24);
  const int block = 1 + int(std::lround((max_block - 1) * (1 - std::abs(2 * p - 1))));
  for (int i = 0; i < 3; ++i) pixelize(out.plane[i], i == 0 ? block : std::max(1, block / 2));
}

}  // namespace reel::engine
