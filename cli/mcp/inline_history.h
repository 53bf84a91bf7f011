#pragma once
// Undo and redo for drafts passed inline (draft_json): they have no file to keep a history
// beside, so the server keeps one per chain of edits, found by the hash of the chain's latest
// state. A caller that sends the draft an edit returned can undo it; bounded in count and bytes.
#include <cstddef>
#include <list>
#include <optional>
#include <string>

#include "draft/history.h"

namespace reel::cli::mcp {

class InlineHistories {
 public:
  explicit InlineHistories(size_t max_chains = 16, size_t max_bytes = size_t(64) << 20)
      : max_chains_(max_chains), max_bytes_(max_bytes) {}

  /// An edit turned `before` into `after` (both the drafts' compact JSON).
  void record(const std::string& before, const std::string& after);
  /// The state before (Undo) or after (Redo) `current`; None when its chain has no such step.
  std::optional<std::string> step(const std::string& current, draft::HistoryStep step);
  /// How many undos and redos `current`'s chain holds.
  std::pair<size_t, size_t> depth(const std::string& current) const;

 private:
  struct Chain {
    std::string latest_hash;  // the hash of the state the chain is at
    draft::DraftHistory history;
  };
  std::list<Chain>::iterator find(const std::string& state);
  std::list<Chain>::const_iterator find(const std::string& state) const;
  void keep_within_bounds();

  size_t max_chains_, max_bytes_;
  std::list<Chain> chains_;  // the most recently used first
};

}  // namespace reel::cli::mcp
