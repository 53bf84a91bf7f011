#pragma once
// The draft a studio edits: its file, the version the page last saw, and every edit the page
// asks for — written whole through the draft's history (cli/draft_history.h, so `reel chat`'s
// undo and the page's are one), and refused when the file changed under the page.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "cli/draft_input.h"
#include "draft/history.h"

namespace reel::cli::studio {

/// One version of the draft file as read: its bytes, their revision (a hash) and the loaded
/// draft with its problems.
struct DraftVersion {
  std::string revision;  // 16 hex digits of the bytes' hash; "" when the file could not be read
  std::string text;
  DraftInput input;
  std::string read_error;  // why the file is not a draft now ("" when it is)
};

/// The page's edit was made on a version that is no longer the file's.
struct EditConflict : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The draft file. Thread-safe: the HTTP handlers, the file watch and the preview read it at
/// once; every method takes the one mutex (edits are serialised).
class DraftFile {
 public:
  explicit DraftFile(std::string path);

  const std::string& path() const { return path_; }
  /// The version read last.
  std::shared_ptr<const DraftVersion> current() const;
  /// The latest version that loaded without errors (what the page's frames show while the file
  /// has errors); the first version when none has.
  std::shared_ptr<const DraftVersion> last_good() const;
  /// Reads the file again; true when its bytes changed (waiters of wait_for_change are woken).
  bool reload();
  /// Waits up to `timeout` for a revision other than `seen` (or for stop_waiting()); returns the
  /// revision then.
  std::string wait_for_change(const std::string& seen, std::chrono::milliseconds timeout) const;
  /// Ends every wait_for_change now and from now on (the studio stops).
  void stop_waiting();

  /// What an edit did: the words for the person, and whether the file was rewritten.
  struct Outcome {
    std::string message;
    bool changed = false;
  };
  /// Applies `edit` to the draft of revision `base` and writes the result whole (the bytes
  /// before go into the history). Throws EditConflict when the file is not at `base` any more
  /// (it is re-read: the page reloads and nothing is clobbered), and base::Error(Input) naming
  /// the problems when the edit leaves a draft with errors (nothing is written).
  using Edit = std::function<Outcome(draft::Draft&)>;
  Outcome edit(const std::string& base, const Edit& edit);
  /// The version of revision `base`, for an edit made away from the file (the cloud agent's
  /// turn) and written later by edit(); throws EditConflict as edit() does.
  std::shared_ptr<const DraftVersion> at(const std::string& base);
  /// Undo or redo through the history beside the draft; "" when there is nothing to step to.
  Outcome step(const std::string& base, draft::HistoryStep step);

 private:
  std::shared_ptr<const DraftVersion> read() const;         // the file now
  void check_base(const std::string& base);                 // mutex_ held
  void set_current(std::shared_ptr<const DraftVersion> v);  // mutex_ held; wakes the waiters

  const std::string path_;
  mutable std::mutex mutex_;  // guards current_, last_good_, pretty_, stopping_
  mutable std::condition_variable changed_;
  std::shared_ptr<const DraftVersion> current_, last_good_;
  bool pretty_ = true;     // the file was written pretty (kept so on save)
  bool stopping_ = false;  // stop_waiting() was called
};

}  // namespace reel::cli::studio
