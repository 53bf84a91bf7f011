#pragma once
// The focus of a draft's segments as data: `reel focus --json` prints it, `reel mcp`'s focus
// tool returns it.
#include <vector>

#include "draft/json.h"
#include "engine/render.h"

namespace reel::cli {

/// "draft", "faces" or "saliency".
const char* focus_source_name(engine::SegmentFocus::From from);

/// [{"path", "source", "from", "focus": {x, y, w, h} or null, "faces": [...]}], four decimals.
Json focus_list_json(const std::vector<engine::SegmentFocus>& found);

}  // namespace reel::cli
