#pragma once
// The engine's exceptions. The CLI maps them to exit codes: MediaError -> 1 (bad media),
// Cancelled -> 3, EngineError -> 4 (a libav or environment failure).
#include <stdexcept>
#include <string>
#include <vector>

namespace reel::engine {

/// One bad source: where it is used in the draft, the file, what is wrong and what to do.
struct MediaIssue {
  std::string pointer;  // JSON pointer of the segment, e.g. "/t/0/sg/2"
  std::string file;     // the reference as written in the draft
  std::string problem;  // "the file is empty (0 bytes)"
  std::string advice;   // "replace it with the photo itself"
  /// "<pointer>: <file>: <problem>; <advice>"
  std::string line() const;
};

/// Media that cannot be used: every issue found, one line each. Thrown before the first
/// frame is encoded when the up-front check finds it, or mid-render when decoding fails.
class MediaError : public std::runtime_error {
 public:
  explicit MediaError(std::vector<MediaIssue> issues);
  const std::vector<MediaIssue>& issues() const { return issues_; }

 private:
  std::vector<MediaIssue> issues_;
};

/// The render was stopped through its cancel flag (Ctrl-C). Nothing was left behind.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

/// libav, OpenCV or the file system failed in a way that is not the media's fault.
class EngineError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace reel::engine
