#pragma once
// `--timings`: where a render's time went, told after it — the wall time by step and the CPU
// time by stage (engine/timings.h), with what came before the render as start-up.
#include "engine/render.h"

namespace reel::cli {

/// The process's clocks at one moment: wall seconds since it started (the kernel's start time,
/// so loading the program counts) and CPU seconds of all its threads so far.
struct ProcessClocks {
  double wall_s = 0, cpu_s = 0;
  static ProcessClocks now();
};

/// --timings for one render. Made before the command's own work (reading the draft, fetching
/// media), which counts as start-up together with what came before: from the process's start,
/// or from `since` (a watch's change). Does nothing when off.
class RenderTimings {
 public:
  explicit RenderTimings(bool on, ProcessClocks since = {});
  /// The render begins now: what came before is start-up.
  void render_starts();
  /// Two lines on stderr, each starting "reel: timings: ": the wall time split into start-up and
  /// the render's steps, and the CPU time split into start-up, the engine's stages and "other"
  /// (what no stage counted).
  void tell(const engine::RenderResult& result) const;

 private:
  bool on_;
  ProcessClocks since_, render_start_;
};

}  // namespace reel::cli
