#pragma once
// Folders of cache entries (photo proxies, downloaded media, rendered chunks): what they hold
// and keeping them within a byte budget, least recently used out first. Temporary files of
// AtomicFile (a write in progress) never count and are never removed here.
#include <cstdint>
#include <functional>
#include <string>

namespace reel::base {

/// Which file names of a folder are its entries; empty: every regular file.
using EntryFilter = std::function<bool(const std::string& file_name)>;

struct FolderUsage {
  int files = 0;
  int64_t bytes = 0;
};

/// The entries of `dir` (no error when it does not exist: nothing).
FolderUsage folder_usage(const std::string& dir, const EntryFilter& is_entry = {});

/// When the entries of `dir` take more than `budget` bytes, removes the least recently used
/// (oldest modification time: readers touch what they use) until they take at most `target`
/// (<= budget, so the next few stores do not each walk the folder). Never removes `keep`.
/// Returns the bytes removed. Entries that cannot be removed are skipped.
int64_t trim_folder(const std::string& dir, int64_t budget, int64_t target, const EntryFilter& is_entry = {},
                    const std::string& keep = {});

}  // namespace reel::base
