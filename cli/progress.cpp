#include "cli/progress.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>

namespace reel::cli {

namespace {
std::atomic<bool> g_interrupted{false};

extern "C" void on_signal(int sig) {
  if (g_interrupted.exchange(true)) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}
}  // namespace

ProgressMode progress_mode(const std::string& name) {
  if (name == "json") return ProgressMode::Json;
  if (name == "none") return ProgressMode::None;
  return ProgressMode::Auto;
}

engine::RenderResult render_with_progress(const draft::Draft& draft, const std::string& out,
                                          const engine::RenderOptions& options, ProgressMode mode,
                                          const std::string& label) {
  ProgressDisplay display(mode, label);
  engine::RenderProgress last;
  auto result = engine::render_to_file(
      draft, out, options,
      [&](const engine::RenderProgress& p) {
        last = p;
        display.update(p.frames_done, p.frames_total, p.seconds_elapsed);
      },
      &interrupted());
  display.finish(last.frames_done, last.frames_total, last.seconds_elapsed);
  return result;
}

void install_interrupt_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

void restore_interrupt_handlers() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

const std::atomic<bool>& interrupted() { return g_interrupted; }

ProgressDisplay::ProgressDisplay(ProgressMode mode, std::string label) : label_(std::move(label)) {
  json_ = mode == ProgressMode::Json;
  bar_ = mode == ProgressMode::Auto && isatty(STDERR_FILENO);
}

void ProgressDisplay::update(int64_t done, int64_t total, double seconds) {
  if (json_) {
    if ((seconds - last_ < 1.0 && done < total) || done == json_done_) return;
    last_ = seconds;
    json_done_ = done;
    double fps = seconds > 0 ? double(done) / seconds : 0;
    double eta = fps > 0 ? double(total - done) / fps : 0;
    std::printf("{\"frames\":%lld,\"total\":%lld,\"fps\":%.1f,\"elapsed\":%.2f,\"eta\":%.1f}\n", (long long)done,
                (long long)total, fps, seconds, eta);
    std::fflush(stdout);
    return;
  }
  if (!bar_ || (seconds - last_ < 0.1 && done < total)) return;
  last_ = seconds;
  const int width = 30;
  double f = total > 0 ? double(done) / double(total) : 1;
  int fill = int(f * width);
  double fps = seconds > 0 ? double(done) / seconds : 0;
  double eta = fps > 0 ? double(total - done) / fps : 0;
  std::string bar(size_t(fill), '#');
  bar.append(size_t(width - fill), '.');
  std::fprintf(stderr, "\r%s [%s] %3d%%  %lld/%lld frames  %5.1f fps  ETA %3.0fs ", label_.c_str(), bar.c_str(),
               int(f * 100), (long long)done, (long long)total, fps, eta);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressDisplay::finish(int64_t done, int64_t total, double seconds) {
  last_ = -10;
  update(done, total, seconds);
  if (drawn_) std::fprintf(stderr, "\n");
}

}  // namespace reel::cli
