// End-to-end: the sound of a render is brought to its loudness target, measured on the MP4 by an
// independent meter, the `ffmpeg` program's ebur128 filter (EBU R128 integrated loudness and
// true peak), on three kinds of music the test synthesises.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <random>
#include <regex>

#include "support/run_command.h"
#include "support/wav_writer.h"
#include "tests/engine/support/media_fixtures.h"

namespace reel::test {
namespace {

constexpr int kRate = 48000;
constexpr double kSeconds = 12;

std::vector<int16_t> to_pcm(const std::vector<double>& x) {
  std::vector<int16_t> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) out[i] = int16_t(std::lround(32767 * std::clamp(x[i], -1.0, 1.0)));
  return out;
}

// Music-like: a chord every half second (three partials each, decaying), a little noise, and a
// drum hit of `hit` amplitude every two seconds; `level` scales the chords.
std::vector<double> music(double level, double hit, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 1);
  const double roots[] = {220, 246.94, 261.63, 293.66, 329.63, 196};
  std::vector<double> x(size_t(kSeconds * kRate));
  for (size_t i = 0; i < x.size(); ++i) {
    const double t = double(i) / kRate;
    const int note = int(t / 0.5);
    const double in_note = t - note * 0.5, f = roots[note % 6];
    double v = 0;
    for (double ratio : {1.0, 1.25, 1.5}) v += std::sin(2 * M_PI * f * ratio * t);
    v = level * (v / 3) * (0.4 + 0.6 * std::exp(-3 * in_note)) + level * 0.05 * noise(rng);
    const double in_beat = std::fmod(t, 2.0);
    if (in_beat < 0.08)
      v += hit * std::exp(-40 * in_beat) * std::sin(2 * M_PI * 60 * in_beat) +
           hit * 0.3 * noise(rng) * std::exp(-60 * in_beat);
    x[i] = v;
  }
  return x;
}

// Speech-like: a voice of harmonics of a gliding 140-200 Hz pitch in syllables (4 a second),
// with pauses between phrases, from 2 s to 10 s.
std::vector<double> voice(double level) {
  std::vector<double> x(size_t(kSeconds * kRate));
  double phase = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double t = double(i) / kRate;
    if (t < 2 || t > 10 || std::fmod(t - 2, 2.5) > 2.0) continue;  // phrases of 2 s, 0.5 s apart
    const double pitch = 170 + 30 * std::sin(2 * M_PI * 0.7 * t);
    phase += 2 * M_PI * pitch / kRate;
    double v = 0;
    for (int h = 1; h <= 8; ++h) v += std::sin(h * phase) / h;
    const double syllable = std::pow(std::sin(M_PI * std::fmod(t * 4, 1.0)), 2);
    x[i] = level * 0.5 * v * syllable;
  }
  return x;
}

struct Measured {
  double integrated_lufs = NAN, true_peak_dbtp = NAN;
};

