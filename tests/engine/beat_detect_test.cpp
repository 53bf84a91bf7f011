// Beats of synthetic music: a click track at a known tempo and phase, alone and under a tone.
#include "engine/beat_detect.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace reel::engine;

namespace {

constexpr int kRate = 48000;

// `seconds` of a click every 60/bpm s from `first_ms`, each click a 4 ms decaying 2 kHz burst
// over a thump, optionally under a steady chord.
std::vector<float> click_track(double bpm, double first_ms, double seconds, bool with_tone) {
  std::vector<float> s(static_cast<size_t>(seconds * kRate), 0.0f);
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0, 0.01f);
  for (size_t i = 0; i < s.size(); ++i) {
    double t = static_cast<double>(i) / kRate;
    if (with_tone) s[i] = 0.2f * std::sin(2 * M_PI * 220 * t) + 0.1f * std::sin(2 * M_PI * 330 * t) + noise(rng);
  }
  for (double at = first_ms; at < seconds * 1000; at += 60000.0 / bpm) {
    size_t start = static_cast<size_t>(std::llround(at * kRate / 1000));
    for (size_t k = 0; k < 4800 && start + k < s.size(); ++k) {
      double t = static_cast<double>(k) / kRate;
      double env = std::exp(-t * 60);
      s[start + k] += static_cast<float>(0.6 * env * (std::sin(2 * M_PI * 2000 * t) + std::sin(2 * M_PI * 60 * t)));
    }
  }
  return s;
}

void expect_on_beats(const BeatAnalysis& a, double bpm, double first_ms, double tolerance_ms) {
  ASSERT_GT(a.beats_ms.size(), 10u);
  double period = 60000.0 / bpm;
  for (int64_t b : a.beats_ms) {
    double k = std::round((b - first_ms) / period);
    EXPECT_NEAR(b, first_ms + k * period, tolerance_ms) << "beat at " << b << " ms";
  }
}

}  // namespace

TEST(Beats, ClickTrackAt120BpmIsFoundToTheMillisecond) {
  BeatAnalysis a = detect_beats(click_track(120, 250, 20, false), kRate);
  EXPECT_NEAR(a.bpm, 120, 0.5);
  expect_on_beats(a, 120, 250, 2);
  EXPECT_EQ(a.beats_ms.size(), 40u);  // 250, 750, ... 19750
}

TEST(Beats, UnderASteadyChordTheBeatsStayWithinAFrame) {
  for (double bpm : {90.0, 120.0, 150.0}) {
    BeatAnalysis a = detect_beats(click_track(bpm, 100, 20, true), kRate);
    EXPECT_NEAR(a.bpm, bpm, 1.0) << bpm;
    expect_on_beats(a, bpm, 100, 1000.0 / 30);  // within one frame at 30 fps
  }
}

TEST(Beats, SilenceHasNoPulse) {
  BeatAnalysis a = detect_beats(std::vector<float>(kRate * 10, 0.0f), kRate);
  EXPECT_EQ(a.bpm, 0);
  EXPECT_TRUE(a.beats_ms.empty());
}
