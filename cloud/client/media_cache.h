#pragma once
// Remote media for local renders: http(s) sources downloaded once into a cache folder
// ($XDG_CACHE_HOME/reel/media), keyed by URL, with a size cap per file and for the whole
// cache (least recently used files go first). A partial download lives under a ".part" name
// and never counts as done. Thread-safe: the engine may resolve sources from several threads.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cloud/client/http.h"

namespace reel::cloud {

struct MediaCacheOptions {
  std::string dir;                       // base::cache_dir() + "/media" when empty
  int64_t max_file_bytes = 500ll << 20;  // one source
  int64_t max_total_bytes = 4ll << 30;   // the whole cache
  HttpTimeouts timeouts{10'000, 30, 1, 0};
  int attempts = 3;  // tries of one download (resumed)
  bool follow_redirects = true;
  /// When set, called before each download: throws CloudError to refuse the URL, or returns
  /// CURLOPT_RESOLVE pins ("host:port:address") for it. The render node vets addresses here.
  std::function<std::vector<std::string>(const std::string& url)> vet;
  LogFn log;
};

class MediaCache {
 public:
  explicit MediaCache(MediaCacheOptions options = {});
  /// The local file holding `url`'s bytes, downloading it when not cached. Throws CloudError.
  std::string fetch(const std::string& url);
  /// Where `url` is (or would be) cached.
  std::string path_for(const std::string& url) const;
  const std::string& dir() const { return options_.dir; }

 private:
  void trim(const std::string& keep);
  MediaCacheOptions options_;
  std::mutex mutex_;  // guards the folder: one download at a time
};

/// Maps every media reference of a draft to a local file for the engine:
/// relative paths against the draft's folder, absolute paths and file:// as they are, http(s)
/// through the cache, and the backend's sandbox paths (/mnt/userdata/...) to the cdn_url of
/// the uploaded file with the same name, then through the cache.
class SourceMapper {
 public:
  SourceMapper(MediaCache& cache, std::string base_dir, std::map<std::string, std::string> uploads = {});
  std::string resolve(const std::string& reference);

 private:
  MediaCache& cache_;
  std::string base_dir_;
  std::map<std::string, std::string> uploads_;  // file name -> cdn_url
};

/// "/mnt/userdata/..." — a path in the backend's sandbox.
bool is_sandbox_path(const std::string& reference);
bool is_http_url(const std::string& reference);
/// A local file reference (relative, absolute outside the sandbox, file://) as a path:
/// relative ones joined to `base_dir`. Empty for URLs and sandbox paths.
std::string local_path_of(const std::string& reference, const std::string& base_dir);

}  // namespace reel::cloud
