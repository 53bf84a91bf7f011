#pragma once
// Process-wide set-up and error reporting. Library code never touches process globals
// (FFmpeg's log callback, curl_global_init, signal handlers): they are set here only.
#include <stdexcept>
#include <string>

#include "cli/commands.h"

namespace reel::cli {

/// Lives for the run of one command: installs process-wide state, undoes it at the end.
class ProcessSetup {
 public:
  /// Needs::Network also starts libcurl (and with it OpenSSL: 2 MB and a few ms that local
  /// commands, renders included, do without).
  explicit ProcessSetup(Needs needs);
  ~ProcessSetup();
  ProcessSetup(const ProcessSetup&) = delete;
  ProcessSetup& operator=(const ProcessSetup&) = delete;

 private:
  bool network_;
};

/// The command line asks for something that cannot be done: "reel: <what>", exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Throws UsageError unless a file can be written at `out` (its folder exists and is
/// writable): checked before a render starts, not found out when it ends.
void require_writable_output(const std::string& out);

/// Runs a command; an exception becomes one plain sentence on stderr and its exit code.
int run_reporting_errors(const Runner& run);

}  // namespace reel::cli
