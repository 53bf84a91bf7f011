#include "cloud/node/uploads.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "base/files.h"
#include "base/hash.h"
#include "cloud/client/config.h"
#include "cloud/client/http.h"
#include "cloud/client/media_cache.h"
#include "cloud/node/auth.h"
#include "cloud/node/media_policy.h"
#include "cloud/node/sessions.h"
#include "cloud/protocol/upload_types.h"
#include "cloud/protocol/wire.h"
#include "draft/parse.h"
#include "draft/problem.h"

namespace reel::cloud::node {
namespace fs = std::filesystem;

namespace {

/// What one upload request brought: the files kept, or why it was refused.
struct Received {
  std::vector<NodeFile> files;
  int code = 0;             // 4001, 4002, 400 or 507: refused, and the files it kept are removed
  std::string error;        // with `code`
  std::string bad_request;  // non-empty: answered 400 with this sentence as it is
};

/// A file name safe to store: letters, digits, . - _ (others become _), at most 100 characters.
std::string safe_name(const std::string& name) {
  std::string base = fs::path(name).filename().string();
  std::string out;
  for (char c : base)
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  if (out.empty() || out[0] == '.') out = "file" + out;
  if (out.size() > 100) out = out.substr(out.size() - 100);
  return out;
}

std::string unsupported_type(const std::string& name) {
  return "unsupported file type: " + safe_name(name) + "; accepted formats: " + accepted_formats_text();
}
std::string too_large(int64_t max_bytes) {
  return "file too large: the limit is " + std::to_string(max_bytes >> 20) + " MB";
}

/// Receives the parts of a multipart upload: each `files` part streamed to its own file while
/// its bytes are hashed; any other field skipped.
class MultipartReceiver {
 public:
  MultipartReceiver(NodeState& n, std::string dir, std::string sid)
      : n_(n), dir_(std::move(dir)), sid_(std::move(sid)) {}

  bool header(const httplib::MultipartFormData& f) {
    if (!finish_part()) return false;
    cur_.active = true;
    if (++parts_ > n_.opt.max_upload_parts) {
      got_.code = 400;
      got_.error = "an upload request carries at most " + std::to_string(n_.opt.max_upload_parts) + " parts";
      cur_.skip = true;
      return false;
    }
    if (f.name != "files") {
      cur_.skip = true;
      return true;
    }
    if (!accepted_upload_type(f.filename)) {
      got_.code = kCodeUnsupportedType;
      got_.error = unsupported_type(f.filename);
      cur_.skip = true;
      return false;
    }
    std::string stored = random_hex(8) + "-" + safe_name(f.filename);
    cur_.file.path = dir_ + "/" + stored;
    cur_.file.info.filename = fs::path(f.filename).filename().string();
    cur_.file.info.file_type = to_string(upload_type_of(f.filename)->kind);
    cur_.file.info.cdn_url = n_.public_url + "/files/" + sid_ + "/" + stored;
    return open_part();
  }

  bool content(const char* data, size_t len) {
    if (cur_.skip) return true;
    cur_.size += static_cast<int64_t>(len);
    if (cur_.size > n_.opt.max_upload_bytes) {
      got_.code = kCodeTooLarge;
      got_.error = too_large(n_.opt.max_upload_bytes);
      cur_.skip = true;
      return false;
    }
    cur_.hash.add(std::string_view(data, len));
    cur_.out.write(data, static_cast<std::streamsize>(len));
    return cur_.out ? true : disk_failed("write");
  }

  /// After the reader returned `read_ok`: what arrived.
  Received end(bool read_ok) {
    finish_part();  // a refused part leaves nothing
    if (!read_ok && got_.code == 0) {
      got_.code = 400;
      got_.error = "the upload was cut short";
    }
    return std::move(got_);
  }

