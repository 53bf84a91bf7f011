#include "engine/compose/resample.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <vector>

namespace reel::engine {

namespace {

std::atomic<bool> force_portable{false};

bool use_avx2() {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2 && !force_portable.load(std::memory_order_relaxed);
}

/// Catmull-Rom (Keys, a = -0.5): interpolating, linear phase, mild sharpening.
inline double cubic(double x) {
  x = std::abs(x);
  if (x < 1) return (1.5 * x - 2.5) * x * x + 1;
  if (x < 2) return ((-0.5 * x + 2.5) * x - 4) * x + 2;
  return 0;
}

/// Ken Burns shrinks by at most 1/1.5 per axis in practice (zoom paths over a source prepared
/// at the largest zoom): up to that, the plain 4-tap kernel is used (cheap, and the slight
/// aliasing is below what the encoder keeps); beyond, it is widened to antialias.
constexpr double kWidenAbove = 1.5;

/// Filter taps along one axis: output i reads source first[i] + k (k < taps, unclamped) with
/// fixed-point weight w[i * taps + k]. The weights come from the exact (double) position and
/// are rounded so they sum to exactly 1 << bits: flat areas stay exactly flat.
struct Axis {
  int taps = 0;
  std::vector<int> first;
  std::vector<int32_t> w;
  int lo = 0, hi = 0;  // unclamped source range touched
};

void make_axis(Axis& f, int n, double a, double b, int bits, int first_pos = 0) {
  const double scale = std::abs(a) > kWidenAbove ? std::abs(a) : 1.0, inv = 1.0 / scale;
  const double support = 2.0 * scale;
  f.taps = int(std::ceil(support)) * 2;
  f.first.resize(size_t(n));
  f.w.resize(size_t(n) * size_t(f.taps));
  f.lo = INT32_MAX;
  f.hi = INT32_MIN;
  const double one = double(1 << bits);
  if (f.taps == 4) {
    // The common case, in closed form: c = first + 1 + t, taps at distances 1+t, t, 1-t, 2-t.
    for (int i = 0; i < n; ++i) {
      const double c = a * (first_pos + i) + b, fl = std::floor(c), t = c - fl;
      const double w[4] = {((-0.5 * t + 1) * t - 0.5) * t, (1.5 * t - 2.5) * t * t + 1, ((-1.5 * t + 2) * t + 0.5) * t,
                           (0.5 * t - 0.5) * t * t};
      int32_t* q = &f.w[size_t(i) * 4];
      int32_t total = 0;
      for (int k = 0; k < 4; ++k) total += q[k] = int32_t(w[k] * one + (0.5 + 262144.0)) - 262144;
      q[t < 0.5 ? 1 : 2] += (1 << bits) - total;  // the rounding residue goes to the largest
      const int first = int(fl) - 1;
      f.first[size_t(i)] = first;
      f.lo = std::min(f.lo, first);
      f.hi = std::max(f.hi, first + 3);
    }
    return;
  }
  thread_local std::vector<double> tmp;
  tmp.resize(size_t(f.taps));
  for (int i = 0; i < n; ++i) {
    const double c = a * (first_pos + i) + b;
    const int first = int(std::floor(c - support)) + 1;
    double sum = 0;
    int big = 0;
    for (int k = 0; k < f.taps; ++k) {
      tmp[size_t(k)] = cubic((first + k - c) * inv);
      sum += tmp[size_t(k)];
      if (tmp[size_t(k)] > tmp[size_t(big)]) big = k;
    }
    const double norm = one / sum;
    int32_t* w = &f.w[size_t(i) * size_t(f.taps)];
    int32_t total = 0;
    for (int k = 0; k < f.taps; ++k) {
      // Round to nearest without a libm call: |weight| < 2^17, so the shifted value is positive.
      w[k] = int32_t(tmp[size_t(k)] * norm + (0.5 + 262144.0)) - 262144;
      total += w[k];
    }
    w[big] += (1 << bits) - total;  // the rounding residue goes where it matters least
    f.first[size_t(i)] = first;
    f.lo = std::min(f.lo, first);
    f.hi = std::max(f.hi, first + f.taps - 1);
  }
}

// ---- The 4-tap path (every Ken Burns map): 16-bit fixed point.
// Q14 weights fit int16 (for pmaddwd / pmulhrsw); the intermediate row holds the vertical
// result + 1/2 in int16 with 6 fractional bits (at most 255 * 1.125 * 64 + 32 = 18392: no
// overflow). The error against exact arithmetic stays well under 0.1 of an 8-bit step.
constexpr int kWBits = 14, kMidBits = 6, kHShift = kWBits + kMidBits;

/// Source rows are widened once to int16 << 7 (pmulhrsw's input scale) and kept while the
/// next few output rows use them: every source row serves about 4 output rows. The + 64 (half
/// a step) makes the vertical result come out + 1/2, since its weights sum to exactly 1: the
/// horizontal pass then rounds with a plain shift.
void widen_portable(const uint8_t* row, int from, int n, int16_t* out) {
  for (int x = from; x < n; ++x) out[x] = int16_t(row[x] << 7 | 64);
}

__attribute__((target("avx2"))) inline void widen16(const uint8_t* row, int x, int16_t* out) {
  const __m256i p = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + x)));
  const __m256i v = _mm256_or_si256(_mm256_slli_epi16(p, 7), _mm256_set1_epi16(64));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + x), v);
}

