// Bad media: each gives one exact line naming the segment, the file and what to do; every
// bad source of a draft is reported at once; nothing is written.
#include <gtest/gtest.h>

#include <fstream>

#include "engine/audio/mix.h"
#include "engine/errors.h"
#include "engine/output/aac_encoder.h"
#include "tests/engine/audio/audio_fixtures.h"

namespace reel::test {
namespace {

void write_bytes(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// Keeps the first `keep` of the file's bytes.
void truncate_to(const std::string& path, double keep) {
  std::string b = read_bytes(path);
  fs::resize_file(path, uintmax_t(double(b.size()) * keep));
}

/// Overwrites the file from byte `from` on with deterministic noise.
void scramble_from(const std::string& path, size_t from) {
  std::string b = read_bytes(path);
  uint32_t x = 12345;
  for (size_t i = from; i < b.size(); ++i) {
    x = x * 1664525u + 1013904223u;
    b[i] = char(x >> 24);
  }
  write_bytes(path, b);
}

std::vector<std::string> issue_lines(const draft::Draft& d, const TempDir& dir) {
  try {
    engine::AudioMix mix(
        d, [&dir](const std::string& r) { return dir.file(r); }, d.canvas.fps);
  } catch (const engine::MediaError& e) {
    std::vector<std::string> lines;
    for (const auto& i : e.issues()) lines.push_back(i.line());
    return lines;
  }
  return {};
}

class BadAudio : public ::testing::Test {
 protected:
  TempDir dir;
  std::string only_issue(const std::string& file, int64_t in_ms = 0) {
    auto d = audio_draft(2000, 30, Json::array({audio_track(file, 0, 2000, {}, in_ms)}));
    auto lines = issue_lines(d, dir);
    if (lines.size() != 1) return "expected one issue, got " + std::to_string(lines.size());
    return lines[0];
  }
};

constexpr const char* kAgain = "; download or export it again";

TEST_F(BadAudio, ATextFileNamedMp3IsCalledText) {
  write_bytes(dir.file("notes.mp3"), "These are my notes about the song.\nSecond line.\n");
  EXPECT_EQ(only_issue("notes.mp3"),
            "/t/0/sg/0: notes.mp3: it is a text file, not audio (despite its .mp3 name); replace it with the audio "
            "file itself (mp3, wav, m4a, ogg, opus or flac)");
}

TEST_F(BadAudio, AnEmptyOrMissingFileIsNamed) {
  write_bytes(dir.file("empty.mp3"), "");
  EXPECT_EQ(only_issue("empty.mp3"),
            "/t/0/sg/0: empty.mp3: the file is empty (0 bytes); replace it with the audio file itself");
  EXPECT_EQ(only_issue("missing.mp3"),
            "/t/0/sg/0: missing.mp3: the file does not exist; check the path (a relative path is read from the "
            "draft's folder)");
}

TEST_F(BadAudio, AVideoWithoutSoundIsNotSilence) {
  write_silent_video(dir.file("video.mkv"));
  EXPECT_EQ(only_issue("video.mkv"),
            "/t/0/sg/0: video.mkv: it has no audio stream (a silent video or a picture); choose a file with sound "
            "in it, or remove the segment");
}

TEST_F(BadAudio, TruncatedFilesSayHowMuchIsThere) {
  for (const char* ext : {".wav", ".flac", ".mp3", ".m4a", ".ogg"}) {
    SCOPED_TRACE(ext);
    const std::string name = std::string("cut") + ext;
    const int rate = 44100;
    write_audio(dir.file(name), rate, 2, 2 * rate, sine(440, -6, rate));
    truncate_to(dir.file(name), 0.5);
    const std::string line = only_issue(name);
    EXPECT_EQ(line.rfind("/t/0/sg/0: " + name + ": the file is truncated or damaged: ", 0), 0u) << line;
    EXPECT_TRUE(line.ends_with(kAgain)) << line;
  }
  EXPECT_EQ(only_issue("cut.wav"), std::string("/t/0/sg/0: cut.wav: the file is truncated or damaged: only 0.999 s "
                                               "of its 2 s can be read") +
                                       kAgain);
  EXPECT_EQ(only_issue("cut.m4a"), std::string("/t/0/sg/0: cut.m4a: the file is truncated or damaged: FFmpeg cannot "
                                               "find its index (Invalid data found when processing input)") +
                                       kAgain);
}

TEST_F(BadAudio, CorruptDataIsDamageNotSilence) {
  for (const char* ext : {".flac", ".mp3", ".ogg", ".opus"}) {
    SCOPED_TRACE(ext);
    const std::string name = std::string("noise") + ext;
    const int rate = std::string(ext) == ".opus" ? 48000 : 44100;
    write_audio(dir.file(name), rate, 2, 2 * rate, sine(440, -6, rate));
    scramble_from(dir.file(name), 200);
    const std::string line = only_issue(name);
    EXPECT_EQ(line.rfind("/t/0/sg/0: " + name + ": ", 0), 0u) << line;
    EXPECT_NE(line.find("damaged"), std::string::npos) << line;
  }
}

TEST_F(BadAudio, InBeyondTheEndOfTheSource) {
  write_audio(dir.file("short.wav"), 48000, 2, 2 * 48000, sine(440, -6, 48000));
  EXPECT_EQ(only_issue("short.wav", 2500),
            "/t/0/sg/0: short.wav: the segment starts 2.5 s into the file (in), but the file is only 2 s long; set "
            "in below 2 s or choose a longer file");
}

TEST_F(BadAudio, EveryBadSourceIsReportedAtOnceAndNothingIsWritten) {
  write_audio(dir.file("good.wav"), 48000, 2, 48000, sine(440, -6, 48000));
  write_bytes(dir.file("notes.mp3"), "just text\n");
  write_bytes(dir.file("empty.flac"), "");
  Json music = audio_track("good.wav", 0, 1000);
  music["sg"].push_back({{"s", 1000}, {"d", 1000}, {"src", "notes.mp3"}});
  music["sg"].push_back({{"s", 2000}, {"d", 500}, {"src", "good.wav"}, {"in", 4000}});
  Json voice = audio_track("empty.flac", 0, 1000, {}, 0, "voice");
  voice["sg"].push_back({{"s", 1500}, {"d", 500}, {"src", "https://cdn.example/u/v.mp3"}});
  auto d = audio_draft(3000, 30, Json::array({music, voice}));
  // A resolver that refuses remote references, as the default one does.
  auto resolve = [this](const std::string& ref) -> std::string {
    if (ref.starts_with("https://"))
      throw engine::MediaError({{"", ref, "remote media is not fetched here", "download it next to the draft"}});
    return dir.file(ref);
  };
  const std::string out = dir.file("out.m4a");
  try {
    engine::AudioMix mix(d, resolve, d.canvas.fps);
    write_m4a(mix, out);
    FAIL() << "no error";
  } catch (const engine::MediaError& e) {
    ASSERT_EQ(e.issues().size(), 4u) << e.what();
    EXPECT_EQ(e.issues()[0].pointer, "/t/0/sg/1");
    EXPECT_EQ(e.issues()[1].pointer, "/t/0/sg/2");
    EXPECT_EQ(e.issues()[2].pointer, "/t/1/sg/0");
    EXPECT_EQ(e.issues()[3].line(),
              "/t/1/sg/1: https://cdn.example/u/v.mp3: remote media is not fetched here; download it next to the "
              "draft");
  }
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(BadAudio, DamageFoundMidRenderStopsItAndLeavesNoFile) {
  write_audio(dir.file("song.m4a"), 44100, 2, 2 * 44100, sine(440, -6, 44100));
  std::string b = read_bytes(dir.file("song.m4a"));
  for (size_t i = b.size() / 2; i < b.size() / 2 + 3000; ++i) b[i] = char(i * 7919 >> 3);
  write_bytes(dir.file("song.m4a"), b);
  auto d = audio_draft(2000, 30, Json::array({audio_track("song.m4a", 0, 2000)}));
  engine::AudioMix mix(
      d, [this](const std::string& r) { return dir.file(r); }, d.canvas.fps);  // the probe passes
  const std::string out = dir.file("out.m4a");
  try {
    write_m4a(mix, out);
    FAIL() << "no error";
  } catch (const engine::MediaError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("/t/0/sg/0: song.m4a: the file is damaged at ", 0), 0u) << e.what();
    EXPECT_TRUE(std::string(e.what()).ends_with("; export it again or replace it")) << e.what();
  }
  EXPECT_FALSE(fs::exists(out));
  for (const auto& entry : fs::directory_iterator(fs::path(out).parent_path()))
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
}

}  // namespace
}  // namespace reel::test
