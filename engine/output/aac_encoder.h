#pragma once
// AAC-LC through libavcodec's native "aac" encoder, 48 kHz stereo, for the MP4.
#include "engine/internal.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/av/handles.h"

extern "C" {
#include <libavutil/audio_fifo.h>
}

namespace reel::engine {

class AudioMix;

/// One AAC encoder. Takes interleaved stereo float at 48 kHz in any amounts, queues them in
/// an AVAudioFifo and encodes whole frames of frame_size() (1024) samples, de-interleaved to
/// the encoder's planar float; the last, shorter frame goes out on flush(). Packet timestamps
/// are in samples (time_base 1/48000), starting at 0; the MP4 muxer records the encoder's
/// priming so players start at sample 0. Not thread-safe.
class AacEncoder {
 public:
  explicit AacEncoder(int64_t bit_rate = 192'000);
  const AVCodecContext* context() const { return ctx_.get(); }
  AVRational time_base() const { return ctx_->time_base; }
  int frame_size() const { return ctx_->frame_size; }
  /// Queues `frames` stereo frames and passes every packet that comes out to `sink`; the
  /// packet is only valid during the call.
  void encode(const float* interleaved, int64_t frames, const std::function<void(AVPacket*)>& sink);
  /// Encodes what is still queued and drains the encoder.
  void flush(const std::function<void(AVPacket*)>& sink);
  /// Samples per channel given to encode() so far.

 private:
  struct FifoFree {
    void operator()(AVAudioFifo* f) const noexcept { av_audio_fifo_free(f); }
  };
  void send(const AVFrame* frame, const std::function<void(AVPacket*)>& sink);
  void send_from_fifo(int samples, const std::function<void(AVPacket*)>& sink);

  av::CodecContextPtr ctx_;
  av::PacketPtr pkt_;
  av::FramePtr frame_;
  std::unique_ptr<AVAudioFifo, FifoFree> fifo_;
  int64_t next_pts_ = 0;
};

class Mp4Muxer;

/// The audio stream of an MP4: adds an AAC stream to `mux` (construct it before
/// mux.start()), then renders `mix` through an AacEncoder into it as far as asked, so the
/// pipeline interleaves audio with the frames it writes. Holds references; both must outlive
/// it. Not thread-safe: call it from the thread that writes the video packets.
class AudioStreamWriter {
 public:
  AudioStreamWriter(AudioMix& mix, Mp4Muxer& mux);
  /// Renders and encodes the mix up to (not including) `sample`, clamped to its end. After
  /// video frame n, pass samples_before_frame(n + 1, fps, 48000).
  void write_until(int64_t sample);
  /// Renders what is left of the mix and drains the encoder; then mux.finish().
  void finish();

 private:
  AudioMix& mix_;
  Mp4Muxer& mux_;
  AacEncoder enc_;
  int stream_ = -1;
  std::vector<float> block_;
};

}  // namespace reel::engine
