#pragma once
// Waiting for files to change, for `--watch`: inotify on the folders that hold them (an editor
// that saves by writing a new file and renaming it over the old one is seen too, which a watch
// on the file itself would miss).
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace reel::cli {

class FileWatch {
 public:
  FileWatch();  // throws base::Error(Environment) when the system has no inotify to give
  ~FileWatch();
  FileWatch(const FileWatch&) = delete;
  FileWatch& operator=(const FileWatch&) = delete;

  /// Watches these files from now on (instead of the ones before). Changes since the last
  /// wait(), made while a render ran, are not lost.
  void watch(const std::vector<std::string>& files);
  /// Waits until a watched file is written, replaced, created or removed and then nothing more
  /// happens to any for `quiet` (a save that comes in several writes is one change), or until
  /// `stop` is set (checked every 100 ms). Returns the files that changed; empty when stopped.
  std::vector<std::string> wait(std::chrono::milliseconds quiet, const std::atomic<bool>& stop);

 private:
  // Reads what is pending into `changed`; false when nothing came within `timeout_ms`.
  bool read_events(int timeout_ms, std::set<std::string>& changed);

  int fd_ = -1;
  std::map<int, std::string> folders_;                  // watch descriptor -> folder
  std::map<std::string, std::set<std::string>> files_;  // folder -> names watched in it
};

}  // namespace reel::cli
