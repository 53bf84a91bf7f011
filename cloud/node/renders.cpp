#include "cloud/node/renders.h"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include "base/error.h"
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

/// Why the queue takes no job of `user` now (answered with the status), or empty. Under `mutex`.
std::pair<int, std::string> queue_refusal_locked(const NodeState& n, const std::string& user, const std::string& id) {
  if (n.stopping) return {503, "the render node is stopping"};
  if (n.records.jobs.count(id)) return {409, duplicate(id)};
  if (n.queue.size() >= n.opt.queue_limit) return {503, "the render queue is full; try again later"};
  int waiting = 0;
  for (const auto& q : n.queue)
    if (auto it = n.records.jobs.find(q); it != n.records.jobs.end() && it->second.user_id == user) ++waiting;
  if (waiting >= n.opt.max_queued_per_user)
    return {429, "you already have " + std::to_string(waiting) +
                     " renders waiting, the most one user may queue; submit again when one has finished"};
  return {0, {}};
}

std::string draft_path(const NodeState& n, const std::string& id) {
  return n.opt.data_dir + "/renders/" + id + ".draft.json";
}

/// Records the job, with its draft already written to `staged`, and queues it. Under `mutex`.
void queue_job_locked(NodeState& n, NodeSession& ns, const std::string& user, const SubmitRequest& body,
                      const std::string& staged) {
  const std::string& id = body.id;
  if (std::rename(staged.c_str(), draft_path(n, id).c_str()) != 0)
    throw base::FileError(base::Access::Write, draft_path(n, id), errno, "move the draft to");
  // A render of another draft becomes the session's draft, as with the backend; the one it
  // replaces stays in the history (`undo` in chat brings it back).
  if (ns.draft != body.draft_json) {
    ns.history.record(ns.draft.is_null() ? std::string() : ns.draft.dump());
    ns.draft = body.draft_json;
  }
  NodeJob job;
  job.id = id;
  job.user_id = user;
  job.session_id = body.session_id;
  job.created_at = now_ms();
  job.draft = body.draft_json;
  job.output = body.output;
  job.part = body.part;
  job.output_key = random_hex(24);
  n.records.jobs[id] = job;
  n.queue.push_back(id);
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
  PartRequest part;
  std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
  std::string limit_broken;  // set when the JobGuard stopped it
};

JobStart start_job(NodeState& n, const std::string& id) {
  JobStart s;
  NodeState::Snapshot snapshot;
  {
    std::lock_guard lock(n.mutex);
    NodeJob& j = n.records.jobs[id];
    j.status = "processing";
    j.progress = 10;
    s.draft = std::move(j.draft);
    j.draft = nullptr;
    s.part = j.part;
    if (auto it = n.records.sessions.find(j.session_id); it != n.records.sessions.end())
      s.media = session_media(it->second);
    n.running[id] = s.cancel;
    snapshot = n.snapshot_locked();
  }
  n.write_snapshot(snapshot);
  return s;
}

/// The bytes of the render's output so far: its temporary file(s) and the file itself.
int64_t output_bytes(const std::string& out) {
  const fs::path p(out);
  const std::string temp_prefix = "." + p.filename().string();
  int64_t total = 0;
  std::error_code ec;
  for (fs::directory_iterator it(p.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == p.filename().string() || (name.rfind(temp_prefix, 0) == 0 && base::is_temporary_name(name))) {
      std::error_code size_ec;
      auto size = fs::file_size(it->path(), size_ec);
      if (!size_ec) total += static_cast<int64_t>(size);
    }
  }
  return total;
}

/// Watches a running render: past the wall-time or output-size limit it is cancelled, and
/// why() says which limit it broke.
class JobGuard {
 public:
  JobGuard(const NodeOptions& opt, std::string out, std::shared_ptr<std::atomic<bool>> cancel)
      : opt_(opt), out_(std::move(out)), cancel_(std::move(cancel)), thread_([this] { watch(); }) {}
  ~JobGuard() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  std::string why() {
    std::lock_guard lock(mutex_);
    return why_;
  }

