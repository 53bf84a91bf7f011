#pragma once
// The tests' one temporary folder: made fresh (mkdtemp) under $TMPDIR, removed with all it
// holds when the test ends.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace reel::test {

class TempDir {
 public:
  TempDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/reel-test-XXXXXX";
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot make a temporary folder in " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// The path of `name` inside the folder (not created).
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// A path in the test program's own temporary folder, made on first use and removed when the
/// program ends: for tests that share files rather than each making a folder.
inline std::filesystem::path scratch(const std::string& name) {
  static const TempDir dir;
  return dir.path() / name;
}

}  // namespace reel::test
