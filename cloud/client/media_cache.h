#pragma once
// Remote media for local renders: http(s) sources downloaded once into a cache folder
// ($XDG_CACHE_HOME/reel/media), keyed by URL, with a size cap per file and for the whole
// cache (least recently used files go first). A partial download lives under a ".part" name
// and never counts as done; what arrives must be media by its bytes (an HTML error page saved
// as photo.jpg is refused and not kept). Beside each file, "<file>.origin" names where it came
// from (scheme, host and path: never a query, which may hold a signature), for `reel cache`.
// Thread-safe: the engine may resolve sources from several threads.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "cloud/client/http.h"

namespace reel::cloud {

struct MediaCacheOptions {
  std::string dir;                             // base::cache_dir() + "/media" when empty
  int64_t max_file_bytes = 500ll << 20;        // one source
  int64_t max_total_bytes = 4ll << 30;         // the whole cache
  HttpTimeouts timeouts{10'000, 30, 1024, 0};  // under 1 kB a second for 30 s: stalled
  int attempts = 3;                            // tries of one download (resumed)
  /// Redirects are followed (up to 5), each address vetted as the first; false: refused, with
  /// the address they lead to (the render node's policy).
  bool follow_redirects = true;
  /// When set, called before each download and each redirect: throws CloudError to refuse the
  /// URL, or returns CURLOPT_RESOLVE pins ("host:port:address") for it.
  std::function<std::vector<std::string>(const std::string& url)> vet;
  /// The bytes must be media: an image, video or sound by their magic numbers, of the kind the
  /// URL's extension names (when it names one); text (HTML, JSON, XML) never is.
  bool check_content = true;
  /// No network: fetch() finds cached files only and throws CloudError (NotFound) otherwise.
  bool offline = false;
  /// Called while a download runs (bytes so far, total when the server said, else 0, not
  /// finished) and once more when it is complete (finished); never for a cached file.
  std::function<void(const std::string& url, int64_t done, int64_t total, bool finished)> progress;
  LogFn log;
  /// When it becomes true (Ctrl-C), a download stops within about a second (CloudError
  /// Cancelled; what arrived is kept for the next try).
  const std::atomic<bool>* cancel = nullptr;
};

/// One file of the cache, for `reel cache`.
struct CachedMedia {
  std::string path;
  std::string origin;  // scheme://host[:port]/path it was downloaded from ("?" when unknown)
  int64_t bytes = 0;
};

class MediaCache {
 public:
  explicit MediaCache(MediaCacheOptions options = {});
  /// The local file holding `url`'s bytes, downloading it when not cached. Throws CloudError.
  std::string fetch(const std::string& url);
  /// Where `url` is (or would be) cached.
  std::string path_for(const std::string& url) const;
  /// Whether `url` is cached (no network).
  bool has(const std::string& url) const;
  /// Every file of the cache, the most recently used first.
  std::vector<CachedMedia> entries() const;
  const std::string& dir() const { return options_.dir; }
  /// Removes the least recently used files until the cache is within max_total_bytes.
  void trim() { trim({}); }

 private:
  void trim(const std::string& keep);
  MediaCacheOptions options_;
  std::mutex mutex_;  // guards the folder: one download at a time
};

/// Why `head` (the first bytes of a file, 64 are plenty) is not the media a file named `name`
/// claims to be, or empty when it may be: its magic numbers say image, video or sound of the
/// kind the name's extension says; text (an HTML error page) never is; unknown binary formats
/// are left to the engine.
std::string media_content_problem(std::string_view head, const std::string& name);

/// Maps every media reference of a draft to a local file for the engine:
/// relative paths against the draft's folder, absolute paths and file:// as they are, http(s)
/// through the cache, and the backend's sandbox paths (/mnt/userdata/...) to the cdn_url of
/// the uploaded file with the same name, then through the cache.
class SourceMapper {
 public:
  SourceMapper(MediaCache& cache, std::string base_dir, std::map<std::string, std::string> uploads = {});
  std::string resolve(const std::string& reference);
  /// The URL a remote reference is fetched from: itself for http(s), the cdn_url of the
  /// uploaded file for a sandbox path (throws CloudError NotFound when none has its name).
  std::string url_of(const std::string& reference) const;

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
