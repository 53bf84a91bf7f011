// AAC in MP4: the file is as long as the video, its sound where the mix put it, and loud
// mixes stay under full scale after encoding.
#include <gtest/gtest.h>

extern "C" {
#include <libavformat/avformat.h>
}

#include <cmath>
#include <iostream>

#include "engine/audio/mix.h"
#include "engine/output/aac_encoder.h"
#include "tests/engine/audio/audio_fixtures.h"

namespace reel::test {
namespace {

engine::SourceResolver in_dir(const TempDir& dir) {
  return [&dir](const std::string& ref) { return dir.file(ref); };
}

TEST(AacEncoder, WritesAnM4aAsLongAsTheVideoWithItsSoundInPlace) {
  TempDir dir;
  write_audio(dir.file("marker.wav"), 44100, 2, 2 * 44100, sine(1000, -6, 44100, 0, M_PI / 2));
  auto d = audio_draft(10000, 29.97, Json::array({audio_track("marker.wav", 2500, 2000, {{"vol", "35%"}})}));
  engine::AudioMix mix(d, in_dir(dir), d.canvas.fps);
  ASSERT_EQ(mix.total_samples(), 480480);
  const std::string out = dir.file("out.m4a");
  write_m4a(mix, out);

  AVFormatContext* fmt = nullptr;
  ASSERT_EQ(avformat_open_input(&fmt, out.c_str(), nullptr, nullptr), 0);
  ASSERT_GE(avformat_find_stream_info(fmt, nullptr), 0);
  ASSERT_EQ(fmt->nb_streams, 1u);
  const AVCodecParameters* par = fmt->streams[0]->codecpar;
  EXPECT_EQ(par->codec_id, AV_CODEC_ID_AAC);
  EXPECT_EQ(par->profile, FF_PROFILE_AAC_LOW);
  EXPECT_EQ(par->sample_rate, 48000);
  EXPECT_EQ(par->ch_layout.nb_channels, 2);
  const double container_s = double(fmt->duration) / AV_TIME_BASE;
  avformat_close_input(&fmt);
  EXPECT_NEAR(container_s, 480480 / 48000.0, 1024 / 48000.0);

  auto pcm = decode_48k(out);
  const int64_t frames = int64_t(pcm.size() / 2);
  EXPECT_NEAR(double(frames), 480480.0, 1024.0) << "audio length within one AAC frame of the video";
  const int64_t at = onset(pcm, 0.08f);
  EXPECT_NEAR(double(at), 2500.0 * 48, 1024.0) << "the marker within one AAC frame";
  EXPECT_NEAR(tone_db(pcm, 1000, 3000 * 48, 4000 * 48), -6 + 20 * std::log10(0.35), 0.5);
  std::cout << "[ measured ] m4a: " << frames << " samples for 480480; marker at " << at << " for 120000; "
            << "container " << container_s << " s\n";
}

TEST(AacEncoder, PacketsCarrySampleTimestampsOneFrameApart) {
  engine::AacEncoder enc;
  ASSERT_EQ(enc.frame_size(), 1024);
  EXPECT_EQ(enc.context()->bit_rate, 192000);
  EXPECT_EQ(enc.context()->profile, FF_PROFILE_AAC_LOW);
  std::vector<int64_t> pts, durations;
  auto sink = [&](AVPacket* p) {
    pts.push_back(p->pts);
    durations.push_back(p->duration);
  };
  std::vector<float> chunk(333 * 2);
  for (size_t i = 0; i < chunk.size(); ++i) chunk[i] = 0.1f * float(std::sin(double(i) * 0.05));
  int64_t fed = 0;
  while (fed < 10000) {
    const int64_t n = std::min<int64_t>(333, 10000 - fed);
    enc.encode(chunk.data(), n, sink);
    fed += n;
  }
  enc.flush(sink);
  ASSERT_GE(pts.size(), 10u);
  for (size_t i = 1; i < pts.size(); ++i) EXPECT_EQ(pts[i] - pts[i - 1], 1024) << i;
  // The encoder's priming: the first packet is one frame before sample 0.
  EXPECT_EQ(pts.front(), -1024);
  EXPECT_GE(pts.back() + durations.back(), 10000);
  // Every sample fed came out, and no packet more: the last one starts before sample 10000.
  EXPECT_LT(pts.back(), 10000);
}

TEST(AacEncoder, ALimitedLoudMixStaysUnderFullScaleAfterEncoding) {
  TempDir dir;
  // Music-like material: noise with a falling spectrum (not clipped), plus a low tone, mixed
  // far too loud so the limiter works hard.
  uint32_t seed = 7;
  double lp_l = 0, lp_r = 0;
  std::vector<double> noise(size_t(4 * 48000) * 2);
  for (size_t i = 0; i < noise.size() / 2; ++i) {
    auto rnd = [&] {
      seed = seed * 1664525u + 1013904223u;
      return double(seed >> 8) / double(1u << 24) * 2 - 1;
    };
    lp_l = 0.9 * lp_l + 0.1 * rnd();
    lp_r = 0.9 * lp_r + 0.1 * rnd();
    noise[i * 2] = 1.6 * lp_l;
    noise[i * 2 + 1] = 1.6 * lp_r;
  }
  write_audio(dir.file("a.wav"), 48000, 2, 4 * 48000,
              [&](int64_t i, int ch) { return std::clamp(noise[size_t(i) * 2 + size_t(ch)], -1.0, 1.0); });
  write_audio(dir.file("b.wav"), 48000, 2, 4 * 48000, sine(60, -3, 48000));
  auto d = audio_draft(
      4000, 30, Json::array({audio_track("a.wav", 0, 4000, {{"vol", 3.0}, {"fi", 5}}), audio_track("b.wav", 0, 4000)}));
  engine::AudioMix mix(d, in_dir(dir), d.canvas.fps);
  write_m4a(mix, dir.file("loud.m4a"));
  auto pcm = decode_48k(dir.file("loud.m4a"));
  // The codec's own overshoot: the -2 dBTP ceiling keeps it under full scale, with most
  // margin inside the music and least at a hard start from silence (hence the 5 ms fade-in a
  // loud track should have; without it the first frames decode at about 0 dBFS).
  EXPECT_LT(peak(pcm), 1.0) << db(peak(pcm)) << " dBFS after AAC";
  EXPECT_LT(db(peak(pcm, 4096, int64_t(pcm.size() / 2) - 4096)), -0.5);
  std::cout << "[ measured ] loud mix after AAC: sample peak " << db(peak(pcm, 4096, int64_t(pcm.size() / 2) - 4096))
            << " dBFS inside, " << db(peak(pcm, 0, 4096)) << " dBFS in the first AAC frames\n";
}

}  // namespace
}  // namespace reel::test