__attribute__((target("avx2"))) void widen_avx2(const uint8_t* row, int n, int16_t* out) {
  int x = 0;
  for (; x + 16 <= n; x += 16) widen16(row, x, out);
  if (x < n) {
    if (n >= 16)
      widen16(row, n - 16, out);  // the last 16 again, overlapping: same values, no over-read
    else
      widen_portable(row, x, n, out);
  }
}

/// mid[x] = sum_k round(w[k] * rows[k][x] / 2^15), exactly what pmulhrsw computes.
void vertical4_portable(const int16_t* const* rows, const int16_t* w, int from, int n, int16_t* mid) {
  for (int x = from; x < n; ++x) {
    int v = 0;
    for (int k = 0; k < 4; ++k) v += (rows[k][x] * w[k] + (1 << 14)) >> 15;
    mid[x] = int16_t(v);
  }
}

__attribute__((target("avx2"))) inline void vertical16(const int16_t* const* rows, const __m256i* w, int x,
                                                       int16_t* mid) {
  __m256i t[4];
  for (int k = 0; k < 4; ++k)
    t[k] = _mm256_mulhrs_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(rows[k] + x)), w[k]);
  const __m256i v = _mm256_add_epi16(_mm256_add_epi16(t[0], t[1]), _mm256_add_epi16(t[2], t[3]));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(mid + x), v);
}

__attribute__((target("avx2"))) void vertical4_avx2(const int16_t* const* rows, const int16_t* w, int n, int16_t* mid) {
  const __m256i wv[4] = {_mm256_set1_epi16(w[0]), _mm256_set1_epi16(w[1]), _mm256_set1_epi16(w[2]),
                         _mm256_set1_epi16(w[3])};
  const int16_t* r[4] = {rows[0], rows[1], rows[2], rows[3]};
  int x = 0;
  for (; x + 16 <= n; x += 16) vertical16(r, wv, x, mid);
  if (x < n) {
    if (n >= 16)
      vertical16(r, wv, n - 16, mid);
    else
      vertical4_portable(rows, w, x, n, mid);
  }
}

/// dst[x] = clamp(round(sum_k w[k][x] * mid[s[x] + k] / 2^20)).
void horizontal4_portable(const int16_t* mid, const int* s, const int16_t* w, int from, int n, uint8_t* dst) {
  for (int x = from; x < n; ++x) {
    const int16_t* p = mid + s[x];
    const int16_t* wx = w + size_t(x) * 4;
    int acc = wx[0] * p[0] + wx[1] * p[1] + wx[2] * p[2] + wx[3] * p[3];
    int v = acc >> kHShift;  // (mid holds + 1/2: this rounds)
    dst[x] = uint8_t(v < 0 ? 0 : (v > 255 ? 255 : v));
  }
}

/// The AVX2 horizontal pass makes 32 outputs per step, in four blocks of 8: block j's low lane
/// holds outputs 4j..4j+3 of the step, its high lane 16+4j..16+4j+3, which is the order the
/// two packs (32 -> 16 -> 8 bits, per lane) put back in sequence without a permute.
struct alignas(32) HBlock {
  uint8_t mask[32];  // per lane, byte offsets of taps 0-1 of each output in its 16-byte window
  int32_t w01[8];    // (w0, w1) int16 pairs for pmaddwd
  int32_t w23[8];    // (w2, w3)
};

