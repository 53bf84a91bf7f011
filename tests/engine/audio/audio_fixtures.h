#pragma once
// Test media made by the audio tests themselves: tones written with libav in any of the
// formats the engine reads, drafts with audio tracks, and measurements (level, onset, peak).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "draft/model.h"
#include "support/temp_dir.h"

namespace reel::engine {
class AudioMix;
}

namespace reel::test {

namespace fs = std::filesystem;

/// Sample `i` of channel `ch` in -1..1.
using Signal = std::function<double(int64_t i, int ch)>;

/// A sine of `hz` at `dbfs` peak, starting at sample `from` (silence before) at `rate`.
/// With phase pi/2 (a cosine) the first sample is the full amplitude: a sharp onset.
Signal sine(double hz, double dbfs, int rate, int64_t from = 0, double phase = 0);

/// Encodes `samples` frames of `signal` to `path`; the codec follows the extension: .wav
/// (pcm s16), .flac, .mp3 (libmp3lame 192k), .m4a (aac 192k), .ogg (vorbis), .opus (libopus).
void write_audio(const std::string& path, int rate, int channels, int64_t samples, const Signal& signal);

/// A video file with no audio stream (one grey ffv1 frame in Matroska).
void write_silent_video(const std::string& path);

/// The whole file decoded by the engine's decoder: 48 kHz stereo interleaved.
std::vector<float> decode_48k(const std::string& path);

/// A draft of `duration_ms` at `fps` (JSON number) whose tracks are `tracks` (raw JSON).
draft::Draft audio_draft(int64_t duration_ms, double fps, const Json& tracks);
/// An audio track with one segment.
Json audio_track(const std::string& src, int64_t start_ms, int64_t duration_ms, const Json& meta = Json::object(),
                 int64_t in_ms = 0, const std::string& kind = "");

/// Renders all of `mix` (from its current position) into an audio-only AAC .m4a at `path`,
/// the way a render writes its sound, whole or not at all.
void write_m4a(engine::AudioMix& mix, const std::string& path);

/// Renders the whole mix of `draft`, resolving references relative to `dir`.
std::vector<float> render_all(const draft::Draft& draft, const std::string& dir, int64_t* total = nullptr);

/// Level measurements over frames [from, to) of channel `ch` of interleaved stereo.
double rms_db(const std::vector<float>& x, int64_t from, int64_t to, int ch = 0);
double peak(const std::vector<float>& x, int64_t from = 0, int64_t to = -1);
/// Amplitude of the `hz` component over [from, to) (a one-bin DFT), in dBFS of a sine peak.
double tone_db(const std::vector<float>& x, double hz, int64_t from, int64_t to, int ch = 0);
/// The first frame at or after `from` whose |sample| exceeds `threshold`; -1 if none.
int64_t onset(const std::vector<float>& x, float threshold, int64_t from = 0);
/// The peak of the signal between samples, from a 64-tap windowed-sinc 8x interpolation.
double true_peak(const std::vector<float>& x, int64_t from, int64_t to);

inline double db(double v) { return 20.0 * std::log10(v); }

}  // namespace reel::test
