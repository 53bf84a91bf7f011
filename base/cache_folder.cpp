#include "base/cache_folder.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "base/files.h"

namespace reel::base {

namespace fs = std::filesystem;

namespace {

struct Entry {
  fs::path path;
  int64_t bytes;
  double used;
};

double seconds(const timespec& t) { return double(t.tv_sec) + double(t.tv_nsec) * 1e-9; }

double used_of(const struct stat& st) { return std::max(seconds(st.st_atim), seconds(st.st_mtim)); }

std::vector<Entry> entries_of(const std::string& dir, const EntryFilter& is_entry) {
  std::vector<Entry> entries;
  std::error_code ec;
  for (const auto& de : fs::directory_iterator(dir, ec)) {
    const std::string name = de.path().filename().string();
    if (is_temporary_name(name) || (is_entry && !is_entry(name))) continue;
    struct stat st {};  // one look at the file: its kind, size and times
    if (::stat(de.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    entries.push_back({de.path(), int64_t(st.st_size), used_of(st)});
  }
  return entries;
}

}  // namespace

void mark_used(const std::string& path) {
  const timespec times[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
  ::utimensat(AT_FDCWD, path.c_str(), times, 0);
}

double last_used(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? used_of(st) : 0;
}

FolderUsage folder_usage(const std::string& dir, const EntryFilter& is_entry) {
  FolderUsage u;
  for (const Entry& e : entries_of(dir, is_entry)) {
    ++u.files;
    u.bytes += e.bytes;
  }
  return u;
}

int64_t trim_folder(const std::string& dir, int64_t budget, int64_t target, const EntryFilter& is_entry,
                    const std::vector<std::string>& keep) {
  std::vector<Entry> entries = entries_of(dir, is_entry);
  int64_t total = 0;
  for (const Entry& e : entries) total += e.bytes;
  if (total <= budget) return 0;
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.used < b.used; });
  int64_t removed = 0;
  std::error_code ec;
  for (const Entry& e : entries) {
    if (total <= target) break;
    if (std::any_of(keep.begin(), keep.end(), [&](const std::string& k) { return e.path == fs::path(k); })) continue;
    if (fs::remove(e.path, ec)) {
      total -= e.bytes;
      removed += e.bytes;
    }
  }
  return removed;
}

}  // namespace reel::base
