#pragma once
// Where a render's time goes (`reel render --timings`): the CPU time of each stage, summed over
// the threads that ran it. Counting is off unless asked for; when on, each stage entered reads
// the thread's CPU clock twice.
#include <array>
#include <cstdint>

namespace reel::engine {

enum class Stage {
  Plan,      // the plan: every source probed and checked, the chunks cut and keyed
  Subjects,  // faces and saliency found for the moves that are presets
  Decode,    // photos and clip frames decoded and framed, proxies read and written
  Warp,      // frames composed: the Ken Burns warp, transitions, fades
  Text,      // words laid out and drawn
  Audio,     // the sound decoded, mixed, measured and encoded
  Encode,    // H.264 encoding and the chunks' MP4s
  Join,      // the chunks and the sound joined into the output
};
constexpr int kStageCount = 8;

/// "plan", "subjects", "decode", ...
const char* stage_name(Stage stage);

/// Starts counting from zero, or stops counting.
void count_stage_times(bool on);

/// CPU seconds of each stage since counting started (indexed by Stage). A stage entered inside
/// another (a photo decoded while its frame is warped) counts as its own, not the outer one's.
std::array<double, kStageCount> stage_times();

/// Whose CPU time a clock counts: the calling thread's, or the whole process's, for a stage
/// that runs alone and hands work to a library's own threads (the subject search: OpenCV's
/// thread pool, whose time the calling thread never sees).
enum class StageCpu { Thread, Process };

/// Counts the calling thread's (or the process's) CPU time from its construction to its end
/// as `stage`'s.
class StageClock {
 public:
  explicit StageClock(Stage stage, StageCpu cpu = StageCpu::Thread);
  ~StageClock();
  StageClock(const StageClock&) = delete;
  StageClock& operator=(const StageClock&) = delete;

 private:
  Stage stage_;
  bool counting_;
  bool process_;
  int64_t start_ns_ = 0, start_process_ns_ = 0;
  int64_t inner_ns_ = 0;  // of clocks started inside this one, on this thread
  StageClock* outer_ = nullptr;
};

}  // namespace reel::engine
