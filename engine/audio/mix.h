#pragma once
// The audio of a render: every audio segment of a draft mixed to 48 kHz stereo float on the
// video's clock. No libav types here. See docs/audio.md for the curves and levels.
#include "engine/internal.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "draft/model.h"
#include "engine/types.h"

namespace reel::engine {

class AudioDecoder;
class TruePeakLimiter;

/// One sound on the timeline as the mix plays it: an audio segment, or a clip's own sound.
/// Plain data; times in the draft's milliseconds.
struct AudioPlacement {
  std::string pointer;    // JSON pointer of the segment, for messages ("/t/1/sg/0")
  std::string reference;  // the media reference as written in the draft
  int64_t start_ms = 0, duration_ms = 0, in_ms = 0;
  double volume = 1.0;  // linear
  int64_t fade_in_ms = 0, fade_out_ms = 0;
  bool loop = false;           // repeat from in_ms to fill the segment
  bool duck = false;           // lowered while a key sound is loud
  bool key = false;            // a voice or a clip's sound: ducks the others, is never ducked
  bool may_be_silent = false;  // a clip: a file with no audio stream plays nothing, no error
};

/// The placements of a draft's audio tracks (tt 1), in draft order; a track whose m.kind is
/// "voice" gives key placements.
std::vector<AudioPlacement> audio_placements(const draft::Draft& draft);

/// Everything a render hears: audio_placements(draft), then the own sound of every clip
/// segment of the video tracks (`in`, `vol`, `loop`; a key sound that ducks `duck` music;
/// silent, not an error, when the clip has no sound track; none when muted), faded in and out
/// with the picture by the draft's end fades (m.fi, m.fo).
std::vector<AudioPlacement> sound_placements(const draft::Draft& draft);

/// Changes whenever the mix would make different samples for the same placements: every
/// kept sound is then stale.
inline constexpr int kSoundRevision = 2;

/// Everything that decides the samples [begin, end) of the mix of `sounds` brought to
/// `loudness`: each placement with the identity of the file it plays (a kept sound's key).
std::string describe_sound(const std::vector<AudioPlacement>& sounds, const SourceResolver& resolve, int64_t begin,
                           int64_t end, const draft::Loudness& loudness);

/// The mix of a draft's audio tracks (tt 1), rendered block by block, sample-exact against
/// the video: output sample i is at i / 48000 s, segment [s, s+d) ms covers samples
/// [48 s, 48 (s+d)), and the mix is total_samples() long, ending exactly where frame
/// frame_count(d, fps) would start.
///
/// The constructor resolves and probes every source up front and throws one MediaError with
/// every bad one; the mix then opens a decoder only while its segment plays, so memory does
/// not grow with the length of the render or the number of segments.
///
/// Per segment: `in` offset, linear volume, quarter-sine fades in and out, `loop` (else
/// silence after the source ends), then tracks summed at unity in float, `duck` tracks lowered
/// 12 dB while a voice track is loud, the master gain (set_gain_db), and a -2 dBTP look-ahead
/// limiter on the sum.
///
/// Not thread-safe: one thread calls render() (the muxing thread of the pipeline).
class AudioMix {
 public:
  static constexpr int kRate = 48000;
  static constexpr int kChannels = 2;

  /// `resolve` maps a draft reference to a local file (RenderOptions::resolve_source; empty:
  /// the reference is the path). `fps` is the render's frame rate (the draft's or --fps).
  AudioMix(const draft::Draft& draft, const SourceResolver& resolve, draft::Rational fps,
           const MediaLimits& limits = {});
  /// The mix of any placements, `total_samples` long (see total_samples_for()).
  AudioMix(const std::vector<AudioPlacement>& sounds, int64_t total_samples, const SourceResolver& resolve,
           const MediaLimits& limits = {});
  ~AudioMix();
  AudioMix(const AudioMix&) = delete;
  AudioMix& operator=(const AudioMix&) = delete;

  /// No audio segment at all: the video gets no audio stream.
  bool empty() const { return clips_.empty(); }
  /// Samples per channel of the whole render: samples_before_frame(frame_count(d), fps, 48k).
  int64_t total_samples() const { return total_; }
  static int64_t total_samples_for(const draft::Draft& draft, draft::Rational fps);
  /// The next sample render() writes.
  int64_t position() const { return pos_; }
  /// Moves to `sample` (for --from renders): the next render() starts there, exactly.
  void seek(int64_t sample);
  /// A gain on the whole mix, before the limiter (loudness normalisation); 0 dB at first.
  /// Takes effect from the next seek().
  void set_gain_db(double db);
  double gain_db() const { return gain_db_; }
  /// Writes the next min(frames, total_samples() - position()) stereo frames, interleaved,
  /// into `out`; returns how many. Throws MediaError when a source turns out damaged.
  int64_t render(float* out, int64_t frames);

  /// One line per thing worth telling that is not an error ("/t/1/sg/0: music.mp3 ends 2.5 s
  /// before its segment: silence after it (set loop to repeat it)").
  const std::vector<std::string>& notices() const { return notices_; }

  /// The gains the mix uses, exposed for tests and the docs.
  static double fade_gain(double progress);  // quarter sine, 0 -> 0, 1 -> 1
  static constexpr double kDuckDb = -12.0;
  static constexpr double kCeilingDbtp = -2.0;  // room for AAC overshoot (docs/audio.md)

 private:
  struct Clip;
  void premix(float* out, int64_t from, int64_t frames);  // before the limiter
  // Adds segment `c`'s share of [from, from + frames) into `out`; `duck`: per-frame gains.
  void play_clip(Clip& c, float* out, int64_t from, int64_t frames, const float* duck);
  void duck_gains(const float* key, int64_t frames, float* gains);  // key: the voices

  std::vector<std::unique_ptr<Clip>> clips_;  // key clips first (their sum ducks the others)
  std::unique_ptr<TruePeakLimiter> limiter_;
  int64_t total_ = 0;
  int64_t pos_ = 0;                        // next output sample
  int64_t premix_pos_ = 0;                 // next sample into the limiter (pos_ + its latency)
  std::vector<float> key_buf_, clip_buf_;  // one block, interleaved
  std::vector<float> duck_gain_;           // one block, a gain per frame
  double duck_db_ = 0, key_env_ = 0;       // ducking state, carried across blocks
  int64_t duck_hold_ = 0;
  double gain_db_ = 0;
  float gain_ = 1;  // 10^(gain_db_/20)
  std::vector<std::string> notices_;
};

}  // namespace reel::engine
