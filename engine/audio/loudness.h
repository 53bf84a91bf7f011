#pragma once
// Loudness normalisation of the final mix: measured with EBU R128 (libebur128), brought to a
// target by the mix's master gain, its peaks held by the mix's true-peak limiter. See
// docs/audio.md ("Loudness").
#include "engine/internal.h"

#include <atomic>
#include <string>

namespace reel::engine {

class AudioMix;

/// One EBU R128 measurement of a stretch of the mix.
struct LoudnessMeasure {
  double integrated_lufs = 0;  // -infinity when everything is below the -70 LUFS gate
  double true_peak_dbtp = 0;   // the highest of both channels, 4x oversampled (libebur128)
};

/// Measures `mix` from its position to its end, block by block (memory does not grow with the
/// length), then seeks it back to where it was. Throws Cancelled when `cancel` turns true.
LoudnessMeasure measure_loudness(AudioMix& mix, const std::atomic<bool>* cancel = nullptr);

/// What normalise_loudness found and did.
struct LoudnessResult {
  double measured_lufs = 0;  // the mix as it came, at 0 dB
  double gain_db = 0;        // the master gain it plays with now
  double reached_lufs = 0;   // what it measures with that gain (the last pass, or predicted exactly)
  int passes = 0;            // measuring passes over the whole mix
  std::string notice;        // non-empty when the target could not be reached within 1 LU
};

/// The most a quiet mix is raised: beyond it the noise floor comes up with the music.
inline constexpr double kMaxLoudnessGainDb = 24;

/// Sets `mix`'s master gain so that, from its position to its end, it measures `target_lufs`
/// integrated (within 0.2 LU when the limiter allows), and seeks it back to that position.
/// The first pass measures the mix as it is; when the gain would push its true peak into the
/// limiter, further passes (at most three in all) measure it again with the gain and correct
/// for what the limiter took away. A silent mix is left alone.
LoudnessResult normalise_loudness(AudioMix& mix, double target_lufs, const std::atomic<bool>* cancel = nullptr);

}  // namespace reel::engine
