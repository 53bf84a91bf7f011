#pragma once
// A clip writer for tests that need a video of known content: libx264 (or another encoder by
// name, "gif" for an animated GIF), every picture's brightness encoding its number.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engine/av/handles.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
}

namespace reel::test {

namespace av = reel::engine::av;

// The brightness of picture i (distinct steps a decoder cannot confuse).
inline int level(int i) { return 30 + (i * 12) % 200; }

// Writes a clip of `pts_ms.size()` pictures of w x h, picture i shown from pts_ms[i]; the left
// half is level(i), the right half white so a rotation can be seen. `rotation`: clockwise
// quarter turns a player should apply (stored in the display matrix). `tone_hz` > 0 adds an
// AAC sound track: a sine at that frequency, half scale, as long as the pictures. `paint`, when
// given, fills picture i (yuv420p) instead.
using PaintFn = std::function<void(int i, AVFrame* yuv420p)>;
inline void write_clip(const std::filesystem::path& path, int w, int h, const std::vector<int64_t>& pts_ms,
                       int rotation = 0, const char* codec_name = "libx264", double tone_hz = 0,
                       const PaintFn& paint = {}) {
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
  av::CodecContextPtr aenc;
  AVStream* ast = nullptr;
  if (tone_hz > 0) {
    const AVCodec* aac = avcodec_find_encoder(AV_CODEC_ID_AAC);
    ASSERT_NE(aac, nullptr);
    aenc.reset(avcodec_alloc_context3(aac));
    aenc->sample_rate = 48000;
    aenc->sample_fmt = AV_SAMPLE_FMT_FLTP;
    aenc->ch_layout = AV_CHANNEL_LAYOUT_MONO;
    aenc->bit_rate = 128000;
    aenc->time_base = AVRational{1, 48000};
    if (fmt->oformat->flags & AVFMT_GLOBALHEADER) aenc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av::check(avcodec_open2(aenc.get(), aac, nullptr), "open aac");
    ast = avformat_new_stream(fmt, nullptr);
    avcodec_parameters_from_context(ast->codecpar, aenc.get());
    ast->time_base = aenc->time_base;
  }
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
    if (paint) {
      paint(int(i), f.get());
    } else if (enc->pix_fmt == AV_PIX_FMT_YUV420P) {
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
          f->data[0][y * f->linesize[0] + x] = static_cast<uint8_t>(x < w / 2 ? level(int(i)) : 235);
      for (int p = 1; p < 3; ++p)
        for (int y = 0; y < h / 2; ++y) memset(f->data[p] + y * f->linesize[p], 128, w / 2);
    } else {  // a grey palette: entry k is grey level k
      auto* palette = reinterpret_cast<uint32_t*>(f->data[1]);
      for (uint32_t k = 0; k < 256; ++k) palette[k] = 0xFF000000u | (k << 16) | (k << 8) | k;
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
          f->data[0][y * f->linesize[0] + x] = static_cast<uint8_t>(x < w / 2 ? level(int(i)) : 255);
    }
    f->pts = pts_ms[i];
    avcodec_send_frame(enc.get(), f.get());
    drain();
  }
  avcodec_send_frame(enc.get(), nullptr);
  drain();
  if (aenc) {
    const int64_t samples = (pts_ms.back() + duration_of(pts_ms.back())) * 48;
    auto drain_audio = [&] {
      while (avcodec_receive_packet(aenc.get(), pkt.get()) == 0) {
        av_packet_rescale_ts(pkt.get(), aenc->time_base, ast->time_base);
        pkt->stream_index = ast->index;
        av_interleaved_write_frame(fmt, pkt.get());
      }
    };
    for (int64_t at = 0; at < samples; at += aenc->frame_size) {
      av::FramePtr f = av::alloc_frame();
      f->nb_samples = int(std::min<int64_t>(aenc->frame_size, samples - at));
      f->format = aenc->sample_fmt;
      f->sample_rate = 48000;
      av_channel_layout_copy(&f->ch_layout, &aenc->ch_layout);
      av_frame_get_buffer(f.get(), 0);
      auto* d = reinterpret_cast<float*>(f->data[0]);
      for (int i = 0; i < f->nb_samples; ++i) d[i] = float(0.5 * std::sin(2 * M_PI * tone_hz * double(at + i) / 48000));
      f->pts = at;
      avcodec_send_frame(aenc.get(), f.get());
      drain_audio();
    }
    avcodec_send_frame(aenc.get(), nullptr);
    drain_audio();
  }
  av_write_trailer(fmt);
  avio_closep(&fmt->pb);
  avformat_free_context(fmt);
}

}  // namespace reel::test
