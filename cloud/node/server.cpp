#include "cloud/node/server.h"

#include <httplib.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <numeric>
#include <random>
#include <regex>
#include <thread>
#include <vector>

#include "cloud/client/config.h"
#include "cloud/client/media_cache.h"
#include "cloud/node/media_policy.h"
#include "cloud/node/store.h"
#include "cloud/protocol/sse.h"
#include "cloud/protocol/upload_types.h"
#include "cloud/protocol/wire.h"
#include "draft/agent.h"
#include "draft/make.h"
#include "draft/styles.h"
#include "draft/summary.h"
#include "draft/words.h"

namespace reel::cloud {
namespace fs = std::filesystem;
using namespace std::chrono;

namespace {

int64_t now_s() { return duration_cast<seconds>(system_clock::now().time_since_epoch()).count(); }
int64_t now_ms() { return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count(); }

std::string random_hex(size_t n) {
  std::string out;
  while (out.size() < n) {
    std::string u = make_uuid();
    u.erase(std::remove(u.begin(), u.end(), '-'), u.end());
    out += u;
  }
  return out.substr(0, n);
}

std::string random_session_id() {
  std::string hex = random_hex(32);
  std::string out = "1";
  for (size_t i = 0; out.size() < 19; ++i) out += static_cast<char>('0' + (hex[i % hex.size()] % 10 + i) % 10);
  return out;
}

void reply(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}
void ok(httplib::Response& res, const Json& data) {
  reply(res, 200, Json{{"code", 0}, {"message", "ok"}, {"data", data}});
}
void fail(httplib::Response& res, int status, int code, const std::string& message) {
  reply(res, status, Json{{"code", code}, {"message", message}, {"data", nullptr}});
}
void proxy_ok(httplib::Response& res, const Json& data) { reply(res, 200, Json{{"success", true}, {"data", data}}); }
void proxy_fail(httplib::Response& res, int status, const std::string& error) {
  reply(res, status, Json{{"success", false}, {"data", nullptr}, {"error", error}});
}

std::string safe_name(const std::string& name) {
  std::string base = fs::path(name).filename().string();
  std::string out;
  for (char c : base)
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  if (out.empty() || out[0] == '.') out = "file" + out;
  if (out.size() > 100) out = out.substr(out.size() - 100);
  return out;
}

void serve_file(httplib::Response& res, const std::string& path, const std::string& type) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) {
    proxy_fail(res, 404, "file not found");
    return;
  }
  auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
  res.set_content_provider(static_cast<size_t>(size), type,
                           [in](size_t offset, size_t length, httplib::DataSink& sink) {
                             char buf[64 * 1024];
                             in->clear();
                             in->seekg(static_cast<std::streamoff>(offset));
                             size_t n = std::min(length, sizeof buf);
                             in->read(buf, static_cast<std::streamsize>(n));
                             std::streamsize got = in->gcount();
                             if (got <= 0) return false;
                             return sink.write(buf, static_cast<size_t>(got));
                           });
}

}  // namespace

struct RenderNode::Impl {
  NodeOptions opt;
  httplib::Server server;
  std::thread server_thread;
  std::vector<std::thread> workers;
  std::unique_ptr<MediaCache> cache;
  int bound_port = 0;
  std::string public_url;

  std::mutex mutex;  // guards records, queue, running, stopping, stopped
  std::condition_variable queue_cv, done_cv;
  NodeRecords records;
  std::deque<std::string> queue;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> running;  // id -> cancel flag
  bool stopping = false, stopped = false, started = false;

  explicit Impl(NodeOptions o) : opt(std::move(o)) {}

  void log(const std::string& line) {
    if (opt.log) opt.log(line);
  }

  void save_locked() {
    try {
      write_file_atomic(opt.data_dir + "/node.json", records.to_json().dump() + "\n", 0600);
    } catch (const std::exception& e) {
      log(std::string("cannot save the node's records: ") + e.what());
    }
  }

  /// The user of a request's bearer token; answers 1001 and returns empty when there is none.
  std::string user_of(const httplib::Request& req, httplib::Response& res) {
    std::string auth = req.get_header_value("Authorization");
    std::string token = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : std::string();
    std::lock_guard lock(mutex);
    auto it = records.tokens.find(token);
    if (token.empty() || it == records.tokens.end() || it->second.expires_at <= now_s()) {
      fail(res, 401, 1001, "bad or expired token");
      return {};
    }
    return it->second.user_id;
  }

  static bool has_attribution(const httplib::Request& req) {
    for (const char* h : {"X-Skill-Source", "X-Skill-Version", "X-Skill-Platform"})
      if (req.get_header_value(h).empty()) return false;
    return true;
  }

