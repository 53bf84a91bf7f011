// `reel make` end to end on media the test makes: photos (OpenCV), a click track (WAV).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "draft/json.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "support/wav_writer.h"
#include "tests/engine/support/media_fixtures.h"

extern "C" {
#include <libavformat/avformat.h>
}

using reel::Json;
using reel::test::run_command;
using reel::test::RunResult;
using reel::test::TempDir;
namespace fs = std::filesystem;

namespace {

fs::path dir() {
  static const TempDir d;
  return d.path();
}

std::string photo(const std::string& name, int w, int h, int hue) {
  cv::Mat hsv(h, w, CV_8UC3, cv::Scalar(hue, 200, 200)), bgr;
  cv::cvtColor(hsv, bgr, cv::COLOR_HSV2BGR);
  cv::circle(bgr, {w / 2, h / 2}, std::min(w, h) / 4, cv::Scalar(255, 255, 255), -1);
  std::string path = (dir() / name).string();
  cv::imwrite(path, bgr);
  return path;
}

// 16-bit PCM WAV, mono 48 kHz: a 2 kHz click every `period_ms` from `first_ms`, over silence.
std::string click_track(const std::string& name, double seconds, int first_ms, int period_ms = 500) {
  const int rate = 48000;
  std::vector<int16_t> s(size_t(seconds * rate), 0);
  for (int at = first_ms; at < seconds * 1000; at += period_ms)
    for (int k = 0; k < 1200; ++k) {
      size_t i = size_t(at) * rate / 1000 + k;
      if (i < s.size()) s[i] = int16_t(20000 * std::exp(-k / 200.0) * std::sin(2 * M_PI * 2000 * k / rate));
    }
  std::string path = (dir() / name).string();
  reel::test::write_wav(path, s, rate);
  return path;
}

struct Probe {
  double seconds = 0;
  int width = 0, height = 0;
  bool audio = false;
};

Probe probe(const std::string& path) {
  Probe p;
  AVFormatContext* fmt = nullptr;
  if (avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0) return p;
  avformat_find_stream_info(fmt, nullptr);
  p.seconds = fmt->duration / double(AV_TIME_BASE);
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    auto* par = fmt->streams[i]->codecpar;
    if (par->codec_type == AVMEDIA_TYPE_VIDEO) p.width = par->width, p.height = par->height;
    if (par->codec_type == AVMEDIA_TYPE_AUDIO) p.audio = true;
  }
  avformat_close_input(&fmt);
  return p;
}

RunResult make(std::vector<std::string> args) {
  args.insert(args.begin(), "make");
  args.push_back("--progress");
  args.push_back("none");
  return run_command(REEL_BINARY, args);
}

Json read_json(const fs::path& p) {
  std::ifstream in(p);
  return Json::parse(in);
}

}  // namespace

