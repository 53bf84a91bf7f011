#include "engine/output/mp4_muxer.h"

extern "C" {
#include <libavutil/opt.h>
}

#include "engine/errors.h"

namespace reel::engine {

Mp4Muxer::Mp4Muxer(const std::string& path, const std::string& name, bool faststart)
    : name_(name.empty() ? path : name), faststart_(faststart) {
  AVFormatContext* raw = nullptr;
  av::check(avformat_alloc_output_context2(&raw, nullptr, "mp4", path.c_str()), "creating the MP4 writer");
  ctx_.reset(raw);
  av::check_write(avio_open(&ctx_->pb, path.c_str(), AVIO_FLAG_WRITE), name_);
}

Mp4Muxer::~Mp4Muxer() = default;

int Mp4Muxer::add_stream(const AVCodecContext* enc) {
  AVStream* st = avformat_new_stream(ctx_.get(), nullptr);
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

int Mp4Muxer::add_stream(const AVCodecParameters* par, AVRational time_base) {
  AVStream* st = avformat_new_stream(ctx_.get(), nullptr);
  if (!st) throw std::bad_alloc();
  av::check(avcodec_parameters_copy(st->codecpar, par), "copying a stream's parameters");
  st->codecpar->codec_tag = 0;  // the MP4 writer picks its own tag
  // The source file's bit rate is of its own packets only; the writer measures the copy's, so
  // a file joined from any pieces of a render says what the whole says.
  st->codecpar->bit_rate = 0;
  // An MP4 reader leaves an AAC stream's frame size unset; AAC-LC frames are 1024 samples.
  if (par->codec_id == AV_CODEC_ID_AAC && st->codecpar->frame_size == 0) st->codecpar->frame_size = 1024;
  st->time_base = time_base;
  if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
    st->avg_frame_rate = av_inv_q(time_base);
    st->r_frame_rate = av_inv_q(time_base);
    st->sample_aspect_ratio = par->sample_aspect_ratio;
  }
  return st->index;
}

void Mp4Muxer::set_comment(const std::string& comment) {
  av::check(av_dict_set(&ctx_->metadata, "comment", comment.c_str(), 0), "setting the MP4's comment");
}

void Mp4Muxer::start() {
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "movflags", faststart_ ? "+faststart+write_colr" : "+write_colr", 0);
  int ret = avformat_write_header(ctx_.get(), &opts);
  av_dict_free(&opts);
  av::check_write(ret, name_);
}

void Mp4Muxer::write(AVPacket* pkt, int index, AVRational tb) {
  AVStream* st = ctx_->streams[index];
  pkt->stream_index = index;
  av_packet_rescale_ts(pkt, tb, st->time_base);
  av::check_write(av_interleaved_write_frame(ctx_.get(), pkt), name_);
}

void Mp4Muxer::finish() {
  av::check_write(av_write_trailer(ctx_.get()), name_);
  av::check_write(avio_closep(&ctx_->pb), name_);
}

}  // namespace reel::engine
