#pragma once
// Reading a draft for a command: from a file or "-" (stdin), with its problems.
#include <optional>
#include <string>

#include "draft/model.h"

namespace reel::cli {

struct DraftInput {
  std::string path;      // as given; "-" for stdin
  std::string base_dir;  // folder relative media references resolve against
  draft::LoadResult loaded;
};

/// Reads and loads a draft. Throws draft::DraftError when it is not a draft at all.
DraftInput read_draft_input(const std::string& path);

/// Reads an .srt or .vtt file (a regular file of at most 8 MB) and adds its cues to `draft` as
/// caption tracks (draft::add_caption_tracks). Throws naming the file when it cannot be read
/// or holds no cues.
void add_captions_from_file(draft::Draft& draft, const std::string& path);

/// Prints the draft's problems to stderr (one "path: severity: message" line each, prefixed
/// by the file) and returns true when any is an error. Notices print only when `notices`.
bool report_problems(const DraftInput& input, bool notices);

/// Reads a draft a command renders or reads media of: its errors (and warnings) printed, with
/// the advice to run `reel validate`, and nothing returned when it has errors.
std::optional<DraftInput> read_usable_draft(const std::string& path);

}  // namespace reel::cli
