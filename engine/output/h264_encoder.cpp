#include "engine/output/h264_encoder.h"

extern "C" {
#include <libavutil/opt.h>
}

#include "engine/errors.h"

namespace reel::engine {

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
