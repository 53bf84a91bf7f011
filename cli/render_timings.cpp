#include "cli/render_timings.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>

#include "engine/timings.h"

namespace reel::cli {

namespace {

// When this process started, in seconds of CLOCK_BOOTTIME: field 22 of /proc/self/stat, in
// clock ticks (counted after the command name, which is in parentheses and may hold spaces);
// -1 when it cannot be read (start-up then counts from the first look at the clocks).
double process_start_boottime_s() {
  std::ifstream in("/proc/self/stat");
  std::string stat;
  std::getline(in, stat);
  const size_t name_end = stat.rfind(')');
  if (name_end == std::string::npos) return -1;
  unsigned long long start_ticks = 0;
  // After ") ": state (field 3), then fields 4 to 21, then starttime (22).
  if (std::sscanf(stat.c_str() + name_end + 1,
                  " %*c"
                  " %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s"
                  " %*s %*s %*s %*s %*s %*s %*s %*s %llu",
                  &start_ticks) != 1)
    return -1;
  return double(start_ticks) / double(sysconf(_SC_CLK_TCK));
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", std::max(0.0, s));
  return buf;
}

}  // namespace

ProcessClocks ProcessClocks::now() {
  ProcessClocks c;
  timespec t{};
  clock_gettime(CLOCK_BOOTTIME, &t);
  const double boottime = double(t.tv_sec) + double(t.tv_nsec) / 1e9;
  static const double started = [&] {
    const double s = process_start_boottime_s();
    return s >= 0 ? s : boottime;
  }();
  c.wall_s = boottime - started;
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  c.cpu_s = double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  return c;
}

RenderTimings::RenderTimings(bool on, ProcessClocks since) : on_(on), since_(since), render_start_(since) {
  if (on_) engine::count_stage_times(true);
}

void RenderTimings::render_starts() {
  if (on_) render_start_ = ProcessClocks::now();
}

void RenderTimings::tell(const engine::RenderResult& r) const {
  if (!on_) return;
  const ProcessClocks end = ProcessClocks::now();
  const double wall = end.wall_s - since_.wall_s, cpu = end.cpu_s - since_.cpu_s;
  // The render's own steps; start-up is everything else (reading the draft, fetching media).
  std::string text = "reel: timings: " + seconds(wall) + " s of wall time: start-up " + seconds(wall - r.seconds) +
                     ", plan " + seconds(r.planned_s) + ", video " + seconds(r.video_s - r.planned_s) + ", sound " +
                     seconds(r.sound_s - r.video_s) + ", join " + seconds(r.seconds - r.sound_s) + "\n";
  const double startup_cpu = render_start_.cpu_s - since_.cpu_s;
  text += "reel: timings: " + seconds(cpu) + " s of CPU time: start-up " + seconds(startup_cpu);
  double counted = startup_cpu;
  const std::array<double, engine::kStageCount> stages = engine::stage_times();
  for (int i = 0; i < engine::kStageCount; ++i) {
    text += std::string(", ") + engine::stage_name(engine::Stage(i)) + " " + seconds(stages[size_t(i)]);
    counted += stages[size_t(i)];
  }
  std::cerr << text << ", other " << seconds(cpu - counted) << "\n";
}

}  // namespace reel::cli
