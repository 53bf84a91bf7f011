#include "cloud/client/http.h"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <vector>

#include "base/error.h"
#include "base/files.h"
#include "cloud/protocol/errors.h"
#include "draft/words.h"

namespace reel::cloud {
namespace {

namespace fs = std::filesystem;

struct EasyDeleter {
  void operator()(CURL* e) const noexcept { curl_easy_cleanup(e); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
struct MimeDeleter {
  void operator()(curl_mime* m) const noexcept { curl_mime_free(m); }
};
struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;
using MimePtr = std::unique_ptr<curl_mime, MimeDeleter>;
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// A curl list of `lines` (header lines, CURLOPT_RESOLVE pins); null when there are none.
template <class Lines>
SlistPtr string_list(const Lines& lines) {
  curl_slist* list = nullptr;
  for (const std::string& line : lines) {
    curl_slist* next = curl_slist_append(list, line.c_str());
    if (!next) {
      curl_slist_free_all(list);
      throw std::bad_alloc();
    }
    list = next;
  }
  return SlistPtr(list);
}

SlistPtr make_headers(const Headers& headers) {
  std::vector<std::string> lines;
  for (const auto& [name, value] : headers) lines.push_back(name + ": " + value);
  return string_list(lines);
}

/// Collects response headers; a new status line (redirect, 100 Continue) starts over.
size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    (*headers)[draft::lower_ascii(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  return size * n;
}

struct BodySink {
  std::string* body;
  size_t max;
  bool overflow = false;
};
size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  if (sink->body->size() + size * n > sink->max) {
    sink->overflow = true;
    return 0;
  }
  sink->body->append(data, size * n);
  return size * n;
}

CloudError transport_error(CURLcode code, const char* errbuf, const std::string& url) {
  std::string detail = errbuf && *errbuf ? errbuf : curl_easy_strerror(code);
  std::string where = url_origin(url) + url_path(url);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return CloudError(ErrorKind::Unreachable, "cannot reach " + url_origin(url) + " (" + detail +
                                                    "): check the address (--api or REEL_API_URL) and the network");
    case CURLE_OPERATION_TIMEDOUT:
      return CloudError(ErrorKind::Timeout, "no answer in time from " + where + " (" + detail + ")");
    default:
      return CloudError(ErrorKind::Transient, "the connection to " + where + " failed (" + detail + ")");
  }
}

void set_common(CURL* e, const HttpTimeouts& t, char* errbuf) {
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, t.connect_ms);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, std::max(1L, t.low_speed_bytes));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, std::max(1L, t.low_speed_seconds));
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_USERAGENT, "reel/" REEL_VERSION);
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // whatever curl can decode
}

long elapsed_ms(std::chrono::steady_clock::time_point since) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count());
}

// The transfer's ticks (about once a second, data or not): a cancel stops it, and a
// download's progress is told.
struct CancelTicks {
  const std::atomic<bool>* cancel;
  const std::function<void(int64_t, int64_t)>* progress;  // downloads only; may be null
  int64_t existing;                                       // bytes of a resumed part file
  bool cancelled() const { return cancel && cancel->load(); }
};

int on_tick(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  auto* t = static_cast<CancelTicks*>(user);
  if (t->cancelled()) return 1;  // aborts the transfer
  if (t->progress && *t->progress)
    (*t->progress)(t->existing + static_cast<int64_t>(now), total > 0 ? t->existing + static_cast<int64_t>(total) : 0);
  return 0;
}

void watch_cancel(CURL* e, CancelTicks& ticks) {
  if (!ticks.cancel && !(ticks.progress && *ticks.progress)) return;
  curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_tick);
  curl_easy_setopt(e, CURLOPT_XFERINFODATA, &ticks);
  curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
}

CloudError cancelled_transfer(const std::string& url) {
  return CloudError(ErrorKind::Cancelled, "cancelled while talking to " + url_origin(url) + url_path(url));
}

}  // namespace

CurlGlobal::CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
CurlGlobal::~CurlGlobal() { curl_global_cleanup(); }
void http_global_init() { curl_global_init(CURL_GLOBAL_DEFAULT); }
void http_global_cleanup() { curl_global_cleanup(); }

struct Http::Handle {
  std::unique_ptr<CURL, EasyDeleter> easy;
};

std::string HttpResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

Http::Http(HttpTimeouts timeouts, LogFn log)
    : handle_(std::make_unique<Handle>()), timeouts_(timeouts), log_(std::move(log)) {
  handle_->easy.reset(curl_easy_init());
  if (!handle_->easy) throw std::runtime_error("curl_easy_init failed");
}

Http::~Http() = default;

