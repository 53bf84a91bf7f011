// End-to-end: the reel binary's render commands. Bad input gets a message naming the
// segment, the file and what to do, exit code 1, and no output file.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libheif/heif.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <fstream>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "support/clip_writer.h"
#include "support/run_command.h"
#include "support/wav_writer.h"
#include "tests/engine/support/media_fixtures.h"

namespace reel::test {
namespace {

std::vector<uint8_t> bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void write_bytes(const std::string& path, const std::vector<uint8_t>& b) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

/// A folder with a good photo, a draft whose second segment uses `bad`, and a render of it.
struct BadInputCase {
  TempDir dir;
  RunResult run(const std::string& bad) {
    write_image(dir.file("good.jpg"), detailed_photo(320, 180, 1));
    Json j = slideshow_json(160, 90, 25, {"good.jpg", bad}, 500);
    std::ofstream(dir.file("draft.json")) << j.dump();
    return run_command(REEL_BINARY, {"render", "draft.json", "-o", "out.mp4"}, "", dir.path().string());
  }
  bool output_left() const {
    for (auto& e : fs::directory_iterator(dir.path()))
      if (e.path().filename().string().find("out.mp4") != std::string::npos) return true;
    return false;
  }
};

const std::string kRedo = "; re-export or re-download the photo, or replace it in the draft\n";

void expect_refused(BadInputCase& c, const std::string& file, const std::string& message) {
  RunResult r = c.run(file);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "reel: /t/0/sg/1: " + file + ": " + message) << "stdout: " << r.out;
  EXPECT_FALSE(c.output_left());
}

TEST(RenderBadInput, MissingFile) {
  BadInputCase c;
  expect_refused(c, "nope.jpg",
                 "file not found (looked for " + c.dir.file("nope.jpg") +
                     "); check the path; relative paths start at the draft's folder\n");
}

TEST(RenderBadInput, EmptyFile) {
  BadInputCase c;
  write_bytes(c.dir.file("empty.jpg"), {});
  expect_refused(c, "empty.jpg", "the file is empty (0 bytes); replace it with the photo itself\n");
}

TEST(RenderBadInput, TruncatedJpegPngWebp) {
  for (const char* ext : {"jpg", "png", "webp"}) {
    BadInputCase c;
    std::string full = c.dir.file(std::string("full.") + ext);
    cv::imwrite(full, detailed_photo(400, 300, 2));
    auto b = bytes_of(full);
    b.resize(b.size() * 2 / 3);
    std::string name = std::string("cut.") + ext;
    write_bytes(c.dir.file(name), b);
    std::string fmt = ext == std::string("jpg") ? "JPEG" : ext == std::string("png") ? "PNG" : "WebP";
    expect_refused(c, name, "the " + fmt + " is truncated (the file ends before the image does)" + kRedo);
  }
}

TEST(RenderBadInput, CorruptJpegHeaderAndPngChecksum) {
  {
    BadInputCase c;
    cv::imwrite(c.dir.file("x.jpg"), detailed_photo(400, 300, 3));
    auto b = bytes_of(c.dir.file("x.jpg"));
    for (size_t i = 20; i < 40; ++i) b[i] = 0x41;  // after SOI and the JFIF segment
    write_bytes(c.dir.file("bad.jpg"), b);
    expect_refused(c, "bad.jpg", "the JPEG is corrupt (bad marker at byte 20)" + kRedo);
  }
  {
    BadInputCase c;
    cv::imwrite(c.dir.file("x.png"), detailed_photo(400, 300, 4));
    auto b = bytes_of(c.dir.file("x.png"));
    b[b.size() / 2] ^= 0xFF;
    write_bytes(c.dir.file("bad.png"), b);
    expect_refused(c, "bad.png", "the PNG is corrupt (chunk IDAT fails its checksum)" + kRedo);
  }
}

TEST(RenderBadInput, CorruptWebpDataFailsAtDecodeWithTheSameKindOfMessage) {
  BadInputCase c;
  cv::imwrite(c.dir.file("x.webp"), detailed_photo(400, 300, 5));
  auto b = bytes_of(c.dir.file("x.webp"));
  for (size_t i = 40; i < b.size(); ++i) b[i] = uint8_t(i * 7);
  write_bytes(c.dir.file("bad.webp"), b);
  expect_refused(c, "bad.webp", "the WebP image data is corrupt or truncated (the decoder gave up)" + kRedo);
}

TEST(RenderBadInput, TruncatedHeic) {
  if (!heif_have_encoder_for_format(heif_compression_HEVC)) GTEST_SKIP() << "libheif has no HEVC encoder here";
  BadInputCase c;
  write_heic(c.dir.file("x.heic"), detailed_photo(256, 160, 6));
  auto b = bytes_of(c.dir.file("x.heic"));
  b.resize(b.size() * 2 / 3);
  write_bytes(c.dir.file("cut.heic"), b);
  expect_refused(c, "cut.heic", "the HEIF is truncated (the file ends before the image does)" + kRedo);
}

TEST(RenderBadInput, CorruptHeicIsRefusedWithItsSegmentAndNoFile) {
  if (!heif_have_encoder_for_format(heif_compression_HEVC)) GTEST_SKIP() << "libheif has no HEVC encoder here";
  BadInputCase c;
  write_heic(c.dir.file("x.heic"), detailed_photo(256, 160, 6));
  auto b = bytes_of(c.dir.file("x.heic"));
  // Damage the metadata box (item locations and properties) after ftyp.
  for (size_t i = 40; i < std::min<size_t>(b.size(), 200); ++i) b[i] = uint8_t(0xA5 ^ i);
  write_bytes(c.dir.file("bad.heic"), b);
  RunResult r = c.run("bad.heic");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err.rfind("reel: /t/0/sg/1: bad.heic: the HEIF ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(kRedo), std::string::npos) << r.err;
  EXPECT_FALSE(c.output_left());
}

TEST(RenderBadInput, TextFileNamedJpg) {
  BadInputCase c;
  std::ofstream(c.dir.file("notes.jpg")) << "these are my holiday notes\n";
  expect_refused(c, "notes.jpg",
                 "not an image: the file holds text, not JPEG, PNG, WebP, BMP, TIFF or HEIC data; replace it with the "
                 "photo itself (the file name's extension does not make it one)\n");
}

/// A real 30000x30000 greyscale PNG (all black): under a megabyte on disk, 900 MB decoded.
void write_huge_png(const std::string& path, int side) {
  std::vector<uint8_t> out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  auto chunk = [&](const char* type, const std::vector<uint8_t>& data) {
    uint32_t n = uint32_t(data.size());
    uint8_t len[4] = {uint8_t(n >> 24), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)};
    out.insert(out.end(), len, len + 4);
    size_t start = out.size();
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), data.begin(), data.end());
    uint32_t crc = uint32_t(crc32(0, out.data() + start, uInt(out.size() - start)));
    uint8_t c[4] = {uint8_t(crc >> 24), uint8_t(crc >> 16), uint8_t(crc >> 8), uint8_t(crc)};
    out.insert(out.end(), c, c + 4);
  };
  uint32_t s = uint32_t(side);
  chunk("IHDR", {uint8_t(s >> 24), uint8_t(s >> 16), uint8_t(s >> 8), uint8_t(s), uint8_t(s >> 24), uint8_t(s >> 16),
                 uint8_t(s >> 8), uint8_t(s), 8, 0, 0, 0, 0});
  z_stream z{};
  deflateInit(&z, 9);
  std::vector<uint8_t> row(size_t(side) + 1, 0), idat, buf(1 << 16);
  for (int y = 0; y < side; ++y) {
    z.next_in = row.data();
    z.avail_in = uInt(row.size());
    do {
      z.next_out = buf.data();
      z.avail_out = uInt(buf.size());
      deflate(&z, y + 1 == side ? Z_FINISH : Z_NO_FLUSH);
      idat.insert(idat.end(), buf.data(), buf.data() + (buf.size() - z.avail_out));
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  chunk("IDAT", idat);
  chunk("IEND", {});
  write_bytes(path, out);
}

TEST(RenderBadInput, DecompressionBombPngIsRefusedBeforeDecoding) {
  BadInputCase c;
  write_huge_png(c.dir.file("bomb.png"), 30000);
  expect_refused(c, "bomb.png",
                 "the image is 30000x30000 (900 megapixels), over the limit of 100 megapixels; scale it down, or raise "
                 "the limit with --max-megapixels\n");
}

TEST(RenderBadInput, UnsupportedFormat) {
  BadInputCase c;
  write_bytes(c.dir.file("layers.psd"), {'8', 'B', 'P', 'S', 0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 1, 0, 0x80, 0xff});
  expect_refused(c, "layers.psd",
                 "unsupported format: not JPEG, PNG, WebP, BMP, TIFF or HEIC; convert it to JPEG or PNG\n");
}

TEST(RenderBadInput, EveryBadSourceIsListedAtOnce) {
  TempDir dir;
  write_bytes(dir.file("empty.png"), {});
  Json j = slideshow_json(160, 90, 25, {"a.jpg", "empty.png"}, 500);
  std::ofstream(dir.file("draft.json")) << j.dump();
  RunResult r = run_command(REEL_BINARY, {"render", "draft.json", "-o", "out.mp4"}, "", dir.path().string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/t/0/sg/0: a.jpg: file not found"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/t/0/sg/1: empty.png: the file is empty"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("out.mp4")));
}

