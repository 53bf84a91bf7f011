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

/// The cues of a draft's text tracks: the subtitle and caption tracks when it has any, else
/// every text track; in time order.
std::vector<Cue> captions_of(const Draft& draft);

/// Adds the cues as a new text track of kind "subtitle" at the bottom of the frame.
void add_subtitle_track(Draft& draft, const std::vector<Cue>& cues);

}  // namespace reel::draft
