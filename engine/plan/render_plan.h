#pragma once
// The immutable render plan compiled from a draft. For any frame n it says which
// photos are visible on each video track, where each one's Ken Burns path is, and which
// transition runs with what eased progress. Pure data and pure functions: no decoding here.
#include "engine/internal.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "draft/model.h"
#include "engine/av/yuv_image.h"
#include "engine/plan/ken_burns.h"
#include "engine/plan/source_info.h"
#include "engine/types.h"

namespace reel::engine {

/// One photo or clip segment of a video track, with its timing resolved to the frame clock.
struct PlanItem {
  std::string pointer;    // the segment's JSON pointer, for messages
  std::string reference;  // the source as written in the draft
  std::string path;       // the local file
  int track = 0;          // index into Plan::tracks
  draft::Fit fit = draft::Fit::Cover;
  KbPath kb;                               // resolved: centred by make_plan, aimed at the subject by aim_at_subjects
  draft::KenBurns kb_setting;              // as the draft says
  int auto_pick = -1, previous_pick = -1;  // for `auto`: this segment's move and the one before it on the track
  std::optional<draft::FocusBox> focus;    // m.focus as written, or the one aim_at_subjects found
  bool focus_found = false;                // focus was found (not written)
  std::vector<draft::FocusBox> faces;      // the faces found (0..1 of the upright source)
  double prep_scale = 1;                   // the prepared source is this many times the fitted framing
  // Microseconds on the draft clock.
  int64_t start_us = 0, end_us = 0;          // the segment itself
  int64_t vis_start_us = 0, vis_end_us = 0;  // plus the transition handles around it
  // The transition into this item, centred on its start.
  draft::TransitionType tr_type = draft::TransitionType::None;
  int64_t tr_start_us = 0, tr_end_us = 0;
  int prev = -1;                           // the outgoing item of that transition; -1: from what lies below
  int next = -1;                           // the item that transitions out of this one, -1 none
  int64_t first_frame = 0, end_frame = 0;  // visible frames [first, end)
  // A video clip or animated GIF (by the source's extension) rather than a photo.
  bool is_clip = false;
  bool loop = false;  // a clip shorter than its segment repeats from `in` instead of holding
  int64_t in_us = 0;  // the clip's source time at the segment's start
  ClipInfo clip;      // filled in by check_item (the up-front probe)
  PhotoInfo photo;    // the same for a photo: its header facts, so preparing it reads no header again
};

/// What one video track shows at a frame: `b` alone, or a transition from `a` (or from the
/// tracks below when a is -1) to `b` with eased progress in [0, 1].
struct TrackState {
  int a = -1, b = -1;
  bool transition = false;
  draft::TransitionType type = draft::TransitionType::None;
  double progress = 0;
};

/// The compiled draft. Shared read-only by every worker thread.
struct Plan {
  int width = 0, height = 0;
  draft::Rational fps;
  draft::Color background;
  Yuv background_yuv{16, 128, 128};
  int64_t total_frames = 0;                // of the whole draft
  int64_t frame_begin = 0, frame_end = 0;  // the frames to render (--from/--to)
  std::vector<PlanItem> items;
  int track_count = 0;
  std::vector<std::string> notices;
  /// The whole picture fades from the background over the first fade_in_us and back to it
  /// over the last fade_out_us of the draft (m.fi, m.fo).
  int64_t fade_in_us = 0, fade_out_us = 0, draft_end_us = 0;

  /// How much of the picture shows at frame n against the background (0..1), from the fades
  /// at the ends: 0 at the draft's first instant, 1 once faded in, towards 0 at its end.
  double ends_opacity(int64_t n) const;

  /// The time of frame n in microseconds, exact (as a double).
  double frame_time_us(int64_t n) const;
  /// The first frame at or after `us`.
  int64_t first_frame_at_us(int64_t us) const;
  /// The Ken Burns focus of `item` at frame n (motion runs through its transitions).
  draft::FocusPoint focus_at(int item, int64_t n) const;
  /// What each video track shows at frame n (bottom track first); tracks showing nothing at
  /// n are left out.
  std::vector<TrackState> state_at(int64_t n) const;
  /// The source time (us after the clip's first picture) that clip `item` shows at frame n:
  /// in + (frame time - segment start), exact from the frame clock. Before the clip's material
  /// it is clamped to 0 (the first picture is held); past its end it loops back to `in` when
  /// the segment loops, else the decoder holds the last picture.
  int64_t clip_time_us(int item, int64_t n) const;
};

/// How many times the fitted framing a source is prepared at for path `kb`: enough pixels for
/// its deepest zoom, never more than twice its least zoomed view, never more than 2x.
double prep_scale_for(const KbPath& kb);

/// The canvas and the clock of a render (size, fps, frames and the --from/--to range), with no
/// items: what make_plan starts from. Reads no file and resolves no source.
Plan plan_canvas(const draft::Draft& draft, const RenderOptions& options);

/// Compiles a draft. Resolves every source through options.resolve_source (or the default
/// resolver) and throws MediaError listing the ones that cannot be resolved.
Plan make_plan(const draft::Draft& draft, const RenderOptions& options);

/// The default SourceResolver: relative paths against base_dir, absolute paths, file:// URLs;
/// remote URLs are refused with a MediaError-ready message.
std::string default_resolve(const std::string& reference, const std::string& base_dir);

/// options.resolve_source, or default_resolve against options.base_dir when it is empty: how
/// every source of a render (photos, clips, sound, font files) becomes a local path.
SourceResolver resolver_for(const RenderOptions& options);

}  // namespace reel::engine
