#include "engine/resample.h"

#include <immintrin.h>

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

/// Filter taps along one axis: for output i, source indices index[i*taps + k] (clamped to the
/// plane, so edges repeat) with weights summing to 1.
struct AxisFilter {
  int taps = 0;
  std::vector<int> index;
  std::vector<float> weight;
  int lo = 0, hi = 0;  // the source range touched
};

/// Ken Burns shrinks by at most 1/1.5 per axis in practice (zoom paths over a source prepared
/// at the largest zoom): up to that, the plain 4-tap kernel is used (cheap, and the slight
/// aliasing is below what the encoder keeps); beyond, it is widened to antialias.
constexpr double kWidenAbove = 1.5;

void make_filter(AxisFilter& f, int n, int src_n, double a, double b) {
  const double scale = std::abs(a) > kWidenAbove ? std::abs(a) : 1.0;
  const double support = 2.0 * scale;
  f.taps = int(std::ceil(support)) * 2;
  f.index.resize(size_t(n) * size_t(f.taps));
  f.weight.resize(size_t(n) * size_t(f.taps));
  f.lo = src_n;
  f.hi = -1;
  std::vector<double> tmp(size_t(f.taps));
  for (int i = 0; i < n; ++i) {
    double c = a * i + b;
    int first = int(std::floor(c - support)) + 1;
    double sum = 0;
    int* idx = &f.index[size_t(i) * size_t(f.taps)];
    float* w = &f.weight[size_t(i) * size_t(f.taps)];
    for (int k = 0; k < f.taps; ++k) {
      tmp[size_t(k)] = cubic((first + k - c) / scale);
      sum += tmp[size_t(k)];
      idx[k] = std::clamp(first + k, 0, src_n - 1);
      f.lo = std::min(f.lo, idx[k]);
      f.hi = std::max(f.hi, idx[k]);
    }
    for (int k = 0; k < f.taps; ++k) w[k] = float(tmp[size_t(k)] / sum);
  }
}

// The two inner loops, compiled for AVX2 as well as the baseline and picked at run time.
#define REEL_CLONES __attribute__((target_clones("avx2", "default")))

/// out[x] = sum_k w[k] * rows[k][x] for x in [0, n): contiguous, vectorises.
REEL_CLONES void vertical(const uint8_t* const* rows, const float* w, int taps, int n, float* out) {
  const uint8_t* r0 = rows[0];
  const float w0 = w[0];
  for (int x = 0; x < n; ++x) out[x] = w0 * float(r0[x]);
  for (int k = 1; k < taps; ++k) {
    const uint8_t* rk = rows[k];
    const float wk = w[k];
    for (int x = 0; x < n; ++x) out[x] += wk * float(rk[x]);
  }
}

/// dst[x] = sum_k w[k][x] * in[start[x] + k], rounded and clamped to 8 bits. Taps are
/// consecutive source pixels (the row is padded, so no clamping here); the weights are kept
/// per tap (structure of arrays). The AVX2 version gathers 8 outputs at a time.
void horizontal4_scalar(const float* in, const int* start, const float* w0, const float* w1, const float* w2,
                        const float* w3, int from, int n, uint8_t* dst) {
  for (int x = from; x < n; ++x) {
    const float* p = in + start[x];
    int v = int(w0[x] * p[0] + w1[x] * p[1] + w2[x] * p[2] + w3[x] * p[3] + 0.5f);  // (-1, 0) -> 0
    v = v < 0 ? 0 : v;
    v = v > 255 ? 255 : v;
    dst[x] = uint8_t(v);
  }
}

/// Element r[j] (0..15) of the 16 floats lo:hi, for each lane j.
__attribute__((target("avx2,fma"))) inline __m256 pick16(__m256 lo, __m256 hi, __m256i r, __m256i seven) {
  __m256 a = _mm256_permutevar8x32_ps(lo, r), b = _mm256_permutevar8x32_ps(hi, r);
  return _mm256_blendv_ps(a, b, _mm256_castsi256_ps(_mm256_cmpgt_epi32(r, seven)));
}

