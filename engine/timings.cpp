#include "engine/timings.h"

#include <atomic>
#include <ctime>

namespace reel::engine {

namespace {

std::atomic<bool> counting{false};
std::array<std::atomic<int64_t>, kStageCount> totals_ns{};
thread_local StageClock* innermost = nullptr;

int64_t thread_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
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

StageClock::StageClock(Stage stage) : stage_(stage), counting_(counting.load(std::memory_order_relaxed)) {
  if (!counting_) return;
  outer_ = innermost;
  innermost = this;
  start_ns_ = thread_cpu_ns();
}

StageClock::~StageClock() {
  if (!counting_) return;
  const int64_t spent = thread_cpu_ns() - start_ns_;
  totals_ns[size_t(stage_)].fetch_add(spent - inner_ns_, std::memory_order_relaxed);
  if (outer_) outer_->inner_ns_ += spent;
  innermost = outer_;
}

}  // namespace reel::engine
