#pragma once
// Process-wide set-up and error reporting. Library code never touches process globals
// (FFmpeg's log callback, curl_global_init, signal handlers): they are set here only.
#include <stdexcept>
#include <string>
#include <vector>

#include "base/error.h"
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
};

/// Starts libcurl once, for a local command that turns out to need the network (a draft whose
/// remote media is not cached yet); ProcessSetup's end stops it. Call from the main thread
/// before any download.
void start_network();

/// The command line asks for something that cannot be done: "reel: <what>", exit 2.
class UsageError : public base::Error {
 public:
  explicit UsageError(const std::string& message) : base::Error(base::Fault::Usage, message) {}
};

/// What a command writes. The output's name must say so: a video never lands under a draft's
/// or a photo's name (`-o show.json` replaced a draft with an MP4), nor a draft on a photo.
enum class OutputKind {
  Video,      // .mp4, .m4v
  Sound,      // .m4a, .mp4 (AAC in MP4: render --part sound)
  Picture,    // .png
  Draft,      // .json
  Subtitles,  // .srt, .vtt
};

/// Throws UsageError unless a file of `kind` can be written at `out`: it is not a folder, its
/// folder exists and is writable, and its name ends as that kind's do. Checked before any work
/// starts, not found out when it ends.
void require_writable_output(const std::string& out, OutputKind kind);

/// The bounds of the options every command shares (docs/cli.md, "Limits"): beyond them a value
/// is refused with exit 2 before anything runs, never overflowed or clamped in silence.
constexpr int kMaxThreads = 256;
constexpr double kMaxFileMb = 100000;     // 100 GB
constexpr double kMaxMegapixels = 10000;  // 10 gigapixels
constexpr double kMaxSeconds = 864000;    // --from, --to, --at, --max-duration: ten days

/// Why a file a person named in words (a song for chat, a photo to add) cannot be used, as the
/// rest of a sentence beginning with its name — "there is no such file (looked in /abs/x.mp3)",
/// "is a folder, not a file", "is a FIFO (named pipe), not a file" — and what to do instead.
/// Both empty for a file that is there.
struct NamedFileProblem {
  std::string why, advice;
  bool missing = false;  // nothing is there (an upload of the session may have the name)
};
NamedFileProblem named_file_problem(const std::string& path);

/// Throws UsageError when `out` is the same file as one of `inputs` — by identity (device and
/// inode), so a symlink, "./x" or a hard link is caught as well as the same spelling — before
/// any work: no command overwrites one of its own inputs.
void require_not_an_input(const std::string& out, const std::vector<std::string>& inputs);

/// The exit code of a failure of kind `fault` (cli/exit_codes.h).
int exit_code_of(base::Fault fault);

/// Runs a command; an exception becomes one plain sentence on stderr and the exit code of its
/// kind of failure. Only a bug (Fault::Bug, or an exception that is not reel's) asks to be
/// reported.
int run_reporting_errors(const Runner& run);

}  // namespace reel::cli
