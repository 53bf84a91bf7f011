#include "cli/watch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/error.h"

namespace reel::cli {

namespace fs = std::filesystem;

FileWatch::FileWatch() : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
  if (fd_ < 0)
    throw base::Error(base::Fault::Environment, std::string("cannot watch files for changes: ") + std::strerror(errno) +
                                                    "; raise fs.inotify.max_user_instances or run without --watch");
}

FileWatch::~FileWatch() {
  if (fd_ >= 0) ::close(fd_);
}

void FileWatch::watch(const std::vector<std::string>& files) {
  std::map<std::string, std::set<std::string>> wanted;
  for (const std::string& f : files) {
    if (f.empty()) continue;
    std::error_code ec;
    const fs::path p = fs::absolute(f, ec).lexically_normal();
    wanted[p.parent_path().string()].insert(p.filename().string());
  }
  // Folders watched already keep their watch: a change made while the last render ran is
  // queued there and seen by the next wait(), never lost between two watches.
  for (auto it = folders_.begin(); it != folders_.end();) {
    if (wanted.count(it->second)) {
      ++it;
      continue;
    }
    inotify_rm_watch(fd_, it->first);
    it = folders_.erase(it);
  }
  for (const auto& [folder, names] : wanted) {
    bool watched = false;
    for (const auto& [wd, f] : folders_) watched |= f == folder;
    if (watched) continue;
    const int wd = inotify_add_watch(fd_, folder.c_str(),
                                     IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB);
    if (wd >= 0) folders_[wd] = folder;  // a folder that went away: nothing to see there
  }
  files_ = std::move(wanted);
}

bool FileWatch::read_events(int timeout_ms, std::set<std::string>& changed) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return false;
  alignas(inotify_event) char buf[64 * 1024];
  bool any = false;
  for (;;) {
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) break;
    for (ssize_t i = 0; i < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buf + i);
      i += ssize_t(sizeof(inotify_event) + e->len);
      auto folder = folders_.find(e->wd);
      if (folder == folders_.end() || e->len == 0) continue;
      const std::string name = e->name;
      if (files_[folder->second].count(name)) {
        changed.insert(folder->second + "/" + name);
        any = true;
      }
    }
  }
  return any;
}

std::vector<std::string> FileWatch::wait(std::chrono::milliseconds quiet, const std::atomic<bool>& stop) {
  std::set<std::string> changed;
  while (changed.empty()) {
    if (stop.load()) return {};
    read_events(100, changed);
  }
  // Quiet for `quiet` since the last event (a stop ends the wait at once).
  for (;;) {
    if (stop.load()) return {};
    const auto until = std::chrono::steady_clock::now() + quiet;
    bool more = false;
    while (!more && std::chrono::steady_clock::now() < until && !stop.load()) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
      more = read_events(int(std::clamp<int64_t>(left, 1, 100)), changed);
    }
    if (!more) break;
  }
  return {changed.begin(), changed.end()};
}

}  // namespace reel::cli