 private:
  /// Opens the part's file, mode 0600 (uploads are the sender's, no one else's).
  bool open_part() {
    const int fd = ::open(cur_.file.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    cur_.out.open(cur_.file.path, std::ios::binary | std::ios::trunc);
    return fd >= 0 && cur_.out ? true : disk_failed("create");
  }
  bool disk_failed(const char* what) {
    got_.code = 507;
    got_.error = std::string("the node cannot ") + what + " the uploaded file: " + std::strerror(errno);
    cur_.skip = true;
    return false;
  }
  /// Ends the current part: kept, or refused when it was empty. False when refused.
  bool finish_part() {
    if (!cur_.active) return true;
    cur_.out.close();
    bool kept = !cur_.skip;
    if (kept && cur_.size == 0) {
      got_.code = 400;
      got_.error = "an uploaded file is empty: " + safe_name(cur_.file.info.filename);
      kept = false;
    }
    if (kept) {
      cur_.file.info.hash = cur_.hash.hex();
      got_.files.push_back(cur_.file);
    } else if (!cur_.file.path.empty()) {
      std::error_code ec;
      fs::remove(cur_.file.path, ec);
    }
    cur_ = Part{};
    return kept || got_.code == 0;
  }

  struct Part {
    std::ofstream out;
    NodeFile file;
    int64_t size = 0;
    base::Hash64 hash;
    bool active = false, skip = false;
  };
  NodeState& n_;
  const std::string dir_, sid_;
  Part cur_;
  Received got_;
  int parts_ = 0;
};

Received receive_multipart(NodeState& n, const ContentReader& reader, const std::string& dir, const std::string& sid) {
  MultipartReceiver r(n, dir, sid);
  bool read_ok = reader([&](const httplib::MultipartFormData& f) { return r.header(f); },
                        [&](const char* data, size_t len) { return r.content(data, len); });
  return r.end(read_ok);
}

/// Fetches one URL of a {"urls": [...]} upload into `got` (no redirects, the host pinned to
/// the vetted addresses). False when the request is answered with got.bad_request or got.code.
bool fetch_url(NodeState& n, Http& http, const std::string& url, const std::string& dir, const std::string& sid,
               Received& got) {
  std::vector<std::string> pins;
  std::string why = n.opt.allow_local_media ? std::string() : check_public_url(url, &pins);
  http.set_resolve(pins);
  if (why.empty() && !is_http_url(url)) why = url + ": only http(s) URLs";
  if (!why.empty()) {
    got.bad_request = why;
    return false;
  }
  std::string name = fs::path(url_path(url)).filename().string();
  if (!accepted_upload_type(name)) {
    got.code = kCodeUnsupportedType;
    got.error = unsupported_type(name);
    return false;
  }
  std::string stored = random_hex(8) + "-" + safe_name(name);
  NodeFile f;
  f.path = dir + "/" + stored;
  try {
    http.download(url, {}, f.path, n.opt.max_upload_bytes);
  } catch (const CloudError& e) {
    if (e.kind() != ErrorKind::TooLarge) {
      got.bad_request = std::string("cannot fetch ") + url_path(url) + ": " + e.what();
      return false;
    }
    got.code = kCodeTooLarge;
    got.error = too_large(n.opt.max_upload_bytes);
    return false;
  }
  f.info.filename = name;
  f.info.file_type = to_string(upload_type_of(name)->kind);
  f.info.cdn_url = n.public_url + "/files/" + sid + "/" + stored;
  f.info.hash = base::hash_hex(url);
  got.files.push_back(f);
  return true;
}

Received receive_urls(NodeState& n, const ContentReader& reader, const std::string& dir, const std::string& sid) {
  Received got;
  std::string body;
  bool too_big = false;
  reader([&](const char* d, size_t len) {
    body.append(d, len);
    too_big = static_cast<int64_t>(body.size()) > std::min<int64_t>(n.opt.max_json_bytes, 1 << 20);  // 64 URLs
    return !too_big;
  });
  Json j;
  try {
    if (!too_big)
      j = draft::parse_json(body, "the request body", draft::ParseLimits{body.size(), n.opt.max_json_depth});
  } catch (const draft::DraftError&) {
  }
  if (too_big || !j.is_object() || !j.contains("urls") || !j["urls"].is_array() ||
      static_cast<int>(j["urls"].size()) > n.opt.max_upload_parts) {
    got.bad_request =
        "send multipart field `files`, or JSON {\"urls\": [...], \"source_type\": \"url\"} with at most " +
        std::to_string(n.opt.max_upload_parts) + " URLs";
    return got;
  }
  Http http(HttpTimeouts{10'000, 30, 1, 0});
  http.set_follow_redirects(false);
  for (const auto& u : j["urls"])
    if (u.is_string() && !fetch_url(n, http, u.get<std::string>(), dir, sid, got)) break;
  return got;
}

/// Whether `user` (non-empty) owns session `sid`; when not, answers 1002 and closes the
/// connection: the body is never read.
bool known_session(NodeState& n, const std::string& user, const std::string& sid, Response& res) {
  {
    std::lock_guard lock(n.mutex);
    if (session_locked(n, sid, user)) return true;
  }
  close_unread(res);
  fail(res, 404, 1002, "session not found");
  return false;
}

}  // namespace

void handle_upload(NodeState& n, const Request& req, Response& res, const ContentReader& reader) {
  std::string user = user_of(n, req, res);
  const std::string sid = req.matches[1];
  if (user.empty() || !known_session(n, user, sid, res)) return;
  const std::string dir = n.opt.data_dir + "/files/" + sid;
  try {
    base::ensure_folder(dir, 0700);
  } catch (const std::exception& e) {
    close_unread(res);
    return fail(res, 507, 507, std::string("the node cannot store uploads: ") + e.what());
  }
  Received got =
      req.is_multipart_form_data() ? receive_multipart(n, reader, dir, sid) : receive_urls(n, reader, dir, sid);
  std::error_code ec;
  if (!got.bad_request.empty() || got.code != 0) {
    for (const auto& f : got.files) fs::remove(f.path, ec);
    close_unread(res);  // a refused upload may have left part of its body unread
    if (!got.bad_request.empty()) return fail(res, 400, 400, got.bad_request);
    return fail(res, got.code == kCodeTooLarge ? 413 : got.code == 507 ? 507 : 400, got.code, got.error);
  }
  Json files = Json::array();
  NodeState::Snapshot snapshot;
  {
    std::lock_guard lock(n.mutex);
    NodeSession* ns = session_locked(n, sid, user);
    if (!ns) return fail(res, 404, 1002, "session not found");
    for (const auto& f : got.files) {
      ns->files.push_back(f);
      files.push_back(to_json(f.info));
    }
    snapshot = n.snapshot_locked();
  }
  n.write_snapshot(snapshot);
  ok(res, Json{{"files", files}, {"session_state_applied", true}});
}

void handle_file(NodeState& n, const Request& req, Response& res) {
  std::string url = n.public_url + "/files/" + req.matches[1].str() + "/" + req.matches[2].str();
  std::string path;
  {
    std::lock_guard lock(n.mutex);
    auto it = n.records.sessions.find(req.matches[1]);
    if (it != n.records.sessions.end())
      for (const auto& f : it->second.files)
        if (f.info.cdn_url == url) path = f.path;
  }
  if (path.empty()) return proxy_fail(res, 404, "not found");
  serve_file(req, res, path, "application/octet-stream");
}

}  // namespace reel::cloud::node
