#include "cli/mcp/inline_history.h"

#include "base/hash.h"

namespace reel::cli::mcp {

namespace {

size_t bytes_of(const draft::DraftHistory& h) {
  size_t n = 0;
  for (const auto* list : {&h.undo, &h.redo})
    for (const std::string& s : *list) n += s.size();
  return n;
}

}  // namespace

std::list<InlineHistories::Chain>::iterator InlineHistories::find(const std::string& state) {
  const std::string hash = base::hash_hex(state);
  for (auto it = chains_.begin(); it != chains_.end(); ++it)
    if (it->latest_hash == hash) return it;
  return chains_.end();
}

std::list<InlineHistories::Chain>::const_iterator InlineHistories::find(const std::string& state) const {
  return const_cast<InlineHistories*>(this)->find(state);
}

void InlineHistories::record(const std::string& before, const std::string& after) {
  auto it = find(before);
  if (it == chains_.end()) {
    chains_.push_front(Chain{});
  } else {
    chains_.splice(chains_.begin(), chains_, it);
  }
  Chain& c = chains_.front();
  c.history.record(before);
  c.latest_hash = base::hash_hex(after);
  keep_within_bounds();
}

std::optional<std::string> InlineHistories::step(const std::string& current, draft::HistoryStep step) {
  auto it = find(current);
  if (it == chains_.end() || step == draft::HistoryStep::None) return std::nullopt;
  chains_.splice(chains_.begin(), chains_, it);
  Chain& c = chains_.front();
  auto next = step == draft::HistoryStep::Undo ? c.history.step_back(current) : c.history.step_forward(current);
  if (next) c.latest_hash = base::hash_hex(*next);
  keep_within_bounds();
  return next;
}

std::pair<size_t, size_t> InlineHistories::depth(const std::string& current) const {
  auto it = find(current);
  if (it == chains_.end()) return {0, 0};
  return {it->history.undo.size(), it->history.redo.size()};
}

void InlineHistories::keep_within_bounds() {
  while (chains_.size() > max_chains_) chains_.pop_back();
  size_t total = 0;
  for (const Chain& c : chains_) total += bytes_of(c.history);
  // The least recently used chains go first; the chain in use loses its oldest states last.
  while (total > max_bytes_ && chains_.size() > 1) {
    total -= bytes_of(chains_.back().history);
    chains_.pop_back();
  }
  if (chains_.empty()) return;
  draft::DraftHistory& h = chains_.front().history;
  while (total > max_bytes_ && !(h.undo.empty() && h.redo.empty())) {
    auto& list = h.undo.empty() ? h.redo : h.undo;
    total -= list.front().size();
    list.erase(list.begin());
  }
}

}  // namespace reel::cli::mcp
