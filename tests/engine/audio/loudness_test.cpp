// Loudness normalisation inside the engine: the gain it finds is applied to every sample, a
// silent mix is left alone, and the kept sound's key names the target. (Its levels are checked
// against an independent meter, ffmpeg's ebur128, in tests/cli/cli_loudness_test.cpp.)
#include "engine/audio/loudness.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/audio/mix.h"
#include "tests/engine/audio/audio_fixtures.h"

namespace reel::test {
namespace {

engine::SourceResolver in_dir(const TempDir& dir) {
  return [&dir](const std::string& ref) { return dir.file(ref); };
}

std::vector<float> render_rest(engine::AudioMix& mix) {
  std::vector<float> out(size_t(mix.total_samples() - mix.position()) * 2);
  for (int64_t done = 0; done < int64_t(out.size() / 2);) done += mix.render(out.data() + done * 2, 4000);
  return out;
}

TEST(Loudness, AQuietToneIsRaisedByTheGainFoundInOnePassOnEverySample) {
  TempDir dir;
  write_audio(dir.file("tone.wav"), 48000, 2, 4 * 48000, sine(1000, -30, 48000));
  auto d = audio_draft(4000, 30, Json::array({audio_track("tone.wav", 0, 4000)}));
  engine::AudioMix mix(d, in_dir(dir), d.canvas.fps);
  const double before = db(peak(render_rest(mix)));
  mix.seek(0);
  const engine::LoudnessResult r = engine::normalise_loudness(mix, -20);
  EXPECT_EQ(r.passes, 1) << "the tone stays under the limiter: no second pass";
  EXPECT_NEAR(r.reached_lufs, -20, 1e-9);
  EXPECT_NEAR(r.gain_db, -20 - r.measured_lufs, 1e-9);
  EXPECT_GT(r.gain_db, 5);
  EXPECT_EQ(mix.position(), 0);
  EXPECT_TRUE(r.notice.empty());
  EXPECT_NEAR(db(peak(render_rest(mix))), before + r.gain_db, 0.01);
}

TEST(Loudness, ASilentMixIsLeftAlone) {
  TempDir dir;
  write_audio(dir.file("hush.wav"), 48000, 2, 2 * 48000, [](int64_t, int) { return 0.0; });
  auto d = audio_draft(2000, 30, Json::array({audio_track("hush.wav", 0, 2000)}));
  engine::AudioMix mix(d, in_dir(dir), d.canvas.fps);
  const engine::LoudnessResult r = engine::normalise_loudness(mix, -14);
  EXPECT_EQ(r.gain_db, 0);
  EXPECT_FALSE(std::isfinite(r.measured_lufs));
  EXPECT_EQ(peak(render_rest(mix)), 0);
}

TEST(Loudness, TheKeptSoundsKeyNamesTheTarget) {
  std::vector<engine::AudioPlacement> sounds(1);
  sounds[0].reference = "/nonexistent/a.wav";
  sounds[0].duration_ms = 1000;
  const std::string at14 = engine::describe_sound(sounds, {}, 0, 48000, {true, -14});
  EXPECT_NE(at14, engine::describe_sound(sounds, {}, 0, 48000, {true, -16}));
  EXPECT_NE(at14, engine::describe_sound(sounds, {}, 0, 48000, {false, -14}));
  EXPECT_EQ(at14, engine::describe_sound(sounds, {}, 0, 48000, {true, -14}));
}

}  // namespace
}  // namespace reel::test
