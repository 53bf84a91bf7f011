#include "cloud/node/recovery.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <vector>

#include "base/files.h"
#include "draft/parse.h"

namespace reel::cloud::node {
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxRecordsBytes = 512u << 20;

/// The draft a pending job was submitted with, from renders/<id>.draft.json; null when lost.
Json saved_draft(const NodeState& n, const std::string& id) {
  const std::string path = n.opt.data_dir + "/renders/" + id + ".draft.json";
  try {
    std::string text = base::read_input_file(path, n.opt.max_json_bytes, "a queued render's draft");
    return draft::parse_json(text, path,
                             draft::ParseLimits{static_cast<size_t>(n.opt.max_json_bytes), n.opt.max_json_depth});
  } catch (const std::exception& e) {
    n.log(std::string("cannot read a queued render's draft: ") + e.what());
    return nullptr;
  }
}

/// The files every record names (uploads, outputs, drafts): the ones to keep.
std::set<std::string> named_files(const NodeState& n) {
  std::set<std::string> keep;
  for (const auto& [sid, s] : n.records.sessions)
    for (const auto& f : s.files) keep.insert(fs::path(f.path).lexically_normal().string());
  for (const auto& [id, j] : n.records.jobs) {
    keep.insert(fs::path(n.opt.data_dir + "/renders/" + id + ".draft.json").lexically_normal().string());
    if (!j.out_path.empty()) keep.insert(fs::path(j.out_path).lexically_normal().string());
  }
  return keep;
}

}  // namespace

void recover_earlier_run(NodeState& n) {
  auto records = load_records(n.opt.data_dir, kMaxRecordsBytes, n.opt.max_json_depth + 16);
  if (!records) return;
  n.records = std::move(*records);
  std::vector<NodeJob*> pending;
  for (auto& [id, j] : n.records.jobs) {
    if (j.status == "processing") {
      j.status = "failed";
      j.error = "the render node stopped during this render (it was killed or crashed); submit it again";
      j.completed_at = now_ms();
    } else if (j.status == "pending") {
      pending.push_back(&j);
    }
  }
  std::sort(pending.begin(), pending.end(), [](auto* a, auto* b) { return a->created_at < b->created_at; });
  for (NodeJob* j : pending) {
    j->draft = saved_draft(n, j->id);
    if (j->draft.is_object()) {
      n.queue.push_back(j->id);
      continue;
    }
    j->status = "failed";
    j->error = "the render node restarted and lost this render's draft; submit it again";
    j->completed_at = now_ms();
  }
  if (!pending.empty()) n.log("queued again " + std::to_string(n.queue.size()) + " render(s) of the earlier run");
}

void sweep_leftovers(NodeState& n) {
  const std::set<std::string> keep = named_files(n);
  const fs::path data(n.opt.data_dir);
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (fs::recursive_directory_iterator it(data, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const fs::path p = it->path().lexically_normal();
    const fs::path rel = p.lexically_relative(data);
    const std::string top = rel.begin() == rel.end() ? std::string() : rel.begin()->string();
    const bool temporary = base::is_temporary_name(p.filename().string());
    const bool orphan = (top == "files" || top == "renders") && !keep.count(p.string());
    if (temporary || orphan) doomed.push_back(p);
  }
  for (const auto& p : doomed) fs::remove(p, ec);
  if (!doomed.empty()) n.log("swept " + std::to_string(doomed.size()) + " file(s) an earlier run left behind");
}

}  // namespace reel::cloud::node
