#include "cli/studio/draft_file.h"

#include <filesystem>

#include "base/error.h"
#include "base/files.h"
#include "base/hash.h"
#include "cli/draft_history.h"
#include "draft/agent.h"
#include "draft/parse.h"
#include "draft/summary.h"

namespace reel::cli::studio {

DraftFile::DraftFile(std::string path) : path_(std::move(path)) {
  current_ = last_good_ = read();
  if (!current_->read_error.empty()) throw base::Error(base::Fault::Input, current_->read_error);
  pretty_ = current_->text.find('\n') + 1 < current_->text.size();
}

std::shared_ptr<const DraftVersion> DraftFile::read() const {
  auto v = std::make_shared<DraftVersion>();
  try {
    v->text = base::read_input_file(path_, 16 << 20, "the draft");
    v->revision = base::hash_hex(v->text).substr(0, 16);
    // The very bytes hashed are the ones loaded: a write between two reads cannot split them.
    v->input.path = path_;
    v->input.base_dir = std::filesystem::absolute(path_).parent_path().string();
    v->input.loaded = draft::load_draft(draft::parse_json(v->text, path_));
  } catch (const std::exception& e) {
    v->read_error = e.what();
    if (v->revision.empty()) v->revision = "unreadable";
  }
  return v;
}

void DraftFile::set_current(std::shared_ptr<const DraftVersion> v) {
  current_ = std::move(v);
  if (current_->read_error.empty() && current_->input.loaded.ok()) last_good_ = current_;
  changed_.notify_all();
}

std::shared_ptr<const DraftVersion> DraftFile::last_good() const {
  std::lock_guard lock(mutex_);
  return last_good_;
}

std::shared_ptr<const DraftVersion> DraftFile::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

bool DraftFile::reload() {
  auto fresh = read();
  std::lock_guard lock(mutex_);
  if (fresh->revision == current_->revision) return false;
  set_current(std::move(fresh));
  return true;
}

std::string DraftFile::wait_for_change(const std::string& seen, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return stopping_ || current_->revision != seen; });
  return current_->revision;
}

void DraftFile::stop_waiting() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  changed_.notify_all();
}

void DraftFile::check_base(const std::string& base) {
  auto now = read();
  if (now->revision != current_->revision) set_current(now);
  if (base != current_->revision)
    throw EditConflict(path_ +
                       " changed since the page read it (another editor, the agent or a checkout); the page has "
                       "the new version now: look at it and make the edit again");
  if (!current_->read_error.empty()) throw base::Error(base::Fault::Input, current_->read_error);
}

std::shared_ptr<const DraftVersion> DraftFile::at(const std::string& base) {
  std::lock_guard lock(mutex_);
  check_base(base);
  return current_;
}

DraftFile::Outcome DraftFile::edit(const std::string& base, const Edit& edit) {
  std::lock_guard lock(mutex_);
  check_base(base);
  draft::Draft d = current_->input.loaded.draft;
  Outcome out = edit(d);
  if (!out.changed) return out;
  draft::LoadResult checked = draft::load_draft(d.json);
  if (!checked.ok()) {
    std::string why;
    for (const draft::Problem& p : checked.problems)
      if (p.severity == draft::Severity::Error) why += (why.empty() ? "" : "; ") + p.line();
    throw base::Error(base::Fault::Input, "the edit was not saved: it would leave the draft with errors: " + why);
  }
  write_draft_keeping_history(path_, draft::write_json(d.json, pretty_) + "\n");
  set_current(read());
  return out;
}

DraftFile::Outcome DraftFile::step(const std::string& base, draft::HistoryStep step) {
  std::lock_guard lock(mutex_);
  check_base(base);
  const draft::Draft before = current_->input.loaded.draft;
  const bool undo = step == draft::HistoryStep::Undo;
  if (!step_draft_history(path_, step)) return {undo ? "nothing to undo" : "nothing to redo", false};
  set_current(read());
  const std::string diff =
      current_->read_error.empty() ? draft::summary_diff(before, current_->input.loaded.draft) : "";
  return {std::string(undo ? "Undone" : "Redone") + (diff.empty() ? "." : ". Timeline: " + diff), true};
}

}  // namespace reel::cli::studio
