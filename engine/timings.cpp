#include "engine/timings.h"

#include <atomic>
#include <ctime>

namespace reel::engine {

namespace {

std::atomic<bool> counting{false};
std::array<std::atomic<int64_t>, kStageCount> totals_ns{};
thread_local StageClock* innermost = nullptr;

int64_t cpu_ns(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return int64_t(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

}  // namespace

const char* stage_name(Stage stage) {
  static const char* const names[kStageCount] = {"plan", "subjects", "decode", "warp",
                                                 "text", "audio",    "encode", "join"};
  return names[int(stage)];
}

void count_stage_times(bool on) {
  for (auto& t : totals_ns) t.store(0, std::memory_order_relaxed);
  counting.store(on, std::memory_order_relaxed);
}

std::array<double, kStageCount> stage_times() {
  std::array<double, kStageCount> out{};
  for (int i = 0; i < kStageCount; ++i) out[size_t(i)] = double(totals_ns[size_t(i)].load()) / 1e9;
  return out;
}

StageClock::StageClock(Stage stage, StageCpu cpu)
    : stage_(stage), counting_(counting.load(std::memory_order_relaxed)), process_(cpu == StageCpu::Process) {
  if (!counting_) return;
  outer_ = innermost;
  innermost = this;
  start_ns_ = cpu_ns(CLOCK_THREAD_CPUTIME_ID);
  if (process_) start_process_ns_ = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
}

StageClock::~StageClock() {
  if (!counting_) return;
  const int64_t on_this_thread = cpu_ns(CLOCK_THREAD_CPUTIME_ID) - start_ns_;
  const int64_t spent = process_ ? cpu_ns(CLOCK_PROCESS_CPUTIME_ID) - start_process_ns_ : on_this_thread;
  totals_ns[size_t(stage_)].fetch_add(spent - inner_ns_, std::memory_order_relaxed);
  if (outer_) outer_->inner_ns_ += on_this_thread;  // what the outer clock itself saw of it
  innermost = outer_;
}

}  // namespace reel::engine
