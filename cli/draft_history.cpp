#include "cli/draft_history.h"

#include <filesystem>
#include <system_error>

#include "base/files.h"
#include "draft/parse.h"

namespace reel::cli {

namespace {

namespace fs = std::filesystem;

// A draft is at most 16 MB; its history holds at most kHistoryLimit of them each way.
constexpr int64_t kMaxHistoryBytes = int64_t{2} * draft::kHistoryLimit * (16 << 20) + (1 << 20);

std::optional<std::string> read_if_there(const std::string& path, int64_t max_bytes) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  return base::read_input_file(path, max_bytes, "the draft's history");
}

draft::DraftHistory load_history(const std::string& draft_path) {
  auto text = read_if_there(history_path(draft_path), kMaxHistoryBytes);
  if (!text) return {};
  // A damaged history is started afresh rather than blocking the edit.
  auto json = draft::try_parse_json(*text, draft::ParseLimits{static_cast<size_t>(kMaxHistoryBytes), 8});
  return json ? draft::DraftHistory::from_json(*json) : draft::DraftHistory{};
}

void save_history(const std::string& draft_path, const draft::DraftHistory& h) {
  base::write_file_atomically(history_path(draft_path), h.to_json().dump() + "\n");
}

}  // namespace

std::string history_path(const std::string& draft_path) {
  fs::path p(draft_path);
  return (p.parent_path() / ("." + p.filename().string() + ".history.json")).string();
}

void write_draft_keeping_history(const std::string& draft_path, const std::string& text) {
  auto before = read_if_there(draft_path, 16 << 20);
  if (before && *before != text) {
    draft::DraftHistory h = load_history(draft_path);
    h.record(*before);
    save_history(draft_path, h);
  }
  base::write_file_atomically(draft_path, text);
}

std::optional<std::string> step_draft_history(const std::string& draft_path, draft::HistoryStep step) {
  draft::DraftHistory h = load_history(draft_path);
  std::string current = read_if_there(draft_path, 16 << 20).value_or("");
  auto to = step == draft::HistoryStep::Undo ? h.step_back(current) : h.step_forward(current);
  if (!to) return std::nullopt;
  save_history(draft_path, h);
  base::write_file_atomically(draft_path, *to);
  return to;
}

std::pair<size_t, size_t> history_depth(const std::string& draft_path) {
  draft::DraftHistory h = load_history(draft_path);
  return {h.undo.size(), h.redo.size()};
}

}  // namespace reel::cli