  /// Reads a request body of at most `cap` bytes; empty when it is longer (then stops reading).
  static std::optional<std::string> read_body(const httplib::ContentReader& reader, int64_t cap) {
    std::string body;
    bool over = false;
    reader([&](const char* d, size_t n) {
      if (static_cast<int64_t>(body.size() + n) > cap) {
        over = true;
        return false;
      }
      body.append(d, n);
      return true;
    });
    if (over) return std::nullopt;
    return body;
  }

  std::optional<Json> json_body(const httplib::ContentReader& reader, httplib::Response& res, bool proxy) {
    auto text = read_body(reader, opt.max_json_bytes);
    if (!text) {
      proxy ? proxy_fail(res, 413, "request body too large") : fail(res, 413, 413, "request body too large");
      return std::nullopt;
    }
    Json j = Json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      proxy ? proxy_fail(res, 400, "the body is not a JSON object")
            : fail(res, 400, 400, "the body is not a JSON object");
      return std::nullopt;
    }
    return j;
  }

  /// The session when it exists and belongs to `user` (else answers 1002). Locked by caller.
  NodeSession* session_locked(const std::string& sid, const std::string& user) {
    auto it = records.sessions.find(sid);
    if (it == records.sessions.end() || it->second.user_id != user) return nullptr;
    return &it->second;
  }

  /// Why the node will not read `ref`, or empty. `own` maps cdn_url -> local path.
  std::string refusal(const std::string& ref, const std::map<std::string, std::string>& own,
                      const std::map<std::string, std::string>& by_name, bool resolve_dns) {
    if (ref.empty()) return {};
    if (own.count(ref)) return {};
    if (is_sandbox_path(ref)) {
      return by_name.count(fs::path(ref).filename().string())
                 ? std::string()
                 : ref + ": no file of that name was uploaded to this session";
    }
    if (is_http_url(ref)) {
      if (opt.allow_local_media || !resolve_dns) return {};
      return check_public_url(ref);
    }
    if (opt.allow_local_media) {
      std::string p = local_path_of(ref, "/");
      if (!fs::path(ref).is_absolute() && url_scheme(ref) != "file")
        return ref + ": a relative path means nothing on the render node; upload the file";
      return p.empty() ? ref + ": unsupported media reference" : std::string();
    }
    return ref +
           ": the render node reads only uploaded media and public http(s) URLs, not files "
           "on its own disk (upload the file first)";
  }

  void build_maps(const NodeSession& s, std::map<std::string, std::string>& own,
                  std::map<std::string, std::string>& by_name) {
    for (const auto& f : s.files) {
      own[f.info.cdn_url] = f.path;
      by_name[f.info.filename] = f.path;
    }
  }

  Json job_json(const NodeJob& j) {
    Json d{{"id", j.id}, {"status", j.status}, {"progress", j.progress}, {"createdAt", j.created_at}};
    d["outputUrl"] =
        j.status == "completed" ? Json(public_url + "/outputs/" + j.output_key + "/" + j.id + ".mp4") : Json(nullptr);
    d["completedAt"] = j.completed_at ? Json(j.completed_at) : Json(nullptr);
    d["error"] = j.error.empty() ? Json(nullptr) : Json(j.error);
    return d;
  }

  /// One turn of the node's agent on a session (under `mutex`).
  struct AgentOutcome {
    bool changed = false, made = false, no_text = false;
    std::string reply, summary;
  };
  AgentOutcome agent_turn(const std::string& sid, NodeSession& ns, const std::string& message);
  std::vector<std::string> agent_events(const AgentOutcome& turn, const std::string& message);
  std::mt19937 rng{std::random_device{}()};  // guarded by mutex
  double coin() { return std::uniform_real_distribution<double>(0, 1)(rng); }

  void routes();
  void worker();
  void run_job(const std::string& id);
};

