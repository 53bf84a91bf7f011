#include "engine/audio/loudness.h"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "engine/audio/mix.h"
#include "engine/errors.h"

namespace reel::engine {

namespace {

struct FreeEbur128 {
  void operator()(ebur128_state* s) const noexcept {
    if (s) ebur128_destroy(&s);
  }
};

double to_db(double linear) { return linear > 0 ? 20 * std::log10(linear) : -HUGE_VAL; }

}  // namespace

LoudnessMeasure measure_loudness(AudioMix& mix, const std::atomic<bool>* cancel) {
  // The histogram mode keeps a fixed table instead of every 100 ms block: constant memory.
  std::unique_ptr<ebur128_state, FreeEbur128> meter(ebur128_init(
      AudioMix::kChannels, AudioMix::kRate, EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK | EBUR128_MODE_HISTOGRAM));
  if (!meter) throw EngineError("libebur128 could not start a loudness meter");
  const int64_t start = mix.position();
  std::vector<float> block(size_t(AudioMix::kRate) * AudioMix::kChannels);  // a second at a time
  for (int64_t n; (n = mix.render(block.data(), AudioMix::kRate)) > 0;) {
    if (cancel && cancel->load()) throw Cancelled();
    if (ebur128_add_frames_float(meter.get(), block.data(), size_t(n)) != EBUR128_SUCCESS)
      throw EngineError("libebur128 could not measure the mix");
  }
  mix.seek(start);
  LoudnessMeasure m;
  if (ebur128_loudness_global(meter.get(), &m.integrated_lufs) != EBUR128_SUCCESS)
    throw EngineError("libebur128 could not give the mix's loudness");
  double peak = 0;
  for (unsigned ch = 0; ch < AudioMix::kChannels; ++ch) {
    double p = 0;
    if (ebur128_true_peak(meter.get(), ch, &p) != EBUR128_SUCCESS)
      throw EngineError("libebur128 could not give the mix's true peak");
    peak = std::max(peak, p);
  }
  m.true_peak_dbtp = to_db(peak);
  return m;
}

LoudnessResult normalise_loudness(AudioMix& mix, double target_lufs, const std::atomic<bool>* cancel) {
  constexpr double kClose = 0.2;   // LU: near enough to stop measuring
  constexpr double kMargin = 0.1;  // dB under the limiter's ceiling that it surely leaves alone
  constexpr int kMaxPasses = 3;
  const int64_t start = mix.position();
  LoudnessResult r;
  mix.set_gain_db(0);
  mix.seek(start);
  LoudnessMeasure m = measure_loudness(mix, cancel);
  r.passes = 1;
  r.measured_lufs = r.reached_lufs = m.integrated_lufs;
  if (!std::isfinite(m.integrated_lufs)) return r;  // silence (or below the gate): nothing to raise
  double gain = 0;
  while (std::fabs(target_lufs - r.reached_lufs) > kClose) {
    if (r.passes == kMaxPasses) break;  // the gain of the last measured pass stays
    const double wanted = std::clamp(gain + target_lufs - r.reached_lufs, -60.0, kMaxLoudnessGainDb);
    if (wanted == gain) break;  // at the most it may be raised
    const double step = wanted - gain;
    gain = wanted;
    mix.set_gain_db(gain);
    mix.seek(start);
    // Under the ceiling before and after, the limiter does nothing: loudness moves with the gain.
    const double ceiling = AudioMix::kCeilingDbtp - kMargin;
    if (m.true_peak_dbtp < ceiling && m.true_peak_dbtp + step < ceiling) {
      r.reached_lufs += step;
      m.true_peak_dbtp += step;
      continue;
    }
    m = measure_loudness(mix, cancel);
    ++r.passes;
    r.reached_lufs = m.integrated_lufs;
  }
  r.gain_db = gain;
  if (std::fabs(target_lufs - r.reached_lufs) > 1) {
    char buf[300];
    std::snprintf(buf, sizeof buf,
                  "the sound measures %.1f LUFS, not the %.1f LUFS asked for (raised %.1f dB, %s); set m.loudness or "
                  "--loudness to change the target",
                  r.reached_lufs, target_lufs, gain,
                  gain >= kMaxLoudnessGainDb ? "the most reel raises a quiet mix" : "its peaks held at -2 dBTP");
    r.notice = buf;
  }
  mix.seek(start);
  return r;
}

}  // namespace reel::engine
