#include "engine/output/h264_encoder.h"

#include <link.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <thread>

extern "C" {
#include <libavutil/opt.h>
}

#include "base/hash.h"
#include "engine/errors.h"

namespace reel::engine {

namespace {

// The file name of the libx264 this process loaded ("libx264.so.164": its soname carries
// X264_BUILD), found among the loaded objects; empty when libavcodec has none loaded yet.
std::string loaded_x264() {
  std::string found;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* out) {
        const char* name = info->dlpi_name ? std::strstr(info->dlpi_name, "libx264.so") : nullptr;
        if (name) *static_cast<std::string*>(out) = name;
        return name ? 1 : 0;
      },
      &found);
  return found;
}

}  // namespace

std::string encoder_identity(const H264Settings& s) {
  // The stream headers (SPS/PPS) an encoder with these settings writes: chunks join by stream
  // copy only when every one has the same.
  const H264Encoder model(s);
  const AVCodecContext* c = model.context();
  const std::string headers(reinterpret_cast<const char*>(c->extradata), size_t(std::max(0, c->extradata_size)));
  char buf[256];
  std::snprintf(buf, sizeof buf, "h264|%dx%d|fps=%lld/%lld|crf=%d|preset=%s|threads=%d|lavc=%u|", s.width, s.height,
                static_cast<long long>(s.fps.num), static_cast<long long>(s.fps.den), s.crf, s.preset.c_str(),
                s.threads, avcodec_version());
  // x264's default thread count follows the machine's cores, and so do its bits.
  const std::string machine = s.threads > 0 ? "" : "cores=" + std::to_string(std::thread::hardware_concurrency()) + "|";
  return buf + machine + loaded_x264() + "|headers=" + base::hash_hex(headers);
}

double encode_cost_ns_per_pixel(const std::string& x264_preset) {
  // ultrafast and veryfast measured (2.3 ms per 960x540 frame, 34 ms per 1080p frame); the
  // others placed by x264's documented relative speeds.
  static const std::pair<const char*, double> kCosts[] = {
      {"ultrafast", 4.4}, {"superfast", 8}, {"veryfast", 16.4}, {"faster", 24},    {"fast", 32},
      {"medium", 40},     {"slow", 64},     {"slower", 130},    {"veryslow", 260}, {"placebo", 600}};
  for (const auto& [name, cost] : kCosts)
    if (x264_preset == name) return cost;
  return 40;
}

H264Encoder::H264Encoder(const H264Settings& s) : pkt_(av::alloc_packet()) {
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (!codec) throw EngineError("this FFmpeg has no libx264 encoder; install libavcodec59", base::Fault::Environment);
  ctx_.reset(avcodec_alloc_context3(codec));
  if (!ctx_) throw std::bad_alloc();
  AVCodecContext* c = ctx_.get();
  c->width = s.width;
  c->height = s.height;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->time_base = AVRational{int(s.fps.den), int(s.fps.num)};
  c->framerate = AVRational{int(s.fps.num), int(s.fps.den)};
  c->sample_aspect_ratio = AVRational{1, 1};
  c->color_primaries = AVCOL_PRI_BT709;
  c->color_trc = AVCOL_TRC_BT709;
  c->colorspace = AVCOL_SPC_BT709;
  c->color_range = AVCOL_RANGE_MPEG;
  c->chroma_sample_location = AVCHROMA_LOC_LEFT;
  c->thread_count = s.threads;
  c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;  // MP4 keeps SPS/PPS in the avcC box
  av::check(av_opt_set(c->priv_data, "preset", s.preset.c_str(), 0), "x264 preset");
  av::check(av_opt_set_double(c->priv_data, "crf", s.crf, 0), "x264 crf");
  av::check(avcodec_open2(c, codec, nullptr), "opening the H.264 encoder");
}

void H264Encoder::encode(const AVFrame* frame, const std::function<void(AVPacket*)>& sink) {
  av::check(avcodec_send_frame(ctx_.get(), frame), "sending a frame to the H.264 encoder");
  for (;;) {
    int ret = avcodec_receive_packet(ctx_.get(), pkt_.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;  // states, not errors
    av::check(ret, "receiving a packet from the H.264 encoder");
    sink(pkt_.get());
    av_packet_unref(pkt_.get());
  }
}

}  // namespace reel::engine
