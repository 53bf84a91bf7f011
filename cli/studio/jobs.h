#pragma once
// The studio's render queue: Render (the local final), Export (the cloud with the local engine
// as fallback; the local engine alone when no cloud is configured) and Bench (`reel bench`
// against the cloud) run one at a time, in the order asked, each with its progress,
// cancellable, a render's file kept in the export folder.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cli/cloud_flows.h"
#include "cli/studio/draft_file.h"
#include "cli/studio/frames.h"

namespace reel::cli::studio {

struct Job {
  int id = 0;
  std::string kind;      // "render" or "export"
  std::string state;     // queued, running, done, failed, cancelled
  double progress = 0;   // 0..1 (an export through the cloud says only where it is)
  std::string message;   // what happened, in words
  std::string file;      // the finished file (done)
  std::string revision;  // the draft version it renders
  double seconds = 0;    // how long it ran
  std::shared_ptr<const DraftVersion> version;
  std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
};

/// Where the studio exports. `cloud` is empty when no cloud is configured.
struct ExportTarget {
  std::string export_dir;
  std::optional<cloud::ClientOptions> cloud;
};

/// Thread-safe; one worker thread runs the jobs.
class JobQueue {
 public:
  /// `frames`: the page's stills, which go first while the person scrubs (it must outlive this).
  JobQueue(ExportTarget target, const FrameMaker& frames);
  ~JobQueue();  // cancels what runs and joins
  /// Queues a job of `kind` on `version`; returns its id.
  int add(const std::string& kind, std::shared_ptr<const DraftVersion> version);
  /// Cancels a queued or running job; false when there is no such job or it has ended.
  bool cancel(int id);
  /// Every job, oldest first (without their versions).
  std::vector<Job> list() const;
  std::optional<Job> find(int id) const;

 private:
  void run();
  void execute(Job& job);  // the worker thread, without the mutex

  const ExportTarget target_;
  const FrameMaker& frames_;
  mutable std::mutex mutex_;  // guards jobs_, next_id_, stop_
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  int next_id_ = 1;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace reel::cli::studio
