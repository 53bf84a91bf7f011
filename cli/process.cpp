#include "cli/process.h"

#include <malloc.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

#include "base/files.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "cli/terminal.h"
#include "cloud/client/http.h"
#include "engine/errors.h"
#include "engine/logging.h"
#include "engine/process_memory.h"

namespace reel::cli {

namespace {
bool network_started = false;  // libcurl's global state is up (main thread only)
}  // namespace

void start_network() {
  if (network_started) return;
  cloud::http_global_init();
  network_started = true;
}

ProcessSetup::ProcessSetup(Needs needs) {
  if (needs == Needs::Network) start_network();
  install_interrupt_handlers();
  engine::route_ffmpeg_log(std::getenv("REEL_FFMPEG_LOG") != nullptr);
  engine::set_up_process_memory();  // large buffers from fresh pages: memory back, equal bits
  // Few malloc arenas: each thread would otherwise reserve a 64 MB arena of address space, and
  // the render node's 32 HTTP threads plus the render's would pass a 2 GB address-space limit
  // (prlimit --as) with a fraction of it in use.
  mallopt(M_ARENA_MAX, 4);
  // No transparent huge pages: libx264 asks for them on every buffer over 1.75 MB, rounded up
  // to 2 MB, so each buffer's last, partly used page is resident whole. A final's two encoders
  // held about 13 MB more that way (peak 385 MB against 372 MB, benchmarks/iterate.sh's
  // 10-photo final), with CPU and wall time the same within the noise. A kernel without the
  // switch refuses it, and nothing else changes.
  prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
}
ProcessSetup::~ProcessSetup() {
  engine::restore_ffmpeg_log();
  restore_interrupt_handlers();
  if (network_started) cloud::http_global_cleanup();
  network_started = false;
}

namespace {

struct KindOfOutput {
  const char* what;                  // "an MP4 video"
  std::vector<const char*> endings;  // the first is the one suggested
};

KindOfOutput kind_of(OutputKind kind) {
  switch (kind) {
    case OutputKind::Video:
      return {"an MP4 video", {".mp4", ".m4v"}};
    case OutputKind::Sound:
      return {"the sound as AAC in MP4", {".m4a", ".mp4"}};
    case OutputKind::Picture:
      return {"a PNG picture", {".png"}};
    case OutputKind::Draft:
      return {"a draft (JSON)", {".json"}};
    case OutputKind::Subtitles:
      return {"subtitles (SubRip or WebVTT)", {".srt", ".vtt"}};
  }
  return {"a file", {""}};
}

std::string lowercase(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

void require_writable_output(const std::string& out, OutputKind kind) {
  namespace fs = std::filesystem;
  const std::string name = fs::path(out).filename().string();
  if (name.size() > NAME_MAX || out.size() >= PATH_MAX)
    throw UsageError("cannot write the output: its " + std::string(name.size() > NAME_MAX ? "name" : "path") + " is " +
                     std::to_string(name.size() > NAME_MAX ? name.size() : out.size()) + " bytes, longer than a file " +
                     (name.size() > NAME_MAX ? "name" : "path") + " may be (" +
                     std::to_string(name.size() > NAME_MAX ? NAME_MAX : PATH_MAX - 1) + "); choose a shorter one");
  // A draft's undo history (".NAME.history.json", cli/draft_history) is never a render's output.
  const std::string history_end = ".history.json";
  if (name.size() > history_end.size() + 1 && name[0] == '.' &&
      name.compare(name.size() - history_end.size(), history_end.size(), history_end) == 0)
    throw UsageError("cannot write " + out + ": it is the undo history reel keeps beside the draft " +
                     name.substr(1, name.size() - 1 - history_end.size()) +
                     "; choose another output (nothing was written)");
  fs::path folder = fs::path(out).parent_path();
  if (folder.empty()) folder = ".";
  std::error_code ec;
  const fs::file_status st = fs::status(out, ec);
  if (fs::is_directory(st))
    throw UsageError("cannot write " + out + ": it is a folder; name a file inside it, e.g. " +
                     (fs::path(out) / "video.mp4").string());
  // The output replaces what is there by a rename: never a device, a FIFO or a socket.
  if (fs::exists(st) && !fs::is_regular_file(st))
    throw UsageError("cannot write " + out + ": it is " +
                     (fs::is_fifo(st)     ? "a FIFO"
                      : fs::is_socket(st) ? "a socket"
                                          : "a device") +
                     ", not a file; name a file");
  if (!fs::is_directory(folder, ec))
    throw UsageError("cannot write " + out + ": the folder " + folder.string() +
                     " does not exist; create it or choose another output");
  if (::access(folder.c_str(), W_OK) != 0)
    throw UsageError("cannot write " + out + ": the folder " + folder.string() + " is not writable (" +
                     std::strerror(errno) + "); choose another output");
  const KindOfOutput k = kind_of(kind);
  const std::string ending = lowercase(fs::path(out).extension().string());
  for (const char* e : k.endings)
    if (ending == e) return;
  throw UsageError("cannot write " + out + ": this command writes " + k.what + ", and " +
                   (ending.empty() ? "the name has no ending that says so"
                                   : "a name ending " + ending + " says another kind of file") +
                   "; name it " + fs::path(out).replace_extension(k.endings[0]).string() + " (nothing was written)");
}

NamedFileProblem named_file_problem(const std::string& path) {
  if (const std::string kind = base::special_file_kind(path); !kind.empty())
    return {"is " + kind + ", not a file", "name a photo, clip or sound file", false};
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return {};
  return {"there is no such file (looked in " + std::filesystem::absolute(path, ec).string() + ")",
          "name a file that exists", true};
}

void require_not_an_input(const std::string& out, const std::vector<std::string>& inputs) {
  struct stat o {};
  if (::stat(out.c_str(), &o) != 0) return;  // not there yet: no input is it
  for (const std::string& in : inputs) {
    struct stat i {};
    if (in.empty() || in == "-" || ::stat(in.c_str(), &i) != 0) continue;
    if (i.st_dev == o.st_dev && i.st_ino == o.st_ino)
      throw UsageError("cannot write " + out + ": it is " +
                       (in == out ? std::string("one of this command's inputs") : "the same file as the input " + in) +
                       "; choose another output (nothing was written)");
  }
}

int exit_code_of(base::Fault fault) {
  switch (fault) {
    case base::Fault::Input:
      return kExitBadInput;
    case base::Fault::Usage:
      return kExitUsage;
    case base::Fault::Environment:
      return kExitSystem;
    case base::Fault::Cancelled:
      return kExitCancelled;
    case base::Fault::Remote:
      return kExitCloud;
    case base::Fault::Bug:
      break;
  }
  return kExitInternal;
}

int run_reporting_errors(const Runner& run) {
  try {
    return run();
  } catch (const engine::Cancelled&) {
    std::cerr << "reel: cancelled; no output was written\n";
    return kExitCancelled;
  } catch (const base::Error& e) {
    if (e.fault() == base::Fault::Bug) {
      std::cerr << "reel: internal error: " << terminal_safe(e.what())
                << "\n(this is a bug in reel; please report it with the command you ran)\n";
    } else {
      std::cerr << "reel: " << terminal_safe(e.what()) << "\n";
    }
    return exit_code_of(e.fault());
  } catch (const std::exception& e) {
    std::cerr << "reel: internal error: " << e.what()
              << "\n(this is a bug in reel; please report it with the command you ran)\n";
    return kExitInternal;
  }
}

}  // namespace reel::cli