// The ffmpeg program's ebur128 filter on the file's sound: its summary's "I:" and true "Peak:".
Measured ffmpeg_ebur128(const std::string& path) {
  RunResult r = run_command(
      "ffmpeg", {"-nostats", "-hide_banner", "-i", path, "-map", "0:a", "-af", "ebur128=peak=true", "-f", "null", "-"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Measured m;
  const size_t summary = r.err.rfind("Summary:");
  EXPECT_NE(summary, std::string::npos) << r.err;
  if (summary == std::string::npos) return m;
  const std::string s = r.err.substr(summary);
  std::smatch i, p;
  if (std::regex_search(s, i, std::regex(R"(I:\s+(-?[0-9.]+|-inf) LUFS)"))) m.integrated_lufs = std::stod(i[1]);
  if (std::regex_search(s, p, std::regex(R"(True peak:\s+Peak:\s+(-?[0-9.]+|-inf) dBFS)")))
    m.true_peak_dbtp = std::stod(p[1]);
  return m;
}

struct LoudnessCase {
  TempDir dir;
  std::string said;  // what the last render printed
  explicit LoudnessCase(const std::vector<double>& music_samples, const std::vector<double>* voice_samples = nullptr,
                        const Json& draft_meta = Json::object()) {
    write_image(dir.file("p.jpg"), detailed_photo(160, 90, 3));
    Json j = slideshow_json(160, 90, 10, {"p.jpg"}, int(kSeconds * 1000));
    for (auto& [k, v] : draft_meta.items()) j["m"][k] = v;
    write_wav(dir.file("music.wav"), to_pcm(music_samples));
    j["t"].push_back(
        {{"tt", 1}, {"sg", {{{"s", 0}, {"d", int(kSeconds * 1000)}, {"src", "music.wav"}, {"m", {{"duck", true}}}}}}});
    if (voice_samples) {
      write_wav(dir.file("voice.wav"), to_pcm(*voice_samples));
      j["t"].push_back({{"tt", 1},
                        {"m", {{"kind", "voice"}}},
                        {"sg", {{{"s", 0}, {"d", int(kSeconds * 1000)}, {"src", "voice.wav"}}}}});
    }
    std::ofstream(dir.file("draft.json")) << j.dump();
  }
  Measured render(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"render", "draft.json", "-o", "out.mp4", "--threads", "1", "--no-cache"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = run_command(REEL_BINARY, args, "", dir.path().string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    said = r.err;
    const Measured m = ffmpeg_ebur128(dir.file("out.mp4"));
    std::cout << "[ measured ] " << ::testing::UnitTest::GetInstance()->current_test_info()->name() << ": "
              << m.integrated_lufs << " LUFS, true peak " << m.true_peak_dbtp << " dBTP (music as played "
              << music_as_played_lufs() << " LUFS)\n";
    return m;
  }
  // The music file as reel plays it: the test's WAVs are mono, which plays at full level on both
  // sides (docs/audio.md), 3.01 LU above the mono file's own measure.
  double music_as_played_lufs() { return ffmpeg_ebur128(dir.file("music.wav")).integrated_lufs + 3.01; }
};

// The AAC encoder's own overshoot over the mix's -2 dBTP limiter (docs/audio.md) must stay under
// the -1 dBTP the platforms ask for; ffmpeg's meter reads its peaks to 0.1 dB.
constexpr double kTruePeakLimit = -1.0 + 0.1;

TEST(Loudness, QuietMusicWithDrumHitsIsRaisedToMinus14LufsWithItsPeaksHeld) {
  LoudnessCase c(music(0.05, 0.4, 1));
  const Measured file = ffmpeg_ebur128(c.dir.file("music.wav"));
  const double before = c.music_as_played_lufs();
  ASSERT_LT(before, -20) << "the music is quiet";
  ASSERT_GT(file.true_peak_dbtp + (-14 - before), 0) << "raising it alone would clip its hits";
  const Measured m = c.render();
  EXPECT_NEAR(m.integrated_lufs, -14, 1.0) << c.said;
  EXPECT_LE(m.true_peak_dbtp, kTruePeakLimit);
}

TEST(Loudness, LoudMusicIsLoweredToMinus14Lufs) {
  LoudnessCase c(music(0.9, 0.9, 2));
  ASSERT_GT(c.music_as_played_lufs(), -10) << "the music is loud";
  const Measured m = c.render();
  EXPECT_NEAR(m.integrated_lufs, -14, 1.0) << c.said;
  EXPECT_LE(m.true_peak_dbtp, kTruePeakLimit);
}

TEST(Loudness, MusicWithAVoiceOverIsBroughtToMinus14LufsAsAWhole) {
  const std::vector<double> v = voice(0.6);
  LoudnessCase c(music(0.25, 0.3, 3), &v);
  const Measured m = c.render();
  EXPECT_NEAR(m.integrated_lufs, -14, 1.0) << c.said;
  EXPECT_LE(m.true_peak_dbtp, kTruePeakLimit);
}

TEST(Loudness, TheDraftAndTheFlagChooseTheTargetOrTurnItOff) {
  LoudnessCase c(music(0.6, 0.3, 4), nullptr, {{"loudness", -20}});
  ASSERT_GT(c.music_as_played_lufs(), -14) << "far from both targets below";
  EXPECT_NEAR(c.render().integrated_lufs, -20, 1.0) << "m.loudness";
  EXPECT_NEAR(c.render({"--loudness", "-16"}).integrated_lufs, -16, 1.0) << "the flag wins over the draft";
  EXPECT_NEAR(c.render({"--loudness", "off"}).integrated_lufs, c.music_as_played_lufs(), 0.5)
      << "off: the mix at its own level";
}

TEST(Loudness, ABadTargetIsAUsageError) {
  LoudnessCase c(music(0.25, 0.3, 5));
  RunResult r = run_command(REEL_BINARY, {"render", "draft.json", "-o", "out.mp4", "--loudness", "loud"}, "",
                            c.dir.path().string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "reel: --loudness takes a target in LUFS from -40 to -5 (such as -14) or off, not loud\n");
}

}  // namespace
}  // namespace reel::test
