// The mix as a listener checks it: levels, fades, timing to the sample, no clipping,
// ducking under a voice, loops, the length of the video, no drift over ten minutes.
#include "engine/audio/mix.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "draft/time.h"
#include "engine/errors.h"
#include "tests/engine/audio/audio_fixtures.h"

namespace reel::test {
namespace {

constexpr int64_t kMs = 48;  // samples per ms at 48 kHz

engine::SourceResolver in_dir(const TempDir& dir) {
  return [&dir](const std::string& ref) { return dir.file(ref); };
}

TEST(AudioMix, MusicAt35PercentIsMinus9Point12DbBelowTheSource) {
  TempDir dir;
  write_audio(dir.file("music.flac"), 44100, 2, 4 * 44100, sine(1000, -6, 44100));
  const double source = rms_db(decode_48k(dir.file("music.flac")), 24000, 168000);
  for (const Json& vol : {Json("35%"), Json(0.35)}) {
    SCOPED_TRACE(vol.dump());
    auto d = audio_draft(4000, 30, Json::array({audio_track("music.flac", 0, 4000, {{"vol", vol}})}));
    auto pcm = render_all(d, dir.file(""));
    const double level = rms_db(pcm, 24000, 168000) - source;
    EXPECT_NEAR(level, 20 * std::log10(0.35), 0.5);  // -9.12 dB
    EXPECT_NEAR(level, -9.12, 0.05) << "measured " << level;
    std::cout << "[ measured ] 35%: " << level << " dB against the source\n";
  }
}

TEST(AudioMix, FadesFollowTheQuarterSine) {
  TempDir dir;
  write_audio(dir.file("tone.wav"), 48000, 2, 4 * 48000, sine(1000, -6, 48000));
  auto d = audio_draft(4000, 30, Json::array({audio_track("tone.wav", 0, 4000, {{"fi", 1000}, {"fo", 1000}})}));
  auto pcm = render_all(d, dir.file(""));
  EXPECT_LT(std::fabs(pcm[0]), 1e-6) << "the fade-in starts from silence";
  for (double x : {0.1, 0.25, 0.5, 0.75, 0.9}) {
    SCOPED_TRACE(x);
    const double expected = -6 + db(engine::AudioMix::fade_gain(x));
    const int64_t in_at = int64_t(x * 1000) * kMs, out_at = (4000 - int64_t(x * 1000)) * kMs;
    // 5 ms windows (5 cycles of 1 kHz) centred on the instant.
    EXPECT_NEAR(tone_db(pcm, 1000, in_at - 120, in_at + 120), expected, 0.2);
    EXPECT_NEAR(tone_db(pcm, 1000, out_at - 120, out_at + 120), expected, 0.2);
  }
  EXPECT_NEAR(tone_db(pcm, 1000, 1500 * kMs, 2500 * kMs), -6, 0.05) << "full level between the fades";
  EXPECT_LT(peak(pcm, 4000 * kMs - 10, 4000 * kMs), 0.01) << "the fade-out ends in silence";
}

TEST(AudioMix, AToneLandsOnTheExactSample) {
  TempDir dir;
  // The tone starts 2 s into each source; the segment starts at 1.234 s and skips 1.5 s of
  // it, so the tone must start at 1.734 s = sample 83232 of the mix.
  struct Case {
    const char* file;
    int rate;
    double slack;
  };
  for (const Case& c : {Case{"edge.wav", 44100, 1}, Case{"edge.flac", 48000, 1}, Case{"edge22.wav", 22050, 1},
                        Case{"edge.m4a", 44100, 2}, Case{"edge.mp3", 44100, 2}, Case{"edge.opus", 48000, 2}}) {
    SCOPED_TRACE(c.file);
    write_audio(dir.file(c.file), c.rate, 2, 3 * c.rate, sine(500, -6, c.rate, 2 * c.rate, M_PI / 2));
    auto d = audio_draft(3000, 30, Json::array({audio_track(c.file, 1234, 1500, {}, 1500)}));
    auto pcm = render_all(d, dir.file(""));
    EXPECT_NEAR(double(onset(pcm, 0.25f)), 83232.0, c.slack);
    std::cout << "[ measured ] onset " << c.file << ": " << onset(pcm, 0.25f) - 83232 << " samples off\n";
  }
}

TEST(AudioMix, LoudTracksNeverClip) {
  TempDir dir;
  write_audio(dir.file("a.wav"), 48000, 2, 2 * 48000, sine(997, 0, 48000));
  write_audio(dir.file("b.flac"), 44100, 2, 2 * 44100, sine(1499, 0, 44100));
  // A quarter of the sample rate at 45 degrees: samples at 0.707, the wave between at 1.0,
  // the classic inter-sample over.
  write_audio(dir.file("c.wav"), 48000, 2, 2 * 48000, sine(12000, -3.5, 48000, 0, M_PI / 4));
  auto d = audio_draft(
      2000, 30,
      Json::array({audio_track("a.wav", 0, 2000, {{"vol", 1.0}}), audio_track("b.flac", 0, 2000, {{"vol", "200%"}}),
                   audio_track("c.wav", 1000, 1000, {{"vol", 4.0}})}));
  auto pcm = render_all(d, dir.file(""));
  const double ceiling_db = engine::AudioMix::kCeilingDbtp;
  EXPECT_LE(db(peak(pcm)), ceiling_db + 1e-5) << "sample peak " << db(peak(pcm)) << " dBFS";
  const double tp_mixed = true_peak(pcm, 24000, 48000);
  const double tp_over = true_peak(pcm, 60000, 84000);
  EXPECT_LE(db(tp_mixed), ceiling_db + 0.1) << "true peak " << db(tp_mixed) << " dBTP";
  EXPECT_LE(db(tp_over), ceiling_db + 0.1) << "true peak " << db(tp_over) << " dBTP";
  std::cout << "[ measured ] limiter: sample peak " << db(peak(pcm)) << " dBFS, true peak " << db(tp_mixed) << " / "
            << db(tp_over) << " dBTP (ceiling " << ceiling_db << ")\n";
  // Limiting, not silence: the sum is still loud.
  EXPECT_GT(rms_db(pcm, 24000, 48000), -8.0);
}

TEST(AudioMix, QuietMaterialPassesTheLimiterUntouched) {
  TempDir dir;
  write_audio(dir.file("a.wav"), 48000, 2, 48000, sine(440, -3, 48000));
  auto d = audio_draft(1000, 30, Json::array({audio_track("a.wav", 0, 1000)}));
  auto pcm = render_all(d, dir.file(""));
  auto src = decode_48k(dir.file("a.wav"));
  for (size_t i = 0; i < pcm.size(); ++i) ASSERT_EQ(pcm[i], src[i]) << i;
}

TEST(AudioMix, MusicDucksAbout12DbWhileTheVoiceIsLoudAndComesBack) {
  TempDir dir;
  write_audio(dir.file("music.wav"), 48000, 2, 8 * 48000, sine(1000, -6, 48000));
  write_audio(dir.file("voice.wav"), 48000, 1, 3 * 48000, sine(3000, -10, 48000));
  auto d = audio_draft(8000, 30,
                       Json::array({audio_track("music.wav", 0, 8000, {{"duck", true}}),
                                    audio_track("voice.wav", 2000, 3000, {}, 0, "voice")}));
  auto pcm = render_all(d, dir.file(""));
  auto music_at = [&](int64_t ms) { return tone_db(pcm, 1000, (ms - 50) * kMs, (ms + 50) * kMs) + 6.0; };
  EXPECT_NEAR(music_at(1500), 0.0, 0.05) << "full level before the voice";
  for (int64_t ms : {2200, 3000, 4000, 4900}) EXPECT_NEAR(music_at(ms), -12.0, 0.5) << ms;
  EXPECT_NEAR(music_at(7000), 0.0, 0.05) << "back to full level after the voice";
  // Smooth: the gain moves through the levels in between, never in a jump.
  const double mid_attack = tone_db(pcm, 1000, 2035 * kMs, 2045 * kMs) + 6.0;
  EXPECT_LT(mid_attack, -2.0);
  EXPECT_GT(mid_attack, -10.0);
  const double mid_release = music_at(5500);
  EXPECT_LT(mid_release, -1.0);
  EXPECT_GT(mid_release, -11.0);
  std::cout << "[ measured ] duck: music " << music_at(1500) << " dB before, " << music_at(2200) << " / "
            << music_at(4000) << " dB under the voice, " << mid_release << " dB 500 ms after, " << music_at(7000)
            << " dB 2 s after\n";
  // The voice itself is never ducked.
  EXPECT_NEAR(tone_db(pcm, 3000, 3000 * kMs, 4000 * kMs), -10.0, 0.05);
}

TEST(AudioMix, LoopRepeatsTheTrimmedSourceSampleExactly) {
  TempDir dir;
  // 1 s of silence with a burst from 0.5 s to 0.6 s.
  const Signal burst = [](int64_t i, int) {
    return (i >= 24000 && i < 28800) ? 0.5 * std::cos(2 * M_PI * 1000 * double(i - 24000) / 48000) : 0.0;
  };
  write_audio(dir.file("burst.wav"), 48000, 2, 48000, burst);
  // From in = 250 ms the loop is 750 ms long: bursts at 0.25 s, 1.0 s, 1.75 s, 2.5 s, 3.25 s.
  auto d = audio_draft(3500, 30, Json::array({audio_track("burst.wav", 0, 3500, {{"loop", true}}, 250)}));
  auto pcm = render_all(d, dir.file(""));
  int64_t from = 0;
  for (int64_t ms : {250, 1000, 1750, 2500, 3250}) {
    const int64_t at = onset(pcm, 0.25f, from);
    EXPECT_EQ(at, ms * kMs) << ms;
    from = at + 200 * kMs;
  }
  // Without loop: one burst, then silence to the end of the segment, and a notice.
  auto once = audio_draft(3500, 30, Json::array({audio_track("burst.wav", 0, 3500, {}, 250)}));
  engine::AudioMix mix(once, in_dir(dir), once.canvas.fps);
  ASSERT_EQ(mix.notices().size(), 1u);
  EXPECT_EQ(mix.notices()[0],
            "/t/0/sg/0: burst.wav ends 2.75 s before its segment does: silence after it (set loop to repeat it)");
  auto pcm_once = render_all(once, dir.file(""));
  EXPECT_EQ(onset(pcm_once, 0.25f), 250 * kMs);
  EXPECT_EQ(peak(pcm_once, 750 * kMs, 3500 * kMs), 0.0);
}

TEST(AudioMix, LengthIsTheVideosLengthOnTheFrameClock) {
  TempDir dir;
  write_audio(dir.file("a.wav"), 48000, 2, 48000, sine(440, -6, 48000));
  struct Case {
    int64_t ms;
    double fps;
    int64_t samples;
  };
  // round(ms * fps / 1000) frames; floor(frames * 48000 / fps) samples.
  for (const Case& c : {Case{10000, 30, 480000}, Case{10000, 29.97, 480480}, Case{10010, 23.976, 480480},
                        Case{1234, 25, 59520}, Case{7777, 59.94, 373172}}) {
    SCOPED_TRACE(c.ms);
    auto d = audio_draft(c.ms, c.fps, Json::array({audio_track("a.wav", 0, 1000)}));
    engine::AudioMix mix(d, in_dir(dir), d.canvas.fps);
    EXPECT_EQ(mix.total_samples(), c.samples);
    std::vector<float> buf(size_t(c.samples + 5000) * 2);
    EXPECT_EQ(mix.render(buf.data(), c.samples + 5000), c.samples) << "render stops at the end";
    EXPECT_EQ(mix.render(buf.data(), 100), 0);
  }
}

TEST(AudioMix, NoDriftOverATenMinuteRenderAt2997) {
  TempDir dir;
  // A looped 1 s bed under the whole render and a marker at 9:59.
  write_audio(dir.file("bed.flac"), 44100, 2, 44100, sine(200, -26, 44100));
  write_audio(dir.file("marker.wav"), 48000, 2, 48000, sine(1000, -6, 48000, 0, M_PI / 2));
  auto d = audio_draft(
      600000, 29.97,
      Json::array({audio_track("bed.flac", 0, 600000, {{"loop", true}}), audio_track("marker.wav", 599000, 1000)}));
  engine::AudioMix mix(d, in_dir(dir), d.canvas.fps);
  // 17982 frames of 1001/30000 s; the audio ends where frame 17982 would start.
  const int64_t frames = draft::frame_count(600000, d.canvas.fps);
  EXPECT_EQ(frames, 17982);
  EXPECT_EQ(mix.total_samples(), int64_t(17982ll * 48000 * 1001 / 30000));
  EXPECT_EQ(mix.total_samples(), 28799971);
  // Render it all, keeping only the last two seconds: the mix's own memory stays bounded.
  auto resident_mb = [] {
    long pages = 0, resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
      if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
      std::fclose(f);
    }
    return double(resident) * 4096.0 / (1 << 20);
  };
  const double before_mb = resident_mb();
  std::vector<float> block(size_t(48000) * 2), tail;
  const int64_t keep_from = mix.total_samples() - 2 * 48000;
  int64_t at = 0;
  while (int64_t n = mix.render(block.data(), 48000)) {
    for (int64_t i = 0; i < n; ++i)
      if (at + i >= keep_from) tail.insert(tail.end(), {block[size_t(i * 2)], block[size_t(i * 2 + 1)]});
    at += n;
  }
  EXPECT_EQ(at, mix.total_samples());
#ifndef __SANITIZE_ADDRESS__  // ASan's quarantine keeps freed memory resident
  EXPECT_LT(resident_mb() - before_mb, 16.0) << "ten minutes of audio would be 220 MB";
#endif
  std::cout << "[ measured ] 10 min at 29.97: " << at << " samples, resident memory +" << resident_mb() - before_mb
            << " MB\n";
  EXPECT_EQ(keep_from + onset(tail, 0.4f), 599000 * kMs) << "the marker at 9:59.000";
  EXPECT_NEAR(tone_db(tail, 200, 0, 48000), -26, 0.2) << "the looped bed still plays";
}

TEST(AudioMix, SeekRendersTheSameSamplesAsPlayingThrough) {
  TempDir dir;
  write_audio(dir.file("m.flac"), 48000, 2, 3 * 48000, sine(330, -8, 48000));
  write_audio(dir.file("v.wav"), 48000, 2, 48000, sine(2000, -12, 48000));
  auto d = audio_draft(4000, 30,
                       Json::array({audio_track("m.flac", 0, 4000, {{"loop", true}, {"fi", 300}, {"duck", true}}),
                                    audio_track("v.wav", 1000, 1000, {}, 0, "voice")}));
  auto whole = render_all(d, dir.file(""));
  engine::AudioMix mix(d, in_dir(dir), d.canvas.fps);
  mix.seek(150000);
  std::vector<float> part(size_t(30000) * 2);
  ASSERT_EQ(mix.render(part.data(), 30000), 30000);
  for (size_t i = 0; i < part.size(); ++i) ASSERT_NEAR(part[i], whole[150000 * 2 + i], 1e-6) << i;
}

TEST(AudioMix, ADraftWithoutAudioHasNoAudioStream) {
  Json text = {{"tt", 7}, {"sg", Json::array({{{"s", 0}, {"d", 1000}, {"m", {{"text", "hi"}}}}})}};
  auto d = audio_draft(1000, 30, Json::array({text}));
  engine::AudioMix mix(d, {}, d.canvas.fps);
  EXPECT_TRUE(mix.empty());
  EXPECT_EQ(mix.total_samples(), 48000);
}

}  // namespace
}  // namespace reel::test

