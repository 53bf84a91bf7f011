#include "engine/audio/limiter.h"

#include <algorithm>
#include <cmath>

namespace reel::engine {

namespace {
constexpr int kRing = 512;  // > latency + interpolator half-length; a power of two
constexpr int kMask = kRing - 1;
constexpr double kPi = 3.14159265358979323846;
}  // namespace

TruePeakLimiter::TruePeakLimiter(double ceiling_dbfs)
    : ceiling_(static_cast<float>(std::pow(10.0, ceiling_dbfs / 20.0))),
      release_coef_(1.0 - std::exp(-1.0 / (0.150 * 48000.0))) {
  static_assert(kLookahead + kTaps < kRing);
  // Windowed sinc (Hann over +-8.5 samples), normalised to unit DC gain: the value of the
  // band-limited signal a quarter, a half and three quarters of the way to the next sample.
  double l1 = 1.0;
  for (int p = 0; p < 3; ++p) {
    const double frac = (p + 1) / 4.0;
    double sum = 0;
    for (int i = 0; i < kTaps; ++i) {
      const double t = (i - (kTaps / 2 - 1)) - frac;  // taps at x[k-7] .. x[k+8]
      const double sinc = t == 0 ? 1.0 : std::sin(kPi * t) / (kPi * t);
      const double window = 0.5 * (1.0 + std::cos(kPi * t / 8.5));
      phase_[p][i] = static_cast<float>(sinc * window);
      sum += phase_[p][i];
    }
    double abs_sum = 0;
    for (float& h : phase_[p]) {
      h = static_cast<float>(h / sum);
      abs_sum += std::fabs(h);
    }
    l1 = std::max(l1, abs_sum);
  }
  // |interpolated| <= l1 * max|x| over the taps: below this level no point can be over.
  fast_path_level_ = static_cast<float>(ceiling_ / l1);
  reset();
}

int TruePeakLimiter::latency() const { return kLookahead - 1 + kTaps / 2; }

void TruePeakLimiter::reset() {
  input_.assign(size_t(kRing) * 2, 0.0f);
  required_.assign(kRing, 1.0f);
  min_idx_.assign(kRing, 0);
  min_head_ = min_tail_ = 0;
  env_.assign(kRing, 1.0f);
  env_sum_ = kLookahead;
  env_last_ = 1;
  count_ = 0;
  recent_peak_ = 0;
}

double TruePeakLimiter::required_gain(int64_t k) const {
  // Peak of the segment from sample k to k+1: both samples and the three points between.
  float peak = 0;
  for (int c = 0; c < 2; ++c) {
    auto x = [&](int64_t i) { return input_[size_t(i & kMask) * 2 + c]; };
    peak = std::max({peak, std::fabs(x(k)), std::fabs(x(k + 1))});
    for (int p = 0; p < 3; ++p) {
      float v = 0;
      for (int i = 0; i < kTaps; ++i) v += phase_[p][i] * x(k - (kTaps / 2 - 1) + i);
      peak = std::max(peak, std::fabs(v));
    }
  }
  return peak > ceiling_ ? ceiling_ / peak : 1.0;
}

void TruePeakLimiter::process(float* io, int64_t frames) {
  float block_peak = 0;
  for (int64_t i = 0; i < frames * 2; ++i) block_peak = std::max(block_peak, std::fabs(io[i]));
  const bool quiet = std::max(block_peak, recent_peak_) <= fast_path_level_;
  const int L = kLookahead;
  const int half = kTaps / 2;

  for (int64_t f = 0; f < frames; ++f) {
    const int64_t m = count_++;  // newest input index
    input_[size_t(m & kMask) * 2] = io[f * 2];
    input_[size_t(m & kMask) * 2 + 1] = io[f * 2 + 1];

    // r[k] for k = m - half: the gain sample k needs for the segments on either side of it
    // (required_ keeps the gain of each segment k -> k+1).
    const int64_t k = m - half;
    required_[size_t(k & kMask)] = static_cast<float>(quiet ? 1.0 : required_gain(k));
    auto r_of = [&](int64_t i) { return std::min(required_[size_t(i & kMask)], required_[size_t((i - 1) & kMask)]); };
    const float r = r_of(k);

    // Sliding minimum of r over [k-L+1, k]: a monotonic deque of indices.
    while (min_tail_ > min_head_ && r_of(min_idx_[size_t((min_tail_ - 1) & kMask)]) >= r) --min_tail_;
    min_idx_[size_t(min_tail_++ & kMask)] = k;
    while (min_idx_[size_t(min_head_ & kMask)] <= k - L) ++min_head_;
    const double held = r_of(min_idx_[size_t(min_head_ & kMask)]);

    // Release towards 1, never above the held requirement; then the mean over the same window,
    // so the gain ramps down over the L samples before a peak and is at most r on it.
    const float e = static_cast<float>(std::min(held, env_last_ + (1.0 - env_last_) * release_coef_));
    env_last_ = e;
    env_sum_ += double(e) - double(env_[size_t((k - L) & kMask)]);
    env_[size_t(k & kMask)] = e;
    if ((k & 4095) == 0) {  // re-add now and then so rounding never accumulates
      env_sum_ = 0;
      for (int64_t i = k - L + 1; i <= k; ++i) env_sum_ += env_[size_t(i & kMask)];
    }
    const double gain = std::min(1.0, env_sum_ / L);

    const int64_t o = k - (L - 1);  // output index
    io[f * 2] = input_[size_t(o & kMask) * 2] * static_cast<float>(gain);
    io[f * 2 + 1] = input_[size_t(o & kMask) * 2 + 1] * static_cast<float>(gain);
  }
  recent_peak_ = frames >= kTaps ? block_peak : std::max(recent_peak_, block_peak);
}

}  // namespace reel::engine
