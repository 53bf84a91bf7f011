// The decoder: every format at 48 kHz stereo with its level and length, exact seeks.
#include "engine/audio/decoder.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/engine/audio/audio_fixtures.h"

namespace reel::test {
namespace {

struct Format {
  const char* ext;
  int rate;
  int channels;
  int64_t length_slack;  // frames the decoded length may differ by (codec padding)
  int64_t onset_slack;   // frames a seek-exact onset may be off by (lossy pre-echo)
};

const Format kFormats[] = {
    {".wav", 44100, 1, 1, 1},  {".flac", 44100, 2, 1, 1}, {".mp3", 44100, 2, 48, 2},
    {".m4a", 44100, 2, 48, 2}, {".ogg", 44100, 2, 48, 2}, {".opus", 48000, 2, 48, 2},
};

TEST(AudioDecoder, DecodesEveryFormatTo48kStereoWithItsLevelAndLength) {
  TempDir dir;
  for (const Format& f : kFormats) {
    SCOPED_TRACE(f.ext);
    const std::string path = dir.file(std::string("tone") + f.ext);
    write_audio(path, f.rate, f.channels, 2 * f.rate, sine(1000, -6, f.rate));
    std::vector<float> pcm = decode_48k(path);
    const int64_t frames = int64_t(pcm.size() / 2);
    EXPECT_NEAR(double(frames), 96000.0, double(f.length_slack)) << frames;
    // A -6 dBFS sine has an RMS of -9.03 dBFS, on both sides (mono plays on both).
    EXPECT_NEAR(rms_db(pcm, 24000, 72000, 0), -9.03, 0.3);
    EXPECT_NEAR(rms_db(pcm, 24000, 72000, 1), -9.03, 0.3);
  }
}

TEST(AudioDecoder, SeeksToTheExactSample) {
  TempDir dir;
  for (const Format& f : kFormats) {
    SCOPED_TRACE(f.ext);
    const std::string path = dir.file(std::string("step") + f.ext);
    // Silence, then a cosine from exactly 1.5 s of the source: a sharp edge to find.
    write_audio(path, f.rate, f.channels, 3 * f.rate, sine(500, -6, f.rate, f.rate * 3 / 2, M_PI / 2));
    engine::AudioSourceRef ref{"/t/0/sg/0", "step"};
    auto info = engine::probe_audio(path, ref);
    engine::AudioDecoder dec(path, ref, info);
    for (int64_t at : {int64_t(0), int64_t(48000), int64_t(71999), int64_t(60000), int64_t(12345)}) {
      SCOPED_TRACE(at);
      dec.seek(at);
      std::vector<float> pcm(size_t(96000) * 2);
      pcm.resize(size_t(dec.read(pcm.data(), 96000)) * 2);
      const int64_t expected = 72000 - at;
      EXPECT_NEAR(double(onset(pcm, 0.25f)), double(expected), double(f.onset_slack));
    }
  }
}

}  // namespace
}  // namespace reel::test
