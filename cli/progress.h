#pragma once
// Progress display for long commands, and the process's interrupt flag (Ctrl-C / SIGTERM).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "engine/render.h"

namespace reel::cli {

/// Installs SIGINT/SIGTERM handlers that set interrupted() (a second Ctrl-C exits at once).
/// Called by ProcessSetup only; restore_interrupt_handlers() undoes it.
void install_interrupt_handlers();
void restore_interrupt_handlers();
/// Set once Ctrl-C or SIGTERM arrived; renders poll it as their cancel flag.
const std::atomic<bool>& interrupted();

enum class ProgressMode { Auto, Json, None };

/// "auto", "json" or "none" (the --progress values) as a mode.
ProgressMode progress_mode(const std::string& name);

/// Shows render progress: a bar with frames, fps and ETA on a terminal (stderr), nothing when
/// stderr is not a terminal, or one JSON line per second on stdout (--progress json:
/// {"event":"progress",…} lines, then one {"event":"done",…} line when the file is written).
/// Called from one thread.
class ProgressDisplay {
 public:
  ProgressDisplay(ProgressMode mode, std::string label);
  void update(int64_t done, int64_t total, double seconds);
  /// Ends the bar's line (and prints a last JSON line).
  void finish(int64_t done, int64_t total, double seconds);
  /// In JSON mode, the one final line: {"event":"done","output":…,"frames":…,"seconds":…}.
  void done(const std::string& output, const engine::RenderResult& result);

 private:
  bool bar_ = false, json_ = false, drawn_ = false;
  std::string label_;
  double last_ = -1;
  int64_t json_done_ = -1;  // frames in the last JSON line (never print the same line twice)
};

/// Renders `draft` to `out` with `options`, showing progress as `mode` says under `label`,
/// cancelled by Ctrl-C (interrupted()). The one render-with-progress of every command that
/// renders a video (render, preview, make, local exports and chat's renders). Before any work:
/// a render longer than `max_duration_s` (when given) is refused (exit 1), and one longer than
/// an hour is announced with its length and the size to expect.
/// Runs `render` (a render of any kind: whole, a part, a join) writing `out` with its progress
/// shown as `mode` says under `label`, cancelled by Ctrl-C (interrupted()).
using RenderCall = std::function<engine::RenderResult(const engine::ProgressFn&, const std::atomic<bool>*)>;
engine::RenderResult show_progress(ProgressMode mode, const std::string& label, const std::string& out,
                                   const RenderCall& render);

engine::RenderResult render_with_progress(const draft::Draft& draft, const std::string& out,
                                          const engine::RenderOptions& options, ProgressMode mode,
                                          const std::string& label, std::optional<double> max_duration_s = {});

}  // namespace reel::cli
