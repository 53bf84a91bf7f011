#include "cloud/client/media_cache.h"

#include <algorithm>
#include <filesystem>
#include <thread>
#include <vector>

#include "base/cache_folder.h"
#include "base/dirs.h"
#include "base/hash.h"
#include "cloud/client/config.h"
#include "cloud/protocol/errors.h"

namespace reel::cloud {
namespace fs = std::filesystem;

bool is_sandbox_path(const std::string& r) { return r.starts_with("/mnt/userdata/"); }

bool is_http_url(const std::string& r) {
  std::string s = url_scheme(r);
  return s == "http" || s == "https";
}

namespace {
std::string percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}
}  // namespace

std::string local_path_of(const std::string& r, const std::string& base_dir) {
  if (r.empty() || is_sandbox_path(r)) return {};
  std::string scheme = url_scheme(r);
  if (scheme == "file") {
    std::string rest = r.substr(7);  // file://
    if (rest.starts_with("localhost/")) rest = rest.substr(9);
    return percent_decode(rest);
  }
  if (!scheme.empty()) return {};
  fs::path p(r);
  if (p.is_absolute()) return p.string();
  return (fs::path(base_dir.empty() ? "." : base_dir) / p).lexically_normal().string();
}

MediaCache::MediaCache(MediaCacheOptions options) : options_(std::move(options)) {
  if (options_.dir.empty()) options_.dir = base::cache_dir() + "/media";
}

std::string MediaCache::path_for(const std::string& url) const {
  std::string ext = fs::path(url_path(url)).extension().string();
  if (ext.size() > 6 || ext.find_first_of("/\\") != std::string::npos) ext.clear();
  return options_.dir + "/" + base::hash_hex(url) + ext;
}

std::string MediaCache::fetch(const std::string& url) {
  if (!is_http_url(url)) throw CloudError(ErrorKind::Refused, url + ": only http(s) media can be downloaded");
  std::lock_guard lock(mutex_);
  const std::string path = path_for(url);
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    fs::last_write_time(path, fs::file_time_type::clock::now(), ec);  // recently used
    return path;
  }
  fs::create_directories(options_.dir, ec);
  if (ec) throw CloudError(ErrorKind::LocalFile, "cannot create the media cache " + options_.dir + ": " + ec.message());
  Http http(options_.timeouts, options_.log);
  http.set_follow_redirects(options_.follow_redirects);
  if (options_.vet) http.set_resolve(options_.vet(url));
  for (int attempt = 1;; ++attempt) {
    try {
      http.download(url, {}, path, options_.max_file_bytes);
      break;
    } catch (const CloudError& e) {
      bool again = e.kind() == ErrorKind::Transient || e.kind() == ErrorKind::Timeout;
      if (!again || attempt >= options_.attempts)
        throw CloudError(e.kind(),
                         std::string("cannot download the media ") + url_origin(url) + url_path(url) + ": " + e.what(),
                         e.http_status());
      std::this_thread::sleep_for(std::chrono::milliseconds(250 * attempt));
    }
  }
  trim(path);
  return path;
}

void MediaCache::trim(const std::string& keep) {
  base::trim_folder(options_.dir, options_.max_total_bytes, options_.max_total_bytes, {}, keep);
}

SourceMapper::SourceMapper(MediaCache& cache, std::string base_dir, std::map<std::string, std::string> uploads)
    : cache_(cache), base_dir_(std::move(base_dir)), uploads_(std::move(uploads)) {}

std::string SourceMapper::resolve(const std::string& reference) {
  if (is_sandbox_path(reference)) {
    std::string name = fs::path(reference).filename().string();
    auto it = uploads_.find(name);
    if (it == uploads_.end())
      throw CloudError(ErrorKind::NotFound, reference + ": no file named '" + name +
                                                "' was uploaded to this session; upload it with `reel upload` "
                                                "or change the source in the draft");
    return cache_.fetch(it->second);
  }
  if (is_http_url(reference)) return cache_.fetch(reference);
  std::string local = local_path_of(reference, base_dir_);
  if (local.empty())
    throw CloudError(ErrorKind::Refused, reference +
                                             ": this kind of media reference is not supported "
                                             "(use a file path or an http(s) URL)");
  return local;
}

}  // namespace reel::cloud
