#pragma once
// Edits through the typed view. Each changes exactly the JSON it names — in the key spelling
// the draft already uses — and rebuilds the view; everything else stays byte for byte.
#include <cstddef>
#include <string>

#include "draft/model.h"

namespace reel::draft {

/// Sets segment `seg` of track `track` (indices into draft.tracks / segments).
void set_segment_start(Draft& draft, size_t track, size_t seg, int64_t start_ms);
void set_segment_duration(Draft& draft, size_t track, size_t seg, int64_t duration_ms);
void set_segment_source(Draft& draft, size_t track, size_t seg, const std::string& source);
/// Sets a key of the segment's metadata object (`m`), creating the object when absent.
void set_segment_meta(Draft& draft, size_t track, size_t seg, const std::string& key, Json value);
/// Sets a key of the top-level metadata (`m`): "title", "width", "fps", ...
void set_draft_meta(Draft& draft, const std::string& key, Json value);

/// Re-reads the typed view from draft.json after a change made to the JSON directly.
void refresh(Draft& draft);

}  // namespace reel::draft