struct HTables {
  std::vector<HBlock> blocks;
  std::vector<int32_t> base;  // per block and lane, where its 16-byte window starts in mid
  std::vector<int32_t> s;     // per block, the 8 outputs' first taps in mid (for gathers)
};

/// Outputs x of a step starting at x0: block j, lane l, position q.
inline int step_x(int x0, int j, int l, int q) { return x0 + (j + 4 * l) * 4 + q; }

/// Builds the blocks for all steps (the last one overlaps the one before when the width is not
/// a multiple of 32). Returns whether every lane's 4 windows fit in 8 int16 (scale up to 4/3):
/// then the windows are two loads and shuffles, else gathers.
bool make_htables(HTables& t, int W, const int* s, const int16_t* w) {
  const int steps = (W + 31) / 32;
  t.blocks.resize(size_t(steps) * 4);
  t.base.resize(size_t(steps) * 8);
  t.s.resize(size_t(steps) * 32);
  bool fits = true;
  for (int c = 0; c < steps; ++c) {
    const int x0 = std::min(c * 32, W - 32);
    for (int j = 0; j < 4; ++j) {
      const size_t bi = size_t(c) * 4 + size_t(j);
      HBlock& b = t.blocks[bi];
      for (int l = 0; l < 2; ++l) {
        int base = INT32_MAX, top = INT32_MIN;
        for (int q = 0; q < 4; ++q) {
          base = std::min(base, s[step_x(x0, j, l, q)]);
          top = std::max(top, s[step_x(x0, j, l, q)]);
        }
        fits = fits && top - base <= 4;
        t.base[bi * 2 + size_t(l)] = base;
        for (int q = 0; q < 4; ++q) {
          const int x = step_x(x0, j, l, q), i = l * 4 + q;
          const int r = std::min(s[x] - base, 4);  // (clamped: unused when it does not fit)
          for (int k = 0; k < 4; ++k) b.mask[i * 4 + k] = uint8_t(2 * r + k);
          const int16_t* wx = w + size_t(x) * 4;
          b.w01[i] = int32_t(uint32_t(uint16_t(wx[0])) | uint32_t(uint16_t(wx[1])) << 16);
          b.w23[i] = int32_t(uint32_t(uint16_t(wx[2])) | uint32_t(uint16_t(wx[3])) << 16);
          t.s[bi * 8 + size_t(i)] = s[x];
        }
      }
    }
  }
  return fits;
}

/// kRows rows at once (the same tables for every row: loaded once for all of them).
template <bool kShuffle, int kRows>
__attribute__((target("avx2"))) void horizontal4_avx2(const int16_t* const* mid, const HTables& t, int W,
                                                      uint8_t* const* dst) {
  const __m256i four = _mm256_set1_epi8(4);
  const int steps = (W + 31) / 32;
  const HBlock* blocks = t.blocks.data();
  const int32_t* base = t.base.data();
  const int32_t* gs = t.s.data();
  for (int c = 0; c < steps; ++c) {
    __m256i acc[kRows][4];
    for (int j = 0; j < 4; ++j, ++blocks, base += 2, gs += 8) {
      const HBlock& b = *blocks;
      const __m256i w01 = _mm256_load_si256(reinterpret_cast<const __m256i*>(b.w01));
      const __m256i w23 = _mm256_load_si256(reinterpret_cast<const __m256i*>(b.w23));
      __m256i m01, m23, s;
      if constexpr (kShuffle) {
        m01 = _mm256_load_si256(reinterpret_cast<const __m256i*>(b.mask));
        m23 = _mm256_add_epi8(m01, four);
      } else {
        s = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(gs));
      }
      for (int r = 0; r < kRows; ++r) {
        __m256i t01, t23;
        if constexpr (kShuffle) {
          const __m256i win = _mm256_loadu2_m128i(reinterpret_cast<const __m128i*>(mid[r] + base[1]),
                                                  reinterpret_cast<const __m128i*>(mid[r] + base[0]));
          t01 = _mm256_shuffle_epi8(win, m01);
          t23 = _mm256_shuffle_epi8(win, m23);
        } else {
          t01 = _mm256_i32gather_epi32(reinterpret_cast<const int*>(mid[r]), s, 2);
          t23 = _mm256_i32gather_epi32(reinterpret_cast<const int*>(mid[r] + 2), s, 2);
        }
        const __m256i v = _mm256_add_epi32(_mm256_madd_epi16(t01, w01), _mm256_madd_epi16(t23, w23));
        acc[r][j] = _mm256_srai_epi32(v, kHShift);
      }
    }
    for (int r = 0; r < kRows; ++r) {
      const __m256i lo = _mm256_packs_epi32(acc[r][0], acc[r][1]), hi = _mm256_packs_epi32(acc[r][2], acc[r][3]);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst[r] + std::min(c * 32, W - 32)), _mm256_packus_epi16(lo, hi));
    }
  }
}

