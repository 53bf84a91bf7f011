#pragma once
// A contact sheet of the timeline (engine::render_storyboard's work).
#include "engine/internal.h"

#include <string>
#include <vector>

#include "draft/model.h"
#include "engine/types.h"

namespace reel::engine {

/// Writes a PNG with a thumbnail of every video segment at its midpoint, composed by the same
/// compositor as a render, with its times and transition, and a lane per track under them.
/// `draw_focus`: each thumbnail shows its subject's box (and its faces) as framed there.
void write_storyboard(const draft::Draft& draft, const std::string& png_path, const RenderOptions& options,
                      bool draw_focus = false);

/// The board's heading: the title (or "Storyboard"), size, rate, length, and its sources
/// counted as the timeline summary counts them ("3 photos, 2 clips").
std::string storyboard_heading(const draft::Draft& draft, const std::vector<std::string>& sources);

}  // namespace reel::engine
