#include "cli/progress.h"

#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "base/error.h"
#include "draft/json.h"

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

namespace {

// "2 h 05 min", "12 min 30 s", "42.0 s".
std::string length_text(double s) {
  char buf[48];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%d h %02d min", int(s / 3600), int(std::fmod(s, 3600) / 60));
  else if (s >= 60)
    std::snprintf(buf, sizeof buf, "%d min %02d s", int(s / 60), int(std::fmod(s, 60)));
  else
    std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

// A slideshow at the final preset takes about 0.05 bits a pixel (measured: 0.02-0.06), plus
// 192 kb/s of sound: enough to tell a person what a long render will fill.
constexpr double kBitsPerPixel = 0.05;
constexpr double kAudioBitsPerSecond = 192000;

void check_length(const draft::Draft& draft, const engine::RenderOptions& options,
                  std::optional<double> max_duration_s) {
  const engine::RenderShape shape = engine::render_shape(draft, options);
  const double seconds = double(shape.frames) / shape.fps.value();
  if (max_duration_s && seconds > *max_duration_s)
    throw base::Error(base::Fault::Input, "the render would be " + length_text(seconds) + " long, more than " +
                                              "--max-duration " + length_text(*max_duration_s) +
                                              " allows; shorten the draft, render a part (--from/--to) or raise "
                                              "the limit");
  if (seconds <= 3600) return;
  const double bytes =
      (double(shape.frames) * shape.width * shape.height * kBitsPerPixel + seconds * kAudioBitsPerSecond) / 8;
  char size[32];
  if (bytes >= 1e9)
    std::snprintf(size, sizeof size, "%.1f GB", bytes / 1e9);
  else
    std::snprintf(size, sizeof size, "%.0f MB", bytes / 1e6);
  std::cerr << "reel: note: this render is " << length_text(seconds) << " long (" << shape.frames << " frames at "
            << shape.width << "x" << shape.height << "): expect a file of about " << size
            << "; --max-duration refuses renders longer than you want\n";
}

}  // namespace

engine::RenderResult render_with_progress(const draft::Draft& draft, const std::string& out,
                                          const engine::RenderOptions& options, ProgressMode mode,
                                          const std::string& label, std::optional<double> max_duration_s) {
  check_length(draft, options, max_duration_s);
  return show_progress(mode, label, out, [&](const engine::ProgressFn& progress, const std::atomic<bool>* cancel) {
    return engine::render_to_file(draft, out, options, progress, cancel);
  });
}

engine::RenderResult show_progress(ProgressMode mode, const std::string& label, const std::string& out,
                                   const RenderCall& render) {
  ProgressDisplay display(mode, label);
  engine::RenderProgress last;
  auto result = render(
      [&](const engine::RenderProgress& p) {
        last = p;
        display.update(p.frames_done, p.frames_total, p.seconds_elapsed);
      },
      &interrupted());
  display.finish(last.frames_done, last.frames_total, last.seconds_elapsed);
  display.done(out, result);
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
    std::printf("{\"event\":\"progress\",\"frames\":%lld,\"total\":%lld,\"fps\":%.1f,\"elapsed\":%.2f,\"eta\":%.1f}\n",
                (long long)done, (long long)total, fps, seconds, eta);
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

void ProgressDisplay::done(const std::string& output, const engine::RenderResult& result) {
  if (!json_) return;
  Json line = {{"event", "done"},         {"output", output},
               {"frames", result.frames}, {"seconds", std::round(result.seconds * 1000) / 1000},
               {"width", result.width},   {"height", result.height}};
  std::printf("%s\n", line.dump().c_str());
  std::fflush(stdout);
}

void ProgressDisplay::finish(int64_t done, int64_t total, double seconds) {
  last_ = -10;
  update(done, total, seconds);
  if (drawn_) std::fprintf(stderr, "\n");
}

}  // namespace reel::cli