constexpr int kBand = 2;

/// n elements of v's storage from a 64-byte boundary (whole cache lines for the AVX2 rows).
int16_t* aligned64(std::vector<int16_t>& v, size_t n) {
  v.resize(n + 32);
  return reinterpret_cast<int16_t*>((reinterpret_cast<uintptr_t>(v.data()) + 63) & ~uintptr_t(63));
}

/// The horizontal pass's taps for one map of the columns: the axis, its first taps in the
/// intermediate row, the Q14 weights and the AVX2 tables.
struct Columns {
  int width = -1;
  double a = 0, b = 0;
  Axis fx;
  std::vector<int> s;
  std::vector<int16_t> wx;
  HTables tables;
  bool shuffle = false;  // the tables' windows fit (make_htables); W >= 32 has tables
};

/// The columns for (W, a, b), made once for the bands of a frame that share them: a frame's
/// luma and its chroma planes alternate, so two are kept (a transition warps its incoming
/// picture 64 rows at a time, and each band would make them again).
const Columns& columns_for(int W, double a, double b) {
  thread_local Columns kept[2];
  thread_local int next = 0;
  for (const Columns& c : kept)
    if (c.width == W && c.a == a && c.b == b) return c;
  Columns& c = kept[next];
  next ^= 1;
  make_axis(c.fx, W, a, b, kWBits);
  c.s.resize(size_t(W));
  c.wx.resize(size_t(W) * 4);
  for (int x = 0; x < W; ++x) c.s[size_t(x)] = c.fx.first[size_t(x)] - c.fx.lo;
  for (size_t i = 0; i < c.wx.size(); ++i) c.wx[i] = int16_t(c.fx.w[i]);
  // Built whatever the CPU: use_avx2() may change between calls (the tests' portable runs).
  c.shuffle = W >= 32 && make_htables(c.tables, W, c.s.data(), c.wx.data());
  c.width = W;
  c.a = a;
  c.b = b;
  return c;
}

