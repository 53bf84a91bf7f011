#pragma once
// Subtitles in and out: SubRip (.srt) and WebVTT (.vtt) cues <-> a draft's text track.
#include <string>
#include <string_view>
#include <vector>

#include "draft/model.h"

namespace reel::draft {

/// One caption: shown from start_ms until end_ms.
struct Cue {
  int64_t start_ms = 0, end_ms = 0;
  std::string text;  // lines joined with "\n"
};

/// Reads SubRip or WebVTT (a file that starts with "WEBVTT" is WebVTT). Throws DraftError
/// naming `origin` and the line of the first malformed cue; styling tags (<i>, {\an8}) are
/// removed, cue settings ignored.
std::vector<Cue> parse_subtitles(std::string_view text, std::string_view origin);

std::string write_srt(const std::vector<Cue>& cues);
std::string write_vtt(const std::vector<Cue>& cues);

/// The cues of a draft's caption tracks — text tracks whose m.kind (or whose segments' m.kind)
/// is "caption" or "subtitle" — in time order; titles and other text are not captions.
std::vector<Cue> captions_of(const Draft& draft);

/// Adds the cues as text tracks of kind "caption" at the bottom of the frame: one track while
/// they follow each other; cues that overlap (SubRip and WebVTT allow it) go to further tracks
/// drawn above it, so both show, stacked, for as long as each lasts.
void add_caption_tracks(Draft& draft, const std::vector<Cue>& cues);

}  // namespace reel::draft