HttpResponse Http::send(const HttpRequest& req) {
  CURL* e = handle_->easy.get();
  curl_easy_reset(e);
  char errbuf[CURL_ERROR_SIZE] = {0};
  set_common(e, timeouts_, errbuf);
  long limit = req.request_ms >= 0 ? req.request_ms : timeouts_.request_ms;
  if (limit > 0) curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, limit);
  curl_easy_setopt(e, CURLOPT_URL, req.url.c_str());

  Headers headers = req.headers;
  MimePtr mime;
  if (!req.files.empty()) {
    mime.reset(curl_mime_init(e));
    for (const auto& f : req.files) {
      curl_mimepart* part = curl_mime_addpart(mime.get());
      curl_mime_name(part, f.field.c_str());
      if (curl_mime_filedata(part, f.path.c_str()) != CURLE_OK)
        throw CloudError(ErrorKind::LocalFile, "cannot read " + f.path);
      curl_mime_filename(part, f.filename.c_str());
      curl_mime_type(part, f.mime_type.empty() ? "application/octet-stream" : f.mime_type.c_str());
    }
    curl_easy_setopt(e, CURLOPT_MIMEPOST, mime.get());
    headers.emplace_back("Expect", "");
  } else if (req.method == "POST" || !req.body.empty()) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, req.body.data());
  }
  if (req.method != "GET" && req.method != "POST")
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  else if (req.method == "GET")
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  SlistPtr list = make_headers(headers);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, list.get());

  HttpResponse res;
  BodySink sink{&res.body, req.max_response_bytes};
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &res.headers);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &sink);

  CancelTicks ticks{cancel_, nullptr, 0};
  watch_cancel(e, ticks);
  auto start = std::chrono::steady_clock::now();
  CURLcode rc = curl_easy_perform(e);
  // Nothing of the request's headers or body outlives the call in the handle.
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, nullptr);
  if (mime) curl_easy_setopt(e, CURLOPT_MIMEPOST, nullptr);
  if (ticks.cancelled()) throw cancelled_transfer(req.url);
  if (rc != CURLE_OK) {
    if (log_) log_(req.method + " " + url_path(req.url) + " -> failed: " + curl_easy_strerror(rc));
    if (sink.overflow)
      throw CloudError(ErrorKind::BadResponse, "the answer from " + url_path(req.url) + " is larger than " +
                                                   std::to_string(req.max_response_bytes >> 20) + " MB");
    throw transport_error(rc, errbuf, req.url);
  }
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &res.status);
  if (log_)
    log_(req.method + " " + url_path(req.url) + " -> " + std::to_string(res.status) + " (" +
         std::to_string(elapsed_ms(start)) + " ms)");
  return res;
}

namespace {
/// The response's HTTP status (known by the time its first body bytes arrive).
long response_status(CURL* easy) {
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

/// An error response's body is kept, up to `limit` bytes, for the message.
void keep_error_text(std::string& body, const char* data, size_t len, size_t limit) {
  if (body.size() < limit) body.append(data, std::min(len, limit - body.size()));
}

struct StreamSink {
  CURL* easy;
  const std::function<bool(std::string_view)>* on_data;
  const std::function<bool()>* on_tick;
  std::string* error_body;
  const std::atomic<bool>* cancel;
  bool started = false, to_callback = true, stopped = false;
};

size_t on_stream(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<StreamSink*>(user);
  size_t len = size * n;
  if (!s->started) {
    s->started = true;
    const long status = response_status(s->easy);
    s->to_callback = status >= 200 && status < 300;
  }
  if (!s->to_callback) {
    keep_error_text(*s->error_body, data, len, 64 * 1024);
    return len;
  }
  if (*s->on_data && !(*s->on_data)(std::string_view(data, len))) {
    s->stopped = true;
    return 0;
  }
  return len;
}

int on_stream_tick(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* s = static_cast<StreamSink*>(user);
  if ((s->cancel && s->cancel->load()) || (*s->on_tick && !(*s->on_tick)())) {
    s->stopped = true;
    return 1;  // aborts the transfer
  }
  return 0;
}
}  // namespace

HttpResponse Http::stream(const HttpRequest& req, const std::function<bool(std::string_view)>& on_data,
                          const std::function<bool()>& on_tick, bool* request_sent) {
  CURL* e = handle_->easy.get();
  curl_easy_reset(e);
  char errbuf[CURL_ERROR_SIZE] = {0};
  set_common(e, timeouts_, errbuf);
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, nullptr);  // events as they come, no decoder buffering
  long limit = req.request_ms >= 0 ? req.request_ms : timeouts_.request_ms;
  if (limit > 0) curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, limit);
  curl_easy_setopt(e, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, req.body.data());
  SlistPtr list = make_headers(req.headers);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, list.get());

  HttpResponse res;
  StreamSink sink{e, &on_data, &on_tick, &res.body, cancel_};
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &res.headers);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_stream);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_stream_tick);
  curl_easy_setopt(e, CURLOPT_XFERINFODATA, &sink);
  curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);

  auto start = std::chrono::steady_clock::now();
  CURLcode rc = curl_easy_perform(e);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &res.status);
  long request_bytes = 0;
  curl_easy_getinfo(e, CURLINFO_REQUEST_SIZE, &request_bytes);
  if (request_sent) *request_sent = request_bytes > 0 || res.status != 0;
  if (log_)
    log_(req.method + " " + url_path(req.url) + " (stream) -> " +
         (rc == CURLE_OK ? std::to_string(res.status) : std::string("failed: ") + curl_easy_strerror(rc)) + " (" +
         std::to_string(elapsed_ms(start)) + " ms)");
  if (sink.stopped) throw CloudError(ErrorKind::Cancelled, "stopped while " + url_path(req.url) + " was streaming");
  if (rc != CURLE_OK) throw transport_error(rc, errbuf, req.url);
  return res;
}

