#include "engine/muxer_mp4.h"

extern "C" {
#include <libavutil/opt.h>
}

#include "engine/errors.h"

namespace reel::engine {

Mp4Muxer::Mp4Muxer(const std::string& path) : path_(path) {
  av::check(avformat_alloc_output_context2(&ctx_, nullptr, "mp4", path.c_str()), "creating the MP4 writer");
  av::check(avio_open(&ctx_->pb, path.c_str(), AVIO_FLAG_WRITE), ("opening " + path + " for writing").c_str());
}

Mp4Muxer::~Mp4Muxer() {
  if (!ctx_) return;
  if (ctx_->pb) avio_closep(&ctx_->pb);
  avformat_free_context(ctx_);
}

int Mp4Muxer::add_stream(const AVCodecContext* enc) {
  AVStream* st = avformat_new_stream(ctx_, nullptr);
  if (!st) throw std::bad_alloc();
  av::check(avcodec_parameters_from_context(st->codecpar, enc), "copying the encoder's parameters");
  st->time_base = enc->time_base;
  if (enc->codec_type == AVMEDIA_TYPE_VIDEO) {
    st->avg_frame_rate = enc->framerate;
    st->r_frame_rate = enc->framerate;
    st->sample_aspect_ratio = enc->sample_aspect_ratio;
  }
  return st->index;
}

void Mp4Muxer::start() {
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "movflags", "+faststart+write_colr", 0);
  int ret = avformat_write_header(ctx_, &opts);
  av_dict_free(&opts);
  av::check(ret, "writing the MP4 header");
  started_ = true;
}

void Mp4Muxer::write(AVPacket* pkt, int index, AVRational tb) {
  AVStream* st = ctx_->streams[index];
  pkt->stream_index = index;
  av_packet_rescale_ts(pkt, tb, st->time_base);
  av::check(av_interleaved_write_frame(ctx_, pkt), "writing to the MP4 file");
}

void Mp4Muxer::finish() {
  av::check(av_write_trailer(ctx_), "finishing the MP4 file");
  av::check(avio_closep(&ctx_->pb), "closing the MP4 file");
  finished_ = true;
}

}  // namespace reel::engine
