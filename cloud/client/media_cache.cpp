#include "cloud/client/media_cache.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <thread>
#include <vector>

#include "base/cache_folder.h"
#include "base/dirs.h"
#include "base/files.h"
#include "base/hash.h"
#include "cloud/client/config.h"
#include "cloud/protocol/errors.h"
#include "cloud/protocol/upload_types.h"

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

namespace {
constexpr const char* kOriginSuffix = ".origin";  // 7 characters: never a cached file's extension

bool is_entry(const std::string& name) { return !name.ends_with(kOriginSuffix); }

std::string first_bytes(const std::string& path, size_t n) {
  std::string head(n, '\0');
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return {};
  head.resize(std::fread(head.data(), 1, n, f));
  std::fclose(f);
  return head;
}

bool looks_like_text(std::string_view head) {
  size_t i = 0;
  if (head.starts_with("\xEF\xBB\xBF")) i = 3;  // a UTF-8 byte order mark
  while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i]))) ++i;
  if (i == head.size()) return true;  // empty or blank
  const char c = head[i];
  if (c == '<' || c == '{' || c == '[') return true;  // HTML, XML, JSON
  for (; i < head.size(); ++i) {
    const auto b = static_cast<unsigned char>(head[i]);
    if (b < 0x09 || (b > 0x0d && b < 0x20) || b == 0x7f) return false;  // a control byte: binary
  }
  return true;
}
}  // namespace

std::string media_content_problem(std::string_view head, const std::string& name) {
  const std::optional<UploadKind> found = upload_kind_by_content(head);
  const UploadType* claimed = upload_type_of(name);
  const std::string what = claimed ? std::string("the ") + to_string(claimed->kind) + " its name says"
                                   : std::string("a photo, clip or sound");
  if (found && claimed && *found != claimed->kind)
    return std::string("its bytes are ") + (*found == UploadKind::Image ? "an image" : to_string(*found)) + ", not " +
           what;
  if (!found && looks_like_text(head))
    return "the server sent " + std::string(head.find('<') != std::string_view::npos ? "an HTML or XML page" : "text") +
           ", not " + what + " (an error page?)";
  return {};
}

MediaCache::MediaCache(MediaCacheOptions options) : options_(std::move(options)) {
  if (options_.dir.empty()) options_.dir = base::cache_dir() + "/media";
}

std::string MediaCache::path_for(const std::string& url) const {
  std::string ext = fs::path(url_path(url)).extension().string();
  if (ext.size() > 6 || ext.find_first_of("/\\") != std::string::npos) ext.clear();
  return options_.dir + "/" + base::hash_hex(url) + ext;
}

bool MediaCache::has(const std::string& url) const {
  std::error_code ec;
  return fs::is_regular_file(path_for(url), ec);
}

