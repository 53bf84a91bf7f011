#pragma once
// The master limiter of the audio mix. Plain DSP, no libav. See docs/audio.md.
#include "engine/internal.h"

#include <cstdint>
#include <vector>

namespace reel::engine {

/// A look-ahead true-peak limiter for 48 kHz stereo float, linked (one gain for both
/// channels, so the stereo image holds). The peak of each sample and of three points between
/// it and the next (4x oversampling, 16-tap windowed sinc) sets the gain it needs; the gain
/// is the minimum of those over a 5 ms look-ahead window, released with a 150 ms time
/// constant, then averaged over the same 5 ms, so it ramps down *before* a peak arrives and
/// reaches the needed gain exactly on it. Guarantee: no sample, and no 4x-interpolated point,
/// leaves above `ceiling` (in the limit of the interpolator's accuracy, about 0.1 dB).
/// Output is delayed by latency() samples; the caller runs the input ahead by that much.
/// Not thread-safe.
class TruePeakLimiter {
 public:
  explicit TruePeakLimiter(double ceiling_dbfs = -1.0);
  /// Samples between input and output.
  int latency() const;
  /// Processes `frames` interleaved stereo frames in place (output = input delayed by latency()).
  void process(float* interleaved, int64_t frames);
  /// Forgets everything (as after construction): the delay line is silence.
  void reset();

 private:
  static constexpr int kLookahead = 240;  // 5 ms at 48 kHz
  static constexpr int kTaps = 16;        // interpolator length per phase

  double required_gain(int64_t n) const;  // for input index n, needs input up to n + kTaps/2

  float ceiling_;
  float fast_path_level_;  // a block whose samples stay under this cannot need limiting
  float phase_[3][kTaps];  // interpolation at +1/4, +1/2, +3/4 between samples
  double release_coef_;
  // Rings indexed by absolute sample index modulo their size.
  std::vector<float> input_;      // stereo history: detection window + delay line
  std::vector<float> required_;   // r[n]
  std::vector<int64_t> min_idx_;  // monotonic deque of indices (sliding minimum of r)
  int64_t min_head_ = 0, min_tail_ = 0;
  std::vector<float> env_;  // e[n] for the moving average
  double env_sum_ = 0;
  double env_last_ = 1;
  int64_t count_ = 0;      // input samples seen
  float recent_peak_ = 0;  // sample peak of the previous block, for the fast path
};

}  // namespace reel::engine