TEST(RenderBadInput, BadSoundsAreListedWithTheBadPhotosAndClipsEachOnce) {
  TempDir dir;
  write_bytes(dir.file("empty.png"), {});
  write_bytes(dir.file("cut.mp4"), {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'});
  std::ofstream(dir.file("song.mp3")) << "not a song";
  Json j = slideshow_json(160, 90, 25, {"empty.png", "cut.mp4"}, 500);
  j["t"].push_back(
      {{"tt", 1},
       {"sg", {{{"s", 0}, {"d", 1000}, {"src", "song.mp3"}}, {{"s", 1000}, {"d", 500}, {"src", "gone.wav"}}}}});
  std::ofstream(dir.file("draft.json")) << j.dump();
  RunResult r = run_command(REEL_BINARY, {"render", "draft.json", "-o", "out.mp4"}, "", dir.path().string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/t/0/sg/0: empty.png: the file is empty"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/t/0/sg/1: cut.mp4: "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("/t/0/sg/1: cut.mp4: "), r.err.rfind("/t/0/sg/1: ")) << "a bad clip once: " << r.err;
  EXPECT_NE(r.err.find("/t/1/sg/0: song.mp3: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/t/1/sg/1: gone.wav: "), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("out.mp4")));
}

TEST(RenderBadInput, BadClipsAreListedAtOnceWithExitOneAndNoFile) {
  TempDir dir;
  std::vector<int64_t> ten;
  for (int i = 0; i < 10; ++i) ten.push_back(i * 40);
  write_clip(dir.path() / "short.mp4", 64, 48, ten);            // 0.4 s: `in` 900 is past its end
  write_clip(dir.path() / "still.gif", 64, 48, {0}, 0, "gif");  // a GIF with one frame
  std::ofstream(dir.file("notes.mp4")) << "this is text, not a video\n";
  write_clip(dir.path() / "whole.mp4", 64, 48, ten);
  std::vector<uint8_t> cut = bytes_of(dir.file("whole.mp4"));
  cut.resize(cut.size() / 2);
  write_bytes(dir.file("cut.mp4"), cut);
  Json j = slideshow_json(160, 90, 25, {"short.mp4", "still.gif", "notes.mp4", "cut.mp4"}, 500);
  j["t"][0]["sg"][0]["in"] = 900;
  std::ofstream(dir.file("draft.json")) << j.dump();
  RunResult r = run_command(REEL_BINARY, {"render", "draft.json", "-o", "out.mp4"}, "", dir.path().string());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("/t/0/sg/0: short.mp4: `in` is past the end of the clip (0.4 s long)"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("/t/0/sg/1: still.gif: is a GIF with a single frame"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/t/0/sg/2: notes.mp4: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/t/0/sg/3: cut.mp4: "), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("out.mp4")));
}

TEST(RenderCommand, RendersAClipBesideAPhoto) {
  TempDir dir;
  std::vector<int64_t> pts;
  for (int i = 0; i < 25; ++i) pts.push_back(i * 40);
  write_clip(dir.path() / "clip.mov", 160, 120, pts, 0, "libx264", 440);
  write_image(dir.file("p.jpg"), detailed_photo(320, 180, 3));
  Json j = slideshow_json(160, 90, 25, {"p.jpg", "clip.mov"}, 500);
  j["t"][0]["sg"][1]["m"] = {{"tr", {{"type", "fade"}, {"d", 200}}}, {"fit", "blur"}};
  std::ofstream(dir.file("draft.json")) << j.dump();
  RunResult r = run_command(REEL_BINARY, {"render", "draft.json", "-o", "out.mp4"}, "", dir.path().string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  VideoProbe p = probe_video(dir.file("out.mp4"));
  EXPECT_EQ(p.frames, 25);
  EXPECT_TRUE(p.has_audio);  // the clip's own sound
}

struct GoodCase {
  TempDir dir;
  GoodCase(int ms = 500, int photos = 2) {
    std::vector<std::string> names;
    for (int i = 0; i < photos; ++i) {
      names.push_back("p" + std::to_string(i) + ".jpg");
      write_image(dir.file(names.back()), detailed_photo(320, 200, uint32_t(10 + i)));
    }
    Json j = slideshow_json(320, 180, 25, names, ms, {{"kb", "auto"}});
    j["m"]["title"] = "Test show";
    j["t"][0]["sg"][1]["m"]["tr"] = {{"type", "fade"}, {"d", 200}};
    reel::test::write_wav(dir.file("music.wav"), reel::test::sine(ms / 1000.0, 440, 0.3));
    j["t"].push_back({{"tt", 1}, {"m", {{"name", "BGM"}}}, {"sg", {{{"s", 0}, {"d", ms}, {"src", "music.wav"}}}}});
    j["t"].push_back({{"tt", 7}, {"sg", {{{"s", 0}, {"d", ms}, {"m", {{"text", "Hello"}}}}}}});
    std::ofstream(dir.file("draft.json")) << j.dump();
  }
  RunResult reel(std::vector<std::string> args) { return run_command(REEL_BINARY, args, "", dir.path().string()); }
};

TEST(RenderCommand, RendersTheTitleAndTheMusic) {
  GoodCase c;
  RunResult r = c.reel({"render", "draft.json", "-o", "out.mp4", "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto p = probe_video(c.dir.file("out.mp4"));
  EXPECT_EQ(p.frames, 25);
  EXPECT_EQ(p.width, 320);
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t at = r.err.find(needle); at != std::string::npos; at = r.err.find(needle, at + 1)) ++n;
    return n;
  };
  EXPECT_TRUE(p.has_audio) << "the music is mixed in";
  EXPECT_EQ(count("note"), 0u) << r.err;
  EXPECT_EQ(count("text"), 0u) << "the title is drawn: " << r.err;
  EXPECT_EQ(r.out, "") << "silent on stdout when not a terminal";
}

TEST(RenderCommand, PreviewWritesNextToTheCurrentFolderAtPreviewSize) {
  GoodCase c;
  RunResult r = c.reel({"preview", "draft.json", "--size", "160x90"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto p = probe_video(c.dir.file("draft.preview.mp4"));
  EXPECT_EQ(p.width, 160);
  EXPECT_EQ(p.height, 90);
}

TEST(RenderCommand, ProgressJsonPrintsJsonLinesAndEndsWithOneDoneEvent) {
  GoodCase c;
  RunResult r = c.reel({"render", "draft.json", "-o", "out.mp4", "--progress", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_FALSE(r.out.empty());
  std::vector<Json> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) lines.push_back(Json::parse(line));
  ASSERT_GE(lines.size(), 2u) << r.out;
  const Json& progress = lines[lines.size() - 2];
  EXPECT_EQ(progress["event"], "progress");
  EXPECT_EQ(progress["frames"], 25);
  EXPECT_EQ(progress["total"], 25);
  const Json& done = lines.back();
  EXPECT_EQ(done["event"], "done");
  EXPECT_EQ(done["output"], "out.mp4");
  EXPECT_EQ(done["frames"], 25);
  EXPECT_TRUE(done["seconds"].is_number());
  EXPECT_GT(done["seconds"].get<double>(), 0);
  int dones = 0;
  for (const Json& l : lines) dones += l["event"] == "done";
  EXPECT_EQ(dones, 1) << r.out;
  EXPECT_EQ(r.out.find("\"frames\":25,\"total\""), r.out.rfind("\"frames\":25,\"total\""))
      << "the last line once: " << r.out;
}

TEST(RenderCommand, StillPastTheEndSaysSoAndWritesNothing) {
  GoodCase c(1000, 2);  // 2 s at 25 fps: the last frame is at 1.96 s
  RunResult r = c.reel({"still", "draft.json", "--at", "2.5", "-o", "late.png"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "reel: --at 2.5 s is past the end of the draft (2 s long); give a time from 0 to 1.96 s\n");
  EXPECT_FALSE(fs::exists(c.dir.file("late.png")));
  EXPECT_EQ(c.reel({"still", "draft.json", "--at", "1.96", "-o", "last.png"}).exit_code, 0);
}

TEST(RenderCommand, ASizeOfAnotherShapeIsRefusedWithTheSizeToUse) {
  GoodCase c;  // 320x180
  RunResult r = c.reel({"render", "draft.json", "-o", "out.mp4", "--size", "720x1280"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "reel: --size 720x1280 is not the shape of the draft (320x180); use --size 1280x720, or change the "
            "draft's m.ar (or width and height) for another shape\n");
  EXPECT_FALSE(fs::exists(c.dir.file("out.mp4")));
  EXPECT_EQ(c.reel({"preview", "draft.json", "--size", "854x480", "-o", "p.mp4"}).exit_code, 0)
      << "854x480 is 16:9 to the nearest even pixel";
}

TEST(RenderCommand, AStuckPanAndAScriptWithoutAFontAreToldBeforeRendering) {
  GoodCase c;  // photos 320x200 on a 320x180 canvas: room to pan up and down, none across
  Json j = Json::parse(slurp(c.dir.file("draft.json")));
  j["t"][0]["sg"][0]["m"]["kb"] = {{"from", {{"x", 0.2}, {"y", 0.5}, {"z", 1}}},
                                   {"to", {{"x", 0.8}, {"y", 0.5}, {"z", 1}}}};
  j["t"][2]["sg"][0]["m"]["text"] = "สวัสดี Hello";
  std::ofstream(c.dir.file("draft.json")) << j.dump();
  RunResult r = c.reel({"render", "draft.json", "-o", "out.mp4", "--to", "0.2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("reel: note: /t/0/sg/0: p0.jpg: the Ken Burns pan from x 0.20, y 0.50 to x 0.80, y 0.50 cannot "
                       "move: at zoom 1 the fitted picture already fills the frame with no room around it; set z to "
                       "2.50 in from and to to let it move\n"),
            std::string::npos)
      << r.err;
  if (r.err.find("no installed font has Thai") == std::string::npos)
    EXPECT_EQ(system("fc-list :charset=0e2a | grep -q ."), 0) << "no note, so a font must have Thai: " << r.err;
  else
    EXPECT_NE(r.err.find("reel: note: /t/2/sg/0: no installed font has Thai (it would show as empty boxes); install "
                         "the Debian package fonts-noto-core, or name a font file that has it in style.font\n"),
              std::string::npos)
        << r.err;
}

TEST(RenderCommand, StillAndStoryboardWritePngs) {
  GoodCase c(1000, 3);
  RunResult r = c.reel({"still", "draft.json", "--at", "0.5", "-o", "frame.png"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  cv::Mat f = cv::imread(c.dir.file("frame.png"));
  EXPECT_EQ(f.cols, 320);
  EXPECT_EQ(f.rows, 180);
  r = c.reel({"storyboard", "draft.json", "-o", "board.png"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  cv::Mat b = cv::imread(c.dir.file("board.png"));
  EXPECT_GE(b.cols, 720);
  EXPECT_GT(b.rows, 200);
}

TEST(RenderCommand, UsageErrorsExitWithTwo) {
  GoodCase c;
  EXPECT_EQ(c.reel({"render", "draft.json", "-o", "out.mp4", "--size", "123"}).exit_code, 2);
  EXPECT_EQ(c.reel({"render", "draft.json"}).exit_code, 2);
  EXPECT_EQ(c.reel({"render", "draft.json", "-o", "o.mp4", "--preset", "fast"}).exit_code, 2);
  EXPECT_FALSE(fs::exists(c.dir.file("out.mp4")));
}

TEST(RenderCommand, InterruptStopsCleanlyWithExitThreeAndNoFile) {
  GoodCase c(20000, 2);
  const std::string cache = c.dir.file("cache");
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(c.dir.path().c_str()) != 0) _exit(99);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 2);
    setenv("XDG_CACHE_HOME", cache.c_str(), 1);
    execl(REEL_BINARY, REEL_BINARY, "render", "draft.json", "-o", "out.mp4", "--size", "640x360", nullptr);
    _exit(98);
  }
  // Wait until the render has started writing a chunk (a temporary file), then press Ctrl-C.
  auto writing = [&] {
    std::error_code ec;
    for (auto& e : fs::recursive_directory_iterator(c.dir.path(), ec))
      if (e.path().extension() == ".tmp") return true;
    return false;
  };
  bool started = false;
  for (int i = 0; i < 400 && !started; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    started = writing();
  }
  EXPECT_TRUE(started);
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  for (auto& e : fs::directory_iterator(c.dir.path()))
    EXPECT_EQ(e.path().filename().string().find("out.mp4"), std::string::npos) << e.path();
  EXPECT_FALSE(writing()) << "the chunk being written when Ctrl-C came is removed";
}

TEST(RenderCommand, KeepsProxiesInTheCacheFolderAndCacheShowsAndClearsThem) {
  TempDir dir;
  write_image(dir.file("a.png"), detailed_photo(1600, 1200, 5));
  write_image(dir.file("b.jpg"), detailed_photo(1200, 1600, 6));
  std::ofstream(dir.file("draft.json")) << slideshow_json(320, 180, 25, {"a.png", "b.jpg"}, 500).dump();
  const std::string cache = dir.file("cache");
  auto reel = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"XDG_CACHE_HOME=" + cache, "XDG_CONFIG_HOME=" + dir.file("config"), REEL_BINARY});
    return run_command("/usr/bin/env", args, "", dir.path().string());
  };
  const std::string proxies = cache + "/reel/proxies", media = cache + "/reel/media";
  RunResult r = reel({"cache"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "proxies: " + proxies +
                       " - 0 files, 0.0 MB; photos decoded and framed by earlier renders (made again when needed)\n"
                       "chunks: " +
                       cache +
                       "/reel/chunks - 0 files, 0.0 MB; video rendered by earlier renders, a few seconds a file, and "
                       "their sound (rendered again when needed)\n"
                       "  budget 4096 MB (--chunk-budget, config.json chunk_budget_mb), least recently used out "
                       "first\n"
                       "media: " +
                       media +
                       " - 0 files, 0.0 MB; sources downloaded for local renders (downloaded again when needed)\n"
                       "  budget 4096 MB (--media-budget, config.json media_budget_mb), least recently used out "
                       "first\n");

  ASSERT_EQ(reel({"render", "draft.json", "-o", "fresh.mp4", "--no-cache"}).exit_code, 0);
  EXPECT_FALSE(fs::exists(proxies)) << "--no-cache keeps nothing";
  EXPECT_FALSE(fs::exists(cache + "/reel/chunks")) << "--no-cache keeps nothing";
  r = reel({"render", "draft.json", "-o", "out.mp4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto count = [&] {
    int files = 0;
    for (auto& e : fs::directory_iterator(proxies)) files += e.path().extension() == ".proxy";
    return files;
  };
  EXPECT_EQ(count(), 2);
  r = reel({"preview", "draft.json", "-o", "quick.mp4", "--size", "160x90"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count(), 4) << "two photos, framed for the render's size and for the preview's";
  // Beside the four pictures, each photo's focus (found once, kept as a .focus entry).
  r = reel({"cache"});
  EXPECT_EQ(r.out.rfind("proxies: " + proxies + " - 6 files, ", 0), 0u) << r.out;

  r = reel({"cache", "--clear"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("proxies: removed 6 files, ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("media: removed 0 files, 0.0 MB from " + media + "\n"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::is_empty(proxies));
  // What the renders made does not depend on the cache.
  EXPECT_EQ(probe_video(dir.file("out.mp4")).frames, probe_video(dir.file("fresh.mp4")).frames);
}

TEST(RenderCommand, TheChunkBudgetOfTheConfigBoundsWhatRendersKeepAndCacheTrimsToItsFlag) {
  TempDir dir;
  write_image(dir.file("a.png"), detailed_photo(640, 360, 7));
  write_image(dir.file("b.png"), detailed_photo(640, 360, 8));
  std::ofstream(dir.file("a.json")) << slideshow_json(320, 180, 25, {"a.png"}, 1000, {{"kb", "in"}}).dump();
  std::ofstream(dir.file("b.json")) << slideshow_json(320, 180, 25, {"b.png"}, 1000, {{"kb", "in"}}).dump();
  const std::string cache = dir.file("cache"), chunks = cache + "/reel/chunks";
  auto reel = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"XDG_CACHE_HOME=" + cache, "XDG_CONFIG_HOME=" + dir.file("config"), REEL_BINARY});
    return run_command("/usr/bin/env", args, "", dir.path().string());
  };
  // Within the default budget the first draft's chunks are still there after the second's.
  ASSERT_EQ(reel({"preview", "a.json", "-o", "a.mp4"}).exit_code, 0);
  ASSERT_EQ(reel({"preview", "b.json", "-o", "b.mp4"}).exit_code, 0);
  RunResult r = reel({"preview", "a.json", "-o", "a.mp4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("; 0 chunks rendered, "), std::string::npos) << r.err;

  // A budget of 1 kB: each render keeps its own chunks and pushes out the other's.
  fs::create_directories(dir.file("config") + "/reel");
  std::ofstream(dir.file("config") + "/reel/config.json") << R"({"chunk_budget_mb": 0.001})";
  ASSERT_EQ(reel({"preview", "b.json", "-o", "b.mp4"}).exit_code, 0);
  r = reel({"preview", "a.json", "-o", "a.mp4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("kept"), std::string::npos) << "rendered again: " << r.err;
  r = reel({"cache"});
  EXPECT_NE(r.out.find("  budget 0.001 MB (--chunk-budget, config.json chunk_budget_mb)"), std::string::npos) << r.out;

  // --chunk-budget trims now, least recently used first.
  fs::remove(dir.file("config") + "/reel/config.json");
  const std::string old_entry = chunks + "/old.chunk.mp4", new_entry = chunks + "/new.chunk.mp4";
  std::ofstream(old_entry) << std::string(700 << 10, 'o');
  std::ofstream(new_entry) << std::string(700 << 10, 'n');
  const timespec hour_ago{::time(nullptr) - 3600, 0}, times[2] = {hour_ago, hour_ago};
  ASSERT_EQ(::utimensat(AT_FDCWD, old_entry.c_str(), times, 0), 0);
  r = reel({"cache", "--chunk-budget", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  budget 1 MB (--chunk-budget, config.json chunk_budget_mb)"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(old_entry));
  EXPECT_TRUE(fs::exists(new_entry));
  EXPECT_EQ(reel({"cache", "--chunk-budget", "0"}).exit_code, 2);
}

// The stage's CPU seconds in a --timings line ("decode 0.42"); -1 when it is not there.
double timing_of(const std::string& line, const std::string& stage) {
  std::smatch m;
  if (!std::regex_search(line, m, std::regex("[:,] " + stage + " ([0-9]+\\.[0-9]{2})(,|$)"))) return -1;
  return std::stod(m[1]);
}

TEST(RenderCommand, BenchTimesEveryLocalRenderFromNothingNeverAJoinOfKeptChunks) {
  TempDir dir;
  write_image(dir.file("a.jpg"), detailed_photo(640, 360, 3));
  write_image(dir.file("b.jpg"), detailed_photo(640, 360, 4));
  std::ofstream(dir.file("draft.json")) << slideshow_json(320, 180, 25, {"a.jpg", "b.jpg"}, 600).dump();
  const std::string cache = dir.file("cache"), chunks = cache + "/reel/chunks", proxies = cache + "/reel/proxies";
  auto reel = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"XDG_CACHE_HOME=" + cache, "XDG_CONFIG_HOME=" + dir.file("config"), REEL_BINARY});
    return run_command("/usr/bin/env", args, "", dir.path().string());
  };
  ASSERT_EQ(reel({"render", "draft.json", "-o", "kept.mp4"}).exit_code, 0);
  ASSERT_EQ(reel({"preview", "draft.json", "-o", "kept-preview.mp4"}).exit_code, 0);
  // Every kept file and when it was last used: a bench that read one would mark it used.
  auto kept = [&] {
    std::map<std::string, int64_t> used;
    for (const std::string& folder : {chunks, proxies})
      for (auto& e : fs::directory_iterator(folder)) {
        struct stat st {};
        EXPECT_EQ(::stat(e.path().c_str(), &st), 0);
        used[e.path().string()] = int64_t(st.st_atim.tv_sec) * 1000000000 + st.st_atim.tv_nsec;
      }
    return used;
  };
  const auto before = kept();
  ASSERT_FALSE(before.empty());
  RunResult r = reel({"bench", "draft.json", "--no-cloud", "--runs", "2", "--keep", "runs"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("reel bench draft.json  (2 runs each, every one from nothing; cloud: ", 0), 0u) << r.out;
  EXPECT_EQ(kept(), before) << "bench neither reads nor adds kept chunks or proxies";
  // Its renders are the renders a user gets.
  EXPECT_EQ(probe_video(dir.file("runs/local-final.mp4")).frames, probe_video(dir.file("kept.mp4")).frames);
  EXPECT_EQ(probe_video(dir.file("runs/local-preview.mp4")).frames, probe_video(dir.file("kept-preview.mp4")).frames);
}

TEST(RenderCommand, TimingsTellTheWallTimeByStepAndTheCpuTimeByStageAndAKeptRenderDecodesNothing) {
  TempDir dir;
  write_image(dir.file("a.png"), detailed_photo(2400, 1800, 3));
  write_image(dir.file("b.jpg"), detailed_photo(1800, 2400, 4));
  reel::test::write_wav(dir.file("music.wav"), reel::test::sine(2.0, 440, 0.3));
  Json j = slideshow_json(640, 360, 30, {"a.png", "b.jpg"}, 1000, {{"kb", "in"}});
  j["t"].push_back({{"tt", 1}, {"sg", {{{"s", 0}, {"d", 2000}, {"src", "music.wav"}}}}});
  j["t"].push_back({{"tt", 7}, {"sg", {{{"s", 0}, {"d", 2000}, {"m", {{"text", "Where the time went"}}}}}}});
  std::ofstream(dir.file("draft.json")) << j.dump();
  auto reel = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"XDG_CACHE_HOME=" + dir.file("cache"), REEL_BINARY});
    return run_command("/usr/bin/env", args, "", dir.path().string());
  };
  const std::string number = "([0-9]+\\.[0-9]{2})";
  const std::regex wall("reel: timings: " + number + " s of wall time: start-up " + number + ", plan " + number +
                        ", video " + number + ", sound " + number + ", join " + number);
  const std::regex cpu("reel: timings: " + number + " s of CPU time: start-up " + number + ", plan " + number +
                       ", subjects " + number + ", decode " + number + ", warp " + number + ", text " + number +
                       ", audio " + number + ", encode " + number + ", join " + number + ", other " + number);
  // The two lines after the one that says what was written; each line's parts make its whole.
  auto lines_of = [&](const RunResult& r) {
    std::istringstream in(r.err);
    std::string wrote, wall_line, cpu_line;
    std::getline(in, wrote);
    std::getline(in, wall_line);
    std::getline(in, cpu_line);
    EXPECT_EQ(wrote.rfind("reel: wrote out.mp4 (640x360, 60 frames", 0), 0u) << r.err;
    std::smatch m;
    EXPECT_TRUE(std::regex_match(wall_line, m, wall)) << wall_line;
    double parts = 0;
    for (size_t i = 2; i < m.size(); ++i) parts += std::stod(m[i]);
    if (!m.empty()) EXPECT_NEAR(parts, std::stod(m[1]), 0.03) << wall_line;
    EXPECT_TRUE(std::regex_match(cpu_line, m, cpu)) << cpu_line;
    parts = 0;
    for (size_t i = 2; i < m.size(); ++i) parts += std::stod(m[i]);
    if (!m.empty()) EXPECT_NEAR(parts, std::stod(m[1]), 0.06) << cpu_line;
    std::string rest;
    EXPECT_FALSE(std::getline(in, rest)) << r.err;
    return cpu_line;
  };

  RunResult r = reel({"render", "draft.json", "-o", "out.mp4", "--timings"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string first = lines_of(r);
  // A 2400x1800 PNG takes tens of milliseconds to decode; 60 frames at 640x360 as long to encode.
  for (const char* stage : {"decode", "warp", "encode"}) EXPECT_GE(timing_of(first, stage), 0.01) << first;

  r = reel({"render", "draft.json", "-o", "out.mp4", "--timings"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("0 chunks rendered"), std::string::npos) << r.err;
  const std::string kept = lines_of(r);
  for (const char* stage : {"decode", "warp", "encode"}) EXPECT_EQ(timing_of(kept, stage), 0.0) << kept;

  r = reel({"render", "draft.json", "-o", "out.mp4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("timings"), std::string::npos) << "told only when asked: " << r.err;
}

TEST(RenderCommand, AnOutputInAFolderThatDoesNotExistIsRefusedBeforeRendering) {
  GoodCase c;
  RunResult r = c.reel({"render", "draft.json", "-o", "no-such-folder/out.mp4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "reel: cannot write no-such-folder/out.mp4: the folder no-such-folder does not exist; create it or "
            "choose another output\n");
  r = c.reel({"still", "draft.json", "--at", "0.5", "-o", "no-such-folder/frame.png"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "reel: cannot write no-such-folder/frame.png: the folder no-such-folder does not exist; create it or "
            "choose another output\n");
  EXPECT_FALSE(fs::exists(c.dir.file("no-such-folder")));
}

// Runs `args` of reel in `c`'s folder with a fresh tmpfs of `mount_options` mounted at `mnt`
// (in a mount namespace of its own, so nothing outside sees it), then lists what is left in
// the tmpfs on stdout after a "--" line. Empty exit_code -1 when this machine cannot do it.
RunResult reel_on_tmpfs(GoodCase& c, const std::string& mount_options, const std::string& mnt,
                        const std::vector<std::string>& args) {
  fs::create_directories(mnt);
  std::string script = "mount -t tmpfs -o " + mount_options +
                       " tmpfs \"$2\" || exit 99; shift; shift; \"$REEL\" \"$@\"; "
                       "rc=$?; echo --; ls -A \"$MNT\"; exit $rc";
  std::vector<std::string> argv = {"-m", "sh", "-c", "REEL=\"$1\" MNT=\"$2\"; " + script, "sh", REEL_BINARY, mnt};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command("unshare", argv, "", c.dir.path().string());
}

TEST(RenderCommand, AFullDiskIsNamedWithTheSystemsReasonNotCalledABug) {
  GoodCase c;
  const std::string mnt = c.dir.file("small");
  RunResult r = reel_on_tmpfs(c, "size=8k", mnt, {"render", "draft.json", "-o", mnt + "/out.mp4"});
  if (r.exit_code == 99 || r.exit_code == 127) GTEST_SKIP() << "cannot mount a tmpfs here: " << r.err;
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_EQ(r.err, "reel: cannot write " + mnt +
                       "/out.mp4: No space left on device; free some space on that disk "
                       "or choose another place\n");
  EXPECT_EQ(r.out, "--\n");  // nothing half-written left on the full disk

  r = reel_on_tmpfs(c, "size=4k", mnt, {"still", "draft.json", "--at", "0.2", "-o", mnt + "/frame.png"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_EQ(r.err, "reel: cannot write " + mnt +
                       "/frame.png: No space left on device; free some space on that "
                       "disk or choose another place\n");
  EXPECT_EQ(r.out, "--\n");
}

TEST(RenderCommand, AReadOnlyFolderIsRefusedBeforeRenderingWithTheReason) {
  GoodCase c;
  const std::string mnt = c.dir.file("ro");
  RunResult r = reel_on_tmpfs(c, "ro,size=64k", mnt, {"render", "draft.json", "-o", mnt + "/out.mp4"});
  if (r.exit_code == 99 || r.exit_code == 127) GTEST_SKIP() << "cannot mount a tmpfs here: " << r.err;
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err, "reel: cannot write " + mnt + "/out.mp4: the folder " + mnt +
                       " is not writable (Read-only file system); choose another output\n");
  r = reel_on_tmpfs(c, "ro,size=64k", mnt, {"fmt", "draft.json", "-o", mnt + "/d.json"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err, "reel: cannot write " + mnt + "/d.json: the folder " + mnt +
                       " is not writable (Read-only file system); choose another output\n");
}

TEST(RenderCommand, AnOutputThatIsAFolderOrADeviceIsRefusedBeforeAnyWork) {
  GoodCase c;
  fs::create_directory(c.dir.file("videos"));
  for (const std::vector<std::string>& args : {std::vector<std::string>{"render", "draft.json", "-o", "videos"},
                                               {"preview", "draft.json", "-o", "videos"},
                                               {"still", "draft.json", "--at", "0", "-o", "videos"},
                                               {"storyboard", "draft.json", "-o", "videos"},
                                               {"fmt", "draft.json", "-o", "videos"},
                                               {"captions", "draft.json", "-o", "videos"}}) {
    RunResult r = c.reel(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
    EXPECT_EQ(r.err, "reel: cannot write videos: it is a folder; name a file inside it, e.g. videos/video.mp4\n")
        << args[0];
  }
  EXPECT_TRUE(fs::is_empty(c.dir.file("videos")));
  RunResult r = c.reel({"render", "draft.json", "-o", "/dev/null"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err, "reel: cannot write /dev/null: it is a device, not a file; name a file\n");
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

std::string digest_of(const std::string& path) {
  const std::vector<uint8_t> b = bytes_of(path);
  return std::to_string(b.size()) + ":" + std::to_string(crc32(0, b.data(), uInt(b.size())));
}

TEST(OutputIsAnInput, EveryCommandRefusesToOverwriteAFileItReadsByIdentityNotSpelling) {
  GoodCase c;
  write_image(c.dir.file("p9.jpg"), detailed_photo(64, 64, 9));
  const std::string subs = c.dir.file("subs.srt");
  std::ofstream(subs) << "1\n00:00:00,000 --> 00:00:00,400\nhi\n";
  // Names of the kind each command writes, that are the inputs by another spelling.
  fs::create_symlink(c.dir.file("p0.jpg"), c.dir.file("link.mp4"));
  fs::create_symlink(c.dir.file("p1.jpg"), c.dir.file("p1.png"));
  fs::create_symlink(c.dir.file("p1.jpg"), c.dir.file("p1.json"));
  fs::create_symlink(c.dir.file("p9.jpg"), c.dir.file("p9.mp4"));
  fs::create_symlink(subs, c.dir.file("subs.mp4"));
  fs::create_hard_link(c.dir.file("music.wav"), c.dir.file("hard.mp4"));
  const std::vector<std::string> inputs = {"draft.json", "p0.jpg", "p1.jpg", "music.wav", "subs.srt", "p9.jpg"};
  std::map<std::string, std::string> before;
  for (const auto& f : inputs) before[f] = digest_of(c.dir.file(f));

  struct Case {
    std::vector<std::string> args;
    std::string named;  // the input the message names ("" when it is the spelling given)
  };
  const std::vector<Case> cases = {
      {{"render", "draft.json", "-o", "./link.mp4"}, c.dir.file("p0.jpg")},
      {{"render", "draft.json", "-o", "link.mp4"}, c.dir.file("p0.jpg")},
      {{"preview", "draft.json", "-o", "hard.mp4"}, c.dir.file("music.wav")},
      {{"render", "draft.json", "--subtitles", "subs.srt", "-o", "subs.mp4"}, "subs.srt"},
      {{"still", "draft.json", "--at", "0", "-o", "p1.png"}, c.dir.file("p1.jpg")},
      {{"storyboard", "draft.json", "-o", "p1.png"}, c.dir.file("p1.jpg")},
      {{"captions", "draft.json", "--add", "subs.srt", "-o", "draft.json"}, ""},
      {{"fmt", "draft.json", "-o", "./draft.json"}, "draft.json"},
      {{"make", "p9.jpg", "p1.jpg", "-o", "p9.mp4"}, "p9.jpg"},
      {{"make", "p9.jpg", "p1.jpg", "--draft-out", "p1.json", "-o", "new.mp4"}, "p1.jpg"},
      {{"make", "p9.jpg", "--music", "music.wav", "-o", "hard.mp4"}, "music.wav"},
      {{"export", "draft.json", "--local", "-o", "link.mp4"}, c.dir.file("p0.jpg")},
  };
  for (const Case& k : cases) {
    RunResult r = c.reel(k.args);
    const std::string& out = k.args[k.args.size() - (k.args[k.args.size() - 2] == "-o" ? 1 : 3)];
    EXPECT_EQ(r.exit_code, 2) << k.args[0] << " " << out << ": " << r.err;
    const std::string what = k.named.empty() ? "one of this command's inputs" : "the same file as the input " + k.named;
    EXPECT_NE(r.err.find("it is " + what + "; choose another output (nothing was written)"), std::string::npos)
        << k.args[0] << " " << out << ": " << r.err;
  }
  for (const auto& f : inputs) EXPECT_EQ(digest_of(c.dir.file(f)), before[f]) << f << " was changed";
  EXPECT_TRUE(fs::is_symlink(c.dir.file("link.mp4")));
  EXPECT_FALSE(fs::exists(c.dir.file("new.mp4")));
  RunResult r = c.reel({"make", "p9.jpg", "-o", "same.mp4", "--draft-out", "same.mp4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "reel: --draft-out and -o both name same.mp4; give the draft and the video a file each\n");
}

TEST(OutputIsAnInput, AnOutputNamedAsAnotherKindOfFileIsRefusedSoNoDraftOrPhotoIsReplaced) {
  GoodCase c;
  std::ofstream(c.dir.file("other.json")) << "{\"t\": []}\n";  // another draft, kept whatever is asked
  std::ofstream(c.dir.file("subs.srt")) << "1\n00:00:00,000 --> 00:00:00,400\nhi\n";
  const std::vector<std::string> kept = {"draft.json", "other.json", "p0.jpg", "p1.jpg", "music.wav"};
  std::map<std::string, std::string> before;
  for (const auto& f : kept) before[f] = digest_of(c.dir.file(f));
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const auto refused = [](const std::string& out, const std::string& what, const std::string& why,
                          const std::string& instead) {
    return "reel: cannot write " + out + ": this command writes " + what + ", and " + why + "; name it " + instead +
           " (nothing was written)\n";
  };
  const std::string video = "an MP4 video", other = "a name ending .json says another kind of file";
  const std::vector<Case> cases = {
      // `make -o trip.json` once wrote the MP4 under the draft's name.
      {{"make", "p0.jpg", "-o", "other.json"}, refused("other.json", video, other, "other.mp4")},
      {{"render", "draft.json", "-o", "other.json"}, refused("other.json", video, other, "other.mp4")},
      {{"preview", "draft.json", "-o", "P0.JPG"},
       refused("P0.JPG", video, "a name ending .jpg says another kind of file", "P0.mp4")},
      {{"export", "draft.json", "--local", "-o", "video"},
       refused("video", video, "the name has no ending that says so", "video.mp4")},
      {{"still", "draft.json", "--at", "0", "-o", "frame.jpg"},
       refused("frame.jpg", "a PNG picture", "a name ending .jpg says another kind of file", "frame.png")},
      {{"storyboard", "draft.json", "-o", "board.mp4"},
       refused("board.mp4", "a PNG picture", "a name ending .mp4 says another kind of file", "board.png")},
      {{"captions", "draft.json", "-o", "subs.txt"},
       refused("subs.txt", "subtitles (SubRip or WebVTT)", "a name ending .txt says another kind of file", "subs.srt")},
      {{"captions", "draft.json", "--add", "subs.srt", "-o", "p0.jpg"},
       refused("p0.jpg", "a draft (JSON)", "a name ending .jpg says another kind of file", "p0.json")},
      {{"fmt", "draft.json", "-o", "p1.jpg"},
       refused("p1.jpg", "a draft (JSON)", "a name ending .jpg says another kind of file", "p1.json")},
      {{"make", "p0.jpg", "--draft-only", "--draft-out", "trip.mp4"},
       refused("trip.mp4", "a draft (JSON)", "a name ending .mp4 says another kind of file", "trip.json")},
      {{"render", "draft.json", "--part", "sound", "-o", "music.wav"},
       refused("music.wav", "the sound as AAC in MP4", "a name ending .wav says another kind of file", "music.m4a")},
  };
  for (const Case& k : cases) {
    RunResult r = c.reel(k.args);
    EXPECT_EQ(r.exit_code, 2) << k.args[0] << ": " << r.err;
    EXPECT_EQ(r.err, k.err) << k.args[0];
  }
  for (const auto& f : kept) EXPECT_EQ(digest_of(c.dir.file(f)), before[f]) << f << " was changed";
  for (const char* f : {"video", "frame.jpg", "board.mp4", "subs.txt", "trip.mp4"})
    EXPECT_FALSE(fs::exists(c.dir.file(f)));
  // Every ending of its kind is taken, in any case.
  EXPECT_EQ(c.reel({"preview", "draft.json", "-o", "quick.M4V"}).exit_code, 0);
  EXPECT_EQ(c.reel({"captions", "draft.json", "--add", "subs.srt", "-o", "with-captions.JSON"}).exit_code, 0);
  RunResult vtt = c.reel({"captions", "with-captions.JSON", "-o", "subs.vtt"});
  EXPECT_EQ(vtt.exit_code, 0) << vtt.err;
}

TEST(OptionLimits, ValuesAtTheirExtremesAreRefusedWithExitTwoBeforeAnyWork) {
  GoodCase c;
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"render", "draft.json", "-o", "o.mp4", "--threads", "100000"},
       "reel render: --threads: Value 100000 not in range 0 to 256; see `reel help render`"},
      {{"render", "draft.json", "-o", "o.mp4", "--max-file-mb", "1e308"},
       "reel render: --max-file-mb: Value 1e308 not in range 0.001000 to 100000.000000; see `reel help render`"},
      {{"render", "draft.json", "-o", "o.mp4", "--from", "1e300"},
       "reel render: --from: Value 1e300 not in range 0.000000 to 864000.000000; see `reel help render`"},
      {{"still", "draft.json", "--at", "1e300", "-o", "o.png"},
       "reel still: --at: Value 1e300 not in range 0.000000 to 864000.000000; see `reel help still`"},
      {{"make", "p0.jpg", "--duration", "99999999999999999999s"},
       "reel: --duration takes a length such as 30s, 45 or 1m30s, not \"99999999999999999999s\""},
      {{"make", "p0.jpg", "--duration", "999999999s"},
       "reel: --duration 999999999s is longer than reel makes (at most 864000 s)"},
      {{"render", "draft.json", "-o", "o.mp4", "--from", "100"},
       "reel: --from 100 s is at or past the end of the draft (1 s); nothing would be rendered"},
  };
  for (const Case& k : cases) {
    RunResult r = c.reel(k.args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')), k.message);
  }
  EXPECT_FALSE(fs::exists(c.dir.file("o.mp4")));
  EXPECT_FALSE(fs::exists(c.dir.file("video.mp4")));
}

TEST(OptionLimits, MaxDurationRefusesALongRenderAndALongOneIsAnnouncedFirst) {
  TempDir dir;
  // Four days of text: refused by --max-duration before any work.
  Json j = {
      {"t", Json::array({{{"tt", 7}, {"sg", Json::array({{{"s", 0}, {"d", 345600000}, {"m", {{"text", "hi"}}}}})}}})}};
  std::ofstream(dir.file("long.json")) << j.dump();
  RunResult r = run_command(REEL_BINARY, {"render", "long.json", "-o", "o.mp4", "--max-duration", "3600"}, "",
                            dir.path().string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "reel: the render would be 96 h 00 min long, more than --max-duration 1 h 00 min allows; shorten "
            "the draft, render a part (--from/--to) or raise the limit\n");
  // Without the flag the length and size come first: rendering only the first second shows it
  // is per render, not per draft (a second is not announced), and the whole is.
  r = run_command(REEL_BINARY, {"render", "long.json", "-o", "o.mp4", "--to", "1", "--progress", "none"}, "",
                  dir.path().string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("reel: note: this render is"), std::string::npos) << r.err;
  r = run_command(REEL_BINARY,
                  {"render", "long.json", "-o", "o.mp4", "--from", "7100", "--to", "10800", "--progress", "none",
                   "--size", "64x36", "--fps", "1"},
                  "", dir.path().string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.rfind("reel: note: this render is 1 h 01 min long (3700 frames at 64x36): expect a file of about "
                        "89 MB; --max-duration refuses renders longer than you want\n",
                        0),
            0u)
      << r.err;
}

TEST(HostileInput, TextThatCouldNeverFitIsDrawnInMemoryBoundedByTheFrame) {
  // 50 words a line each at the frame's height (size 1, max_width 0.0001) needed more than
  // 8 GB at 1080p; 50,000 characters 2.5 GB. Both now render under a 2 GB address-space limit.
  TempDir dir;
  std::string words;
  for (int i = 0; i < 50; ++i) words += (i ? " " : "") + std::string("word") + std::to_string(i);
  const Json style = {{"size", 1}, {"max_width", 0.0001}};
  Json tall = {
      {"m", {{"width", 1920}, {"height", 1080}}},
      {"t",
       Json::array(
           {{{"tt", 7}, {"sg", Json::array({{{"s", 0}, {"d", 1000}, {"m", {{"text", words}, {"style", style}}}}})}}})}};
  std::ofstream(dir.file("tall.json")) << tall.dump();
  Json wide = tall;
  wide["t"][0]["sg"][0]["m"] = {{"text", std::string(50000, 'W')}, {"anim", {{"in", "type"}}}};
  std::ofstream(dir.file("wide.json")) << wide.dump();
  for (const char* name : {"tall.json", "wide.json"}) {
    RunResult r = run_command("prlimit", {"--as=2000000000", REEL_BINARY, "still", name, "--at", "0.9", "-o", "f.png"},
                              "", dir.path().string());
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
    EXPECT_TRUE(fs::exists(dir.file("f.png"))) << name;
    fs::remove(dir.file("f.png"));
  }
  RunResult r = run_command(
      "prlimit",
      {"--as=2000000000", REEL_BINARY, "render", "wide.json", "-o", "o.mp4", "--size", "640x360", "--progress", "none"},
      "", dir.path().string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(probe_video(dir.file("o.mp4")).frames, 30);
}

TEST(RenderCommand, AUsageErrorIsOneLineNamingTheCommandAndWhereItsHelpIs) {
  GoodCase c;
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"still", "draft.json", "-o", "s.png"}, "reel still: --at is required; see `reel help still`\n"},
      {{"render", "draft.json", "--preset", "nope"},
       "reel render: --preset: nope not in {final,preview}; see `reel help render`\n"},
      {{"render"}, "reel render: draft is required; see `reel help render`\n"},
  };
  for (const auto& [args, message] : cases) {
    RunResult r = c.reel(args);
    EXPECT_EQ(r.exit_code, 2) << message;
    EXPECT_EQ(r.err, message);
  }
  EXPECT_FALSE(fs::exists(c.dir.file("s.png")));
}

TEST(RenderCommand, TheDraftsUndoHistoryAndANameTooLongAreNeverAnOutput) {
  GoodCase c;
  ASSERT_EQ(c.reel({"chat", "--local", "draft.json", "make", "it", "vertical"}).exit_code, 0);
  const std::string history = c.dir.file(".draft.json.history.json");
  ASSERT_TRUE(fs::exists(history));
  const std::string before = slurp(history);
  RunResult r = c.reel({"render", "draft.json", "-o", ".draft.json.history.json"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err,
            "reel: cannot write .draft.json.history.json: it is the undo history reel keeps beside the draft "
            "draft.json; choose another output (nothing was written)\n");
  EXPECT_EQ(slurp(history), before);
  RunResult n = c.reel({"render", "draft.json", "-o", std::string(300, 'y') + ".mp4"});
  EXPECT_EQ(n.exit_code, 2) << n.err;
  EXPECT_EQ(n.err,
            "reel: cannot write the output: its name is 304 bytes, longer than a file name may be (255); choose a "
            "shorter one\n");
}

TEST(HostileInput, PhotosThatAreAFifoOrADeviceAreRefusedBeforeTheyAreOpened) {
  GoodCase c;
  ASSERT_EQ(::mkfifo(c.dir.file("pipe.jpg").c_str(), 0600), 0);
  Json j = Json::parse(slurp(c.dir.file("draft.json")));
  j["t"][0]["sg"][0]["src"] = "pipe.jpg";
  j["t"][0]["sg"][1]["src"] = "/dev/zero";
  std::ofstream(c.dir.file("special.json")) << j.dump();
  RunResult r = c.reel({"render", "special.json", "-o", "o.mp4"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("/t/0/sg/0: pipe.jpg: is a FIFO (named pipe), not a photo file; point the segment at the photo "
                       "file itself\n/t/0/sg/1: /dev/zero: is a device, not a photo file; point the segment at the "
                       "photo file itself"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(c.dir.file("o.mp4")));
}

TEST(HostileInput, SubtitlesThatAreAFifoADeviceOrAFolderAreRefusedAtOnce) {
  GoodCase c;
  ASSERT_EQ(::mkfifo(c.dir.file("pipe.srt").c_str(), 0600), 0);
  fs::create_directory(c.dir.file("subs"));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"pipe.srt", "reel: pipe.srt is a FIFO (named pipe), not a file; give a subtitles file (.srt or .vtt) itself\n"},
      {"/dev/zero", "reel: /dev/zero is a device, not a file; give a subtitles file (.srt or .vtt) itself\n"},
      {"subs", "reel: subs is a folder, not a file; give a subtitles file (.srt or .vtt) itself\n"},
      {"none.srt", "reel: cannot read none.srt: No such file or directory; check the path\n"},
  };
  for (const auto& [file, message] : cases) {
    RunResult r = c.reel({"render", "draft.json", "--subtitles", file, "-o", "o.mp4"});
    EXPECT_EQ(r.exit_code, 1) << file << ": " << r.err;
    EXPECT_EQ(r.err, message);
  }
  EXPECT_FALSE(fs::exists(c.dir.file("o.mp4")));
}

}  // namespace
}  // namespace reel::test

namespace reel::test {
namespace {

// Every reel process loads what it links: OpenCV's codec module would bring GDAL, GDCM and
// Poppler (about 15 MB and a tenth of a second at every start); BMP and TIFF go through libav.
TEST(RenderCommand, TheBinaryLoadsNeitherOpenCvsCodecModuleNorGdal) {
  const RunResult r = run_command("/usr/bin/env", {"LD_TRACE_LOADED_OBJECTS=1", REEL_BINARY});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_NE(r.out.find("libavcodec"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("libopencv_imgcodecs"), std::string::npos);
  EXPECT_EQ(r.out.find("libgdal"), std::string::npos);
}

// OpenCV's objdetect (and the dnn, protobuf ... it pulls in: 4.4 MB of RSS) is mapped only by a
// render that searches for faces: the face scanner is a module opened by the first search.
TEST(RenderCommand, FaceDetectionIsLoadedOnlyByARenderThatSearchesForFaces) {
  const RunResult linked = run_command("/usr/bin/env", {"LD_TRACE_LOADED_OBJECTS=1", REEL_BINARY});
  ASSERT_EQ(linked.exit_code, 0) << linked.err;
  EXPECT_EQ(linked.out.find("libopencv_objdetect"), std::string::npos) << linked.out;

  TempDir dir;
  write_image(dir.file("a.jpg"), detailed_photo(640, 480, 1));
  const Json explicit_move = {{"from", {{"x", 0.5}, {"y", 0.5}, {"z", 1.0}}},
                              {"to", {{"x", 0.5}, {"y", 0.5}, {"z", 1.2}}}};
  std::ofstream(dir.file("explicit.json")) << slideshow_json(320, 180, 25, {"a.jpg"}, 400, {{"kb", explicit_move}});
  std::ofstream(dir.file("preset.json")) << slideshow_json(320, 180, 25, {"a.jpg"}, 400, {{"kb", "in"}});
  // Every object the dynamic loader opens, from program start to exit, in one file per run.
  auto loaded = [&](const std::string& draft) {
    const std::string log = dir.file(draft + ".ld");
    const RunResult r = run_command("/usr/bin/env",
                                    {"LD_DEBUG=files", "LD_DEBUG_OUTPUT=" + log, "XDG_CACHE_HOME=" + dir.file("cache"),
                                     REEL_BINARY, "render", draft, "-o", draft + ".mp4"},
                                    "", dir.path().string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string all;
    for (const auto& e : fs::directory_iterator(dir.path()))
      if (e.path().filename().string().rfind(draft + ".ld.", 0) == 0) {
        std::ifstream in(e.path());
        all += std::string(std::istreambuf_iterator<char>(in), {});
      }
    EXPECT_NE(all.find("libavcodec"), std::string::npos) << "the loader's log was written";
    return all;
  };
  EXPECT_EQ(loaded("explicit.json").find("libopencv_objdetect"), std::string::npos) << "an explicit move needs no face";
  const std::string searched = loaded("preset.json");
  EXPECT_NE(searched.find("libreel_face_scan.so"), std::string::npos);
  EXPECT_NE(searched.find("libopencv_objdetect"), std::string::npos) << "a preset move looks for faces";
}

}  // namespace
}  // namespace reel::test
