#include "cloud/node/sessions.h"

#include <algorithm>
#include <filesystem>
#include <numeric>

#include "cloud/node/auth.h"
#include "cloud/protocol/wire.h"
#include "draft/model.h"

namespace reel::cloud::node {

namespace fs = std::filesystem;

namespace {

std::string random_session_id() {
  std::string hex = random_hex(32);
  std::string out = "1";
  for (size_t i = 0; out.size() < 19; ++i) out += static_cast<char>('0' + (hex[i % hex.size()] % 10 + i) % 10);
  return out;
}

/// The state's canvas_config: the draft's width, height and aspect ratio ({} without a draft).
Json canvas_config(const Json& draft) {
  if (!draft.is_object()) return Json::object();
  auto loaded = draft::load_draft(draft);
  const auto w = loaded.draft.canvas.width, h = loaded.draft.canvas.height;
  int g = std::gcd(w, h);
  return Json{{"width", w},
              {"height", h},
              {"aspect_ratio", g ? std::to_string(w / g) + ":" + std::to_string(h / g) : std::string()}};
}

}  // namespace

NodeSession* session_locked(NodeState& n, const std::string& sid, const std::string& user) {
  auto it = n.records.sessions.find(sid);
  if (it == n.records.sessions.end() || it->second.user_id != user) return nullptr;
  it->second.used_at = now_ms();
  return &it->second;
}

namespace {

/// Makes room for a new session of `user` within max_sessions_per_user: their least recently
/// used sessions without a waiting or running render are forgotten; their upload folders are
/// added to `folders` (removed by the caller, after the lock). False when no session can go.
bool room_for_session_locked(NodeState& n, const std::string& user, std::vector<std::string>& folders) {
  for (;;) {
    size_t owned = 0;
    std::string oldest;
    int64_t oldest_use = 0;
    for (const auto& [sid, s] : n.records.sessions) {
      if (s.user_id != user) continue;
      ++owned;
      const bool busy = std::any_of(n.records.jobs.begin(), n.records.jobs.end(), [&](const auto& j) {
        return j.second.session_id == sid && (j.second.status == "pending" || j.second.status == "processing");
      });
      if (!busy && (oldest.empty() || s.used_at < oldest_use)) {
        oldest = sid;
        oldest_use = s.used_at;
      }
    }
    if (owned < size_t(std::max(1, n.opt.max_sessions_per_user))) return true;
    if (oldest.empty()) return false;
    n.records.sessions.erase(oldest);
    folders.push_back(n.opt.data_dir + "/files/" + oldest);
  }
}

}  // namespace

void handle_new_session(NodeState& n, const Request& req, Response& res, const ContentReader& reader) {
  std::string user = user_of(n, req, res);
  if (user.empty()) return;
  auto body = json_body(reader, req, res, n.json_limits(64 << 10), false, n.large_body_gate());
  if (!body) return;
  const Json name = body->value("task_name", Json("project"));
  NodeSession ns;
  ns.task_id = "task_" + random_hex(16);
  ns.user_id = user;
  ns.task_name = name.is_string() ? name.get<std::string>().substr(0, 200) : std::string("project");
  NodeState::Snapshot snapshot;
  std::string sid;
  std::vector<std::string> forgotten;
  {
    std::lock_guard lock(n.mutex);
    if (!room_for_session_locked(n, user, forgotten))
      return fail(res, 429, 429,
                  "every one of your " + std::to_string(n.opt.max_sessions_per_user) +
                      " sessions has a render waiting or running, the most one user may keep "
                      "(--max-sessions-per-user); start a new one when a render has finished");
    ns.used_at = now_ms();
    sid = random_session_id();
    while (n.records.sessions.count(sid)) sid = random_session_id();
    n.records.sessions[sid] = ns;
    snapshot = n.snapshot_locked();
  }
  n.write_snapshot(snapshot);
  std::error_code ec;
  for (const std::string& folder : forgotten) fs::remove_all(folder, ec);
  ok(res, Json{{"task_id", ns.task_id}, {"session_id", sid}});
}

void handle_state(NodeState& n, const Request& req, Response& res) {
  std::string user = user_of(n, req, res);
  if (user.empty()) return;
  NodeSession copy;  // the draft is read and measured without the lock
  {
    std::lock_guard lock(n.mutex);
    NodeSession* ns = session_locked(n, req.matches[1], user);
    if (!ns) return fail(res, 404, 1002, "session not found");
    copy = *ns;
  }
  Json infos = Json::array();
  for (const auto& f : copy.files) infos.push_back(to_json(f.info));
  ok(res, Json{{"session_id", std::string(req.matches[1])},
               {"task_id", copy.task_id},
               {"task_name", copy.task_name},
               {"state", Json{{"draft", copy.draft},
                              {"video_infos", infos},
                              {"canvas_config", canvas_config(copy.draft)},
                              {"video_analyses", Json::array()},
                              {"generated_media", Json::array()}}}});
}

}  // namespace reel::cloud::node
