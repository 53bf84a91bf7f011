#pragma once
// `reel make`'s draft, for the commands that start from photos rather than a draft file
// (`reel studio PHOTOS…`). Built by cmd_make.cpp, the one place that builds it.
#include <string>
#include <vector>

namespace reel::cli {

/// Writes the draft `reel make MEDIA... --draft-only --draft-out DRAFT_OUT` writes (capture
/// order, the slideshow style, each photo's subject as m.focus). Returns the exit code; make's
/// messages go to stderr.
int write_made_draft(const std::vector<std::string>& media, const std::string& draft_out);

}  // namespace reel::cli
