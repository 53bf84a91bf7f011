#pragma once
// What an edit changed between two versions of a draft, by JSON pointer: for `--watch`'s one
// line ("/t/0/sg/2 changed, /t/0/sg/6 added").
#include <cstddef>
#include <string>
#include <vector>

#include "draft/model.h"

namespace reel::draft {

struct DraftChanges {
  std::vector<std::string> changed, added, removed;  // JSON pointers, in draft order
  bool empty() const { return changed.empty() && added.empty() && removed.empty(); }
};

/// The segments changed, added or removed (by their pointer), and the draft's or a track's
/// own settings changed (the draft's top level as "/", a track by its pointer).
DraftChanges diff_drafts(const Draft& before, const Draft& after);

/// "/t/0/sg/2 and /t/1/sg/0 changed; /t/0/sg/6 added": at most `most` pointers of each kind,
/// then "and N more"; "nothing changed in the draft" when empty.
std::string describe_changes(const DraftChanges& changes, size_t most = 3);

}  // namespace reel::draft
