#pragma once
// Edits through the typed view. Each changes exactly the JSON it names — in the key spelling
// the draft already uses — and rebuilds the view; everything else stays byte for byte.
#include <cstddef>
#include <string>
#include <vector>

#include "draft/keys.h"
#include "draft/model.h"

namespace reel::draft {

/// Sets segment `seg` of track `track` (indices into draft.tracks / segments).
void set_segment_start(Draft& draft, size_t track, size_t seg, int64_t start_ms);
void set_segment_duration(Draft& draft, size_t track, size_t seg, int64_t duration_ms);
void set_segment_source(Draft& draft, size_t track, size_t seg, const std::string& source);
/// Sets a key of the segment's metadata object (`m`), creating the object when absent.
void set_segment_meta(Draft& draft, size_t track, size_t seg, const std::string& key, Json value);
/// Sets the segment's m.focus (where its subject is), each number to four decimals: a
/// ten-thousandth of the photo is finer than any framing needs.
void set_segment_focus(Draft& draft, size_t track, size_t seg, const FocusBox& box);
/// Sets a key of the top-level metadata (`m`): "title", "width", "fps", ...
void set_draft_meta(Draft& draft, const std::string& key, Json value);

/// Re-reads the typed view from draft.json after a change made to the JSON directly.
void refresh(Draft& draft);

}  // namespace reel::draft

namespace reel::draft {

/// Builds a JSON key in the spelling the draft uses (short unless its top level is long).
std::string key_name(const Draft& draft, Key k);

/// Appends a track (a JSON object) and returns its index. The draft gets a track list when
/// it has none.
size_t add_track(Draft& draft, Json track);
/// Removes track `track` and everything in it.
void remove_track(Draft& draft, size_t track);
/// Appends a segment (a JSON object) to a track.
void add_segment(Draft& draft, size_t track, Json segment);
/// Removes segment `seg` of track `track`.
void remove_segment(Draft& draft, size_t track, size_t seg);
/// Removes a key of the segment's metadata, if present.
void remove_segment_meta(Draft& draft, size_t track, size_t seg, const std::string& key);
/// Puts the segments of a track in a new order (`order[i]` is the old index of the i-th) and
/// lays them end to end from the first one's start, each keeping its length.
void reorder_segments(Draft& draft, size_t track, const std::vector<size_t>& order);
/// Sets the canvas to an aspect ratio ("9:16"): through width/height when the draft gives
/// them, else m.ar. The short side stays what it was.
void set_aspect(Draft& draft, const std::string& aspect);
/// Multiplies every start and length on every track (and the draft's own d) by `factor`,
/// keeping everything in step; transitions and fades keep their lengths.
void scale_timeline(Draft& draft, double factor);
/// Sets the top-level d when the draft has one.
void set_declared_duration(Draft& draft, int64_t ms);

}  // namespace reel::draft