 private:
  void watch() {
    const auto deadline = std::chrono::steady_clock::now() + opt_.max_render_time;
    std::unique_lock lock(mutex_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(100), [&] { return done_; })) {
      if (std::chrono::steady_clock::now() > deadline)
        why_ = "the render took longer than this node's limit of " + std::to_string(opt_.max_render_time.count()) +
               " s (reel serve --max-render-s) and was stopped";
      else if (output_bytes(out_) > opt_.max_output_bytes)
        why_ = "the output grew past this node's limit of " + std::to_string(opt_.max_output_bytes >> 20) +
               " MB (reel serve --max-output-mb) and the render was stopped";
      if (!why_.empty()) {
        cancel_->store(true);
        return;
      }
    }
  }
  const NodeOptions& opt_;
  const std::string out_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  std::mutex mutex_;  // guards done_, why_
  std::condition_variable cv_;
  bool done_ = false;
  std::string why_;
  std::thread thread_;
};

/// Renders the job to `out`; the error text, or empty when it rendered.
std::string render_job(NodeState& n, const std::string& id, JobStart& s, const std::string& out) {
  JobGuard guard(n.opt, out, s.cancel);
  std::string error;
  try {
    if (!n.opt.render) throw std::runtime_error("this node has no renderer");
    auto loaded = draft::load_draft(s.draft);
    auto resolve = [&](const std::string& ref) {
      return resolve_media(ref, s.media, n.opt.allow_local_media, *n.cache);
    };
    auto progress = [&](int p) {  // in memory only: node.json is written on changes of state
      std::lock_guard lock(n.mutex);
      n.records.jobs[id].progress = std::clamp(p, 10, 99);
    };
    n.opt.render(loaded.draft, out, resolve, progress, *s.cancel, s.part);
    if (s.cancel->load()) throw std::runtime_error("cancelled");
  } catch (const std::exception& e) {
    error = e.what();
    if (error.empty()) error = "the render failed";
  }
  s.limit_broken = guard.why();
  return s.limit_broken.empty() ? error : s.limit_broken;
}

/// The files of finished jobs beyond keep_finished_jobs, their records dropped. Under `mutex`.
std::vector<std::string> prune_finished_locked(NodeState& n) {
  std::vector<const NodeJob*> finished;
  for (const auto& [id, j] : n.records.jobs)
    if (j.status == "completed" || j.status == "failed" || j.status == "cancelled") finished.push_back(&j);
  std::vector<std::string> files;
  const size_t keep = static_cast<size_t>(std::max(0, n.opt.keep_finished_jobs));
  if (finished.size() <= keep) return files;
  std::sort(finished.begin(), finished.end(),
            [](const NodeJob* a, const NodeJob* b) { return a->completed_at < b->completed_at; });
  std::vector<std::string> ids;
  for (size_t i = 0; i < finished.size() - keep; ++i) ids.push_back(finished[i]->id);
  for (const auto& id : ids) {
    files.push_back(n.opt.data_dir + "/renders/" + id + ".mp4");
    files.push_back(draft_path(n, id));
    n.records.jobs.erase(id);
  }
  return files;
}

void finish_job(NodeState& n, const std::string& id, const JobStart& s, const std::string& error,
                const std::string& out) {
  std::error_code ec;
  if (error.empty())
    fs::permissions(out, fs::perms::owner_read | fs::perms::owner_write, ec);
  else
    fs::remove(out, ec);  // a stopped render leaves nothing half-made
  NodeState::Snapshot snapshot;
  std::vector<std::string> forgotten;
  std::string line;
  {
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
    } else if (s.cancel->load() && s.limit_broken.empty()) {
      j.status = "cancelled";
      j.error = "cancelled";
    } else {
      j.status = "failed";
      j.error = error;
    }
    line = "render " + id + " " + j.status + (j.error.empty() ? "" : ": " + j.error);
    n.running.erase(id);
    forgotten = prune_finished_locked(n);
    snapshot = n.snapshot_locked();
  }
  n.write_snapshot(snapshot);
  for (const auto& f : forgotten) fs::remove(f, ec);
  n.done_cv.notify_all();
  n.log(line);
}

