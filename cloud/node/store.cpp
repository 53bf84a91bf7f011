#include "cloud/node/store.h"

#include <filesystem>

#include "base/files.h"
#include "draft/parse.h"

namespace reel::cloud {

Json NodeRecords::to_json() const {
  Json j = Json::object();
  Json& t = j["tokens"] = Json::object();
  for (const auto& [tok, r] : tokens)
    t[tok] =
        Json{{"user_id", r.user_id}, {"client_id", r.client_id}, {"expires_at", r.expires_at}, {"credits", r.credits}};
  Json& ti = j["token_issues"] = Json::object();
  for (const auto& [cid, times] : token_issues) ti[cid] = times;
  Json& s = j["sessions"] = Json::object();
  for (const auto& [sid, r] : sessions) {
    Json files = Json::array();
    for (const auto& f : r.files) {
      Json fj = cloud::to_json(f.info);
      fj["path"] = f.path;
      files.push_back(fj);
    }
    s[sid] = Json{{"task_id", r.task_id}, {"user_id", r.user_id}, {"task_name", r.task_name},
                  {"draft", r.draft},     {"files", files},       {"used_at", r.used_at}};
    if (!r.history.undo.empty() || !r.history.redo.empty()) s[sid]["history"] = r.history.to_json();
  }
  Json& jb = j["jobs"] = Json::object();
  for (const auto& [id, r] : jobs)
    jb[id] = Json{{"user_id", r.user_id},
                  {"session_id", r.session_id},
                  {"status", r.status},
                  {"progress", r.progress},
                  {"error", r.error},
                  {"out_path", r.out_path},
                  {"output_key", r.output_key},
                  {"created_at", r.created_at},
                  {"completed_at", r.completed_at},
                  {"output", r.output},
                  {"part", cloud::to_json(r.part)}};
  j["next_user"] = next_user;
  return j;
}

NodeRecords NodeRecords::from_json(const Json& j) {
  NodeRecords r;
  if (!j.is_object()) return r;
  r.next_user = j.value("next_user", int64_t{1});
  if (auto t = j.find("tokens"); t != j.end() && t->is_object())
    for (const auto& [tok, v] : t->items())
      r.tokens[tok] = NodeToken{v.value("user_id", std::string()), v.value("client_id", std::string()),
                                v.value("expires_at", int64_t{0}), v.value("credits", 100.0)};
  if (auto t = j.find("token_issues"); t != j.end() && t->is_object())
    for (const auto& [cid, v] : t->items())
      if (v.is_array()) r.token_issues[cid] = v.get<std::vector<int64_t>>();
  if (auto s = j.find("sessions"); s != j.end() && s->is_object())
    for (const auto& [sid, v] : s->items()) {
      NodeSession ns;
      ns.task_id = v.value("task_id", std::string());
      ns.user_id = v.value("user_id", std::string());
      ns.task_name = v.value("task_name", std::string());
      ns.used_at = v.value("used_at", int64_t{0});
      if (v.contains("draft")) ns.draft = v["draft"];
      if (v.contains("history")) ns.history = draft::DraftHistory::from_json(v["history"]);
      Json wrapped{{"files", v.value("files", Json::array())}};
      auto infos = parse_uploaded_files(wrapped);
      size_t i = 0;
      for (const auto& f : wrapped["files"]) {
        if (i >= infos.size()) break;
        ns.files.push_back(NodeFile{infos[i++], f.value("path", std::string())});
      }
      r.sessions[sid] = std::move(ns);
    }
  if (auto jb = j.find("jobs"); jb != j.end() && jb->is_object())
    for (const auto& [id, v] : jb->items()) {
      NodeJob job;
      job.id = id;
      job.user_id = v.value("user_id", std::string());
      job.session_id = v.value("session_id", std::string());
      job.status = v.value("status", std::string("failed"));
      job.progress = v.value("progress", 0);
      job.error = v.value("error", std::string());
      job.out_path = v.value("out_path", std::string());
      job.output_key = v.value("output_key", std::string());
      job.created_at = v.value("created_at", int64_t{0});
      job.completed_at = v.value("completed_at", int64_t{0});
      if (v.contains("output")) job.output = v["output"];
      std::string bad_part;
      job.part = parse_part(v, bad_part).value_or(PartRequest{});
      r.jobs[id] = std::move(job);
    }
  return r;
}

std::string records_text(const NodeRecords& records) { return records.to_json().dump() + "\n"; }

void write_records_text(const std::string& data_dir, const std::string& text) {
  base::write_file_atomically(data_dir + "/node.json", text, 0600);
}

std::optional<NodeRecords> load_records(const std::string& data_dir, size_t max_bytes, int max_depth) {
  const std::string path = data_dir + "/node.json";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  try {
    std::string text = base::read_input_file(path, static_cast<int64_t>(max_bytes), "the node's records");
    return NodeRecords::from_json(draft::parse_json(text, path, draft::ParseLimits{max_bytes, max_depth}));
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot read the node's records: ") + e.what() +
                             "; move node.json away to start with no records");
  }
}

}  // namespace reel::cloud
