#include "engine/beat_detect.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/audio/decoder.h"

namespace reel::engine {

namespace {

constexpr int kHop = 240;  // 5 ms at 48 kHz: fine enough to place a beat within a frame

// Onset strength per hop: the rise of log energy over a 20 ms window, in a low and a high
// band (kick drums and clicks both count), half-wave rectified. The window spans several
// periods of any steady tone, so sustained notes do not look like onsets.
std::vector<double> onset_envelope(const std::vector<float>& mono) {
  const size_t window = 960;
  std::vector<double> low_sq(mono.size() + 1, 0), high_sq(mono.size() + 1, 0);
  double lp = 0;
  for (size_t i = 0; i < mono.size(); ++i) {
    lp += 0.05 * (mono[i] - lp);  // one-pole low-pass at about 400 Hz
    low_sq[i + 1] = low_sq[i] + lp * lp;
    high_sq[i + 1] = high_sq[i] + (mono[i] - lp) * (mono[i] - lp);
  }
  size_t hops = mono.size() / kHop;
  std::vector<double> low(hops), high(hops), env(hops, 0);
  for (size_t h = 0; h < hops; ++h) {
    size_t b = h * kHop, a = b >= window ? b - window : 0;  // the window ending at the hop's start
    size_t e = std::min(mono.size(), b + kHop);
    double n = static_cast<double>(e - a);
    low[h] = std::log1p(1000 * (low_sq[e] - low_sq[a]) / n);
    high[h] = std::log1p(1000 * (high_sq[e] - high_sq[a]) / n);
  }
  for (size_t h = 1; h < hops; ++h) env[h] = std::max(0.0, low[h] - low[h - 1]) + std::max(0.0, high[h] - high[h - 1]);
  return env;
}

// Onsets: hops where the envelope peaks above a third of its strongest rise, at least 100 ms
// apart, each placed on the sample where the sound starts to rise.
struct Onset {
  double ms;
  double strength;
};

std::vector<Onset> pick_onsets(const std::vector<double>& env, const std::vector<float>& mono, int rate) {
  std::vector<Onset> out;
  double top = *std::max_element(env.begin(), env.end());
  if (top <= 1e-6) return out;
  const int gap = std::max(1, static_cast<int>(0.1 * rate / kHop));
  for (int h = 1; h + 1 < static_cast<int>(env.size()); ++h) {
    if (env[h] < top / 3) continue;
    bool peak = true;
    for (int k = std::max(0, h - gap); k <= std::min<int>(env.size() - 1, h + gap) && peak; ++k)
      peak = k == h || env[k] < env[h] || (env[k] == env[h] && k > h);
    if (!peak) continue;
    size_t from = static_cast<size_t>(h - 1) * kHop, to = std::min(mono.size(), static_cast<size_t>(h + 1) * kHop);
    float hop_peak = 0;
    for (size_t i = from; i < to; ++i) hop_peak = std::max(hop_peak, std::abs(mono[i]));
    // The rise: the first sample of the two hops louder than a quarter of their peak.
    size_t at = from;
    while (at < to && std::abs(mono[at]) < 0.25f * hop_peak) ++at;
    out.push_back({at * 1000.0 / rate, env[h]});
  }
  return out;
}

}  // namespace

BeatAnalysis detect_beats(const std::vector<float>& mono, int rate) {
  BeatAnalysis out;
  out.length_ms = static_cast<int64_t>(mono.size() * 1000 / std::max(1, rate));
  std::vector<double> env = onset_envelope(mono);
  if (env.size() < 100) return out;
  std::vector<Onset> onsets = pick_onsets(env, mono, rate);
  if (onsets.size() < 4) return out;

  // Tempo: the most common interval between any two onsets, 60 to 180 BPM (333 to 1000 ms),
  // in 1 ms bins smoothed over +-4 ms. Shorter intervals win ties: they have more pairs.
  std::vector<double> hist(1001, 0);
  for (size_t i = 0; i < onsets.size(); ++i)
    for (size_t j = i + 1; j < onsets.size(); ++j) {
      double dt = onsets[j].ms - onsets[i].ms;
      if (dt > 1004) break;
      if (dt >= 329)
        hist[std::min<size_t>(1000, static_cast<size_t>(std::lround(dt)))] += onsets[i].strength * onsets[j].strength;
    }
  double best = 0;
  int best_ms = 0;
  for (int ms = 333; ms <= 1000; ++ms) {
    double s = 0;
    for (int k = std::max(-4, -ms); k <= 4 && ms + k <= 1000; ++k) s += hist[ms + k];
    if (s > best * 1.05) best = s, best_ms = ms;
  }
  if (best_ms == 0) return out;

  // Period and phase: least squares of onset time against beat number, twice, keeping the
  // onsets that fall near a beat.
  double period = best_ms, t0 = onsets[0].ms;
  for (int pass = 0; pass < 3; ++pass) {
    double n = 0, sk = 0, st = 0, skk = 0, skt = 0;
    for (const Onset& o : onsets) {
      double k = std::round((o.ms - t0) / period);
      if (std::abs(o.ms - (t0 + k * period)) > period / 6) continue;
      n += 1, sk += k, st += o.ms, skk += k * k, skt += k * o.ms;
    }
    double den = n * skk - sk * sk;
    if (n < 3 || std::abs(den) < 1e-9) break;
    period = (n * skt - sk * st) / den;
    t0 = (st - period * sk) / n;
  }
  out.bpm = 60000.0 / period;

  // The beats: the grid, each point moved onto an onset within an eighth of a period.
  double first = t0 - std::floor(t0 / period) * period;
  for (double t = first; t < out.length_ms; t += period) {
    double at = t;
    for (const Onset& o : onsets)
      if (std::abs(o.ms - t) < period / 8 && std::abs(o.ms - t) < std::abs(at - t) + (at == t ? period : 0)) at = o.ms;
    out.beats_ms.push_back(static_cast<int64_t>(std::llround(at)));
  }
  return out;
}

BeatAnalysis detect_beats(const std::string& path, const std::string& reference, int64_t max_ms) {
  AudioSourceRef ref{"", reference};
  AudioSourceInfo info = probe_audio(path, ref);
  AudioDecoder dec(path, ref, info);
  int64_t frames = std::min<int64_t>(info.length, max_ms * kAudioRate / 1000);
  std::vector<float> mono;
  mono.reserve(static_cast<size_t>(frames));
  std::vector<float> block(2 * 4096);
  while (static_cast<int64_t>(mono.size()) < frames) {
    int64_t got = dec.read(block.data(), std::min<int64_t>(4096, frames - static_cast<int64_t>(mono.size())));
    if (got <= 0) break;
    for (int64_t i = 0; i < got; ++i) mono.push_back(0.5f * (block[2 * i] + block[2 * i + 1]));
  }
  BeatAnalysis a = detect_beats(mono, kAudioRate);
  a.length_ms = info.length * 1000 / kAudioRate;
  return a;
}

}  // namespace reel::engine