TEST(CliMake, SlideshowOfFivePhotosWithMusic) {
  std::vector<std::string> args;
  for (int i = 0; i < 5; ++i) args.push_back(photo("s" + std::to_string(i) + ".jpg", 800, 600, i * 30));
  std::string out = (dir() / "slideshow.mp4").string(), draft = (dir() / "slideshow.json").string();
  args.insert(args.end(), {"--music", click_track("calm.wav", 8, 100), "--title", "Lisbon", "--preview", "-o", out,
                           "--draft-out", draft});
  RunResult r = make(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Probe p = probe(out);
  EXPECT_NEAR(p.seconds, 20.0, 0.05);
  EXPECT_EQ(p.width, 960);
  EXPECT_EQ(p.height, 540);
  EXPECT_TRUE(p.audio) << "the music is in the video";
  Json d = read_json(draft);
  EXPECT_EQ(d["t"][0]["sg"].size(), 5u);
  EXPECT_EQ(d["t"][0]["sg"][1]["m"]["tr"]["type"], "fade");
  EXPECT_EQ(d["t"][1]["sg"][0]["src"], "calm.wav");  // relative to the draft's folder
  EXPECT_EQ(d["t"][1]["sg"][0]["m"]["loop"], true);  // 8 s of music for 20 s of video
  EXPECT_NE(
      r.err.find(
          "Timeline (3 tracks): 1. Video: slideshow (0-20s) 2. BGM: Calm (0-20s, 80%) 3. Title: \"Lisbon\" (0-3s)"),
      std::string::npos)
      << r.err;
}

TEST(CliMake, VerticalPromoWithALogoEndCard) {
  std::vector<std::string> args = {photo("shoe.jpg", 800, 600, 10), photo("bag.jpg", 600, 800, 90),
                                   photo("logo.png", 400, 400, 150)};
  std::string out = (dir() / "promo.mp4").string(), draft = (dir() / "promo.json").string();
  args.insert(args.end(), {"--style", "promo", "--aspect", "9:16", "--duration", "6s", "--prompt", "Shop now",
                           "--preview", "-o", out, "--draft-out", draft});
  RunResult r = make(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Probe p = probe(out);
  EXPECT_NEAR(p.seconds, 6.0, 0.05);
  EXPECT_EQ(p.width, 540);
  EXPECT_EQ(p.height, 960);
  EXPECT_FALSE(p.audio) << "no music given: no audio stream";
  Json d = read_json(draft);
  EXPECT_EQ(d["t"][0]["sg"][2]["src"], "logo.png");
  EXPECT_EQ(d["t"][0]["sg"][2]["m"]["fit"], "contain");
  EXPECT_EQ(d["t"][1]["sg"][0]["m"]["text"], "Shop now");
}

TEST(CliMake, HighlightCutsLandWithinAFrameOfTheBeats) {
  std::vector<std::string> args;
  for (int i = 0; i < 7; ++i) args.push_back(photo("h" + std::to_string(i) + ".jpg", 640, 480, i * 20));
  std::string out = (dir() / "highlight.mp4").string(), draft = (dir() / "highlight.json").string();
  args.insert(args.end(), {"--style", "highlight", "--music", click_track("beat.wav", 20, 250), "--duration", "9s",
                           "--preview", "-o", out, "--draft-out", draft});
  RunResult r = make(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json d = read_json(draft);
  const Json& segs = d["t"][0]["sg"];
  ASSERT_EQ(segs.size(), 7u);
  for (size_t i = 1; i < segs.size(); ++i) {
    int64_t cut = segs[i]["s"].get<int64_t>();
    int64_t off = (cut - 250) % 500;
    EXPECT_LE(std::min(off, 500 - off), 33) << "cut " << i << " at " << cut << " ms";
  }
  EXPECT_NEAR(probe(out).seconds, 9.0, 0.05);
}

TEST(CliMake, BadInputsAreNamedAndNothingIsWritten) {
  std::string out = (dir() / "never.mp4").string();
  fs::path text = dir() / "notes.jpg";
  std::ofstream(text) << "not a photo";
  RunResult r = make({photo("ok.jpg", 400, 300, 0), text.string(), (dir() / "missing.jpg").string(), "-o", out});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("notes.jpg"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing.jpg"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  RunResult d = make({photo("ok2.jpg", 400, 300, 0), "--duration", "soon", "-o", out});
  EXPECT_EQ(d.exit_code, 2);
  EXPECT_EQ(d.err, "reel: --duration takes a length such as 30s, 45 or 1m30s, not \"soon\"\n");
}

// Opening a FIFO waits for a writer forever; a device reads as empty or endless. Each is
// refused before it is opened, named as it was given (not as the link's target), all at once.
TEST(CliMake, AFifoOrADeviceAmongThePhotosClipsOrMusicIsRefusedNamedAsGiven) {
  const fs::path d = dir() / "special";
  fs::create_directories(d);
  ASSERT_EQ(::mkfifo((d / "pipe.jpg").c_str(), 0600), 0);
  ASSERT_EQ(::mkfifo((d / "pipe.mp4").c_str(), 0600), 0);
  ASSERT_EQ(::mkfifo((d / "pipe.mp3").c_str(), 0600), 0);
  fs::create_symlink("/dev/zero", d / "zero.jpg");
  const std::string out = (d / "never.mp4").string();
  RunResult r = make({photo("special/ok.jpg", 400, 300, 0), (d / "pipe.jpg").string(), (d / "zero.jpg").string(),
                      (d / "pipe.mp4").string(), "--music", (d / "pipe.mp3").string(), "-o", out});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  for (const std::string line :
       {(d / "pipe.jpg").string() + ": is a FIFO (named pipe), not a photo file; replace it with a JPEG, PNG, WebP "
                                    "or HEIC photo",
        (d / "zero.jpg").string() + ": is a device, not a photo file; replace it with a JPEG, PNG, WebP or HEIC photo",
        (d / "pipe.mp4").string() + ": is a FIFO (named pipe), not a video file; point it at the clip file itself"})
    EXPECT_NE(r.err.find(line), std::string::npos) << line << "\n" << r.err;
  EXPECT_FALSE(fs::exists(out));
  RunResult m = make({(d / "ok.jpg").string(), "--music", (d / "pipe.mp3").string(), "-o", out});
  EXPECT_EQ(m.exit_code, 1) << m.err;
  EXPECT_NE(m.err.find("pipe.mp3: is a FIFO (named pipe), not an audio file; point it at the audio file itself"),
            std::string::npos)
      << m.err;
  EXPECT_FALSE(fs::exists(out));
}

// A link keeps its own name in the draft: its name (and extension) says what it is.
TEST(CliMake, ALinkToAPhotoIsWrittenIntoTheDraftByItsOwnName) {
  const fs::path d = dir() / "links";
  fs::create_directories(d / "card");
  photo("links/card/IMG_0001.jpg", 400, 300, 40);
  fs::rename(d / "card" / "IMG_0001.jpg", d / "card" / "IMG_0001");  // a name with no extension
  fs::create_symlink(d / "card" / "IMG_0001", d / "beach.jpg");
  const fs::path draft = d / "show.json";
  RunResult r = make({(d / "beach.jpg").string(), "--draft-only", "--draft-out", draft.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_json(draft)["t"][0]["sg"][0]["src"], "beach.jpg");
}

// HEIC keeps its capture time in an EXIF block behind a 4-byte offset; make reads it and orders
// the photos by it, whatever order they are given in and whatever their names say.
TEST(CliMake, OrdersHeicPhotosByTheirCaptureTime) {
  const fs::path heic = dir() / "heic";
  fs::create_directories(heic);
  const std::vector<std::pair<std::string, std::string>> shots = {{"a_last.heic", "2024:05:03 09:00:00"},
                                                                  {"b_first.heic", "2023:12:31 23:59:59"},
                                                                  {"c_middle.heic", "2024:05:01 10:00:00"}};
  std::vector<std::string> args;
  for (size_t i = 0; i < shots.size(); ++i) {
    const std::string path = (heic / shots[i].first).string();
    if (!reel::test::write_heic(path, reel::test::detailed_photo(320, 180, uint32_t(20 + i)), shots[i].second))
      GTEST_SKIP() << "this libheif has no HEVC encoder to write the test's HEIC photos";
    args.push_back(path);
  }
  const std::string draft = (heic / "d.json").string();
  args.insert(args.end(), {"--preview", "-o", (heic / "out.mp4").string(), "--draft-out", draft});
  RunResult r = make(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json d = read_json(draft);
  ASSERT_EQ(d["t"][0]["sg"].size(), 3u);
  EXPECT_EQ(d["t"][0]["sg"][0]["src"], "b_first.heic");
  EXPECT_EQ(d["t"][0]["sg"][1]["src"], "c_middle.heic");
  EXPECT_EQ(d["t"][0]["sg"][2]["src"], "a_last.heic");
}

TEST(CliMake, APromptIsReadAndSaidBackAndAFolderGivesItsPhotosWithDraftOnly) {
  fs::path folder = dir() / "summer";
  fs::create_directories(folder);
  for (int i = 0; i < 4; ++i) photo("summer/p" + std::to_string(i) + ".jpg", 640, 480, i * 40);
  std::ofstream(folder / "notes.txt") << "not media";
  std::string draft = (dir() / "summer.json").string(), out = (dir() / "never-summer.mp4").string();
  RunResult r = make({folder.string(), "--prompt",
                      "a fast vertical promo for our summer sale, 15 seconds, with zoom transitions, purple unicorns",
                      "--draft-only", "--draft-out", draft, "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("4 photos and clips (1 other files left out)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("reel: from the prompt: style: promo; shape: 9:16; length: 15 s; pace: fast; transitions: "
                       "zoomin; title: \"Summer Sale\" (from \"for our summer sale\")\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("reel: not understood in the prompt: \"purple unicorns\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing rendered: --draft-only"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out)) << "--draft-only renders nothing";
  Json d = read_json(draft);
  EXPECT_EQ(d["m"]["width"], 1080);
  EXPECT_EQ(d["m"]["height"], 1920);
  EXPECT_EQ(d["d"], 15000);
  EXPECT_EQ(d["t"][0]["sg"].size(), 4u);
  EXPECT_EQ(d["t"][0]["sg"][1]["m"]["tr"]["type"], "zoomin");
  EXPECT_EQ(d["t"][1]["sg"][0]["m"]["text"], "Summer Sale");
  // A second run over the same --draft-out keeps the first in the draft's history.
  RunResult again =
      make({folder.string(), "--prompt", "竖屏，二十秒，标题“夏日”", "--draft-only", "--draft-out", draft});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("reel: from the prompt: title: \"夏日\"; shape: 9:16; length: 20 s"), std::string::npos)
      << again.err;
  Json history = read_json(dir() / ".summer.json.history.json");
  ASSERT_EQ(history["undo"].size(), 1u);
  EXPECT_EQ(Json::parse(history["undo"][0].get<std::string>()), d);
}

// The prompt alone, with only the options make always had (photo files, --prompt, -o,
// --draft-out): its shape, length, transitions and title are in the video, in a promo and in the
// default slideshow, and a second run keeps the first draft in the history beside the draft.
TEST(CliMake, APromptAloneSetsShapeLengthTransitionsAndTitleInAPromoAndInASlideshow) {
  std::vector<std::string> photos;
  for (int i = 0; i < 4; ++i) photos.push_back(photo("alone" + std::to_string(i) + ".jpg", 640, 480, i * 40));
  auto texts = [](const Json& d) {
    std::vector<std::string> all;
    for (const Json& t : d["t"])
      if (t["tt"] == 7)
        for (const Json& sg : t["sg"]) all.push_back(sg["m"].value("text", ""));
    return all;
  };
  const std::string draft = (dir() / "alone.json").string(), out = (dir() / "alone.mp4").string();
  std::vector<std::string> args = photos;
  args.insert(args.end(), {"--prompt", "a fast vertical promo for our summer sale, 15 seconds, with zoom transitions",
                           "--preview", "-o", out, "--draft-out", draft});
  RunResult promo = make(args);
  ASSERT_EQ(promo.exit_code, 0) << promo.err;
  Probe p = probe(out);
  EXPECT_EQ(p.width, 540) << "vertical";
  EXPECT_EQ(p.height, 960) << "vertical";
  EXPECT_NEAR(p.seconds, 15.0, 0.05);
  const Json first = read_json(draft);
  EXPECT_EQ(first["t"][0]["sg"][1]["m"]["tr"]["type"], "zoomin");
  EXPECT_EQ(texts(first), std::vector<std::string>{"Summer Sale"}) << first.dump();

  args = photos;
  args.insert(args.end(), {"--prompt", "竖屏，二十秒，标题“夏日”", "--preview", "-o", out, "--draft-out", draft});
  RunResult slideshow = make(args);
  ASSERT_EQ(slideshow.exit_code, 0) << slideshow.err;
  p = probe(out);
  EXPECT_EQ(p.width, 540) << "竖屏: vertical";
  EXPECT_EQ(p.height, 960) << "竖屏: vertical";
  EXPECT_NEAR(p.seconds, 20.0, 0.05) << "二十秒: twenty seconds";
  EXPECT_EQ(texts(read_json(draft)), std::vector<std::string>{"夏日"}) << "the slideshow keeps the prompt's title";
  const fs::path history = dir() / ".alone.json.history.json";
  ASSERT_TRUE(fs::exists(history)) << "the first draft is kept in the history beside the draft";
  ASSERT_EQ(read_json(history)["undo"].size(), 1u);
  EXPECT_EQ(Json::parse(read_json(history)["undo"][0].get<std::string>()), first);
}

TEST(CliMake, TheMoodPicksAmongTheSongsAndFitMusicEndsWithIt) {
  std::vector<std::string> args;
  for (int i = 0; i < 3; ++i) args.push_back(photo("f" + std::to_string(i) + ".jpg", 640, 480, i * 50));
  std::string draft = (dir() / "fit.json").string();
  // Clicks every 900 ms (about 67 BPM) and every 400 ms (150 BPM).
  std::string slow = click_track("slow.wav", 6, 100, 900), fast = click_track("fast.wav", 9, 100, 400);
  args.insert(args.end(), {"--music", slow, "--music", fast, "--prompt", "an upbeat slideshow", "--fit-music",
                           "--draft-only", "--draft-out", draft});
  RunResult r = make(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("music: " + fast + " (the fastest of the songs for the prompt's mood)"), std::string::npos)
      << r.err;
  Json d = read_json(draft);
  EXPECT_EQ(d["t"][1]["sg"][0]["src"], "fast.wav");
  EXPECT_NEAR(d["d"].get<double>(), 9000, 30) << "the video ends with the song";
  EXPECT_EQ(d["t"][1]["sg"][0]["d"], d["d"]);
  EXPECT_EQ(d["t"][1]["sg"][0]["m"]["loop"], false);
  RunResult none = make({args[0], "--fit-music", "--draft-only", "--draft-out", draft});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err, "reel: --fit-music needs the song: give --music SONG\n");
}

TEST(CliMake, EveryStyleFadesInFromBlackAndOutToBlackWithTheMusic) {
  // A steady tone, so the sound's level at each end is the fade's.
  const int rate = 48000;
  std::vector<int16_t> tone(size_t(10 * rate));
  for (size_t i = 0; i < tone.size(); ++i) tone[i] = int16_t(12000 * std::sin(2 * M_PI * 440 * double(i) / rate));
  std::string song = (dir() / "tone.wav").string();
  reel::test::write_wav(song, tone, rate);
  std::vector<std::string> photos;
  for (int i = 0; i < 3; ++i) photos.push_back(photo("e" + std::to_string(i) + ".jpg", 640, 480, 20 + i * 50));
  for (const char* style : {"slideshow", "promo", "highlight"}) {
    std::string out = (dir() / (std::string("ends-") + style + ".mp4")).string();
    std::vector<std::string> args = photos;
    args.insert(args.end(),
                {"--style", style, "--music", song, "--duration", "6s", "--title", "Ends", "--preview", "-o", out});
    RunResult r = make(args);
    ASSERT_EQ(r.exit_code, 0) << style << ": " << r.err;
    // Every frame as an 8x8 grey picture: its mean is the frame's brightness.
    RunResult frames = run_command(
        "ffmpeg", {"-v", "error", "-i", out, "-vf", "scale=8:8", "-f", "rawvideo", "-pix_fmt", "gray", "-"});
    ASSERT_EQ(frames.exit_code, 0) << frames.err;
    const size_t count = frames.out.size() / 64;
    ASSERT_GE(count, 170u) << style;
    auto brightness = [&](size_t f) {
      double sum = 0;
      for (size_t i = 0; i < 64; ++i) sum += static_cast<unsigned char>(frames.out[f * 64 + i]);
      return sum / 64;
    };
    EXPECT_LT(brightness(0), 6) << style << ": the first frame is black";
    EXPECT_GT(brightness(count / 2), 60) << style << ": the middle shows the photos";
    EXPECT_LT(brightness(count - 1), 12) << style << ": the last frame is (all but) black";
    EXPECT_LT(brightness(count - 1), brightness(count - 16)) << style << ": it darkens towards the end";
    // The sound: quiet at both ends, full in the middle.
    RunResult pcm = run_command("ffmpeg", {"-v", "error", "-i", out, "-f", "s16le", "-ac", "1", "-ar", "48000", "-"});
    ASSERT_EQ(pcm.exit_code, 0) << pcm.err;
    const auto* s = reinterpret_cast<const int16_t*>(pcm.out.data());
    const size_t n = pcm.out.size() / 2;
    ASSERT_GT(n, size_t(5.5 * rate));
    auto rms = [&](size_t from, size_t len) {
      double sum = 0;
      for (size_t i = from; i < from + len && i < n; ++i) sum += double(s[i]) * s[i];
      return std::sqrt(sum / double(len));
    };
    const size_t window = rate / 50;  // 20 ms
    const double middle = rms(n / 2, window);
    EXPECT_GT(middle, 1000) << style;
    EXPECT_LT(rms(0, window), middle * 0.05) << style << ": the music starts from silence";
    EXPECT_LT(rms(n - window - 2048, window), middle * 0.08) << style << ": and ends in it";
  }
}