void run_job(NodeState& n, const std::string& id) {
  JobStart s = start_job(n, id);
  n.log("render " + id + " started");
  const std::string out = n.opt.data_dir + "/renders/" + id + ".mp4";
  std::string error = render_job(n, id, s, out);
  finish_job(n, id, s, error, out);
}

/// Writes the submitted draft under a temporary name (renamed when the job is queued); the
/// name, or empty after answering 507.
std::string stage_draft(NodeState& n, const std::string& id, const Json& draft, Response& res) {
  const std::string staged = n.opt.data_dir + "/renders/." + id + "-" + random_hex(8) + ".reel-staged.tmp";
  try {
    base::ensure_folder(n.opt.data_dir + "/renders", 0700);
    base::write_file_atomically(staged, draft.dump(), 0600);
    return staged;
  } catch (const std::exception& e) {
    proxy_fail(res, 507, std::string("the node cannot store the render: ") + e.what());
    return {};
  }
}

}  // namespace

void handle_submit(NodeState& n, const Request& req, Response& res, const ContentReader& reader) {
  std::string user = user_of(n, req, res);
  if (user.empty()) return;
  if (!has_attribution(req)) {
    close_unread(res);
    return proxy_fail(res, 402, "export needs the X-Skill-Source, X-Skill-Version and X-Skill-Platform headers");
  }
  auto body = json_body(reader, req, res, n.json_limits(), true, n.large_body_gate());
  if (!body) return;
  Refusal why;
  auto job = parse_submit(*body, JobLimits{n.opt.max_duration_ms, n.opt.max_pixel_rate}, why);
  if (!job) return proxy_fail(res, why.status, why.message);
  const std::string id = job->id;
  const std::string sid = job->session_id;
  if (!media_allowed(n, user, sid, id, job->draft, res)) return;
  const std::string staged = stage_draft(n, id, job->draft_json, res);
  if (staged.empty()) return;
  std::pair<int, std::string> refused;
  NodeState::Snapshot snapshot;
  try {
    std::lock_guard lock(n.mutex);
    refused = queue_refusal_locked(n, user, id);
    NodeSession* ns = refused.first ? nullptr : session_locked(n, sid, user);
    if (!refused.first && !ns) refused = {404, "session not found"};
    if (!refused.first) {
      queue_job_locked(n, *ns, user, *job, staged);
      snapshot = n.snapshot_locked();
    }
  } catch (const base::FileError& e) {
    refused = {507, std::string("the node cannot store the render: ") + e.what()};
  }
  if (refused.first) {
    std::error_code ec;
    fs::remove(staged, ec);
    return refused.first == 404 ? fail(res, 404, 1002, refused.second) : proxy_fail(res, refused.first, refused.second);
  }
  n.write_snapshot(snapshot);
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
  std::string user = user_of(n, req, res);
  if (user.empty()) return;
  if (!read_body(reader, 64 * 1024)) {
    close_unread(res);
    return proxy_fail(res, 413, "request body too large");
  }
  NodeState::Snapshot snapshot;
  Json answer;
  {
    std::lock_guard lock(n.mutex);
    NodeJob* j = job_locked(n, req.matches[1], user);
    if (!j) return proxy_fail(res, 404, "render not found");
    if (j->status == "pending") {
      std::erase(n.queue, j->id);
      j->status = "cancelled";
      j->completed_at = now_ms();
      j->draft = nullptr;
      snapshot = n.snapshot_locked();
    } else if (j->status == "processing") {
      if (auto r = n.running.find(j->id); r != n.running.end()) r->second->store(true);
    }
    answer = job_json(n, *j);
  }
  if (snapshot.version) n.write_snapshot(snapshot);
  proxy_ok(res, answer);
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
  serve_file(req, res, path, "video/mp4");
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
  serve_file(req, res, path, "video/mp4");
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
