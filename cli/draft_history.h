#pragma once
// Undo and redo for a draft file: its history (draft/history.h) kept beside it as
// ".NAME.history.json", written before the draft each time the draft is rewritten by reel
// (chat's edits, `make --draft-out` over an existing draft).
#include <optional>
#include <string>

#include "draft/history.h"

namespace reel::cli {

/// ".draft.json.history.json" in the draft's folder.
std::string history_path(const std::string& draft_path);

/// Writes `text` to the draft file whole. When the file was there with other bytes, those go
/// into its history first (so `undo` gives them back exactly), and what was undone is
/// forgotten.
void write_draft_keeping_history(const std::string& draft_path, const std::string& text);

/// Undo or redo on the draft file: writes the state it goes to and returns it; none when there
/// is nothing to undo (redo). The history file is rewritten to match.
std::optional<std::string> step_draft_history(const std::string& draft_path, draft::HistoryStep step);

/// How many steps can be undone and redone.
std::pair<size_t, size_t> history_depth(const std::string& draft_path);

}  // namespace reel::cli
