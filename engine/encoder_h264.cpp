#include "engine/encoder_h264.h"

extern "C" {
#include <libavutil/opt.h>
}

#include "engine/errors.h"

namespace reel::engine {

H264Encoder::H264Encoder(const H264Settings& s) : pkt_(av::alloc_packet()) {
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (!codec) throw EngineError("this FFmpeg has no libx264 encoder");
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

FramePool::FramePool(int width, int height) : width_(width), height_(height) {
  auto align = [](int v) { return (v + 63) & ~63; };
  linesize_[0] = align(width);
  linesize_[1] = linesize_[2] = align(width / 2);
  offset_[0] = 0;
  offset_[1] = size_t(linesize_[0]) * size_t(height);
  offset_[2] = offset_[1] + size_t(linesize_[1]) * size_t(height / 2);
  size_t total = offset_[2] + size_t(linesize_[2]) * size_t(height / 2) + 64;
  // Zeroed once: the padding right of each row is never drawn, and x264 reads some of it.
  pool_.reset(av_buffer_pool_init(total, av_buffer_allocz));
  if (!pool_) throw std::bad_alloc();
}

av::FramePtr FramePool::get() {
  av::FramePtr f = av::alloc_frame();
  f->buf[0] = av_buffer_pool_get(pool_.get());
  if (!f->buf[0]) throw std::bad_alloc();
  f->format = AV_PIX_FMT_YUV420P;
  f->width = width_;
  f->height = height_;
  for (int i = 0; i < 3; ++i) {
    f->data[i] = f->buf[0]->data + offset_[i];
    f->linesize[i] = linesize_[i];
  }
  f->color_primaries = AVCOL_PRI_BT709;
  f->color_trc = AVCOL_TRC_BT709;
  f->colorspace = AVCOL_SPC_BT709;
  f->color_range = AVCOL_RANGE_MPEG;
  f->sample_aspect_ratio = AVRational{1, 1};
  return f;
}

}  // namespace reel::engine
