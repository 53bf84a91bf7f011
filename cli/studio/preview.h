#pragma once
// The page's player video: a chunked preview render of the current draft, made in the
// background whenever the draft changes. Its first part (the render's first chunk, rendered
// alone and kept, so the whole render reuses it) is offered as soon as it exists; the whole
// preview replaces it when joined. An edit cancels a render of an older version.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cli/studio/draft_file.h"
#include "cli/studio/frames.h"

namespace reel::cli::studio {

/// Where the preview of a revision is: "rendering" (maybe with its first part), "ready",
/// "failed" (with the reason), or "none" (nothing asked yet).
struct PreviewState {
  std::string revision;
  std::string state = "none";
  std::string first_part;  // the file of the first chunk's video, once rendered
  std::string file;        // the whole preview, once ready
  double progress = 0;     // 0..1 of the whole render
  double seconds = 0;      // how long the ready one took
  int chunks = 0, chunks_rendered = 0;
  std::string error;
};

/// One thread renders; ask() from any thread. Files are in `scratch_dir`; the ones of older
/// revisions are removed when a newer one is ready.
class PreviewRenderer {
 public:
  /// `frames`: the stills the page asks for, which go first (it must outlive this).
  PreviewRenderer(std::string scratch_dir, const FrameMaker& frames);
  ~PreviewRenderer();  // cancels the render and joins the thread
  /// Makes the preview of `version` the one wanted (an older render in progress is cancelled).
  void ask(std::shared_ptr<const DraftVersion> version);
  PreviewState state() const;

 private:
  void run();

  const std::string scratch_dir_;
  const FrameMaker& frames_;
  mutable std::mutex mutex_;  // guards wanted_, state_, stop_
  std::condition_variable wake_;
  std::shared_ptr<const DraftVersion> wanted_;
  PreviewState state_;
  bool stop_ = false;
  std::atomic<bool> cancel_{false};  // set when the render in progress is no longer wanted
  std::thread thread_;
};

}  // namespace reel::cli::studio