std::vector<CachedMedia> MediaCache::entries() const {
  std::vector<std::pair<double, CachedMedia>> found;
  std::error_code ec;
  for (const auto& de : fs::directory_iterator(options_.dir, ec)) {
    const std::string name = de.path().filename().string();
    if (!de.is_regular_file(ec) || !is_entry(name) || base::is_temporary_name(name)) continue;
    CachedMedia m;
    m.path = de.path().string();
    m.bytes = static_cast<int64_t>(de.file_size(ec));
    m.origin = first_bytes(m.path + kOriginSuffix, 4096);
    if (m.origin.empty()) m.origin = "?";
    found.emplace_back(base::last_used(m.path), std::move(m));
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<CachedMedia> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

std::string MediaCache::fetch(const std::string& url) {
  if (!is_http_url(url)) throw CloudError(ErrorKind::Refused, url + ": only http(s) media can be downloaded");
  std::lock_guard lock(mutex_);
  const std::string path = path_for(url);
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    base::mark_used(path);  // its access time: the file's identity (mtime) keys what is made from it
    return path;
  }
  const std::string shown = url_origin(url) + url_path(url);
  if (options_.offline) throw CloudError(ErrorKind::NotFound, shown + " is not in the media cache");
  fs::create_directories(options_.dir, ec);
  if (ec) throw CloudError(ErrorKind::LocalFile, "cannot create the media cache " + options_.dir + ": " + ec.message());
  Http http(options_.timeouts, options_.log);
  http.set_follow_redirects(false);  // each hop vetted here, not followed by curl
  http.set_cancel(options_.cancel);
  if (options_.progress)
    http.set_download_progress([&](int64_t done, int64_t total) { options_.progress(url, done, total, false); });
  std::function<void(const std::string&)> verify;
  if (options_.check_content)
    verify = [&](const std::string& part) {
      const std::string why = media_content_problem(first_bytes(part, 64), url_path(url));
      if (!why.empty())
        throw CloudError(ErrorKind::UnsupportedType, shown + " is not media: " + why + "; it was not kept");
    };
  int64_t bytes = 0;
  std::string at = url;  // where the bytes are: the URL, or where its redirects lead
  int hops = 0;
  if (options_.vet) http.set_resolve(options_.vet(at));
  for (int attempt = 1;; ++attempt) {
    try {
      const DownloadResult r = http.download(at, {}, path, options_.max_file_bytes, verify);
      if (r.redirect.empty()) {
        bytes = r.bytes;
        break;
      }
      const std::string next = url_origin(r.redirect) + url_path(r.redirect);
      if (!options_.follow_redirects)
        throw CloudError(ErrorKind::Refused, "it redirects (HTTP " + std::to_string(r.status) + ") to " + next +
                                                 ", and redirects are not followed here: use that address");
      if (!is_http_url(r.redirect))
        throw CloudError(ErrorKind::Refused, "it redirects to " + r.redirect + ", which is not http(s)");
      if (++hops > 5) throw CloudError(ErrorKind::Refused, "more than 5 redirects (the last to " + next + ")");
      try {  // vetted before it is the address: a retry after a failed look-up starts over
        if (options_.vet) http.set_resolve(options_.vet(r.redirect));
      } catch (const CloudError& refused) {
        throw CloudError(refused.kind(), "it redirects to " + next + ": " + refused.what());
      }
      at = r.redirect;
      --attempt;  // a hop is not a failed try
    } catch (const CloudError& e) {
      bool again = e.kind() == ErrorKind::Transient || e.kind() == ErrorKind::Timeout;
      if (e.kind() == ErrorKind::UnsupportedType || e.kind() == ErrorKind::Cancelled) throw;  // says it all
      if (!again || attempt >= options_.attempts)
        throw CloudError(e.kind(), std::string("cannot download the media ") + shown + ": " + e.what(),
                         e.http_status());
      std::this_thread::sleep_for(std::chrono::milliseconds(250 * attempt));
    }
  }
  if (options_.progress) options_.progress(url, bytes, bytes, true);
  try {
    base::write_file_atomically(path + kOriginSuffix, shown);
  } catch (const std::exception&) {
    // Only `reel cache` reads it ("?" then); the media itself is in place.
  }
  trim(path);
  return path;
}

void MediaCache::trim(const std::string& keep) {
  base::trim_folder(options_.dir, options_.max_total_bytes, options_.max_total_bytes, is_entry,
                    keep.empty() ? std::vector<std::string>{} : std::vector<std::string>{keep});
  std::error_code ec;
  const double day_ago = double(std::time(nullptr)) - 24 * 3600;
  for (const auto& de : fs::directory_iterator(options_.dir, ec)) {
    const std::string name = de.path().string();
    if (name.ends_with(".part")) {
      // A partial download kept to be resumed, outside the budget: given up after a day.
      if (base::last_used(name) < day_ago) fs::remove(de.path(), ec);
    } else if (!is_entry(name) &&  // an origin whose file went
               !fs::exists(name.substr(0, name.size() - std::string_view(kOriginSuffix).size()), ec)) {
      fs::remove(de.path(), ec);
    }
  }
}

SourceMapper::SourceMapper(MediaCache& cache, std::string base_dir, std::map<std::string, std::string> uploads)
    : cache_(cache), base_dir_(std::move(base_dir)), uploads_(std::move(uploads)) {}

std::string SourceMapper::url_of(const std::string& reference) const {
  if (!is_sandbox_path(reference)) return reference;
  std::string name = fs::path(reference).filename().string();
  auto it = uploads_.find(name);
  if (it == uploads_.end())
    throw CloudError(ErrorKind::NotFound, reference + ": no file named '" + name +
                                              "' was uploaded to this session; upload it with `reel upload` "
                                              "or change the source in the draft");
  return it->second;
}

std::string SourceMapper::resolve(const std::string& reference) {
  if (is_sandbox_path(reference) || is_http_url(reference)) return cache_.fetch(url_of(reference));
  std::string local = local_path_of(reference, base_dir_);
  if (local.empty())
    throw CloudError(ErrorKind::Refused, reference +
                                             ": this kind of media reference is not supported "
                                             "(use a file path or an http(s) URL)");
  return local;
}

}  // namespace reel::cloud
