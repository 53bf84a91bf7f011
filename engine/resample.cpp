#include "engine/resample.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace reel::engine {

namespace {

/// Catmull-Rom (Keys, a = -0.5): interpolating, linear phase, mild sharpening.
inline double cubic(double x) {
  x = std::abs(x);
  if (x < 1) return (1.5 * x - 2.5) * x * x + 1;
  if (x < 2) return ((-0.5 * x + 2.5) * x - 4) * x + 2;
  return 0;
}

/// Filter taps along one axis: for output i, source indices start[i] .. start[i] + taps - 1
/// (already clamped to the plane, so edges repeat) with weights summing to 1.
struct AxisFilter {
  int taps = 0;
  std::vector<int> index;     // n * taps, clamped
  std::vector<float> weight;  // n * taps
  int lo = 0, hi = 0;         // the source range touched
};

void make_filter(AxisFilter& f, int n, int src_n, double a, double b) {
  const double support = 2.0 * std::max(1.0, std::abs(a));  // widen when shrinking
  const double scale = std::max(1.0, std::abs(a));
  f.taps = int(std::ceil(support)) * 2;
  f.index.resize(size_t(n) * size_t(f.taps));
  f.weight.resize(size_t(n) * size_t(f.taps));
  f.lo = src_n;
  f.hi = -1;
  for (int i = 0; i < n; ++i) {
    double c = a * i + b;
    int first = int(std::floor(c - support)) + 1;
    double sum = 0;
    int* idx = &f.index[size_t(i) * size_t(f.taps)];
    float* w = &f.weight[size_t(i) * size_t(f.taps)];
    double tmp[64];
    for (int k = 0; k < f.taps; ++k) {
      tmp[k] = cubic((first + k - c) / scale);
      sum += tmp[k];
      idx[k] = std::clamp(first + k, 0, src_n - 1);
      f.lo = std::min(f.lo, idx[k]);
      f.hi = std::max(f.hi, idx[k]);
    }
    for (int k = 0; k < f.taps; ++k) w[k] = float(tmp[k] / sum);
  }
}

constexpr int kStrip = 32;  // output rows per strip: the filtered source rows stay in cache

}  // namespace

void resample_plane(const PlaneView& src, const PlaneView& dst, double ax, double bx, double ay, double by) {
  thread_local AxisFilter fx, fy;
  thread_local std::vector<float> rows;  // horizontally filtered source rows of one strip
  make_filter(fx, dst.width, src.width, ax, bx);
  make_filter(fy, dst.height, src.height, ay, by);
  const int W = dst.width, tx = fx.taps, ty = fy.taps;
  for (int y0 = 0; y0 < dst.height; y0 += kStrip) {
    const int y1 = std::min(dst.height, y0 + kStrip);
    // Source rows this strip needs.
    int lo = src.height, hi = -1;
    for (int y = y0; y < y1; ++y)
      for (int k = 0; k < ty; ++k) {
        int r = fy.index[size_t(y) * size_t(ty) + size_t(k)];
        lo = std::min(lo, r);
        hi = std::max(hi, r);
      }
    rows.resize(size_t(hi - lo + 1) * size_t(W));
    for (int r = lo; r <= hi; ++r) {
      const uint8_t* s = src.row(r);
      float* o = &rows[size_t(r - lo) * size_t(W)];
      const int* idx = fx.index.data();
      const float* w = fx.weight.data();
      if (tx == 4) {
        for (int x = 0; x < W; ++x, idx += 4, w += 4)
          o[x] = w[0] * s[idx[0]] + w[1] * s[idx[1]] + w[2] * s[idx[2]] + w[3] * s[idx[3]];
      } else {
        for (int x = 0; x < W; ++x, idx += tx, w += tx) {
          float acc = 0;
          for (int k = 0; k < tx; ++k) acc += w[k] * s[idx[k]];
          o[x] = acc;
        }
      }
    }
    // Vertical pass: a weighted sum of whole rows (vectorises).
    thread_local std::vector<float> acc;
    acc.resize(size_t(W));
    for (int y = y0; y < y1; ++y) {
      const int* idx = &fy.index[size_t(y) * size_t(ty)];
      const float* w = &fy.weight[size_t(y) * size_t(ty)];
      float* a = acc.data();
      const float* r0 = &rows[size_t(idx[0] - lo) * size_t(W)];
      const float w0 = w[0];
      for (int x = 0; x < W; ++x) a[x] = w0 * r0[x];
      for (int k = 1; k < ty; ++k) {
        const float* rk = &rows[size_t(idx[k] - lo) * size_t(W)];
        const float wk = w[k];
        for (int x = 0; x < W; ++x) a[x] += wk * rk[x];
      }
      uint8_t* d = dst.row(y);
      for (int x = 0; x < W; ++x) {
        float v = a[x] + 0.5f;
        v = v < 0.f ? 0.f : (v > 255.f ? 255.f : v);
        d[x] = uint8_t(v);
      }
    }
  }
}

}  // namespace reel::engine
