#pragma once
// Helpers of the cloud tests: temporary folders, fast client options, captured logs, what an
// agent turn told its callbacks.
#include <sys/types.h>

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "cloud/client/agent_stream.h"
#include "cloud/client/client.h"
#include "support/temp_dir.h"

namespace reel::cloud::testing {

using reel::test::TempDir;  // the tests' one temporary folder (tests/support/temp_dir.h)

/// The CloudError `fn` throws: its kind, and its message in `message` when given; a test
/// failure (and Refused) when it throws none.
ErrorKind error_kind(const std::function<void()>& fn, std::string* message = nullptr);

/// Collects log lines from any thread.
class LogCapture {
 public:
  LogFn fn();
  std::string all() const;
  size_t count(const std::string& needle) const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

/// Client options for tests: the given API and config folder, timeouts and waits of
/// milliseconds so faults resolve quickly.
ClientOptions fast_options(const std::string& api, const std::string& config_dir, const std::string& project);

/// Starts `command` (argv; the program by its path) with its stdout piped and waits for its
/// first line: the pid and the first "http://..." word of it, e.g. a `reel serve` started on
/// port 0 and the address it listens on. {0, the line} when it did not start or said no address.
std::pair<pid_t, std::string> spawn_listening(const std::vector<std::string>& command);

/// Writes `bytes` to `path` (creating folders).
void write_bytes(const std::string& path, const std::string& bytes);
std::string read_bytes(const std::string& path);
/// A string of n pseudo-random bytes (same for the same seed).
std::string random_bytes(size_t n, unsigned seed = 1);
/// The bytes of a minimal MP4 as far as a check of its boxes can tell: ftyp, a moov whose
/// mvhd says `duration_ms`, then `payload` in a free box.
std::string minimal_mp4(int64_t duration_ms, const std::string& payload = {});

/// `n` bytes that are a file of the type `file_name`'s extension says as far as an upload's
/// check of the first bytes can tell (its magic number), then random bytes.
std::string media_bytes(const std::string& file_name, size_t n, unsigned seed = 1);

/// Records what a turn told the caller.
struct Seen {
  std::vector<std::string> texts;
  std::vector<std::string> tools;
  int still_working = 0;
  AgentCallbacks callbacks() {
    AgentCallbacks cb;
    cb.on_text = [this](const std::string& t) { texts.push_back(t); };
    cb.on_tool = [this](const std::string& name, bool result) {
      tools.push_back(name + (result ? " done" : " called"));
    };
    cb.on_still_working = [this] { ++still_working; };
    return cb;
  }
  std::string joined() const {
    std::string all;
    for (const auto& t : texts) all += t;
    return all;
  }
};

}  // namespace reel::cloud::testing