void RenderNode::Impl::routes() {
  auto& s = server;

  s.Post("/api/auth/anonymous-token",
         [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
           if (!read_body(reader, 64 * 1024)) return fail(res, 413, 413, "request body too large");
           std::string cid = req.get_header_value("X-Client-Id");
           if (cid.empty() || cid.size() > 100) return fail(res, 400, 400, "the X-Client-Id header is required");
           std::lock_guard lock(mutex);
           const int64_t now = now_s();
           for (const auto& [tok, t] : records.tokens)
             if (t.client_id == cid && t.expires_at - now > 24 * 3600)
               return ok(res, Json{{"token", tok},
                                   {"user_id", t.user_id},
                                   {"expires_at", format_iso8601(t.expires_at)},
                                   {"credits", t.credits}});
           auto& issues = records.token_issues[cid];
           std::erase_if(issues, [&](int64_t t) { return t < now - 7 * 24 * 3600; });
           if (static_cast<int>(issues.size()) >= opt.tokens_per_client)
             return fail(res, 429, 429, "rate limited: too many anonymous tokens for this client; try again later");
           issues.push_back(now);
           std::string token = "nmv_usr_" + random_hex(32);
           NodeToken t{"anon_" + random_hex(12), cid, now + opt.token_lifetime.count(), 100};
           records.tokens[token] = t;
           save_locked();
           ok(res, Json{{"token", token},
                        {"user_id", t.user_id},
                        {"expires_at", format_iso8601(t.expires_at)},
                        {"credits", t.credits}});
         });

  s.Post("/api/tasks/me/with-session/nemo_agent",
         [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
           auto body = json_body(reader, res, false);  // read first: an unread body would spoil the connection
           if (!body) return;
           std::string user = user_of(req, res);
           if (user.empty()) return;
           std::lock_guard lock(mutex);
           std::string sid = random_session_id();
           while (records.sessions.count(sid)) sid = random_session_id();
           NodeSession ns;
           ns.task_id = "task_" + random_hex(16);
           ns.user_id = user;
           ns.task_name = body->value("task_name", std::string("project"));
           records.sessions[sid] = ns;
           save_locked();
           ok(res, Json{{"task_id", ns.task_id}, {"session_id", sid}});
         });

  s.Get("/api/credits/balance/simple", [this](const httplib::Request& req, httplib::Response& res) {
    std::string user = user_of(req, res);
    if (user.empty()) return;
    std::lock_guard lock(mutex);
    double credits = 0;
    for (const auto& [tok, t] : records.tokens)
      if (t.user_id == user) credits = t.credits;
    ok(res, Json{{"available", credits}, {"frozen", 0}, {"total", credits}});
  });

  s.Get(R"(/api/state/nemo_agent/me/(\d+)/latest)", [this](const httplib::Request& req, httplib::Response& res) {
    std::string user = user_of(req, res);
    if (user.empty()) return;
    std::lock_guard lock(mutex);
    NodeSession* ns = session_locked(req.matches[1], user);
    if (!ns) return fail(res, 404, 1002, "session not found");
    Json infos = Json::array();
    for (const auto& f : ns->files) infos.push_back(to_json(f.info));
    Json canvas = Json::object();
    if (ns->draft.is_object()) {
      auto loaded = draft::load_draft(ns->draft);
      int g = std::gcd(loaded.draft.canvas.width, loaded.draft.canvas.height);
      canvas = Json{{"width", loaded.draft.canvas.width},
                    {"height", loaded.draft.canvas.height},
                    {"aspect_ratio", g ? std::to_string(loaded.draft.canvas.width / g) + ":" +
                                             std::to_string(loaded.draft.canvas.height / g)
                                       : std::string()}};
    }
    ok(res, Json{{"session_id", std::string(req.matches[1])},
                 {"task_id", ns->task_id},
                 {"task_name", ns->task_name},
                 {"state", Json{{"draft", ns->draft},
                                {"video_infos", infos},
                                {"canvas_config", canvas},
                                {"video_analyses", Json::array()},
                                {"generated_media", Json::array()}}}});
  });

  s.Post(R"(/api/upload-video/nemo_agent/me/(\d+))", [this](const httplib::Request& req, httplib::Response& res,
                                                            const httplib::ContentReader& reader) {
    std::string user = user_of(req, res);
    const std::string sid = req.matches[1];
    bool known = false;
    if (!user.empty()) {
      std::lock_guard lock(mutex);
      known = session_locked(sid, user) != nullptr;
    }
    if (!known) {  // drain the body (capped by the payload limit) so the connection stays sane
      if (req.is_multipart_form_data())
        reader([](const httplib::MultipartFormData&) { return true; }, [](const char*, size_t) { return true; });
      else
        reader([](const char*, size_t) { return true; });
      if (!user.empty()) fail(res, 404, 1002, "session not found");
      return;
    }
    const std::string dir = opt.data_dir + "/files/" + sid;
    std::error_code ec;
    fs::create_directories(dir, ec);
    std::vector<NodeFile> done;
    int code = 0;
    std::string error;
    if (req.is_multipart_form_data()) {
      struct Current {
        std::ofstream out;
        NodeFile file;
        int64_t size = 0;
        uint64_t hash = 1469598103934665603ull;
        bool active = false, skip = false;
      } cur;
      auto finish = [&] {
        if (!cur.active) return;
        cur.out.close();
        if (!cur.skip) {
          char h[17];
          std::snprintf(h, sizeof h, "%016llx", static_cast<unsigned long long>(cur.hash));
          cur.file.info.hash = h;
          done.push_back(cur.file);
        }
        cur = Current{};
      };
      bool read_ok = reader(
          [&](const httplib::MultipartFormData& f) {
            finish();
            cur.active = true;
            if (f.name != "files") {
              cur.skip = true;
              return true;
            }
            if (!accepted_upload_type(f.filename)) {
              code = kCodeUnsupportedType;
              error =
                  "unsupported file type: " + safe_name(f.filename) + "; accepted formats: " + accepted_formats_text();
              cur.skip = true;
              return false;
            }
            std::string stored = random_hex(8) + "-" + safe_name(f.filename);
            cur.file.path = dir + "/" + stored;
            cur.file.info.filename = fs::path(f.filename).filename().string();
            cur.file.info.file_type = to_string(upload_type_of(f.filename)->kind);
            cur.file.info.cdn_url = public_url + "/files/" + sid + "/" + stored;
            cur.out.open(cur.file.path, std::ios::binary);
            return static_cast<bool>(cur.out);
          },
          [&](const char* data, size_t len) {
            if (cur.skip) return true;
            cur.size += static_cast<int64_t>(len);
            if (cur.size > opt.max_upload_bytes) {
              code = kCodeTooLarge;
              error = "file too large: the limit is " + std::to_string(opt.max_upload_bytes >> 20) + " MB";
              cur.skip = true;
              return false;
            }
            for (size_t i = 0; i < len; ++i) {
              cur.hash ^= static_cast<unsigned char>(data[i]);
              cur.hash *= 1099511628211ull;
            }
            cur.out.write(data, static_cast<std::streamsize>(len));
            return static_cast<bool>(cur.out);
          });
      if (cur.skip && cur.active && !cur.file.path.empty()) {
        cur.out.close();
        fs::remove(cur.file.path, ec);
      }
      finish();
      if (!read_ok && code == 0) {
        code = 400;
        error = "the upload was cut short";
      }
    } else {
      std::string body;
      bool too_big = false;
      reader([&](const char* d, size_t n) {
        body.append(d, n);
        too_big = static_cast<int64_t>(body.size()) > opt.max_json_bytes;
        return !too_big;
      });
      Json j = Json::parse(body, nullptr, false);
      if (too_big || !j.is_object() || !j.contains("urls") || !j["urls"].is_array())
        return fail(res, 400, 400, "send multipart field `files`, or JSON {\"urls\": [...], \"source_type\": \"url\"}");
      Http http(HttpTimeouts{10'000, 30, 1, 0});
      http.set_follow_redirects(false);
      for (const auto& u : j["urls"]) {
        if (!u.is_string()) continue;
        std::string url = u.get<std::string>();
        std::vector<std::string> pins;
        std::string why = opt.allow_local_media ? std::string() : check_public_url(url, &pins);
        http.set_resolve(pins);
        if (why.empty() && !is_http_url(url)) why = url + ": only http(s) URLs";
        if (!why.empty()) return fail(res, 400, 400, why);
        std::string name = fs::path(url_path(url)).filename().string();
        if (!accepted_upload_type(name)) {
          code = kCodeUnsupportedType;
          error = "unsupported file type: " + safe_name(name) + "; accepted formats: " + accepted_formats_text();
          break;
        }
        std::string stored = random_hex(8) + "-" + safe_name(name);
        NodeFile f;
        f.path = dir + "/" + stored;
        try {
          http.download(url, {}, f.path, opt.max_upload_bytes);
        } catch (const CloudError& e) {
          if (e.kind() == ErrorKind::TooLarge) {
            code = kCodeTooLarge;
            error = "file too large: the limit is " + std::to_string(opt.max_upload_bytes >> 20) + " MB";
            break;
          }
          return fail(res, 400, 400, std::string("cannot fetch ") + url_path(url) + ": " + e.what());
        }
        f.info.filename = name;
        f.info.file_type = to_string(upload_type_of(name)->kind);
        f.info.cdn_url = public_url + "/files/" + sid + "/" + stored;
        f.info.hash = short_hash(url);
        done.push_back(f);
      }
    }
    if (code != 0) {
      for (const auto& f : done) fs::remove(f.path, ec);
      return fail(res, code == kCodeTooLarge ? 413 : 400, code, error);
    }
    Json files = Json::array();
    {
      std::lock_guard lock(mutex);
      NodeSession* ns = session_locked(sid, user);
      if (!ns) return fail(res, 404, 1002, "session not found");
      for (const auto& f : done) {
        ns->files.push_back(f);
        files.push_back(to_json(f.info));
      }
      save_locked();
    }
    ok(res, Json{{"files", files}, {"session_state_applied", true}});
  });

  s.Post("/api/render/proxy/lambda", [this](const httplib::Request& req, httplib::Response& res,
                                            const httplib::ContentReader& reader) {
    auto body = json_body(reader, res, true);
    if (!body) return;
    std::string user = user_of(req, res);
    if (user.empty()) return;
    if (!has_attribution(req))
      return proxy_fail(res, 402, "export needs the X-Skill-Source, X-Skill-Version and X-Skill-Platform headers");
    std::string id = body->value("id", std::string());
    static const std::regex id_re("[A-Za-z0-9_.-]{1,100}");
    if (!std::regex_match(id, id_re)) return proxy_fail(res, 400, "the render id must be 1-100 letters, digits, _ . -");
    const Json* d = body->contains("draft") ? &(*body)["draft"] : nullptr;
    if (!d || !d->is_object()) return proxy_fail(res, 400, "the request has no draft object");
    auto loaded = draft::load_draft(*d);
    if (!loaded.draft.exportable()) return proxy_fail(res, 400, "the draft has no segments to render");
    std::string sid = body->value("sessionId", std::string());
    std::map<std::string, std::string> own, by_name;
    {
      std::lock_guard lock(mutex);
      if (records.jobs.count(id)) return proxy_fail(res, 409, "duplicate id: " + id + " is already in use");
      NodeSession* ns = session_locked(sid, user);
      if (!ns) return fail(res, 404, 1002, "session not found");
      build_maps(*ns, own, by_name);
    }
    for (const auto& t : loaded.draft.tracks)
      for (const auto& sg : t.segments) {
        std::string why = refusal(sg.source, own, by_name, true);
        if (!why.empty()) return proxy_fail(res, 400, "refused: " + why);
      }
    std::lock_guard lock(mutex);
    if (stopping) return proxy_fail(res, 503, "the render node is stopping");
    if (records.jobs.count(id)) return proxy_fail(res, 409, "duplicate id: " + id + " is already in use");
    if (queue.size() >= opt.queue_limit) return proxy_fail(res, 503, "the render queue is full; try again later");
    NodeSession* ns = session_locked(sid, user);
    if (!ns) return fail(res, 404, 1002, "session not found");
    ns->draft = *d;
    NodeJob job;
    job.id = id;
    job.user_id = user;
    job.session_id = sid;
    job.created_at = now_ms();
    job.draft = *d;
    job.output = body->value("output", Json::object());
    job.output_key = random_hex(24);
    records.jobs[id] = job;
    std::error_code ec;
    fs::create_directories(opt.data_dir + "/renders", ec);
    try {  // the draft exactly as received, for people (and tests) to compare
      write_file_atomic(opt.data_dir + "/renders/" + id + ".draft.json", d->dump(), 0600);
    } catch (const std::exception&) {
    }
    queue.push_back(id);
    save_locked();
    queue_cv.notify_one();
    log("render " + id + " queued");
    proxy_ok(res, Json{{"id", id}, {"status", "pending"}, {"progress", 5}});
  });

  s.Get(R"(/api/render/proxy/lambda/([A-Za-z0-9_.-]+))", [this](const httplib::Request& req, httplib::Response& res) {
    std::string user = user_of(req, res);
    if (user.empty()) return;
    std::lock_guard lock(mutex);
    auto it = records.jobs.find(req.matches[1]);
    if (it == records.jobs.end() || it->second.user_id != user) return proxy_fail(res, 404, "render not found");
    proxy_ok(res, job_json(it->second));
  });

  s.Post(R"(/api/render/proxy/lambda/([A-Za-z0-9_.-]+)/cancel)",
         [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
           if (!read_body(reader, 64 * 1024)) return proxy_fail(res, 413, "request body too large");
           std::string user = user_of(req, res);
           if (user.empty()) return;
           std::lock_guard lock(mutex);
           auto it = records.jobs.find(req.matches[1]);
           if (it == records.jobs.end() || it->second.user_id != user) return proxy_fail(res, 404, "render not found");
           NodeJob& j = it->second;
           if (j.status == "pending") {
             std::erase(queue, j.id);
             j.status = "cancelled";
             j.completed_at = now_ms();
             save_locked();
           } else if (j.status == "processing") {
             if (auto r = running.find(j.id); r != running.end()) r->second->store(true);
           }
           proxy_ok(res, job_json(j));
         });

  s.Get(R"(/api/render/proxy/([A-Za-z0-9_.-]+)/download)", [this](const httplib::Request& req, httplib::Response& res) {
    std::string user = user_of(req, res);
    if (user.empty()) return;
    std::string path;
    {
      std::lock_guard lock(mutex);
      auto it = records.jobs.find(req.matches[1]);
      if (it == records.jobs.end() || it->second.user_id != user) return proxy_fail(res, 404, "render not found");
      if (it->second.status != "completed") return proxy_fail(res, 409, "the render is " + it->second.status);
      path = it->second.out_path;
    }
    serve_file(res, path, "video/mp4");
  });

  s.Get(R"(/outputs/([0-9a-f]+)/([A-Za-z0-9_.-]+)\.mp4)", [this](const httplib::Request& req, httplib::Response& res) {
    std::string path;
    {
      std::lock_guard lock(mutex);
      auto it = records.jobs.find(req.matches[2]);
      if (it == records.jobs.end() || it->second.output_key != req.matches[1].str() || it->second.status != "completed")
        return proxy_fail(res, 404, "not found");
      path = it->second.out_path;
    }
    serve_file(res, path, "video/mp4");
  });

  s.Get(R"(/files/(\d+)/([A-Za-z0-9._-]+))", [this](const httplib::Request& req, httplib::Response& res) {
    std::string url = public_url + "/files/" + req.matches[1].str() + "/" + req.matches[2].str();
    std::string path;
    {
      std::lock_guard lock(mutex);
      auto it = records.sessions.find(req.matches[1]);
      if (it != records.sessions.end())
        for (const auto& f : it->second.files)
          if (f.info.cdn_url == url) path = f.path;
    }
    if (path.empty()) return proxy_fail(res, 404, "not found");
    serve_file(res, path, "application/octet-stream");
  });

  s.Post("/run_sse", [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
    auto body = json_body(reader, res, false);
    if (!body) return;
    std::string user = user_of(req, res);
    if (user.empty()) return;
    std::string sid = body->value("session_id", std::string());
    std::string message;
    if (auto m = body->find("new_message"); m != body->end() && m->is_object())
      if (auto parts = m->find("parts"); parts != m->end() && parts->is_array())
        for (const auto& p : *parts)
          if (p.is_object() && p.contains("text") && p["text"].is_string()) message += p["text"].get<std::string>();
    if (message.empty()) return fail(res, 400, 400, "new_message.parts[].text is required");
    AgentOutcome turn;
    {
      std::lock_guard lock(mutex);
      NodeSession* ns = session_locked(sid, user);
      if (!ns) return fail(res, 404, 1002, "session not found");
      turn = agent_turn(sid, *ns, message);
      if (turn.changed) save_locked();
    }
    log("agent turn in session " + sid + (turn.changed ? ": the draft changed" : ": no change"));
    auto events = std::make_shared<std::vector<std::string>>(agent_events(turn, message));
    res.set_header("Cache-Control", "no-cache");
    const int pause = std::max(0, opt.agent_pause_ms);
    res.set_chunked_content_provider("text/event-stream",
                                     [events, pause, i = size_t{0}](size_t, httplib::DataSink& sink) mutable {
                                       if (i < events->size()) {
                                         if (i > 0 && pause > 0) std::this_thread::sleep_for(milliseconds(pause));
                                         const std::string& e = (*events)[i++];
                                         return sink.write(e.data(), e.size());
                                       }
                                       sink.done();
                                       return true;
                                     });
  });
}

/// The node's agent: the local editing agent (draft/agent.h) applied to the session's draft.
/// A session with uploads and no draft yet first gets one made from its photos and clips, in
/// the style the words ask for. Locked by the caller.
RenderNode::Impl::AgentOutcome RenderNode::Impl::agent_turn(const std::string& sid, NodeSession& ns,
                                                            const std::string& message) {
  AgentOutcome out;
  draft::Draft d = draft::load_draft(ns.draft.is_object() ? ns.draft : Json::object()).draft;
  std::vector<std::string> named;  // uploaded files the words name (music to add, ...)
  const std::string lower_message = draft::lower_ascii(message);
  const draft::Style style = draft::style_in_words(lower_message).value_or(draft::Style::Slideshow);
  for (const auto& f : ns.files) {
    std::string name = draft::lower_ascii(f.info.filename);
    // By sandbox path: the draft then names the file as the person did ("song", not the
    // stored "<random>-song"), and the node and clients resolve it through the uploads.
    if (!name.empty() && lower_message.find(name) != std::string::npos)
      named.push_back("/mnt/userdata/" + sid + "/" + f.info.filename);
  }
  if (!d.exportable()) {
    draft::MakeRequest mr;
    mr.style = style;
    for (const auto& f : ns.files) {
      if (f.info.file_type == "audio") continue;
      draft::MediaItem m;
      m.reference = f.info.cdn_url;
      m.width = f.info.width;
      m.height = f.info.height;
      m.is_clip = f.info.file_type == "video";
      m.clip_ms = static_cast<int64_t>(f.info.duration * 1000);
      mr.media.push_back(m);
    }
    if (!mr.media.empty()) {
      try {
        d = draft::load_draft(draft::make_draft(mr)).draft;
        out.made = true;
      } catch (const std::exception& e) {
        log(std::string("agent: cannot make a draft from the uploads: ") + e.what());
      }
    }
  }
  draft::AgentReply reply = draft::apply_instruction(d, message, named);
  out.changed = out.made || reply.changed;
  if (out.made) {
    out.reply =
        std::string("Made a ") + draft::style_spec(style).label + " from the session's uploaded photos and clips.";
    if (reply.understood) out.reply += " " + reply.message;
    if (!reply.changed) out.reply += " " + draft::timeline_summary(d);
  } else {
    out.reply = reply.message;
  }
  if (out.reply.empty()) out.reply = draft::agent_capabilities(message);
  if (out.changed) ns.draft = d.json;
  out.summary = draft::timeline_summary(d);
  out.no_text = out.changed && (opt.no_text_turns == NoTextTurns::Always ||
                                (opt.no_text_turns == NoTextTurns::Random && coin() < opt.no_text_share));
  return out;
}

std::vector<std::string> RenderNode::Impl::agent_events(const AgentOutcome& turn, const std::string& message) {
  const std::string inv = "e-" + make_uuid();
  auto adk = [&](Json parts, bool partial) {
    return sse_format(Json{{"content", {{"role", "model"}, {"parts", std::move(parts)}}},
                           {"author", "nemo_agent"},
                           {"partial", partial},
                           {"id", make_uuid()},
                           {"invocationId", inv},
                           {"timestamp", static_cast<double>(now_ms()) / 1000.0}});
  };
  std::vector<std::string> ev;
  ev.push_back(sse_format(Json{{"type", "heartbeat"}}));
  if (turn.changed) {
    std::string call_id = "call_" + random_hex(12);
    ev.push_back(
        adk(Json::array({Json{{"functionCall",
                               {{"id", call_id}, {"name", "edit_multitrack"}, {"args", {{"instruction", message}}}}}}}),
            false));
    ev.push_back(sse_format(Json{{"type", "heartbeat"}}));
    ev.push_back(adk(Json::array({Json{
                         {"functionResponse",
                          {{"id", call_id}, {"name", "edit_multitrack"}, {"response", {{"summary", turn.summary}}}}}}}),
                     false));
  }
  if (!turn.no_text) {
    // The reply in a few partial chunks (split at spaces, never inside a UTF-8 character),
    // then the whole text once more as the final event, as ADK streams it.
    const std::string& text = turn.reply;
    const size_t pieces = 3, step = std::max<size_t>(1, text.size() / pieces);
    size_t at = 0;
    while (at < text.size()) {
      size_t cut = std::min(text.size(), at + step);
      while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;  // whole characters
      if (size_t space = text.find(' ', cut); cut < text.size() && space != std::string::npos && space - cut < step)
        cut = space + 1;  // and whole words where there are spaces
      ev.push_back(adk(Json::array({Json{{"text", text.substr(at, cut - at)}}}), true));
      at = cut;
    }
    ev.push_back(adk(Json::array({Json{{"text", text}}}), false));
  }
  ev.push_back(sse_format(Json{{"type", "heartbeat"}}));
  return ev;
}

void RenderNode::Impl::worker() {
  for (;;) {
    std::string id;
    {
      std::unique_lock lock(mutex);
      queue_cv.wait(lock, [&] { return stopping || !queue.empty(); });
      if (stopping) return;
      id = queue.front();
      queue.pop_front();
    }
    run_job(id);
  }
}

void RenderNode::Impl::run_job(const std::string& id) {
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  Json draft_json;
  std::map<std::string, std::string> own, by_name;
  {
    std::lock_guard lock(mutex);
    NodeJob& j = records.jobs[id];
    j.status = "processing";
    j.progress = 10;
    draft_json = j.draft;
    if (auto s = records.sessions.find(j.session_id); s != records.sessions.end()) build_maps(s->second, own, by_name);
    running[id] = cancel;
    save_locked();
  }
  log("render " + id + " started");
  const std::string out = opt.data_dir + "/renders/" + id + ".mp4";
  std::string error;
  try {
    if (!opt.render) throw std::runtime_error("this node has no renderer");
    auto loaded = draft::load_draft(draft_json);
    auto resolve = [&](const std::string& ref) -> std::string {
      std::string why = refusal(ref, own, by_name, true);
      if (!why.empty()) throw std::runtime_error("refused: " + why);
      if (auto it = own.find(ref); it != own.end()) return it->second;
      if (is_sandbox_path(ref)) return by_name.at(fs::path(ref).filename().string());
      if (is_http_url(ref)) return cache->fetch(ref);
      return local_path_of(ref, "/");
    };
    auto progress = [&](int p) {
      std::lock_guard lock(mutex);
      records.jobs[id].progress = std::clamp(p, 10, 99);
    };
    opt.render(loaded.draft, out, resolve, progress, *cancel);
    if (cancel->load()) throw std::runtime_error("cancelled");
  } catch (const std::exception& e) {
    error = e.what();
    if (error.empty()) error = "the render failed";
  }
  std::lock_guard lock(mutex);
  NodeJob& j = records.jobs[id];
  j.completed_at = now_ms();
  if (error.empty()) {
    j.status = "completed";
    j.progress = 100;
    j.out_path = out;
  } else if (cancel->load() && stopping) {
    j.status = "failed";
    j.error = "the render node stopped during this render; submit it again";
  } else if (cancel->load()) {
    j.status = "cancelled";
    j.error = "cancelled";
  } else {
    j.status = "failed";
    j.error = error;
  }
  running.erase(id);
  save_locked();
  done_cv.notify_all();
  log("render " + id + " " + j.status + (j.error.empty() ? "" : ": " + j.error));
}

RenderNode::RenderNode(NodeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

RenderNode::~RenderNode() { stop(); }

int RenderNode::start() {
  Impl& m = *impl_;
  if (m.opt.data_dir.empty()) throw std::runtime_error("the render node needs a data folder (--data DIR)");
  std::error_code ec;
  fs::create_directories(m.opt.data_dir, ec);
  if (ec) throw std::runtime_error("cannot create " + m.opt.data_dir + ": " + ec.message());
  if (auto text = read_file(m.opt.data_dir + "/node.json")) {
    m.records = NodeRecords::from_json(Json::parse(*text, nullptr, false));
    for (auto& [id, j] : m.records.jobs)
      if (j.status == "pending" || j.status == "processing") {
        j.status = "failed";
        j.error = "the render node restarted before this render finished; submit it again";
      }
  }
  MediaCacheOptions mc;
  mc.dir = m.opt.data_dir + "/cache";
  mc.max_file_bytes = m.opt.max_upload_bytes;
  mc.follow_redirects = false;  // a redirect could lead a vetted public URL to a private address
  if (!m.opt.allow_local_media)
    mc.vet = [](const std::string& url) {
      std::vector<std::string> pins;
      std::string why = check_public_url(url, &pins);
      if (!why.empty()) throw CloudError(ErrorKind::Refused, why);
      return pins;
    };
  m.cache = std::make_unique<MediaCache>(mc);

  const int threads = std::max(2, m.opt.http_threads);
  m.server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  m.server.set_read_timeout(m.opt.read_timeout_s, 0);
  m.server.set_write_timeout(m.opt.write_timeout_s, 0);
  m.server.set_keep_alive_timeout(5);
  m.server.set_payload_max_length(static_cast<size_t>(m.opt.max_upload_bytes + (1 << 20)));
  m.server.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    impl_->log(req.method + " " + req.path + " " + std::to_string(res.status));
  });
  m.server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    reply(res, 500, Json{{"code", 500}, {"message", what}, {"success", false}, {"error", what}});
  });
  m.routes();
  int port = m.opt.port == 0 ? m.server.bind_to_any_port(m.opt.host)
                             : (m.server.bind_to_port(m.opt.host, m.opt.port) ? m.opt.port : -1);
  if (port <= 0) throw std::runtime_error("cannot listen on " + m.opt.host + ":" + std::to_string(m.opt.port));
  m.bound_port = port;
  std::string host = m.opt.host.find(':') != std::string::npos ? "[" + m.opt.host + "]" : m.opt.host;
  m.public_url = m.opt.public_url.empty() ? "http://" + host + ":" + std::to_string(port) : m.opt.public_url;
  while (!m.public_url.empty() && m.public_url.back() == '/') m.public_url.pop_back();
  for (int i = 0; i < std::max(1, m.opt.workers); ++i) m.workers.emplace_back([this] { impl_->worker(); });
  m.server_thread = std::thread([this] { impl_->server.listen_after_bind(); });
  while (!m.server.is_running()) std::this_thread::sleep_for(milliseconds(1));
  {
    std::lock_guard lock(m.mutex);
    m.started = true;
  }
  m.log("render node listening on " + m.public_url);
  return port;
}

