#pragma once
// Folders of cache entries (photo proxies, downloaded media, rendered chunks): what they hold
// and keeping them within a byte budget, least recently used out first. Temporary files of
// AtomicFile (a write in progress) never count and are never removed here.
//
// An entry's use is kept in its access time, never its modification time: a downloaded photo
// is itself a source whose identity (size, mtime, inode, bytes) keys the proxies and chunks
// made from it, and a use must not make it look like a new file.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace reel::base {

/// Which file names of a folder are its entries; empty: every regular file.
using EntryFilter = std::function<bool(const std::string& file_name)>;

struct FolderUsage {
  int files = 0;
  int64_t bytes = 0;
};

/// The entries of `dir` (no error when it does not exist: nothing).
FolderUsage folder_usage(const std::string& dir, const EntryFilter& is_entry = {});

/// Marks the entry at `path` used now (its access time; nothing when it is gone).
void mark_used(const std::string& path);

/// When `path` was last used (marked, read, or written): the later of its access and
/// modification times, in seconds since the epoch; 0 when it is gone.
double last_used(const std::string& path);

/// When the entries of `dir` take more than `budget` bytes, removes the least recently used
/// (see last_used) until they take at most `target`
/// (<= budget, so the next few stores do not each walk the folder). Never removes the paths in
/// `keep` (what the caller is using: uses that fall in one tick of the file clock tie).
/// Returns the bytes removed. Entries that cannot be removed are skipped.
int64_t trim_folder(const std::string& dir, int64_t budget, int64_t target, const EntryFilter& is_entry = {},
                    const std::vector<std::string>& keep = {});

}  // namespace reel::base
