#pragma once
// draft -> video file. The one entry point the CLI and the render node call.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "draft/model.h"

namespace reel::engine {

enum class Preset { Final, Preview };

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

/// Receives one-line notices about what a render leaves out ("audio is not rendered yet").
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
};

/// Where a render is; passed to the progress callback after each encoded frame.
struct RenderProgress {
  int64_t frames_done = 0;
  int64_t frames_total = 0;
  double seconds_elapsed = 0;
};
using ProgressFn = std::function<void(const RenderProgress&)>;

/// What was written.
struct RenderResult {
  int64_t frames = 0;
  int width = 0, height = 0;
  draft::Rational fps;
  double seconds = 0;
  int proxies_read = 0, proxies_written = 0;  // photos read from / kept in proxy_dir
};

/// Renders `draft` to an MP4 at `out_path`, written under a temporary name and renamed on
/// success. Throws draft::DraftError / engine errors; on any failure or cancellation no file
/// is left at out_path. `cancel`, when set, is polled between frames. Thread-safe for distinct
/// calls; progress is called from the calling thread.
RenderResult render_to_file(const draft::Draft& draft, const std::string& out_path, const RenderOptions& options,
                            const ProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

/// Checks every photo of the draft's video tracks without decoding it: it resolves, exists,
/// is not empty, is within the limits (file size; pixel count read from the header), is a
/// supported format and is complete. Throws MediaError naming every bad one.
void check_sources(const draft::Draft& draft, const RenderOptions& options);

/// Writes the frame shown at `at_ms` (the frame n with n*1000/fps <= at_ms < (n+1)*1000/fps)
/// to a PNG, composed exactly as the render composes it (before H.264 compression).
void render_still(const draft::Draft& draft, int64_t at_ms, const std::string& png_path, const RenderOptions& options);

/// Writes a contact sheet of the timeline to a PNG: a thumbnail of every video segment at its
/// midpoint with its times and transition, and a lane per track under them.
void render_storyboard(const draft::Draft& draft, const std::string& png_path, const RenderOptions& options);

}  // namespace reel::engine
