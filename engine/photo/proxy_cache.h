#pragma once
// Prepared photos kept on disk between renders. Decoding a large photo is the
// costliest step of a preview (a 16 MP WebP takes ~0.2 s and has no reduced-size decode), and
// previews are for iterating: the second render of the same photos reads the framed picture
// back instead. An entry holds exactly what the decoder and the framing made (YUV 4:2:0: the
// framed picture, or the rows of it that were decoded when only those were, before the crop to
// the part the Ken Burns path reaches), so renders with and without proxies are identical.
//
// One file per entry, named by a hash of its key and holding the key itself; written under a
// temporary name and renamed, so a reader sees a whole entry or none. A damaged or foreign
// file is a miss, never an error; a failed write is skipped. The folder is kept under a size
// budget, least recently used entries first.
#include "engine/internal.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine/av/yuv_image.h"
#include "engine/types.h"

namespace reel::engine {

/// A part of a picture, in luma pixels (all four even).
struct Region {
  int x = 0, y = 0, width = 0, height = 0;
};

class ProxyCache {
 public:
  /// Given a stored picture's size, the part of it a reader wants.
  using RegionFn = std::function<Region(int width, int height)>;

  /// `dir` is created on the first store. `max_bytes`: the folder's budget.
  explicit ProxyCache(std::string dir, int64_t max_bytes = kDefaultMaxBytes);

  static constexpr int64_t kDefaultMaxBytes = int64_t(1) << 30;

  /// The picture stored under `key`, or nothing. With `region`, only that part of it is kept
  /// (the whole picture is read and checked, but never held). Thread-safe.
  std::optional<YuvImage> load(const std::string& key, const RegionFn& region = {}) const;
  /// Stores `image` under `key` (best effort), then trims the folder. Thread-safe.
  void store(const std::string& key, const YuvImage& image) const;

  /// An entry written as its picture is made, a band of rows at a time, so the picture is
  /// never held whole: add() the rows top to bottom, then commit() (best effort, like store;
  /// an entry not committed, or missing rows, is never seen).
  class Writer {
   public:
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    /// Rows y0.. of the picture (y0 and the count even), right after those before.
    void add(const YuvView& rows, int y0);
    void commit();

   private:
    friend class ProxyCache;
    struct State;
    explicit Writer(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
  };
  /// A writer for the entry `key` of a width x height picture (even), or none when the folder
  /// cannot be made or written. Thread-safe; each writer is used by one thread.
  std::unique_ptr<Writer> writer(const std::string& key, cv::Size size) const;

  /// A small text kept under `key` beside the pictures (a photo's focus), or nothing.
  /// Written whole or not at all, like a picture; counted in the same budget. Thread-safe.
  std::optional<std::string> load_note(const std::string& key) const;
  void store_note(const std::string& key, const std::string& text) const;

  const std::string& dir() const { return dir_; }
  int hits() const { return hits_; }
  int stores() const { return stores_; }

 private:
  std::string path_for(const std::string& key, const char* extension = ".proxy") const;
  void trim() const;

  std::string dir_;
  int64_t max_bytes_;
  mutable std::atomic<int> hits_{0}, stores_{0};
};

/// The proxy cache a render with `options` uses: none when options.proxy_dir is empty.
std::unique_ptr<ProxyCache> proxy_cache_for(const RenderOptions& options);

}  // namespace reel::engine