namespace {
struct FileSink {
  CURL* easy;
  std::FILE* file;
  int64_t existing;  // bytes already in the part file
  int64_t written = 0;
  int64_t max_bytes;
  bool started = false;
  bool to_file = true;  // false for an error status: the body is the error text
  bool overflow = false;
  bool write_failed = false;
  int write_errno = 0;  // why, when the system said
  std::string error_body;
};

size_t on_file(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<FileSink*>(user);
  size_t len = size * n;
  if (!s->started) {
    s->started = true;
    const long status = response_status(s->easy);
    if (status >= 300) {
      s->to_file = false;
    } else if (status != 206 && s->existing > 0) {
      // The server sent the whole file instead of the range: start the part file over.
      std::fflush(s->file);
      if (ftruncate(fileno(s->file), 0) != 0 || std::fseek(s->file, 0, SEEK_SET) != 0) {
        s->write_failed = true;
        s->write_errno = errno;
        return 0;
      }
      s->existing = 0;
    }
  }
  if (!s->to_file) {
    keep_error_text(s->error_body, data, len, 4096);
    return len;
  }
  if (s->max_bytes > 0 && s->existing + s->written + static_cast<int64_t>(len) > s->max_bytes) {
    s->overflow = true;
    return 0;
  }
  if (std::fwrite(data, 1, len, s->file) != len) {
    s->write_failed = true;
    s->write_errno = errno;
    return 0;
  }
  s->written += static_cast<int64_t>(len);
  return len;
}

}  // namespace

