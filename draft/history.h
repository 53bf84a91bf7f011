#pragma once
// Undo and redo of a draft: a bounded list of the texts it had, beside the draft (the CLI keeps
// it in a file next to the draft, the render node in its session record). The states are the
// draft's bytes as written, so an undo gives back exactly the file that was there.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "draft/json.h"

namespace reel::draft {

/// How many earlier states a history keeps (the oldest goes first).
inline constexpr size_t kHistoryLimit = 50;

/// Earlier and undone states of one draft. Plain data; no I/O.
struct DraftHistory {
  std::vector<std::string> undo;  // states an edit replaced, oldest first
  std::vector<std::string> redo;  // states an undo replaced, the latest undone last
  size_t limit = kHistoryLimit;

  /// An edit replaced `before`: it can be undone; what was undone can no longer be redone.
  void record(std::string before);
  /// The state to go back to; `current` becomes redoable. None when there is nothing to undo.
  std::optional<std::string> step_back(std::string current);
  /// The state an undo left; `current` becomes undoable again. None when nothing was undone.
  std::optional<std::string> step_forward(std::string current);

  Json to_json() const;
  /// The history in `j` (as to_json wrote it); an empty one when `j` is not one.
  static DraftHistory from_json(const Json& j);
};

enum class HistoryStep { None, Undo, Redo };
/// "undo", "undo that", "撤销", "撤回" -> Undo; "redo", "重做" -> Redo; anything else -> None.
HistoryStep history_step_in(const std::string& words);

}  // namespace reel::draft
