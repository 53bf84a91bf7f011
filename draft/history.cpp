#include "draft/history.h"

#include "draft/words.h"

namespace reel::draft {

namespace {

void push_bounded(std::vector<std::string>& list, std::string state, size_t limit) {
  list.push_back(std::move(state));
  if (list.size() > limit) list.erase(list.begin(), list.begin() + static_cast<long>(list.size() - limit));
}

}  // namespace

void DraftHistory::record(std::string before) {
  push_bounded(undo, std::move(before), limit);
  redo.clear();
}

std::optional<std::string> DraftHistory::step_back(std::string current) {
  if (undo.empty()) return std::nullopt;
  std::string back = std::move(undo.back());
  undo.pop_back();
  push_bounded(redo, std::move(current), limit);
  return back;
}

std::optional<std::string> DraftHistory::step_forward(std::string current) {
  if (redo.empty()) return std::nullopt;
  std::string forward = std::move(redo.back());
  redo.pop_back();
  push_bounded(undo, std::move(current), limit);
  return forward;
}

Json DraftHistory::to_json() const { return Json{{"undo", undo}, {"redo", redo}}; }

DraftHistory DraftHistory::from_json(const Json& j) {
  DraftHistory h;
  if (!j.is_object()) return h;
  for (const char* key : {"undo", "redo"}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_array()) continue;
    auto& list = std::string(key) == "undo" ? h.undo : h.redo;
    for (const auto& s : *it)
      if (s.is_string()) push_bounded(list, s.get<std::string>(), h.limit);
  }
  return h;
}

HistoryStep history_step_in(const std::string& words) {
  std::string t = lower_ascii(words);
  // Only a line that is about the history itself: "undo the title" is still an undo; "redo the
  // music" too (the agent does not re-make parts).
  if (has_any_word(t, {"redo"}) || has_any(t, {"重做", "恢复撤销", "反撤销"})) return HistoryStep::Redo;
  if (has_any_word(t, {"undo", "revert"}) || has_any(t, {"撤销", "撤回", "撤消", "undo that", "go back a step"}))
    return HistoryStep::Undo;
  return HistoryStep::None;
}

}  // namespace reel::draft
