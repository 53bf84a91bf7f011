#pragma once
// Checks across segments and tracks, run by load_draft after the typed view is built.
#include <vector>

#include "draft/model.h"

namespace reel::draft {

/// Overlaps, transitions that do not fit, duplicate ids, content beyond the draft's length.
void check_timeline(const Draft& draft, std::vector<Problem>& problems);

}  // namespace reel::draft
