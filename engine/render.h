#pragma once
// draft -> video file. The one entry point the CLI and the render node call.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "draft/model.h"
#include "engine/types.h"

namespace reel::engine {

/// What was written.
struct RenderResult {
  int64_t frames = 0;
  int width = 0, height = 0;
  draft::Rational fps;
  double seconds = 0;
  int proxies_read = 0, proxies_written = 0;  // photos read from / kept in proxy_dir
  int chunks = 0;                             // the render's chunks (see RenderOptions::chunk_dir)
  int chunks_rendered = 0;                    // of them, rendered now; the rest were kept
  int64_t frames_rendered = 0;                // composed and encoded now
  bool sound_kept = false;                    // the encoded sound came from chunk_dir
  bool sound_given = false;                   // join_parts: the sound was among the parts (copied)
  // When each step ended, in seconds from the start (`seconds` is the whole, the join last):
  // the plan (sources checked, subjects found, chunks keyed), the video's chunks, the sound.
  double planned_s = 0, video_s = 0, sound_s = 0;
};

/// The size, rate and frame count a render of `draft` with `options` will have; nothing is
/// read or resolved (for the note before a long render, and limits).
struct RenderShape {
  int width = 0, height = 0;
  draft::Rational fps;
  int64_t frames = 0;  // of the range rendered (--from/--to)
};
RenderShape render_shape(const draft::Draft& draft, const RenderOptions& options);

/// Every local file a render of `draft` reads — photos, clips, sound, font files — as the
/// render's resolver finds them; remote references and ones that do not resolve are left out
/// (the render says what is wrong with them). For refusing an output that is an input.
std::vector<std::string> local_inputs(const draft::Draft& draft, const RenderOptions& options);

/// Renders `draft` to an MP4 at `out_path`, written under a temporary name and renamed on
/// success: in chunks, those kept in options.chunk_dir from an earlier render reused and the
/// rest rendered, then joined by stream copy with the sound (see compose/chunks.h). Throws draft::DraftError / engine
/// errors; on any failure or cancellation no file is left at out_path. `cancel`, when set, is polled between frames.
/// Thread-safe for distinct calls; progress is called from the calling thread.
RenderResult render_to_file(const draft::Draft& draft, const std::string& out_path, const RenderOptions& options,
                            const ProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

/// One part of a render cut for several workers: a contiguous run of its chunks.
struct RenderPart {
  int index = 0;                           // 1-based: part `index` of N
  size_t first_chunk = 0, end_chunk = 0;   // chunks [first, end) of the render
  int64_t frame_begin = 0, frame_end = 0;  // its frames on the draft's clock
  double cost_s = 0;                       // estimated CPU seconds of one core (see chunk_costs)
};

/// A render cut into parts of about equal cost at chunk boundaries.
struct PartPlan {
  std::string render_key;  // names the whole render's video: every part of it carries it
  int64_t frames = 0;
  draft::Rational fps;
  int chunks = 0;
  bool has_sound = false;         // whether render_sound_part has a sound to make
  std::vector<RenderPart> parts;  // fewer than asked when the render has fewer chunks
};

/// The plan of `draft` cut into `parts` parts (the media are probed and identified, not decoded).
PartPlan plan_parts(const draft::Draft& draft, int parts, const RenderOptions& options);

/// Renders part `index` of `parts` (1-based) to an MP4 of its video alone at `out_path`: the
/// very chunks (the same bits) a whole render holds for those frames, reused from and kept in
/// options.chunk_dir like any render's, tagged with the render's key and the part's place.
/// Throws EngineError for an index out of range or more parts than chunks.
RenderResult render_part(const draft::Draft& draft, int index, int parts, const std::string& out_path,
                         const RenderOptions& options, const ProgressFn& progress = {},
                         const std::atomic<bool>* cancel = nullptr);

/// Renders the sound of the whole render alone — mixed, brought to its loudness and encoded to
/// AAC — to `out_path` (an MP4 of one audio stream tagged with the sound's key), so a worker
/// makes it beside the video parts and the join only copies streams. Kept in
/// options.chunk_dir like a render's sound. Throws EngineError when the draft has no sound.
RenderResult render_sound_part(const draft::Draft& draft, const std::string& out_path, const RenderOptions& options,
                               const std::atomic<bool>* cancel = nullptr);

/// Joins the parts of a render of `draft` (every part once, any order) into one MP4 at
/// `out_path`: checks that each is a part of this render (same draft, range and encoder) and
/// none is missing, repeated or damaged (EngineError naming the file, nothing written), and
/// copies the video. The sound is the one `render_sound_part` made when it is among the parts
/// (checked to be this render's), else mixed and encoded here once for the whole timeline.
RenderResult join_parts(const draft::Draft& draft, const std::vector<std::string>& part_paths,
                        const std::string& out_path, const RenderOptions& options,
                        const std::atomic<bool>* cancel = nullptr);

/// Keeps the chunk folder `chunk_dir` (RenderOptions::chunk_dir) within `budget_bytes` now,
/// least recently used out first (`reel cache --chunk-budget`). Returns the bytes removed.
int64_t trim_kept_chunks(const std::string& chunk_dir, int64_t budget_bytes);

/// Checks every photo of the draft's video tracks without decoding it: it resolves, exists,
/// is not empty, is within the limits (file size; pixel count read from the header), is a
/// supported format and is complete. Throws MediaError naming every bad one.
void check_sources(const draft::Draft& draft, const RenderOptions& options);

/// Writes the frame shown at `at_ms` (the frame n with n*1000/fps <= at_ms < (n+1)*1000/fps)
/// to a PNG, composed exactly as the render composes it (before H.264 compression).
void render_still(const draft::Draft& draft, int64_t at_ms, const std::string& png_path, const RenderOptions& options);

/// One frame as an encoded picture in memory, for callers that hand it on (`reel mcp`'s get_frame).
enum class PictureFormat { Png, Jpeg };
struct StillPicture {
  int64_t frame = 0;  // its index on the render's clock (options.fps, else the draft's)
  int width = 0, height = 0;
  std::string bytes;       // the PNG or JPEG
  std::string pixel_hash;  // 16 hex digits (base::Hash64) of the size and the 8-bit BGR rows
};

/// Stills of one draft, one after another in any order, each the very pixels render_still
/// writes, keeping what the earlier ones made: the plan, the photos decoded at working size,
/// the fonts — so a scrub pays only for composing and writing the frame. Photos are held
/// until `held_photos` are, then let go; a clip's frames are decoded afresh for each still.
/// `stored_png`: write() stores the PNG without compression (a few MB in a millisecond, where
/// compressing takes tens), for a page on loopback. Not thread-safe: one caller at a time; one
/// maker per version of a draft. Throws draft::DraftError when the draft has no frames.
class StillMaker {
 public:
  StillMaker(const draft::Draft& draft, const RenderOptions& options, bool stored_png = false, int held_photos = 24);
  ~StillMaker();
  StillMaker(const StillMaker&) = delete;
  StillMaker& operator=(const StillMaker&) = delete;
  /// The frame shown at `at_ms` (clamped to the draft) to a PNG: as render_still.
  void write(int64_t at_ms, const std::string& png_path);
  /// The same PNG in memory (packed as write() packs it).
  std::string png(int64_t at_ms);
  /// Frame `frame` encoded as `format`. The same draft, options and frame give the same pixels
  /// and so the same pixel_hash, whatever the format. Throws base::Error (Input) for a frame
  /// outside the draft.
  StillPicture picture(int64_t frame, PictureFormat format, int jpeg_quality = 90);

 private:
  void compose(int64_t n);            // into the state's frame
  void compose_at_ms(int64_t at_ms);  // the frame shown at at_ms, clamped to the draft
  struct State;
  std::unique_ptr<State> state_;
};

/// StillMaker(draft, options).picture(frame, format, jpeg_quality): one frame in memory.
StillPicture render_still_picture(const draft::Draft& draft, int64_t frame, const RenderOptions& options,
                                  PictureFormat format, int jpeg_quality = 90);

/// `bytes` as base64 (RFC 4648, padded), for a picture sent inside a text protocol (MCP's image
/// content); libavutil's encoder.
std::string base64_of(const std::string& bytes);

/// Writes a contact sheet of the timeline to a PNG: a thumbnail of every video segment at its
/// midpoint with its times and transition, and a lane per track under them. `draw_focus`:
/// each thumbnail shows where its subject is (see find_focus) as that frame frames it.
void render_storyboard(const draft::Draft& draft, const std::string& png_path, const RenderOptions& options,
                       bool draw_focus = false);

/// Where the subject of one video segment is (0..1 of its upright source).
struct SegmentFocus {
  size_t track = 0, segment = 0;  // indices into draft.tracks / segments
  std::string pointer;            // the segment's JSON pointer
  std::string reference;          // its source as written
  enum class From { Written, Faces, Saliency } from = From::Saliency;
  draft::FocusBox focus;
  std::vector<draft::FocusBox> faces;  // the faces found (when From::Faces)
};

/// The subject of every video segment of `draft`: m.focus where the draft writes one, else
/// found in the photo or the clip's first pictures (faces, else saliency; kept with the
/// proxies in options.proxy_dir, so found once per source). Checks every source first and throws MediaError listing the
/// bad ones. `notice` (in options) hears when face detection is off.
std::vector<SegmentFocus> find_focus(const draft::Draft& draft, const RenderOptions& options);

}  // namespace reel::engine
