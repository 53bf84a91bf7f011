#pragma once
// The pictures and sound the page shows, each made by the engine: stills (the same pixels as
// `reel still`), a thumbnail per video segment, and the music's waveform, made in memory and
// kept there per draft revision.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/studio/draft_file.h"
#include "engine/render.h"
#include "engine/types.h"

namespace reel::cli::studio {

/// How the studio renders a version of the draft: the preview preset, the cache folders, and
/// its remote media through the media cache (fetched when missing). Throws as the render
/// commands do when a source cannot be had.
engine::RenderOptions studio_render_options(const DraftVersion& v, engine::Preset preset);

/// Thread-safe: one still is composed at a time (the machine's cores go to it, and a drag's
/// stale requests wait their turn instead of thrashing); results are cached per revision.
class FrameMaker {
 public:
  using Png = std::shared_ptr<const std::string>;  // kept and sent without a copy

  FrameMaker();
  ~FrameMaker();  // joins the thread of prepare()
  /// The PNG of the frame shown at `at_ms`, `width` wide at most (0: the preview's 960; the
  /// height follows the draft's shape).
  Png still_png(const DraftVersion& v, int64_t at_ms, int width = 0);
  /// The PNG of the segment at `pointer` at its midpoint, 192 wide.
  Png thumbnail_png(const DraftVersion& v, const std::string& pointer);
  /// The sound segment at `pointer` as `buckets` peaks (0..1) over its length.
  std::vector<float> waveform(const DraftVersion& v, const std::string& pointer, int buckets);
  /// Starts making the still still_png(v, at_ms, width) will be asked for, on a thread of its
  /// own, and returns: an edit's frame is composed while its answer travels to the page and the
  /// page draws, and the page's request finds it made (or waits for it). A newer prepare()
  /// replaces one not started yet.
  void prepare(std::shared_ptr<const DraftVersion> v, int64_t at_ms, int width);
  /// Whether a still was asked for in the last `window`: the person is scrubbing, and the
  /// background preview render steps aside (the two cores go to the frame under the playhead).
  bool asked_recently(std::chrono::milliseconds window) const;

 private:
  Png render(const DraftVersion& v, int64_t at_ms, int width);  // mutex_ held
  void prepare_stills();                                        // the thread of prepare()

  std::atomic<int64_t> last_asked_ms_{0};                 // steady clock, when a still was last asked for
  std::mutex mutex_;                                      // guards everything below; held while a still is composed
  std::map<std::string, Png> pngs_;                       // "revision/at/width" -> PNG bytes
  std::list<std::string> order_;                          // keys of pngs_, oldest first
  std::map<std::string, engine::RenderOptions> options_;  // revision -> how to render it
  // "revision/width" -> the maker of its stills (it keeps their decoded photos), newest last.
  std::list<std::pair<std::string, std::unique_ptr<engine::StillMaker>>> makers_;

  struct Wanted {
    std::shared_ptr<const DraftVersion> version;
    int64_t at_ms = 0;
    int width = 0;
  };
  std::mutex wanted_mutex_;  // guards wanted_ and stop_
  std::condition_variable wake_;
  std::optional<Wanted> wanted_;
  bool stop_ = false;
  std::thread preparer_;
};

}  // namespace reel::cli::studio