void resample4(const PlaneView& src, const PlaneView& dst, double ax, double bx, double ay, double by, int first_row) {
  thread_local Axis fy;
  thread_local std::vector<int16_t> wy, mids, widened;
  const int W = dst.width, H = dst.height, sw = src.width, sh = src.height;
  const Columns& columns = columns_for(W, ax, bx);
  const Axis& fx = columns.fx;
  const std::vector<int>& s = columns.s;
  const std::vector<int16_t>& wx = columns.wx;
  const HTables& tables = columns.tables;
  make_axis(fy, H, ay, by, kWBits, first_row);
  // Horizontal taps index an intermediate row over the unclamped range [fx.lo, fx.hi]; the
  // columns off the source repeat the edge column, which is what clamping would read.
  const int len = fx.hi - fx.lo + 1, stride = (len + 16 + 31) & ~31;  // + 16: AVX2 reads 8 int16 from a window start
  int16_t* const mid0 = aligned64(mids, size_t(stride) * kBand);
  wy.resize(size_t(H) * 4);
  for (size_t i = 0; i < wy.size(); ++i) wy[i] = int16_t(fy.w[i]);
  const bool avx2 = use_avx2(), havx2 = avx2 && W >= 32;
  const bool shuffle = havx2 && columns.shuffle;
  // Source columns computed: [cl, ch]; when the whole range is off one side that is the one
  // edge column, computed at its own place (`at`) and spread over the row.
  const int cl = std::clamp(fx.lo, 0, sw - 1), ch = std::clamp(fx.hi, 0, sw - 1);
  const bool outside = fx.hi < 0 || fx.lo > sw - 1;
  const int at = outside ? 0 : cl - fx.lo, n = ch - cl + 1;
  // The widened source rows: slot = row % 8 (an output band reads at most 6 consecutive rows).
  constexpr int kSlots = 8;
  const int wstride = (n + 31) & ~31;
  int16_t* const widened0 = aligned64(widened, size_t(wstride) * kSlots);
  int tag[kSlots];
  std::fill(tag, tag + kSlots, -1);
  auto source_row = [&](int sy) {
    sy = std::clamp(sy, 0, sh - 1);
    int16_t* out = widened0 + size_t(sy % kSlots) * size_t(wstride);
    if (tag[sy % kSlots] != sy) {
      if (avx2)
        widen_avx2(src.row(sy) + cl, n, out);
      else
        widen_portable(src.row(sy) + cl, 0, n, out);
      tag[sy % kSlots] = sy;
    }
    return static_cast<const int16_t*>(out);
  };
  int16_t* mid[kBand];
  uint8_t* out[kBand];
  for (int r = 0; r < kBand; ++r) mid[r] = mid0 + size_t(r) * size_t(stride);
  // kBand rows at a time: the horizontal pass then reads its tables once for all of them.
  for (int y = 0; y < H; y += kBand) {
    const int rows_now = std::min(kBand, H - y);
    for (int r = 0; r < rows_now; ++r) {
      out[r] = dst.row(y + r);
      const int16_t* rows[4];
      for (int k = 0; k < 4; ++k) rows[k] = source_row(fy.first[size_t(y + r)] + k);
      const int16_t* w = &wy[size_t(y + r) * 4];
      int16_t* m = mid[r];
      if (avx2)
        vertical4_avx2(rows, w, n, m + at);
      else
        vertical4_portable(rows, w, 0, n, m + at);
      std::fill(m, m + at, m[at]);
      std::fill(m + at + n, m + len, m[at + n - 1]);
    }
    if (shuffle && rows_now == kBand)
      horizontal4_avx2<true, kBand>(mid, tables, W, out);
    else if (shuffle)
      for (int r = 0; r < rows_now; ++r) horizontal4_avx2<true, 1>(mid + r, tables, W, out + r);
    else if (havx2 && rows_now == kBand)
      horizontal4_avx2<false, kBand>(mid, tables, W, out);
    else if (havx2)
      for (int r = 0; r < rows_now; ++r) horizontal4_avx2<false, 1>(mid + r, tables, W, out + r);
    else
      for (int r = 0; r < rows_now; ++r) horizontal4_portable(mid[r], s.data(), wx.data(), 0, W, out[r]);
  }
}

// ---- The general path (a widened kernel on either axis): 32-bit integers. Vertical Q16
// weights summed exactly, then rounded to a Q7 intermediate; Q15 horizontal weights. The
// error stays small however many taps there are, and integer sums are the same bits however
// the compiler vectorises them.
constexpr int kGVBits = 16, kGMidBits = 7, kGHBits = 15, kGHShift = kGMidBits + kGHBits;

/// mid[x] = round(sum_k w[k] * rows[k][x] / 2^9): |sum| <= 255 * 1.25 * 2^16 fits int32.
__attribute__((always_inline)) inline void vertical_general(const uint8_t* const* rows, const int32_t* w, int taps,
                                                            int n, int32_t* mid) {
  const uint8_t* r0 = rows[0];
  for (int x = 0; x < n; ++x) mid[x] = w[0] * int32_t(r0[x]);
  for (int k = 1; k < taps; ++k) {
    const uint8_t* rk = rows[k];
    const int32_t wk = w[k];
    for (int x = 0; x < n; ++x) mid[x] += wk * int32_t(rk[x]);
  }
  constexpr int shift = kGVBits - kGMidBits;
  for (int x = 0; x < n; ++x) mid[x] = (mid[x] + (1 << (shift - 1))) >> shift;
}

/// dst[x] = clamp(round(sum_k w[x][k] * mid[s[x] + k] / 2^22)); |sum| <= 1.25 * 36720 * 2^15
/// fits int32. kTaps > 0: the tap count known at compile time (the loop unrolls).
template <int kTaps>
__attribute__((always_inline)) inline void horizontal_general(const int32_t* mid, const int* s, const int32_t* w,
                                                              int taps, int n, uint8_t* dst) {
  if constexpr (kTaps > 0) taps = kTaps;
  for (int x = 0; x < n; ++x, w += taps) {
    const int32_t* p = mid + s[x];
    int32_t acc = 1 << (kGHShift - 1);
    for (int k = 0; k < taps; ++k) acc += w[k] * p[k];
    const int32_t v = acc >> kGHShift;
    dst[x] = uint8_t(v < 0 ? 0 : (v > 255 ? 255 : v));
  }
}