__attribute__((target("avx2,fma"))) void horizontal4_avx2(const float* in, const int* start, const float* w0,
                                                          const float* w1, const float* w2, const float* w3, int n,
                                                          uint8_t* dst) {
  const __m256 half = _mm256_set1_ps(0.5f);
  const __m256i seven = _mm256_set1_epi32(7), one = _mm256_set1_epi32(1);
  int x = 0;
  for (; x + 8 <= n; x += 8) {
    __m256i s = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(start + x));
    const int base = start[x];
    __m256 p0, p1, p2, p3;
    if (start[x + 7] - base + 3 < 16) {
      // The 8 windows lie in 16 consecutive floats (a scale near 1, as in Ken Burns): two
      // loads and in-register permutes instead of four gathers.
      const __m256 lo = _mm256_loadu_ps(in + base), hi = _mm256_loadu_ps(in + base + 8);
      __m256i rel = _mm256_sub_epi32(s, _mm256_set1_epi32(base));
      p0 = pick16(lo, hi, rel, seven);
      rel = _mm256_add_epi32(rel, one);
      p1 = pick16(lo, hi, rel, seven);
      rel = _mm256_add_epi32(rel, one);
      p2 = pick16(lo, hi, rel, seven);
      rel = _mm256_add_epi32(rel, one);
      p3 = pick16(lo, hi, rel, seven);
    } else {
      p0 = _mm256_i32gather_ps(in, s, 4);
      p1 = _mm256_i32gather_ps(in + 1, s, 4);
      p2 = _mm256_i32gather_ps(in + 2, s, 4);
      p3 = _mm256_i32gather_ps(in + 3, s, 4);
    }
    __m256 v = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + x), p0, half);
    v = _mm256_fmadd_ps(_mm256_loadu_ps(w1 + x), p1, v);
    v = _mm256_fmadd_ps(_mm256_loadu_ps(w2 + x), p2, v);
    v = _mm256_fmadd_ps(_mm256_loadu_ps(w3 + x), p3, v);
    __m256i i = _mm256_cvttps_epi32(v);
    __m128i w16 = _mm_packs_epi32(_mm256_castsi256_si128(i), _mm256_extracti128_si256(i, 1));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(dst + x), _mm_packus_epi16(w16, w16));
  }
  horizontal4_scalar(in, start, w0, w1, w2, w3, x, n, dst);
}

void horizontal4(const float* in, const int* start, const float* w0, const float* w1, const float* w2, const float* w3,
                 int n, uint8_t* dst) {
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx2)
    horizontal4_avx2(in, start, w0, w1, w2, w3, n, dst);
  else
    horizontal4_scalar(in, start, w0, w1, w2, w3, 0, n, dst);
}

void horizontal(const float* in, const int* idx, const float* wt, int taps, int n, uint8_t* dst) {
  for (int x = 0; x < n; ++x, idx += taps, wt += taps) {
    float v = 0.5f;
    for (int k = 0; k < taps; ++k) v += wt[k] * in[idx[k]];
    dst[x] = uint8_t(v < 0.f ? 0.f : (v > 255.f ? 255.f : v));
  }
}

}  // namespace

void resample_plane(const PlaneView& src, const PlaneView& dst, double ax, double bx, double ay, double by) {
  thread_local AxisFilter fx, fy;
  thread_local std::vector<float> row, w4;
  thread_local std::vector<int> start, hidx;
  make_filter(fx, dst.width, src.width, ax, bx);
  make_filter(fy, dst.height, src.height, ay, by);
  // Vertical first (over the source columns the row needs, contiguous), then horizontal on
  // that one filtered row: no intermediate picture, and both loops vectorise.
  const int W = dst.width;
  bool four = fx.taps == 4;
  // Unclamped 4-tap windows may reach 2 pixels past either edge: pad the row by 2 and fill
  // the pads with the edge values (the same as clamping).
  const int x0 = fx.lo, span = fx.hi - fx.lo + 1, pad = 2;
  row.resize(size_t(span + 2 * pad + 16));  // + 16: the AVX2 pass loads 16 floats at a time
  float* body = row.data() + pad;
  if (four) {
    start.resize(size_t(W));
    w4.resize(size_t(W) * 4);
    for (int x = 0; x < W; ++x) {
      double c = ax * x + bx;
      start[size_t(x)] = int(std::floor(c - 2.0)) + 1 - x0 + pad;
      for (int k = 0; k < 4; ++k) w4[size_t(k) * size_t(W) + size_t(x)] = fx.weight[size_t(x) * 4 + size_t(k)];
      // A map reaching more than 2 px past an edge (slides move a picture right off the
      // canvas) needs real clamping: the general path below.
      if (start[size_t(x)] < 0 || start[size_t(x)] + 4 > span + 2 * pad) four = false;
    }
  }
  if (!four) {
    hidx.resize(fx.index.size());
    for (size_t i = 0; i < fx.index.size(); ++i) hidx[i] = fx.index[i] - x0;
  }
  thread_local std::vector<const uint8_t*> rowp;
  rowp.resize(size_t(fy.taps));
  const uint8_t** rows = rowp.data();
  for (int y = 0; y < dst.height; ++y) {
    const int* iy = &fy.index[size_t(y) * size_t(fy.taps)];
    for (int k = 0; k < fy.taps; ++k) rows[k] = src.row(iy[k]) + x0;
    vertical(rows, &fy.weight[size_t(y) * size_t(fy.taps)], fy.taps, span, body);
    if (four) {
      // Pads: what clamping would read.
      float* r = row.data();
      const int first_src = x0, last_src = fx.hi;
      for (int i = 0; i < pad; ++i) {
        r[i] = first_src == 0 ? body[0] : r[i];
        r[pad + span + i] = last_src == src.width - 1 ? body[span - 1] : r[pad + span + i];
      }
      horizontal4(r, start.data(), &w4[0], &w4[size_t(W)], &w4[2 * size_t(W)], &w4[3 * size_t(W)], W, dst.row(y));
    } else {
      horizontal(body, hidx.data(), fx.weight.data(), fx.taps, W, dst.row(y));
    }
  }
}

}  // namespace reel::engine