DownloadResult Http::download(const std::string& url, const Headers& headers, const std::string& dest,
                              int64_t max_bytes, const std::function<void(const std::string& part)>& verify) {
  // The part file is kept when the download fails, so the next attempt resumes it.
  base::AtomicFile target(dest, base::Uncommitted::Keep);
  const std::string& part = target.temp_path();
  std::error_code ec;
  int64_t existing = 0;
  if (fs::is_regular_file(part, ec)) existing = static_cast<int64_t>(fs::file_size(part, ec));
  if (ec) existing = 0;
  if (max_bytes > 0 && existing >= max_bytes) existing = 0;

  FilePtr file(std::fopen(part.c_str(), existing > 0 ? "ab" : "wb"));
  if (!file) throw base::FileError(base::Access::Write, dest, errno);

  CURL* e = handle_->easy.get();
  curl_easy_reset(e);
  char errbuf[CURL_ERROR_SIZE] = {0};
  set_common(e, timeouts_, errbuf);
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, follow_redirects_ ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
  SlistPtr pins = string_list(resolve_);
  if (pins) curl_easy_setopt(e, CURLOPT_RESOLVE, pins.get());
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, nullptr);  // byte ranges of the file itself
  if (existing > 0) curl_easy_setopt(e, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(existing));
  SlistPtr list = make_headers(headers);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, list.get());
  FileSink sink{e, file.get(), existing, 0, max_bytes};
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_file);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &sink);
  CancelTicks ticks{cancel_, &progress_, existing};
  watch_cancel(e, ticks);

  auto start = std::chrono::steady_clock::now();
  CURLcode rc = curl_easy_perform(e);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(e, CURLOPT_RESOLVE, nullptr);
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  bool flushed = std::fflush(file.get()) == 0;
  const int flush_errno = flushed ? 0 : errno;
  file.reset();
  if (log_)
    log_("GET " + url_path(url) + (existing > 0 ? " (resume)" : "") + " -> " +
         (rc == CURLE_OK ? std::to_string(status) : std::string("failed: ") + curl_easy_strerror(rc)) + " (" +
         std::to_string(elapsed_ms(start)) + " ms)");

  if (ticks.cancelled()) {
    if (existing == 0 && sink.written == 0) fs::remove(part, ec);
    throw cancelled_transfer(url);  // what arrived stays for the next try
  }
  if (sink.overflow) {
    fs::remove(part, ec);
    throw CloudError(ErrorKind::TooLarge, "the download from " + url_path(url) + " is larger than " +
                                              std::to_string(max_bytes >> 20) + " MB; stopped");
  }
  if (sink.write_failed || !flushed)
    throw base::FileError(base::Access::Write, dest, sink.write_errno ? sink.write_errno : flush_errno);
  if (rc == CURLE_RANGE_ERROR || (rc == CURLE_OK && status == 416 && existing > 0)) {
    fs::remove(part, ec);  // the part file does not fit the server's file: start over once
    return download(url, headers, dest, max_bytes, verify);
  }
  if (rc != CURLE_OK) {
    if (existing == 0 && sink.written == 0) fs::remove(part, ec);  // nothing arrived: nothing to resume
    if (rc == CURLE_OPERATION_TIMEDOUT && status >= 200 && status < 300) {
      // The server answered and then stopped sending: not a network that is down.
      const int64_t kept = existing + sink.written;
      char got[96];
      if (kept >= (1 << 20))
        std::snprintf(got, sizeof got, " after %.1f MB (kept: the next try resumes it)", double(kept) / (1 << 20));
      else if (kept > 0)
        std::snprintf(got, sizeof got, " after %lld bytes (kept: the next try resumes it)", (long long)kept);
      else
        std::snprintf(got, sizeof got, " before any of the file arrived");
      // A server that dribbles a few bytes a second is stalled as surely as a silent one.
      const std::string slow = timeouts_.low_speed_bytes <= 1
                                   ? "no data"
                                   : "less than " + std::to_string(timeouts_.low_speed_bytes) + " bytes a second";
      throw CloudError(ErrorKind::Transient, "the download from " + url_origin(url) + url_path(url) +
                                                 " stalled: " + slow + " for " +
                                                 std::to_string(timeouts_.low_speed_seconds) + " s" + got);
    }
    throw transport_error(rc, errbuf, url);  // the part file stays for resume
  }
  if (status < 200 || status >= 300) {
    if (existing == 0) fs::remove(part, ec);
    char* location = nullptr;
    if (!follow_redirects_ && status >= 300 && status < 400 &&
        curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location && *location) {
      DownloadResult r;
      r.status = status;
      r.redirect = location;
      return r;
    }
    std::string what = "downloading " + url_path(url) + " failed with HTTP " + std::to_string(status);
    ErrorKind kind = status == 404                      ? ErrorKind::NotFound
                     : status == 429                    ? ErrorKind::RateLimited
                     : (status == 408 || status >= 500) ? ErrorKind::Transient
                                                        : ErrorKind::Refused;
    throw CloudError(kind, what, static_cast<int>(status));
  }
  if (verify) {
    try {
      verify(part);
    } catch (...) {
      fs::remove(part, ec);  // not the file asked for: nothing to resume either
      throw;
    }
  }
  target.commit();
  DownloadResult r;
  r.status = status;
  r.bytes = sink.existing + sink.written;
  r.resumed = status == 206;
  return r;
}

std::string url_scheme(std::string_view url) {
  auto p = url.find("://");
  if (p == std::string_view::npos) return {};
  return draft::lower_ascii(std::string(url.substr(0, p)));
}

std::string url_origin(std::string_view url) {
  auto p = url.find("://");
  if (p == std::string_view::npos) return {};
  auto slash = url.find_first_of("/?#", p + 3);
  return std::string(url.substr(0, slash));
}

std::string url_path(std::string_view url) {
  auto p = url.find("://");
  size_t from = p == std::string_view::npos ? 0 : url.find_first_of("/?#", p + 3);
  if (from == std::string_view::npos) return "/";
  std::string_view rest = url.substr(from);
  auto q = rest.find_first_of("?#");
  std::string path(rest.substr(0, q));
  return path.empty() ? "/" : path;
}

std::string url_host(std::string_view url) {
  std::string origin = url_origin(url);
  auto p = origin.find("://");
  if (p == std::string::npos) return {};
  std::string hostport = origin.substr(p + 3);
  if (auto at = hostport.rfind('@'); at != std::string::npos) hostport = hostport.substr(at + 1);
  if (!hostport.empty() && hostport[0] == '[') {
    auto close = hostport.find(']');
    return draft::lower_ascii(hostport.substr(1, close == std::string::npos ? std::string::npos : close - 1));
  }
  return draft::lower_ascii(hostport.substr(0, hostport.find(':')));
}

}  // namespace reel::cloud
