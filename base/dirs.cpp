#include "base/dirs.h"

#include <cstdlib>

namespace reel::base {

namespace {

std::string home_dir() {
  const char* home = std::getenv("HOME");
  return home && *home ? home : "/tmp";
}

// $<variable>/reel when it is set to an absolute path (the spec ignores relative ones), else
// ~/<fallback>/reel.
std::string xdg_dir(const char* variable, const char* fallback) {
  if (const char* v = std::getenv(variable); v && v[0] == '/') return std::string(v) + "/reel";
  return home_dir() + "/" + fallback + "/reel";
}

}  // namespace

std::string config_dir() { return xdg_dir("XDG_CONFIG_HOME", ".config"); }
std::string cache_dir() { return xdg_dir("XDG_CACHE_HOME", ".cache"); }
std::string data_dir() { return xdg_dir("XDG_DATA_HOME", ".local/share"); }

}  // namespace reel::base
