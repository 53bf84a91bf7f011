#include "engine/clip/decoder.h"

#include <sys/stat.h>

#include <cmath>
#include <opencv2/core.hpp>

#include "base/files.h"
#include "engine/errors.h"

extern "C" {
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
}

namespace reel::engine {

namespace {

[[noreturn]] void refuse(const std::string& pointer, const std::string& reference, std::string problem,
                         std::string advice) {
  throw MediaError({MediaIssue{pointer, reference, std::move(problem), std::move(advice)}});
}

// Clockwise degrees to turn the stored picture upright, from the stream's display matrix.
int rotation_of(const AVStream* st) {
  size_t size = 0;
  const uint8_t* matrix = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (!matrix || size < 9 * sizeof(int32_t)) return 0;
  double ccw = av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
  if (std::isnan(ccw)) return 0;
  int cw = static_cast<int>(std::lround(-ccw)) % 360;
  if (cw < 0) cw += 360;
  return (cw + 45) / 90 * 90 % 360;  // nearest quarter turn
}

bool is_still_image_format(const AVInputFormat* f) {
  std::string name = f ? f->name : "";
  return name.find("_pipe") != std::string::npos || name == "image2" || name == "webp_pipe";
}

int64_t to_us(int64_t v, AVRational tb) { return av_rescale_q(v, tb, AVRational{1, 1000000}); }

}  // namespace

ClipInfo probe_clip(const std::string& path, const std::string& pointer, const std::string& reference,
                    const MediaLimits& limits) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    refuse(pointer, reference, "the file does not exist", "check the path (it is relative to the draft's folder)");
  if (const std::string kind = base::special_file_kind(path); !kind.empty())
    refuse(pointer, reference, "is " + kind + ", not a video file", "point it at the clip file itself");
  if (st.st_size == 0) refuse(pointer, reference, "the file is empty (0 bytes)", "replace it with the clip itself");
  int err = 0;
  av::InputPtr in = av::open_input(path, err);
  if (!in)
    refuse(pointer, reference, "is not a video file reel can read (" + av::error_text(err) + ")",
           "export it as MP4 (H.264) or check that it is the right file");
  if ((err = avformat_find_stream_info(in.get(), nullptr)) < 0)
    refuse(pointer, reference, "cannot be read as a video (" + av::error_text(err) + ")",
           "re-export it as MP4 (H.264)");
  if (is_still_image_format(in.get()->iformat))
    refuse(pointer, reference, std::string("is a still picture (") + in.get()->iformat->name + "), not a video",
           "give it a photo extension such as .jpg or .png");
  int vs = av_find_best_stream(in.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  ClipInfo info;
  info.has_audio = av_find_best_stream(in.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0) >= 0;
  if (vs < 0)
    refuse(pointer, reference, "has no video stream" + std::string(info.has_audio ? " (it holds only sound)" : ""),
           info.has_audio ? "put it on an audio track (tt 1) instead" : "give a video file");
  AVStream* stream = in.get()->streams[vs];
  const AVCodecParameters* par = stream->codecpar;
  const AVCodec* codec = avcodec_find_decoder(par->codec_id);
  if (!codec)
    refuse(pointer, reference,
           std::string("uses a video codec this FFmpeg cannot decode (") + avcodec_get_name(par->codec_id) + ")",
           "re-export it as MP4 (H.264)");
  info.codec = avcodec_get_name(par->codec_id);
  info.is_gif = par->codec_id == AV_CODEC_ID_GIF;
  if (par->width <= 0 || par->height <= 0)
    refuse(pointer, reference, "has no picture size", "re-export it as MP4 (H.264)");
  if (int64_t(par->width) * par->height > limits.max_pixels)
    refuse(pointer, reference,
           "is " + std::to_string(par->width) + "x" + std::to_string(par->height) + ", more than the limit of " +
               std::to_string(limits.max_pixels / 1000000) + " megapixels",
           "scale it down, or raise the limit with --max-megapixels");
  info.rotation = rotation_of(stream);
  bool sideways = info.rotation == 90 || info.rotation == 270;
  info.width = sideways ? par->height : par->width;
  info.height = sideways ? par->width : par->height;

  // Timing and completeness: walk the packets of the video stream (cheap: no decoding), so a
  // truncated file or a one-frame GIF is found now, not mid-render.
  av::PacketPtr pkt = av::alloc_packet();
  int64_t first = AV_NOPTS_VALUE, last_end = AV_NOPTS_VALUE, packets = 0;
  // A packet without a duration (the last one, in many files) lasts one average frame.
  AVRational rate = stream->avg_frame_rate.num > 0 ? stream->avg_frame_rate : stream->r_frame_rate;
  int64_t typical = rate.num > 0 ? std::max<int64_t>(1, av_rescale_q(1, av_inv_q(rate), stream->time_base)) : 1;
  while ((err = av_read_frame(in.get(), pkt.get())) >= 0) {
    if (pkt->stream_index == vs) {
      int64_t pts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
      if (pts != AV_NOPTS_VALUE) {
        if (first == AV_NOPTS_VALUE || pts < first) first = pts;
        int64_t end = pts + (pkt->duration > 0 ? pkt->duration : typical);
        if (last_end == AV_NOPTS_VALUE || end > last_end) last_end = end;
      }
      ++packets;
    }
    av_packet_unref(pkt.get());
  }
  if (err != AVERROR_EOF)
    refuse(pointer, reference, "is damaged (" + av::error_text(err) + ")", "re-export it, or trim the damaged part");
  if (packets == 0) refuse(pointer, reference, "has a video stream with no pictures in it", "give a clip with video");
  if (info.is_gif && packets == 1)
    refuse(pointer, reference, "is a GIF with a single frame, so nothing moves",
           "save it as .png and use it as a photo");
  info.duration_us = first == AV_NOPTS_VALUE ? 0 : to_us(last_end - first, stream->time_base);

  // The first picture must decode.
  ClipDecoder dec(path, pointer, reference, info);
  dec.picture_at(0);
  return info;
}

ClipDecoder::ClipDecoder(const std::string& path, const std::string& pointer, const std::string& reference,
                         const ClipInfo& info)
    : path_(path), pointer_(pointer), reference_(reference), info_(info) {
  int err = 0;
  fmt_ = av::open_input(path, err);
  if (!fmt_) refuse(pointer, reference, "cannot be opened (" + av::error_text(err) + ")", "check the file");
  AVFormatContext* ctx = fmt_.get();
  if ((err = avformat_find_stream_info(ctx, nullptr)) < 0) damaged(err);
  stream_ = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (stream_ < 0) refuse(pointer, reference, "has no video stream", "give a video file");
  AVStream* st = ctx->streams[stream_];
  for (unsigned i = 0; i < ctx->nb_streams; ++i)
    if (static_cast<int>(i) != stream_) ctx->streams[i]->discard = AVDISCARD_ALL;
  tb_ = st->time_base;
  start_pts_ = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
  const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
  dec_.reset(avcodec_alloc_context3(codec));
  av::check(avcodec_parameters_to_context(dec_.get(), st->codecpar), "reading the clip's codec parameters");
  dec_->thread_count = 2;
  av::check(avcodec_open2(dec_.get(), codec, nullptr), "opening the clip's decoder");
  pkt_ = av::alloc_packet();
  frame_ = av::alloc_frame();
}

ClipDecoder::~ClipDecoder() = default;

void ClipDecoder::damaged(int err) const {
  refuse(pointer_, reference_, "is damaged (" + av::error_text(err) + ")", "re-export it, or trim the damaged part");
}

bool ClipDecoder::decode_next() {
  for (;;) {
    int err = avcodec_receive_frame(dec_.get(), frame_.get());
    if (err == 0) {
      int64_t pts = frame_->best_effort_timestamp != AV_NOPTS_VALUE ? frame_->best_effort_timestamp : frame_->pts;
      next_us_ = pts == AV_NOPTS_VALUE ? (shown_us_ == INT64_MIN ? 0 : shown_us_ + 1) : to_us(pts - start_pts_, tb_);
      // Upright BGR through swscale, then the quarter turns of the rotation.
      sws_.reset(sws_getCachedContext(sws_.release(), frame_->width, frame_->height, AVPixelFormat(frame_->format),
                                      frame_->width, frame_->height, AV_PIX_FMT_BGR24, SWS_BILINEAR, nullptr, nullptr,
                                      nullptr));
      if (!sws_) throw EngineError("cannot convert the pictures of " + reference_);
      cv::Mat bgr(frame_->height, frame_->width, CV_8UC3);
      uint8_t* dst[4] = {bgr.data, nullptr, nullptr, nullptr};
      int dst_stride[4] = {static_cast<int>(bgr.step), 0, 0, 0};
      sws_scale(sws_.get(), frame_->data, frame_->linesize, 0, frame_->height, dst, dst_stride);
      av_frame_unref(frame_.get());
      next_.release();  // a fresh buffer: a picture handed out earlier may still be in use
      if (info_.rotation == 90)
        cv::rotate(bgr, next_, cv::ROTATE_90_CLOCKWISE);
      else if (info_.rotation == 180)
        cv::rotate(bgr, next_, cv::ROTATE_180);
      else if (info_.rotation == 270)
        cv::rotate(bgr, next_, cv::ROTATE_90_COUNTERCLOCKWISE);
      else
        next_ = bgr;
      have_next_ = true;
      return true;
    }
    if (err == AVERROR_EOF) return false;
    if (err != AVERROR(EAGAIN)) damaged(err);
    if (eof_) {
      if (flushed_) return false;
      avcodec_send_packet(dec_.get(), nullptr);  // drain the frames the decoder still holds
      flushed_ = true;
      continue;
    }
    err = av_read_frame(fmt_.get(), pkt_.get());
    if (err == AVERROR_EOF) {
      eof_ = true;
      continue;
    }
    if (err < 0) damaged(err);
    if (pkt_->stream_index == stream_) {
      err = avcodec_send_packet(dec_.get(), pkt_.get());
      if (err < 0 && err != AVERROR(EAGAIN) && err != AVERROR_INVALIDDATA) damaged(err);
    }
    av_packet_unref(pkt_.get());
  }
}

void ClipDecoder::seek_to(int64_t t_us) {
  int64_t target = start_pts_ + av_rescale_q(std::max<int64_t>(0, t_us), AVRational{1, 1000000}, tb_);
  if (av_seek_frame(fmt_.get(), stream_, target, AVSEEK_FLAG_BACKWARD) < 0 &&
      av_seek_frame(fmt_.get(), stream_, start_pts_, AVSEEK_FLAG_BACKWARD) < 0) {
    // Some containers (GIF) seek only to the start by reopening.
    int err = 0;
    fmt_ = av::open_input(path_, err);
    if (!fmt_) damaged(err);
    if ((err = avformat_find_stream_info(fmt_.get(), nullptr)) < 0) damaged(err);
  }
  avcodec_flush_buffers(dec_.get());
  eof_ = flushed_ = false;
  shown_.release();
  next_.release();
  have_next_ = false;
  shown_us_ = next_us_ = INT64_MIN;
}

const cv::Mat& ClipDecoder::picture_at(int64_t t_us) {
  // Backwards, or more than 3 s ahead of what is decoded: seek instead of decoding through.
  if (shown_.empty() || t_us < shown_us_ || (have_next_ && t_us > next_us_ + 3'000'000)) seek_to(t_us);
  for (;;) {
    if (!have_next_ && !decode_next()) break;
    if (shown_.empty() || next_us_ <= t_us) {
      std::swap(shown_, next_);
      shown_us_ = next_us_;
      have_next_ = false;
      continue;
    }
    break;
  }
  if (shown_.empty()) damaged(AVERROR_INVALIDDATA);
  return shown_;
}

}  // namespace reel::engine
