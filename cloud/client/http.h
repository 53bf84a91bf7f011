#pragma once
// One HTTP class over libcurl: requests with JSON or multipart bodies, and resumable file
// downloads that land atomically. No retries here (the client decides what may be retried);
// transport failures become CloudError (Unreachable, Timeout, Transient). Header values are
// never logged: only the method, the URL's path, the status and the time taken.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reel::cloud {

/// Timeouts of every transfer. A stalled server trips the low-speed limit: fewer than
/// `low_speed_bytes` per second for `low_speed_seconds` seconds aborts the transfer.
struct HttpTimeouts {
  long connect_ms = 10'000;
  long low_speed_seconds = 30;  // curl counts whole seconds; >= 1
  long low_speed_bytes = 1;
  long request_ms = 120'000;  // whole API request (not downloads); 0 = none
};

using Headers = std::vector<std::pair<std::string, std::string>>;
/// Receives one line per request for --verbose logs (never contains header values).
using LogFn = std::function<void(std::string_view line)>;

/// A file part of a multipart body.
struct MultipartFile {
  std::string field = "files";
  std::string path;       // read by curl while sending
  std::string filename;   // as sent to the server
  std::string mime_type;  // empty: application/octet-stream
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;                  // sent when non-empty (or method is POST)
  std::vector<MultipartFile> files;  // multipart/form-data when non-empty
  size_t max_response_bytes = 64u << 20;
  long request_ms = -1;  // whole-request limit; -1: HttpTimeouts::request_ms
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-case
  std::string header(const std::string& lower_name) const;
};

struct DownloadResult {
  long status = 0;
  int64_t bytes = 0;     // size of the finished file
  bool resumed = false;  // continued a partial download with a Range request
  /// Not following redirects: the address a 3xx answer sent to (nothing was written), for
  /// the caller to vet and download in turn.
  std::string redirect;
};

/// Owns one curl easy handle (connections are reused between calls). Not thread-safe: one
/// Http per thread. curl_global_init is the CLI's business (cli/process.cpp); tests call it
/// once in their main.
class Http {
 public:
  explicit Http(HttpTimeouts timeouts = {}, LogFn log = {});
  ~Http();
  Http(const Http&) = delete;
  Http& operator=(const Http&) = delete;

  /// Sends a request and returns whatever HTTP answer came back (any status). Throws
  /// CloudError for transport failures only.
  HttpResponse send(const HttpRequest& request);

  /// Sends a request whose answer is a stream (SSE): each piece of a 2xx body goes to
  /// `on_data` as it arrives (not kept); `on_tick` is called about once a second while the
  /// transfer runs, data or not. Either returning false stops the transfer (CloudError
  /// Cancelled). A non-2xx answer's body is kept in the returned response instead (up to
  /// 64 kB). `request_sent` says, even on failure, whether the request went out. Transport failures throw CloudError as
  /// send() does; the stall limit is the low-speed limit of the timeouts. Never retried here.
  HttpResponse stream(const HttpRequest& request, const std::function<bool(std::string_view)>& on_data,
                      const std::function<bool()>& on_tick = {}, bool* request_sent = nullptr);

  /// Downloads `url` to `dest`: bytes go to `dest + ".part"`, which survives a failure and is
  /// continued with a Range request next time; on success the part file is renamed to `dest`.
  /// Throws CloudError on transport failure, an HTTP error status, or when more than
  /// `max_bytes` arrive (0: no cap; the part file is then removed).
  /// `verify`, when given, is called with the complete part file before it is renamed: when it
  /// throws, the part file is removed and the error passed on (what arrived is not the file).
  DownloadResult download(const std::string& url, const Headers& headers, const std::string& dest,
                          int64_t max_bytes = 0, const std::function<void(const std::string& part)>& verify = {});

  /// Whether downloads follow redirects (default yes). The render node says no: a redirect
  /// could lead a vetted public URL to a private address.
  void set_follow_redirects(bool follow) { follow_redirects_ = follow; }
  /// curl's CURLOPT_RESOLVE entries ("host:port:address") for the following transfers: pins a
  /// host to the addresses that were vetted, so a second DNS answer cannot differ.
  void set_resolve(std::vector<std::string> entries) { resolve_ = std::move(entries); }

  /// Called about once a second while a download runs: bytes of the file so far (a resumed
  /// part included) and its whole size when the server said (else 0).
  void set_download_progress(std::function<void(int64_t done, int64_t total)> fn) { progress_ = std::move(fn); }

  const HttpTimeouts& timeouts() const { return timeouts_; }
  void set_timeouts(const HttpTimeouts& t) { timeouts_ = t; }

  /// When `cancel` becomes true (Ctrl-C), a transfer stops within about a second — a stalled
  /// or dribbling server included — and throws CloudError (Cancelled); a download's part file
  /// stays for the next try. Null: transfers stop only by their limits.
  void set_cancel(const std::atomic<bool>* cancel) { cancel_ = cancel; }

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
  HttpTimeouts timeouts_;
  const std::atomic<bool>* cancel_ = nullptr;
  LogFn log_;
  bool follow_redirects_ = true;
  std::vector<std::string> resolve_;
  std::function<void(int64_t, int64_t)> progress_;
};

/// curl's process-wide set-up for the lifetime of the object. Created once per process by
/// its owner (cli/process.cpp's ProcessSetup, a test main) before any Http exists.
class CurlGlobal {
 public:
  CurlGlobal();
  ~CurlGlobal();
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

/// The same as free functions, for ProcessSetup's constructor and destructor.
void http_global_init();
void http_global_cleanup();

/// "http://host:port/path?q" -> "/path" (what logs and messages show of a URL).
std::string url_path(std::string_view url);
/// "http://host:port/path" -> "http://host:port".
std::string url_origin(std::string_view url);
/// The lower-case scheme ("http", "https", "file") or empty.
std::string url_scheme(std::string_view url);
/// The host of a URL (no port, IPv6 brackets stripped), lower-case.
std::string url_host(std::string_view url);

}  // namespace reel::cloud