namespace reel::test {
namespace {

TEST(AudioMix, ManyShortSegmentsOfOneFilePlayEachOnItsSample) {
  TempDir dir;
  // 300 segments of 100 ms, each starting the same 1 s source at a different `in`.
  write_audio(dir.file("tick.flac"), 44100, 2, 44100, sine(1000, -6, 44100));
  Json segs = Json::array();
  for (int i = 0; i < 300; ++i) {
    segs.push_back({{"s", i * 100},
                    {"d", 100},
                    {"src", "tick.flac"},
                    {"in", (i * 37) % 800},
                    {"m", {{"vol", i % 2 ? 1.0 : 0.5}}}});
  }
  auto d = audio_draft(30000, 30, Json::array({{{"tt", 1}, {"sg", segs}}}));
  auto pcm = render_all(d, dir.file(""));
  for (int i = 0; i < 300; i += 7) {
    SCOPED_TRACE(i);
    const int64_t at = int64_t(i) * 100 * 48;
    EXPECT_NEAR(tone_db(pcm, 1000, at + 240, at + 4560), i % 2 ? -6.0 : -6.0 + db(0.5), 0.1);
  }
}

}  // namespace
}  // namespace reel::test

namespace reel::test {
namespace {

TEST(AudioMix, AClipsSoundDucksTheMusicAndASilentClipIsNoError) {
  TempDir dir;
  write_audio(dir.file("music.wav"), 48000, 2, 6 * 48000, sine(1000, -6, 48000));
  write_audio(dir.file("clip.m4a"), 48000, 2, 2 * 48000, sine(3000, -10, 48000));
  write_silent_video(dir.file("silent.mkv"));
  auto d = audio_draft(6000, 30, Json::array({audio_track("music.wav", 0, 6000, {{"duck", true}})}));
  std::vector<engine::AudioPlacement> sounds = engine::audio_placements(d);
  ASSERT_EQ(sounds.size(), 1u);
  EXPECT_TRUE(sounds[0].duck);
  EXPECT_FALSE(sounds[0].key);
  // What the clips of a video track will add: their own sound, as key placements.
  engine::AudioPlacement clip;
  clip.pointer = "/t/0/sg/1";
  clip.reference = "clip.m4a";
  clip.start_ms = 2000;
  clip.duration_ms = 2000;
  clip.key = clip.may_be_silent = true;
  sounds.push_back(clip);
  clip.pointer = "/t/0/sg/2";
  clip.reference = "silent.mkv";
  clip.start_ms = 4000;
  sounds.push_back(clip);
  engine::AudioMix mix(sounds, engine::AudioMix::total_samples_for(d, d.canvas.fps), in_dir(dir));
  std::vector<float> pcm(size_t(mix.total_samples()) * 2);
  ASSERT_EQ(mix.render(pcm.data(), mix.total_samples()), 6 * 48000);
  EXPECT_NEAR(tone_db(pcm, 1000, 1000 * kMs, 1500 * kMs), -6.0, 0.05);
  EXPECT_NEAR(tone_db(pcm, 1000, 3000 * kMs, 3500 * kMs), -18.0, 0.5) << "ducked under the clip's sound";
  EXPECT_NEAR(tone_db(pcm, 3000, 3000 * kMs, 3500 * kMs), -10.0, 0.05) << "the clip's sound itself";
  EXPECT_NEAR(tone_db(pcm, 1000, 5500 * kMs, 5900 * kMs), -6.0, 0.05) << "back up; the silent clip adds nothing";
  // On an audio track, the same silent file is an error.
  auto bad = audio_draft(6000, 30, Json::array({audio_track("silent.mkv", 0, 1000)}));
  EXPECT_THROW(engine::AudioMix(bad, in_dir(dir), bad.canvas.fps), engine::MediaError);
}

// The draft's end fades take a clip's own sound with the picture; the music keeps its own fades.
TEST(AudioMix, AClipsOwnSoundFadesInAndOutWithTheDraftsEnds) {
  TempDir dir;
  write_audio(dir.file("clip.m4a"), 48000, 2, 4 * 48000, sine(3000, -10, 48000));
  fs::rename(dir.file("clip.m4a"), dir.file("clip.mp4"));  // a clip by its name; its sound is what is heard
  Json j = {{"m", {{"fps", 30}, {"width", 320}, {"height", 180}, {"fi", 1000}, {"fo", 1000}}},
            {"d", 4000},
            {"t", Json::array({{{"tt", 0}, {"sg", Json::array({{{"s", 0}, {"d", 4000}, {"src", "clip.mp4"}}})}}})}};
  const draft::Draft d = draft::load_draft(j).draft;
  const std::vector<engine::AudioPlacement> sounds = engine::sound_placements(d);
  ASSERT_EQ(sounds.size(), 1u);
  EXPECT_EQ(sounds[0].fade_in_ms, 1000);
  EXPECT_EQ(sounds[0].fade_out_ms, 1000);
  engine::AudioMix mix(sounds, engine::AudioMix::total_samples_for(d, d.canvas.fps), in_dir(dir));
  std::vector<float> pcm(size_t(mix.total_samples()) * 2);
  ASSERT_EQ(mix.render(pcm.data(), mix.total_samples()), 4 * 48000);
  EXPECT_LT(peak(pcm, 0, 48), 0.01) << "the first millisecond is all but silent, as the first frame is the background";
  EXPECT_NEAR(tone_db(pcm, 3000, 500 * kMs - 120, 500 * kMs + 120), -10 + db(engine::AudioMix::fade_gain(0.5)), 0.3);
  EXPECT_NEAR(tone_db(pcm, 3000, 1500 * kMs, 2500 * kMs), -10, 0.05) << "full level between the fades";
  EXPECT_LT(peak(pcm, 4000 * kMs - 10, 4000 * kMs), 0.01)
      << "silent at the end, as the last frame is all but the background";
  // Without end fades the clip plays at full level from its first sample.
  j["m"].erase("fi");
  j["m"].erase("fo");
  const std::vector<engine::AudioPlacement> plain = engine::sound_placements(draft::load_draft(j).draft);
  EXPECT_EQ(plain[0].fade_in_ms, 0);
  EXPECT_EQ(plain[0].fade_out_ms, 0);
}

}  // namespace
}  // namespace reel::test
