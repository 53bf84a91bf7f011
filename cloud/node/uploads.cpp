#include "cloud/node/uploads.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "base/files.h"
#include "base/hash.h"
#include "cloud/client/config.h"
#include "cloud/client/http.h"
#include "cloud/client/media_cache.h"
#include "cloud/node/auth.h"
#include "cloud/node/media_policy.h"
#include "cloud/node/multipart.h"
#include "cloud/node/sessions.h"
#include "cloud/protocol/upload_types.h"
#include "cloud/protocol/wire.h"
#include "draft/parse.h"
#include "draft/problem.h"

namespace reel::cloud::node {
namespace fs = std::filesystem;

namespace {

/// The request's parts into `dir`, with the node's limits; the random prefix as for every id.
Received receive_parts(NodeState& n, const ContentReader& reader, const std::string& dir, const std::string& sid) {
  const UploadTarget to{dir, n.public_url + "/files/" + sid, [] { return random_hex(8); }};
  return receive_multipart(reader, UploadLimits{n.opt.max_upload_bytes, n.opt.max_upload_parts}, to);
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
    const DownloadResult r = http.download(url, {}, f.path, n.opt.max_upload_bytes);
    if (!r.redirect.empty()) {  // not followed: it could lead the vetted address elsewhere
      got.bad_request = "cannot fetch " + url_path(url) + ": it redirects (HTTP " + std::to_string(r.status) + ") to " +
                        url_origin(r.redirect) + url_path(r.redirect) +
                        ", and redirects are not followed here: upload that address";
      return false;
    }
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
  Received got = req.is_multipart_form_data() ? receive_parts(n, reader, dir, sid) : receive_urls(n, reader, dir, sid);
  std::error_code ec;
  if (!got.bad_request.empty() || got.code != 0) {
    for (const auto& f : got.files) fs::remove(f.path, ec);  // a URL upload's (a multipart one keeps none)
    close_unread(res);                                       // a refused upload may have left part of its body unread
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