void RenderNode::stop(milliseconds grace) {
  Impl& m = *impl_;
  {
    std::unique_lock lock(m.mutex);
    if (!m.started || m.stopping) {
      if (m.started) m.done_cv.wait(lock, [&] { return m.stopped; });
      return;
    }
    m.stopping = true;
    for (const auto& id : m.queue) {
      NodeJob& j = m.records.jobs[id];
      j.status = "failed";
      j.error = "the render node stopped before this render started; submit it again";
      j.completed_at = now_ms();
    }
    m.queue.clear();
    m.save_locked();
    m.done_cv.wait_for(lock, grace, [&] { return m.running.empty(); });
    for (auto& [id, flag] : m.running) flag->store(true);
  }
  m.queue_cv.notify_all();
  for (auto& w : m.workers) w.join();
  m.workers.clear();
  {
    std::lock_guard lock(m.mutex);
    for (auto& [id, j] : m.records.jobs)
      if (j.status == "processing" || j.status == "pending") {
        j.status = "failed";
        j.error = "the render node stopped during this render; submit it again";
      }
    m.save_locked();
  }
  m.server.stop();
  if (m.server_thread.joinable()) m.server_thread.join();
  {
    std::lock_guard lock(m.mutex);
    m.stopped = true;
  }
  m.done_cv.notify_all();
  m.log("render node stopped");
}

void RenderNode::wait() {
  Impl& m = *impl_;
  std::unique_lock lock(m.mutex);
  m.done_cv.wait(lock, [&] { return m.stopped; });
}

std::string RenderNode::base_url() const { return impl_->public_url; }
int RenderNode::port() const { return impl_->bound_port; }

}  // namespace reel::cloud