#include "draft/time.h"
#include "engine/av/frame_pool.h"
#include "engine/output/h264_encoder.h"
#include "engine/output/mp4_muxer.h"

namespace reel::test {
namespace {

TEST(AudioStreamWriter, AudioAndVideoEndTogetherInAnMp4) {
  TempDir dir;
  write_audio(dir.file("bed.flac"), 44100, 2, 44100, sine(440, -12, 44100));
  auto d = audio_draft(10000, 29.97, Json::array({audio_track("bed.flac", 0, 10000, {{"loop", true}})}));
  const draft::Rational fps = d.canvas.fps;
  engine::AudioMix mix(
      d, [&dir](const std::string& r) { return dir.file(r); }, fps);
  const std::string path = dir.file("av.mp4");
  const int64_t frames = draft::frame_count(d.duration_ms(), fps);
  {
    engine::H264Settings s;
    s.width = s.height = 64;
    s.fps = fps;
    s.preset = "ultrafast";
    engine::H264Encoder video(s);
    engine::Mp4Muxer mux(path);
    const int v = mux.add_stream(video.context());
    engine::AudioStreamWriter audio(mix, mux);
    mux.start();
    engine::FramePool pool(64, 64);
    auto sink = [&](AVPacket* p) { mux.write(p, v, video.time_base()); };
    for (int64_t n = 0; n < frames; ++n) {
      auto f = pool.get();
      for (int p = 0; p < 3; ++p)
        for (int y = 0; y < (p ? 32 : 64); ++y) std::memset(f->data[p] + y * f->linesize[p], 128, p ? 32 : 64);
      f->pts = n;
      video.encode(f.get(), sink);
      audio.write_until(draft::samples_before_frame(n + 1, fps, 48000));  // interleaved per frame
    }
    video.encode(nullptr, sink);
    audio.finish();
    mux.finish();
  }
  AVFormatContext* fmt = nullptr;
  ASSERT_EQ(avformat_open_input(&fmt, path.c_str(), nullptr, nullptr), 0);
  ASSERT_GE(avformat_find_stream_info(fmt, nullptr), 0);
  ASSERT_EQ(fmt->nb_streams, 2u);
  double seconds[2] = {0, 0};
  for (unsigned i = 0; i < 2; ++i) seconds[i] = double(fmt->streams[i]->duration) * av_q2d(fmt->streams[i]->time_base);
  avformat_close_input(&fmt);
  EXPECT_NEAR(seconds[0], 300 * 1001 / 30000.0, 1e-6) << "video";
  EXPECT_NEAR(seconds[1], seconds[0], 1024 / 48000.0) << "audio within one AAC frame of the video";
  EXPECT_NEAR(double(decode_48k(path).size() / 2), 480480.0, 1024.0);
  std::cout << "[ measured ] mp4: video " << seconds[0] << " s, audio " << seconds[1] << " s\n";
}

}  // namespace
}  // namespace reel::test
