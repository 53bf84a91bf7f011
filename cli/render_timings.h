#pragma once
// `--timings`: where a render's time went, told after it — the wall time by step and the CPU
// time by stage (engine/timings.h), with what came before the render as start-up.
#include <string>

#include "engine/render.h"

namespace reel::cli {

/// The process's clocks at one moment: wall seconds since it started (the kernel's start time,
/// so loading the program counts) and CPU seconds of all its threads so far.
struct ProcessClocks {
  double wall_s = 0, cpu_s = 0;
  static ProcessClocks now();
};

/// Counts the engine's stages from now on (engine::count_stage_times).
void start_counting_stages();

/// Two lines, each starting "reel: timings: ": the wall time from `since` to now, split into
/// start-up (until the render began, at `render_start`) and the render's steps, and the CPU
/// time, split into start-up, the engine's stages and "other" (what no stage counted).
std::string timings_text(const engine::RenderResult& result, const ProcessClocks& since,
                         const ProcessClocks& render_start);

}  // namespace reel::cli
