#include "engine/output/aac_encoder.h"

#include <vector>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include "engine/audio/mix.h"
#include "engine/errors.h"
#include "engine/output/mp4_muxer.h"

namespace reel::engine {

AacEncoder::AacEncoder(int64_t bit_rate) : pkt_(av::alloc_packet()), frame_(av::alloc_frame()) {
  const AVCodec* codec = avcodec_find_encoder_by_name("aac");
  if (!codec)
    throw EngineError("this FFmpeg has no native AAC encoder; install libavcodec59", base::Fault::Environment);
  ctx_.reset(avcodec_alloc_context3(codec));
  if (!ctx_) throw std::bad_alloc();
  AVCodecContext* c = ctx_.get();
  c->sample_fmt = AV_SAMPLE_FMT_FLTP;
  c->sample_rate = AudioMix::kRate;
  const AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
  av::check(av_channel_layout_copy(&c->ch_layout, &stereo), "setting the encoder's channels");
  c->bit_rate = bit_rate;
  c->profile = FF_PROFILE_AAC_LOW;
  c->time_base = AVRational{1, AudioMix::kRate};
  c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;  // MP4 keeps the AudioSpecificConfig in esds
  // At 192 kb/s there are bits enough to code noise-like bands as they are: perceptual noise
  // substitution would rebuild them at the decoder as new noise, with new peaks past the
  // limiter's ceiling (pink noise limited to -2 dBTP decodes at +0.1 dBFS with it, -1.1
  // without).
  av::check(av_opt_set_int(c->priv_data, "aac_pns", 0, 0), "AAC noise substitution");
  av::check(avcodec_open2(c, codec, nullptr), "opening the AAC encoder");
  fifo_.reset(av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, 2, c->frame_size * 4));
  if (!fifo_) throw std::bad_alloc();
}

void AacEncoder::encode(const float* in, int64_t frames, const std::function<void(AVPacket*)>& sink) {
  // De-interleave into the encoder's planar layout, a bounded piece at a time.
  constexpr int64_t kPiece = 4096;
  std::vector<float> left(kPiece), right(kPiece);
  for (int64_t done = 0; done < frames;) {
    const int64_t n = std::min(kPiece, frames - done);
    for (int64_t i = 0; i < n; ++i) {
      left[size_t(i)] = in[(done + i) * 2];
      right[size_t(i)] = in[(done + i) * 2 + 1];
    }
    void* planes[2] = {left.data(), right.data()};
    if (av_audio_fifo_write(fifo_.get(), planes, int(n)) < n) throw std::bad_alloc();
    done += n;
    while (av_audio_fifo_size(fifo_.get()) >= ctx_->frame_size) send_from_fifo(ctx_->frame_size, sink);
  }
}

void AacEncoder::flush(const std::function<void(AVPacket*)>& sink) {
  // The encoder takes a short last frame (AV_CODEC_CAP_SMALL_LAST_FRAME) and pads it itself.
  if (const int left = av_audio_fifo_size(fifo_.get()); left > 0) send_from_fifo(left, sink);
  send(nullptr, sink);
}

void AacEncoder::send_from_fifo(int samples, const std::function<void(AVPacket*)>& sink) {
  AVFrame* f = frame_.get();
  av_frame_unref(f);
  f->nb_samples = samples;
  f->format = AV_SAMPLE_FMT_FLTP;
  f->sample_rate = AudioMix::kRate;
  av::check(av_channel_layout_copy(&f->ch_layout, &ctx_->ch_layout), "setting the frame's channels");
  av::check(av_frame_get_buffer(f, 0), "allocating an audio frame");
  if (av_audio_fifo_read(fifo_.get(), reinterpret_cast<void**>(f->data), samples) < samples) {
    throw EngineError("the audio queue gave fewer samples than it holds");
  }
  f->pts = next_pts_;
  next_pts_ += samples;
  send(f, sink);
}

void AacEncoder::send(const AVFrame* frame, const std::function<void(AVPacket*)>& sink) {
  av::check(avcodec_send_frame(ctx_.get(), frame), "sending audio to the AAC encoder");
  for (;;) {
    int ret = avcodec_receive_packet(ctx_.get(), pkt_.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;  // states, not errors
    av::check(ret, "receiving a packet from the AAC encoder");
    sink(pkt_.get());
    av_packet_unref(pkt_.get());
  }
}

AudioStreamWriter::AudioStreamWriter(AudioMix& mix, Mp4Muxer& mux)
    : mix_(mix), mux_(mux), stream_(mux.add_stream(enc_.context())), block_(size_t(4096) * AudioMix::kChannels) {}

void AudioStreamWriter::write_until(int64_t sample) {
  auto sink = [this](AVPacket* p) { mux_.write(p, stream_, enc_.time_base()); };
  while (mix_.position() < std::min(sample, mix_.total_samples())) {
    const int64_t want = std::min<int64_t>(4096, sample - mix_.position());
    const int64_t got = mix_.render(block_.data(), want);
    if (got == 0) break;
    enc_.encode(block_.data(), got, sink);
  }
}

void AudioStreamWriter::finish() {
  write_until(mix_.total_samples());
  enc_.flush([this](AVPacket* p) { mux_.write(p, stream_, enc_.time_base()); });
}

}  // namespace reel::engine
