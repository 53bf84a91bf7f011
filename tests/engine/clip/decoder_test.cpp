// Clips made by the test (each picture's brightness encodes its number), decoded back by time.
#include "engine/clip/decoder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/errors.h"
#include "support/clip_writer.h"
#include "support/temp_dir.h"

using namespace reel::engine;
using reel::test::level;
using reel::test::write_clip;

namespace {

namespace fs = std::filesystem;

using reel::test::scratch;

std::vector<int64_t> every(int64_t step_ms, int n) {
  std::vector<int64_t> v;
  for (int i = 0; i < n; ++i) v.push_back(i * step_ms);
  return v;
}

double left_level(const cv::Mat& bgr) {
  cv::Scalar m = cv::mean(bgr(cv::Rect(2, 2, bgr.cols / 2 - 4, bgr.rows - 4)));
  return m[1];
}

std::string error_of(const fs::path& p, const std::string& ref = "clip.mp4") {
  try {
    probe_clip(p.string(), "/t/0/sg/1", ref);
  } catch (const MediaError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(ClipDecoder, PicturesComeBackByTimeForwardAndAfterSeeking) {
  fs::path p = scratch("steady.mp4");
  write_clip(p, 160, 120, every(40, 50));  // 25 fps, 2 s
  ClipInfo info = probe_clip(p.string(), "/t/0/sg/0", "steady.mp4");
  EXPECT_EQ(info.width, 160);
  EXPECT_EQ(info.height, 120);
  EXPECT_EQ(info.duration_us, 2000000);
  EXPECT_EQ(info.codec, "h264");
  ClipDecoder dec(p.string(), "/t/0/sg/0", "steady.mp4", info);
  for (int64_t t : {0, 39, 40, 41, 500, 1000, 1990, 1200, 80, 2500}) {  // forward, back, past the end
    int expect = static_cast<int>(std::min<int64_t>(t / 40, 49));
    EXPECT_NEAR(left_level(dec.picture_at(t * 1000)), level(expect) * 255.0 / 219 - 16 * 255.0 / 219, 4) << "t=" << t;
  }
}

TEST(ClipDecoder, VariableFrameRateIsReadByTimestamp) {
  fs::path p = scratch("vfr.mp4");
  std::vector<int64_t> pts = {0, 10, 100, 110, 400, 410, 420, 900};
  write_clip(p, 160, 120, pts);
  ClipInfo info = probe_clip(p.string(), "", "vfr.mp4");
  ClipDecoder dec(p.string(), "", "vfr.mp4", info);
  auto shown = [&](int64_t ms) {
    for (int i = static_cast<int>(pts.size()) - 1; i >= 0; --i)
      if (pts[i] <= ms) return i;
    return 0;
  };
  for (int64_t ms = 0; ms < 1000; ms += 33)
    EXPECT_NEAR(left_level(dec.picture_at(ms * 1000)), (level(shown(ms)) - 16) * 255.0 / 219, 4) << "ms=" << ms;
}

TEST(ClipDecoder, RotationMetadataOfPhoneVideosIsApplied) {
  fs::path p = scratch("phone.mp4");
  write_clip(p, 160, 120, every(40, 5), 90);
  ClipInfo info = probe_clip(p.string(), "", "phone.mp4");
  EXPECT_EQ(info.rotation, 90);
  EXPECT_EQ(info.width, 120);
  EXPECT_EQ(info.height, 160);
  ClipDecoder dec(p.string(), "", "phone.mp4", info);
  const cv::Mat& pic = dec.picture_at(0);
  ASSERT_EQ(pic.cols, 120);
  ASSERT_EQ(pic.rows, 160);
  // Stored: dark left half, white right half. Turned 90 degrees clockwise: dark top half.
  EXPECT_LT(cv::mean(pic(cv::Rect(0, 0, 120, 70)))[1], 60);
  EXPECT_GT(cv::mean(pic(cv::Rect(0, 90, 120, 70)))[1], 240);
}

TEST(ClipDecoder, AnimatedGifsPlay) {
  fs::path p = scratch("anim.gif");
  write_clip(p, 64, 48, every(100, 6), 0, "gif");
  ClipInfo info = probe_clip(p.string(), "", "anim.gif");
  EXPECT_TRUE(info.is_gif);
  EXPECT_EQ(info.duration_us, 600000);
  ClipDecoder dec(p.string(), "", "anim.gif", info);
  double a = left_level(dec.picture_at(0)), b = left_level(dec.picture_at(250000)), c = left_level(dec.picture_at(0));
  EXPECT_NEAR(a, level(0), 2);
  EXPECT_NEAR(b, level(2), 2);  // picture 2
  EXPECT_NEAR(c, level(0), 2);  // and back again
  EXPECT_NEAR(left_level(dec.picture_at(599000)), level(5), 2);
}

TEST(ClipDecoder, BadClipsAreRefusedWithTheSegmentAndWhatToDo) {
  EXPECT_EQ(error_of(scratch("missing.mp4")),
            "/t/0/sg/1: clip.mp4: the file does not exist; check the path (it is relative to the draft's folder)");
  fs::path empty = scratch("empty.mp4");
  std::ofstream(empty).close();
  EXPECT_EQ(error_of(empty), "/t/0/sg/1: clip.mp4: the file is empty (0 bytes); replace it with the clip itself");
  fs::path text = scratch("notes.mp4");
  std::ofstream(text) << "these are my notes, not a video\n";
  EXPECT_EQ(error_of(text).rfind("/t/0/sg/1: clip.mp4: is not a video file reel can read (", 0), 0u) << error_of(text);
  fs::path one = scratch("one.gif");
  write_clip(one, 32, 32, {0}, 0, "gif");
  EXPECT_EQ(
      error_of(one, "one.gif"),
      "/t/0/sg/1: one.gif: is a GIF with a single frame, so nothing moves; save it as .png and use it as a photo");
  fs::path whole = scratch("whole.mp4");
  write_clip(whole, 160, 120, every(40, 50));
  std::string bytes;
  {
    std::ifstream in(whole, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  fs::path cut = scratch("cut.mp4");
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  std::string msg = error_of(cut, "cut.mp4");
  EXPECT_EQ(msg.rfind("/t/0/sg/1: cut.mp4: ", 0), 0u) << "a clip cut in half must be refused: " << msg;
}

// The codecs phones and the web use, in their usual containers, as far as Debian's FFmpeg
// encodes them here (each is skipped, saying so, when its encoder is missing).
TEST(ClipDecoder, HevcVp8Vp9AndAv1ClipsDecodeByTime) {
  struct Case {
    const char* encoder;
    const char* file;
    const char* codec;
  };
  for (Case c : {Case{"libx265", "hevc.mp4", "hevc"}, Case{"libvpx", "vp8.webm", "vp8"},
                 Case{"libvpx-vp9", "vp9.webm", "vp9"}, Case{"libaom-av1", "av1.mkv", "av1"}}) {
    if (!avcodec_find_encoder_by_name(c.encoder)) {
      std::cout << "no " << c.encoder << " encoder here: " << c.codec << " not checked\n";
      continue;
    }
    fs::path p = scratch(c.file);
    write_clip(p, 160, 120, every(40, 12), 0, c.encoder);
    if (HasFatalFailure()) return;
    ClipInfo info = probe_clip(p.string(), "", c.file);
    EXPECT_EQ(info.codec, c.codec);
    ClipDecoder dec(p.string(), "", c.file, info);
    for (int64_t ms : {0, 200, 440, 120}) {
      double expect = (level(static_cast<int>(ms / 40)) - 16) * 255.0 / 219;
      EXPECT_NEAR(left_level(dec.picture_at(ms * 1000)), expect, 6) << c.codec << " at " << ms << " ms";
    }
  }
}

// LeakSanitizer: libx265, which writes the HEVC test clip, keeps a few allocations of its own
// until exit (as in tests/engine/media_fixtures.cpp). They are not reel's.
extern "C" const char* __lsan_default_suppressions() { return "leak:libx265.so\n"; }