struct GeneralJob {
  const PlaneView *src = nullptr, *dst = nullptr;
  const Axis *fx = nullptr, *fy = nullptr;
  const int* s = nullptr;     // per output, its first tap in mid
  int32_t* mid = nullptr;     // the intermediate row over fx's unclamped range
  int at = 0, n = 0, cl = 0;  // source columns [cl, cl + n) go to mid[at, at + n); the rest repeats edges
  const uint8_t** rows = nullptr;
};

/// The rows of the general path; compiled twice below (integer code: the AVX2 build only runs
/// it wider, with the same results).
__attribute__((always_inline)) inline void general_rows(const GeneralJob& j) {
  const Axis &fx = *j.fx, &fy = *j.fy;
  const int W = j.dst->width, len = fx.hi - fx.lo + 1;
  for (int y = 0; y < j.dst->height; ++y) {
    for (int k = 0; k < fy.taps; ++k)
      j.rows[k] = j.src->row(std::clamp(fy.first[size_t(y)] + k, 0, j.src->height - 1)) + j.cl;
    vertical_general(j.rows, &fy.w[size_t(y) * size_t(fy.taps)], fy.taps, j.n, j.mid + j.at);
    std::fill(j.mid, j.mid + j.at, j.mid[j.at]);
    std::fill(j.mid + j.at + j.n, j.mid + len, j.mid[j.at + j.n - 1]);
    uint8_t* out = j.dst->row(y);
    const int32_t* w = fx.w.data();
    if (fx.taps == 4)
      horizontal_general<4>(j.mid, j.s, w, 4, W, out);
    else if (fx.taps == 6)
      horizontal_general<6>(j.mid, j.s, w, 6, W, out);
    else if (fx.taps == 8)
      horizontal_general<8>(j.mid, j.s, w, 8, W, out);
    else if (fx.taps == 10)
      horizontal_general<10>(j.mid, j.s, w, 10, W, out);
    else
      horizontal_general<0>(j.mid, j.s, w, fx.taps, W, out);
  }
}

void general_rows_portable(const GeneralJob& j) { general_rows(j); }
__attribute__((target("avx2"))) void general_rows_avx2(const GeneralJob& j) { general_rows(j); }

void resample_general(const PlaneView& src, const PlaneView& dst, double ax, double bx, double ay, double by,
                      int first_row) {
  thread_local Axis fx, fy;
  thread_local std::vector<int32_t> mid;
  thread_local std::vector<int> s;
  thread_local std::vector<const uint8_t*> rows;
  const int W = dst.width, sw = src.width;
  make_axis(fx, W, ax, bx, kGHBits);
  make_axis(fy, dst.height, ay, by, kGVBits, first_row);
  // As in resample4: an intermediate row over the unclamped range, edges repeated.
  mid.resize(size_t(fx.hi - fx.lo + 1));
  s.resize(size_t(W));
  for (int x = 0; x < W; ++x) s[size_t(x)] = fx.first[size_t(x)] - fx.lo;
  rows.resize(size_t(fy.taps));
  const int cl = std::clamp(fx.lo, 0, sw - 1), ch = std::clamp(fx.hi, 0, sw - 1);
  const bool outside = fx.hi < 0 || fx.lo > sw - 1;
  GeneralJob job;
  job.src = &src;
  job.dst = &dst;
  job.fx = &fx;
  job.fy = &fy;
  job.s = s.data();
  job.mid = mid.data();
  job.at = outside ? 0 : cl - fx.lo;
  job.n = ch - cl + 1;
  job.cl = cl;
  job.rows = rows.data();
  if (use_avx2())
    general_rows_avx2(job);
  else
    general_rows_portable(job);
}

}  // namespace

void resample_plane(const PlaneView& src, const PlaneView& dst, double ax, double bx, double ay, double by,
                    int first_row) {
  if (dst.width <= 0 || dst.height <= 0) return;
  if (std::abs(ax) > kWidenAbove || std::abs(ay) > kWidenAbove)
    resample_general(src, dst, ax, bx, ay, by, first_row);
  else
    resample4(src, dst, ax, bx, ay, by, first_row);
}

void resample_force_portable_for_tests(bool on) { force_portable.store(on, std::memory_order_relaxed); }

}  // namespace reel::engine
