#pragma once
// The engine's shared types, at the bottom of its stack (MLT's mlt_types.h): how to render,
// where media comes from, the limits, progress. Includes only the draft model, so every stage
// and the public face can use them without including each other.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "draft/model.h"

namespace reel::engine {

enum class Preset { Final, Preview };

/// What a preset gives when no option overrides it: the one place these numbers live.
struct PresetDefaults {
  int long_side;            // the longer side of the canvas at most this; 0: the draft's size
  int crf;                  // x264 quality
  const char* x264_preset;  // x264 speed
};
constexpr PresetDefaults preset_defaults(Preset p) {
  return p == Preset::Preview ? PresetDefaults{960, 28, "ultrafast"} : PresetDefaults{0, 20, "veryfast"};
}

/// Maps a media reference as written in the draft to a local file path. Throws MediaError
/// (engine/errors.h) when it cannot. The default resolves relative paths against base_dir,
/// accepts absolute paths and file:// URLs, and refuses remote URLs (the CLI passes a resolver
/// that downloads them through cloud/).
using SourceResolver = std::function<std::string(const std::string& reference)>;

/// Limits checked before any decoding: a file over either is refused with a message.
struct MediaLimits {
  int64_t max_file_bytes = 200ll << 20;
  int64_t max_pixels = 100'000'000;
};

/// Receives one-line notices about what a render leaves out ("/t/1/sg/0: song.mp3 ends 4.0 s
/// before its segment does: silence after it").
using NoticeFn = std::function<void(const std::string& message)>;

/// How to render: preset and overrides, threads, where media comes from, limits.
struct RenderOptions {
  Preset preset = Preset::Final;
  std::optional<int> width, height;        // --size; default from the draft / preset
  std::optional<draft::Rational> fps;      // --fps
  std::optional<int> crf;                  // --crf
  std::optional<std::string> x264_preset;  // --x264-preset
  std::optional<int64_t> from_ms, to_ms;   // --from/--to: render just this range
  int threads = 0;                         // compose workers: 0 = all cores, 1 = serial
  std::string base_dir = ".";              // the draft's folder
  SourceResolver resolve_source;           // empty: the default above
  MediaLimits limits;
  NoticeFn notice;  // empty: notices are dropped
  /// A folder where large photos, once decoded and framed, are kept for the next render of
  /// them (the same pixels, without decoding again); empty: none kept. Bounded by size, least
  /// recently used first; a damaged entry is decoded again.
  std::string proxy_dir;
  /// A folder where the render's chunks (a few seconds of encoded video each, cut at the
  /// draft's own boundaries) and its encoded sound are kept under keys naming everything that
  /// decides them, so the next render of the same draft, or of an edit of it, renders only the
  /// chunks whose key changed and joins the rest by stream copy. Empty: a temporary folder,
  /// nothing kept. Bounded by chunk_budget_bytes, least recently used first.
  std::string chunk_dir;
  int64_t chunk_budget_bytes = int64_t(4) << 30;
  /// --loudness: the target the mix is brought to, or off; empty: the draft's m.loudness.
  std::optional<draft::Loudness> loudness;
};

/// Where a render is; passed to the progress callback after each encoded frame.
struct RenderProgress {
  int64_t frames_done = 0;
  int64_t frames_total = 0;
  double seconds_elapsed = 0;
};
using ProgressFn = std::function<void(const RenderProgress&)>;

}  // namespace reel::engine
