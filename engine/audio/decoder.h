#pragma once
// One audio source (mp3, wav, m4a/aac, ogg/vorbis, opus, flac, or the sound of a
// clip) as 48 kHz stereo float, streamed from any sample. See docs/audio.md.
#include "engine/internal.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/av/handles.h"
#include "engine/types.h"

extern "C" {
#include <libswresample/swresample.h>
}

namespace reel::engine {

/// The engine's audio clock: every audio sample of a render is at this rate.
inline constexpr int kAudioRate = 48000;
/// Output channels (interleaved L R L R ...).
inline constexpr int kAudioChannels = 2;

/// Where a source is used, for messages: the segment's JSON pointer and the reference as
/// written in the draft.
struct AudioSourceRef {
  std::string pointer;    // "/t/1/sg/0"
  std::string reference;  // "music/lofi.mp3"
};

/// What the up-front probe learned about a source. Plain data.
struct AudioSourceInfo {
  int64_t length = 0;       // samples at 48 kHz the source really holds (from its packets)
  int sample_rate = 0;      // the source's own rate
  int channels = 0;         // the source's own channel count
  std::string codec;        // "mp3", "aac", ...
  std::string container;    // libavformat's demuxer name
  bool exact_seek = false;  // the container seeks to exact sample positions
  int64_t origin_pts = 0;   // internal: the stream timestamp of source sample 0
};

/// Checks `path` without decoding more than its first frames: it exists, is not empty, is
/// within `limits`, is audio (not text or an image), has a decodable audio stream with sound
/// in it, and is complete (its packets reach the length its header declares). Throws
/// MediaError with one issue naming `ref` when it is not usable. With `may_be_silent` (a
/// video clip), a file without an audio stream is fine: the info has length 0.
AudioSourceInfo probe_audio(const std::string& path, const AudioSourceRef& ref, const MediaLimits& limits = {},
                            bool may_be_silent = false);

/// Streams one source as 48 kHz stereo float interleaved. seek() is sample-exact: it seeks
/// the container before the target (or reads from the start where seeking is approximate,
/// as in mp3), decodes, and drops samples up to the exact one. Holds only a few packets of
/// decoded audio. A packet the decoder rejects mid-stream throws MediaError (never silence).
/// Not thread-safe; one decoder per segment in play.
class AudioDecoder {
 public:
  using SwrPtr = std::unique_ptr<SwrContext, av::FreeP<swr_free>>;

  AudioDecoder(const std::string& path, const AudioSourceRef& ref, const AudioSourceInfo& info);
  ~AudioDecoder();
  AudioDecoder(const AudioDecoder&) = delete;
  AudioDecoder& operator=(const AudioDecoder&) = delete;

  const AudioSourceInfo& info() const { return info_; }
  /// Positions the next read() at `sample` (48 kHz) of the source.
  void seek(int64_t sample);
  /// Reads up to `frames` stereo frames into `out` (2 * frames floats); fewer only at the end
  /// of the source (0 once it is over). Never reads past info().length (codec padding).
  int64_t read(float* out, int64_t frames);

 private:
  bool fill();  // decodes until resampled output is buffered; false at the end
  void take_frame(const AVFrame* f);
  void reset_resampler();
  [[noreturn]] void damaged(int err, int64_t at_src) const;

  std::string path_;
  AudioSourceRef ref_;
  AudioSourceInfo info_;
  av::InputPtr fmt_;
  av::CodecContextPtr dec_;
  SwrPtr swr_;
  av::PacketPtr pkt_;
  av::FramePtr frame_;
  int stream_ = -1;
  AVRational tb_{1, 1};
  int64_t origin_pts_ = 0;       // pts of the first decoded sample, in tb_
  int64_t target_src_ = 0;       // first source sample (own rate) to keep after a seek
  int64_t skip_before_pts_ = 0;  // packets ending before this are dropped undecoded
  bool started_ = false;         // a sample at or after target_src_ has been kept
  bool input_done_ = false, decoder_done_ = false, swr_drained_ = false;
  std::vector<float> buf_;  // resampled, interleaved
  size_t buf_pos_ = 0;      // frames of buf_ already read
  int64_t next_ = 0;        // the 48 kHz sample the next read() starts at
  int64_t last_src_ = 0;    // source sample of the last packet sent (for messages)
};

}  // namespace reel::engine
