#include "cloud/node/renders.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <regex>

#include "base/files.h"
#include "cloud/client/config.h"
#include "cloud/node/auth.h"
#include "cloud/node/media_policy.h"
#include "cloud/node/sessions.h"
#include "draft/model.h"

namespace reel::cloud::node {
namespace fs = std::filesystem;

namespace {

Json job_json(const NodeState& n, const NodeJob& j) {
  Json d{{"id", j.id}, {"status", j.status}, {"progress", j.progress}, {"createdAt", j.created_at}};
  d["outputUrl"] =
      j.status == "completed" ? Json(n.public_url + "/outputs/" + j.output_key + "/" + j.id + ".mp4") : Json(nullptr);
  d["completedAt"] = j.completed_at ? Json(j.completed_at) : Json(nullptr);
  d["error"] = j.error.empty() ? Json(nullptr) : Json(j.error);
  return d;
}

std::string duplicate(const std::string& id) { return "duplicate id: " + id + " is already in use"; }

/// The submit body's draft, loaded; answers 400 and returns none when the id or the draft is
/// not usable.
std::optional<draft::Draft> submitted_draft(const Json& body, Response& res) {
  static const std::regex id_re("[A-Za-z0-9_.-]{1,100}");
  if (!std::regex_match(body.value("id", std::string()), id_re)) {
    proxy_fail(res, 400, "the render id must be 1-100 letters, digits, _ . -");
    return std::nullopt;
  }
  const Json* d = body.contains("draft") ? &body["draft"] : nullptr;
  if (!d || !d->is_object()) {
    proxy_fail(res, 400, "the request has no draft object");
    return std::nullopt;
  }
  auto loaded = draft::load_draft(*d);
  if (!loaded.draft.exportable()) {
    proxy_fail(res, 400, "the draft has no segments to render");
    return std::nullopt;
  }
  return std::move(loaded.draft);
}

/// Whether every source of `d` is one the node will read for `user`'s session `sid`;
/// else answers (409, 1002, or 400 naming the refused source) and returns false.
bool media_allowed(NodeState& n, const std::string& user, const std::string& sid, const std::string& id,
                   const draft::Draft& d, Response& res) {
  SessionMedia media;
  {
    std::lock_guard lock(n.mutex);
    if (n.records.jobs.count(id)) {
      proxy_fail(res, 409, duplicate(id));
      return false;
    }
    NodeSession* ns = session_locked(n, sid, user);
    if (!ns) {
      fail(res, 404, 1002, "session not found");
      return false;
    }
    media = session_media(*ns);
  }
  for (const auto& t : d.tracks)
    for (const auto& sg : t.segments) {
      std::string why = media_refusal(sg.source, media, n.opt.allow_local_media, true);
      if (!why.empty()) {
        proxy_fail(res, 400, "refused: " + why);
        return false;
      }
    }
  return true;
}

/// Records the job, keeps the draft as received, and queues it. Under `mutex`.
void queue_job_locked(NodeState& n, NodeSession& ns, const std::string& user, const Json& body) {
  const Json& draft = body.at("draft");
  const std::string id = body.value("id", std::string());
  ns.draft = draft;
  NodeJob job;
  job.id = id;
  job.user_id = user;
  job.session_id = body.value("sessionId", std::string());
  job.created_at = now_ms();
  job.draft = draft;
  job.output = body.value("output", Json::object());
  job.output_key = random_hex(24);
  n.records.jobs[id] = job;
  std::error_code ec;
  fs::create_directories(n.opt.data_dir + "/renders", ec);
  try {  // the draft exactly as received, for people (and tests) to compare
    base::write_file_atomically(n.opt.data_dir + "/renders/" + id + ".draft.json", draft.dump(), 0600);
  } catch (const std::exception&) {
  }
  n.queue.push_back(id);
  n.save_locked();
  n.queue_cv.notify_one();
}

/// The job when it exists and belongs to `user`. Under `mutex`.
NodeJob* job_locked(NodeState& n, const std::string& id, const std::string& user) {
  auto it = n.records.jobs.find(id);
  return it == n.records.jobs.end() || it->second.user_id != user ? nullptr : &it->second;
}

// ---- running a job -------------------------------------------------------------------------

/// What a worker needs to render a job, taken under the mutex as the job starts.
struct JobStart {
  Json draft;
  SessionMedia media;
  std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
};

JobStart start_job(NodeState& n, const std::string& id) {
  JobStart s;
  std::lock_guard lock(n.mutex);
  NodeJob& j = n.records.jobs[id];
  j.status = "processing";
  j.progress = 10;
  s.draft = j.draft;
  if (auto it = n.records.sessions.find(j.session_id); it != n.records.sessions.end())
    s.media = session_media(it->second);
  n.running[id] = s.cancel;
  n.save_locked();
  return s;
}

/// Renders the job to `out`; the error text, or empty when it rendered.
std::string render_job(NodeState& n, const std::string& id, const JobStart& s, const std::string& out) {
  try {
    if (!n.opt.render) throw std::runtime_error("this node has no renderer");
    auto loaded = draft::load_draft(s.draft);
    auto resolve = [&](const std::string& ref) {
      return resolve_media(ref, s.media, n.opt.allow_local_media, *n.cache);
    };
    auto progress = [&](int p) {
      std::lock_guard lock(n.mutex);
      n.records.jobs[id].progress = std::clamp(p, 10, 99);
    };
    n.opt.render(loaded.draft, out, resolve, progress, *s.cancel);
    if (s.cancel->load()) throw std::runtime_error("cancelled");
  } catch (const std::exception& e) {
    std::string error = e.what();
    return error.empty() ? "the render failed" : error;
  }
  return {};
}

void finish_job(NodeState& n, const std::string& id, const JobStart& s, const std::string& error,
                const std::string& out) {
  std::lock_guard lock(n.mutex);
  NodeJob& j = n.records.jobs[id];
  j.completed_at = now_ms();
  if (error.empty()) {
    j.status = "completed";
    j.progress = 100;
    j.out_path = out;
  } else if (s.cancel->load() && n.stopping) {
    j.status = "failed";
    j.error = "the render node stopped during this render; submit it again";
  } else if (s.cancel->load()) {
    j.status = "cancelled";
    j.error = "cancelled";
  } else {
    j.status = "failed";
    j.error = error;
  }
  n.running.erase(id);
  n.save_locked();
  n.done_cv.notify_all();
  n.log("render " + id + " " + j.status + (j.error.empty() ? "" : ": " + j.error));
}

void run_job(NodeState& n, const std::string& id) {
  JobStart s = start_job(n, id);
  n.log("render " + id + " started");
  const std::string out = n.opt.data_dir + "/renders/" + id + ".mp4";
  std::string error = render_job(n, id, s, out);
  finish_job(n, id, s, error, out);
}

}  // namespace

void handle_submit(NodeState& n, const Request& req, Response& res, const ContentReader& reader) {
  auto body = json_body(reader, res, n.opt.max_json_bytes, true);
  if (!body) return;
  std::string user = user_of(n, req, res);
  if (user.empty()) return;
  if (!has_attribution(req))
    return proxy_fail(res, 402, "export needs the X-Skill-Source, X-Skill-Version and X-Skill-Platform headers");
  auto loaded = submitted_draft(*body, res);
  if (!loaded) return;
  const std::string id = body->value("id", std::string());
  const std::string sid = body->value("sessionId", std::string());
  if (!media_allowed(n, user, sid, id, *loaded, res)) return;
  std::lock_guard lock(n.mutex);
  if (n.stopping) return proxy_fail(res, 503, "the render node is stopping");
  if (n.records.jobs.count(id)) return proxy_fail(res, 409, duplicate(id));
  if (n.queue.size() >= n.opt.queue_limit) return proxy_fail(res, 503, "the render queue is full; try again later");
  NodeSession* ns = session_locked(n, sid, user);
  if (!ns) return fail(res, 404, 1002, "session not found");
  queue_job_locked(n, *ns, user, *body);
  n.log("render " + id + " queued");
  proxy_ok(res, Json{{"id", id}, {"status", "pending"}, {"progress", 5}});
}

void handle_status(NodeState& n, const Request& req, Response& res) {
  std::string user = user_of(n, req, res);
  if (user.empty()) return;
  std::lock_guard lock(n.mutex);
  NodeJob* j = job_locked(n, req.matches[1], user);
  if (!j) return proxy_fail(res, 404, "render not found");
  proxy_ok(res, job_json(n, *j));
}

void handle_cancel(NodeState& n, const Request& req, Response& res, const ContentReader& reader) {
  if (!read_body(reader, 64 * 1024)) return proxy_fail(res, 413, "request body too large");
  std::string user = user_of(n, req, res);
  if (user.empty()) return;
  std::lock_guard lock(n.mutex);
  NodeJob* j = job_locked(n, req.matches[1], user);
  if (!j) return proxy_fail(res, 404, "render not found");
  if (j->status == "pending") {
    std::erase(n.queue, j->id);
    j->status = "cancelled";
    j->completed_at = now_ms();
    n.save_locked();
  } else if (j->status == "processing") {
    if (auto r = n.running.find(j->id); r != n.running.end()) r->second->store(true);
  }
  proxy_ok(res, job_json(n, *j));
}

void handle_download(NodeState& n, const Request& req, Response& res) {
  std::string user = user_of(n, req, res);
  if (user.empty()) return;
  std::string path;
  {
    std::lock_guard lock(n.mutex);
    NodeJob* j = job_locked(n, req.matches[1], user);
    if (!j) return proxy_fail(res, 404, "render not found");
    if (j->status != "completed") return proxy_fail(res, 409, "the render is " + j->status);
    path = j->out_path;
  }
  serve_file(res, path, "video/mp4");
}

void handle_output(NodeState& n, const Request& req, Response& res) {
  std::string path;
  {
    std::lock_guard lock(n.mutex);
    auto it = n.records.jobs.find(req.matches[2]);
    if (it == n.records.jobs.end() || it->second.output_key != req.matches[1].str() || it->second.status != "completed")
      return proxy_fail(res, 404, "not found");
    path = it->second.out_path;
  }
  serve_file(res, path, "video/mp4");
}

void worker_loop(NodeState& n) {
  for (;;) {
    std::string id;
    {
      std::unique_lock lock(n.mutex);
      n.queue_cv.wait(lock, [&] { return n.stopping || !n.queue.empty(); });
      if (n.stopping) return;
      id = n.queue.front();
      n.queue.pop_front();
    }
    run_job(n, id);
  }
}

void fail_queued_locked(NodeState& n) {
  for (const auto& id : n.queue) {
    NodeJob& j = n.records.jobs[id];
    j.status = "failed";
    j.error = "the render node stopped before this render started; submit it again";
    j.completed_at = now_ms();
  }
  n.queue.clear();
}

void fail_unfinished_locked(NodeRecords& records, const std::string& why) {
  for (auto& [id, j] : records.jobs)
    if (j.status == "pending" || j.status == "processing") {
      j.status = "failed";
      j.error = why;
    }
}

}  // namespace reel::cloud::node
