#pragma once
// The bounded cache of prepared sources near the playhead. Loader threads prepare
// the photos that come next, in timeline order, a little ahead of the frames being composed;
// photos whose last frame has been encoded are dropped. Memory therefore follows the number
// of photos on screen around the playhead, not the length of the slideshow.
// Clips are decoded on demand instead: one ClipDecoder per clip behind its own mutex (decoding
// is sequential), which decodes the picture of every frame from the last one it made up to
// the one asked for and keeps the few most recent, so workers asking out of order within the
// pipeline's window never make it seek back; each worker frames its own frame's picture.
#include "engine/internal.h"

#include <condition_variable>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <semaphore>
#include <thread>
#include <vector>

#include "engine/clip/decoder.h"
#include "engine/compose/compositor.h"
#include "engine/photo/proxy_cache.h"

namespace reel::engine {

/// Thread-safe SourceProvider. get() blocks until the photo is ready (preparing it on the
/// calling thread when nobody else is) and rethrows the MediaError of a photo that failed.
class SourceCache final : public SourceProvider {
 public:
  /// `ahead_frames`: how far past the playhead the loaders prepare photos. `loaders`: how many
  /// background loader threads (0: every photo is prepared by whoever needs it first).
  /// `clip_window`: how many prepared pictures each clip keeps (at least the pipeline's window
  /// of frames in flight). `proxies`, when given, keeps large photos' framed pictures between
  /// renders (see proxy_cache.h); it must outlive the cache. `gate`, when given, is shared with
  /// the caches of a render's other lanes: a photo is prepared only while holding one of its
  /// permits, which bounds the large decodes in memory at once across lanes.
  SourceCache(const Plan& plan, int64_t ahead_frames, int loaders, int clip_window = 8,
              const ProxyCache* proxies = nullptr, std::counting_semaphore<>* gate = nullptr);
  ~SourceCache() override;
  SourceCache(const SourceCache&) = delete;
  SourceCache& operator=(const SourceCache&) = delete;

  std::shared_ptr<const PreparedSource> get(int item, int64_t frame) override;
  /// Every frame before `frame` is done: photos not visible from there on are released.
  void set_playhead(int64_t frame);
  /// Prepared photos held right now (for tests of the memory bound).
  int held() const;

 private:
  struct Entry {
    std::shared_ptr<const PreparedSource> source;
    std::exception_ptr error;
    bool loading = false, done = false;
  };
  /// A clip's frame: its decoded picture until a worker has framed it, then the prepared one.
  struct ClipFrame {
    int64_t picture_us = 0;  // which picture (the same one repeats at lower clip rates, or held)
    cv::Mat picture;
    std::shared_ptr<const PreparedSource> prepared;
  };
  /// One clip's decoder and its recent frames.
  struct ClipState {
    std::mutex mu;  // guards everything below; never held while taking mu_
    std::unique_ptr<ClipDecoder> decoder;
    std::map<int64_t, ClipFrame> recent;
    int64_t last_frame = -1;  // the frame the decoder prepared last
    bool finished = false;    // released behind the playhead (guarded by SourceCache::mu_)
  };
  std::shared_ptr<const PreparedSource> get_clip(int item, int64_t frame);
  void loader_loop();
  /// Photos prepared (or being prepared) that are not on screen yet; guarded by mu_. The
  /// loaders keep at most one each, however far `ahead_` reaches.
  int waiting_ahead() const;
  bool load(int item, std::unique_lock<std::mutex>& lock,
            std::shared_ptr<const PreparedSource>* out);  // called with lock held

  const Plan& plan_;
  const ProxyCache* proxies_;
  std::counting_semaphore<>* gate_;
  const int64_t ahead_;
  std::vector<int> order_;  // item indices by first visible frame
  mutable std::mutex mu_;   // guards entries_, playhead_, stop_, next_load_
  std::condition_variable cv_;
  std::vector<Entry> entries_;
  int64_t playhead_ = 0;
  size_t next_load_ = 0;  // position in order_ of the loader
  bool stop_ = false;
  std::vector<std::thread> loaders_;
  const int clip_window_;
  std::vector<std::unique_ptr<ClipState>> clips_;  // by item; null for photos
};

}  // namespace reel::engine
