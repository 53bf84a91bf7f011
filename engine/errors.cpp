#include "engine/errors.h"

namespace reel::engine {

std::string MediaIssue::line() const {
  std::string s = pointer.empty() ? std::string() : pointer + ": ";
  s += file + ": " + problem;
  if (!advice.empty()) s += "; " + advice;
  return s;
}

static std::string join(const std::vector<MediaIssue>& issues) {
  std::string s;
  for (const auto& i : issues) {
    if (!s.empty()) s += "\n";
    s += i.line();
  }
  return s;
}

MediaError::MediaError(std::vector<MediaIssue> issues)
    : base::Error(base::Fault::Input, join(issues)), issues_(std::move(issues)) {}

}  // namespace reel::engine
