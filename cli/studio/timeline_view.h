#pragma once
// What the studio's page shows of a draft and how its segment form writes back: pure
// functions of the draft (no I/O), so the page and its tests see the same answers.
#include <cstddef>
#include <string>

#include "draft/model.h"

namespace reel::cli::studio {

/// The timeline as the page draws it: canvas, fps, duration, frames, and one lane per track
/// with its segments (pointer, start, duration, what it shows, its settings).
Json timeline_json(const draft::Draft& draft);

/// Where a segment's JSON pointer ("/t/0/sg/2", or the long spelling) is in the typed view.
struct SegmentPlace {
  size_t track = 0, segment = 0;
};
/// Throws base::Error(Input) naming the pointer when no segment of the draft has it.
SegmentPlace find_segment(const draft::Draft& draft, const std::string& pointer);

/// Applies the page's settings form to one segment: any of "duration_ms" (later segments of its
/// track move with it), "kb" (a Ken Burns preset name), "fit", "tr" ({"type", "d"}, or "none"),
/// "focus" ({x, y, w, h}, or null: found by the engine) and "text". Unknown fields and values of
/// the wrong type throw base::Error(Input) naming the field; the draft is changed only by a
/// form that is wholly read. Returns what changed in words ("duration 4 s → 6 s; Ken Burns in").
std::string apply_segment_settings(draft::Draft& draft, const std::string& pointer, const Json& settings);

}  // namespace reel::cli::studio
