#pragma once
// The one-line timeline summary people are shown (docs/draft-format.md, "The timeline summary").
#include <string>
#include <vector>

#include "draft/model.h"

namespace reel::draft {

/// One listed track of the summary.
struct TrackSummary {
  size_t index = 0;   // position in the draft's track list
  std::string kind;   // "Video", "BGM", "Title", ...
  std::string label;  // "city timelapse", "\"Urban Dreams\"", "5 photos"
  int64_t from_ms = 0, to_ms = 0;
  std::optional<int> volume_percent;  // audio tracks only
  std::string text() const;           // "Video: city timelapse (0-10s)"
};

std::vector<TrackSummary> summarize_tracks(const Draft& draft);
/// `Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) ...`
std::string timeline_summary(const Draft& draft);
Json summary_json(const Draft& draft);

/// Whether a media reference names a moving source (clip or GIF) by its extension.
bool looks_like_clip(std::string_view source);
/// "5 photos", "2 clips", "5 photos, 1 clip": the sources counted as the summary counts them.
std::string media_count_text(const std::vector<std::string>& sources);

}  // namespace reel::draft
