// Clips made by the test (each picture's brightness encodes its number), decoded back by time.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/clip_decoder.h"
#include "engine/errors.h"

extern "C" {
#include <libavutil/display.h>
}

using namespace reel::engine;

namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("reel-clip-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

// The brightness of picture i (distinct steps a decoder cannot confuse).
int level(int i) { return 30 + (i * 12) % 200; }

// Writes a clip of `pts_ms.size()` pictures of w x h, picture i shown from pts_ms[i]; the left
// half is level(i), the right half white so a rotation can be seen. `rotation`: clockwise
// quarter turns a player should apply (stored in the display matrix).
void write_clip(const fs::path& path, int w, int h, const std::vector<int64_t>& pts_ms, int rotation = 0,
                const char* codec_name = "libx264") {
  av_log_set_level(AV_LOG_ERROR);  // the test's own encoder need not print its settings
  AVFormatContext* fmt = nullptr;
  av::check(avformat_alloc_output_context2(&fmt, nullptr, nullptr, path.c_str()), "output");
  const AVCodec* codec = avcodec_find_encoder_by_name(codec_name);
  ASSERT_NE(codec, nullptr);
  AVStream* st = avformat_new_stream(fmt, nullptr);
  av::CodecContextPtr enc(avcodec_alloc_context3(codec));
  enc->width = w;
  enc->height = h;
  enc->time_base = AVRational{1, 1000};
  enc->framerate = AVRational{25, 1};
  enc->pix_fmt = std::string(codec_name) == "gif" ? AV_PIX_FMT_PAL8 : AV_PIX_FMT_YUV420P;
  enc->gop_size = 12;
  if (fmt->oformat->flags & AVFMT_GLOBALHEADER) enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  av::check(avcodec_open2(enc.get(), codec, nullptr), "open encoder");
  avcodec_parameters_from_context(st->codecpar, enc.get());
  st->time_base = enc->time_base;
  if (rotation) {
    auto* m = reinterpret_cast<int32_t*>(av_stream_new_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(int32_t)));
    av_display_rotation_set(m, rotation);  // as a phone writes it: players turn it clockwise
  }
  av::check(avio_open(&fmt->pb, path.c_str(), AVIO_FLAG_WRITE), "avio");
  av::check(avformat_write_header(fmt, nullptr), "header");
  av::PacketPtr pkt = av::alloc_packet();
  // Every packet lasts until the next picture (the last one as long as the one before it), as
  // a camera writes it; a packet without a duration would be cut off by the MP4 edit list.
  auto duration_of = [&](int64_t pts) -> int64_t {
    for (size_t i = 0; i + 1 < pts_ms.size(); ++i)
      if (pts_ms[i] == pts) return pts_ms[i + 1] - pts;
    return pts_ms.size() > 1 ? pts_ms.back() - pts_ms[pts_ms.size() - 2] : 40;
  };
  auto drain = [&] {
    while (avcodec_receive_packet(enc.get(), pkt.get()) == 0) {
      if (pkt->duration <= 0) pkt->duration = duration_of(pkt->pts);
      av_packet_rescale_ts(pkt.get(), enc->time_base, st->time_base);
      pkt->stream_index = st->index;
      av_interleaved_write_frame(fmt, pkt.get());
    }
  };
  for (size_t i = 0; i < pts_ms.size(); ++i) {
    av::FramePtr f = av::alloc_frame();
    f->width = w;
    f->height = h;
    f->format = enc->pix_fmt;
    av_frame_get_buffer(f.get(), 0);
    if (enc->pix_fmt == AV_PIX_FMT_YUV420P) {
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) f->data[0][y * f->linesize[0] + x] = static_cast<uint8_t>(x < w / 2 ? level(int(i)) : 235);
      for (int p = 1; p < 3; ++p)
        for (int y = 0; y < h / 2; ++y) memset(f->data[p] + y * f->linesize[p], 128, w / 2);
    } else {  // a grey palette: entry k is grey level k
      auto* palette = reinterpret_cast<uint32_t*>(f->data[1]);
      for (uint32_t k = 0; k < 256; ++k) palette[k] = 0xFF000000u | (k << 16) | (k << 8) | k;
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) f->data[0][y * f->linesize[0] + x] = static_cast<uint8_t>(x < w / 2 ? level(int(i)) : 255);
    }
    f->pts = pts_ms[i];
    avcodec_send_frame(enc.get(), f.get());
    drain();
  }
  avcodec_send_frame(enc.get(), nullptr);
  drain();
  av_write_trailer(fmt);
  avio_closep(&fmt->pb);
  avformat_free_context(fmt);
}

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
  EXPECT_EQ(error_of(scratch("missing.mp4")), "/t/0/sg/1: clip.mp4: the file does not exist; check the path (it is relative to the draft's folder)");
  fs::path empty = scratch("empty.mp4");
  std::ofstream(empty).close();
  EXPECT_EQ(error_of(empty), "/t/0/sg/1: clip.mp4: the file is empty (0 bytes); replace it with the clip itself");
  fs::path text = scratch("notes.mp4");
  std::ofstream(text) << "these are my notes, not a video\n";
  EXPECT_EQ(error_of(text).rfind("/t/0/sg/1: clip.mp4: is not a video file reel can read (", 0), 0u) << error_of(text);
  fs::path one = scratch("one.gif");
  write_clip(one, 32, 32, {0}, 0, "gif");
  EXPECT_EQ(error_of(one, "one.gif"), "/t/0/sg/1: one.gif: is a GIF with a single frame, so nothing moves; save it as .png and use it as a photo");
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

