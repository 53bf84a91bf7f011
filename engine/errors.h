#pragma once
// The engine's exceptions, each with its kind of failure (base/error.h), which decides the
// exit code: MediaError is bad input, Cancelled a cancel, EngineError a bug (libav or OpenCV
// failing where the input is fine). A file the system refuses to write is a base::FileError.
#include <stdexcept>
#include <string>
#include <vector>

#include "base/error.h"

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
class MediaError : public base::Error {
 public:
  explicit MediaError(std::vector<MediaIssue> issues);
  const std::vector<MediaIssue>& issues() const { return issues_; }

 private:
  std::vector<MediaIssue> issues_;
};

/// The render was stopped through its cancel flag (Ctrl-C). Nothing was left behind.
class Cancelled : public base::Error {
 public:
  Cancelled() : base::Error(base::Fault::Cancelled, "cancelled") {}
};

/// libav or OpenCV failed in a way that is not the media's fault: a bug to report, unless
/// the machine lacks something reel needs (a font, an encoder), which is the environment's.
class EngineError : public base::Error {
 public:
  explicit EngineError(const std::string& message, base::Fault fault = base::Fault::Bug)
      : base::Error(fault, message) {}
};

}  // namespace reel::engine
