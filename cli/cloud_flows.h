#pragma once
// What the cloud commands and `reel chat` share: the cloud flags and client options, the
// session's draft, local renders that read remote and uploaded media, and the export that
// goes through the cloud and falls back to the local engine.
#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "cloud/client/client.h"
#include "draft/model.h"
#include "engine/render.h"

namespace reel::cli {

/// Flags every cloud command takes.
struct CloudArgs {
  std::string api;      // --api
  std::string skill;    // --skill NAME[@VERSION]
  std::string project;  // --project DIR (sessions and jobs are per folder)
  bool verbose = false;
};

void add_cloud_flags(CLI::App* sub, CloudArgs& a);

/// A number of milliseconds from the environment, or `fallback`.
int64_t env_ms(const char* name, int64_t fallback);

/// Client options from the flags, the environment and config.json (with the REEL_* tuning knobs).
cloud::ClientOptions client_options(const CloudArgs& a);

std::string mb_text(int64_t bytes);
double seconds_since(std::chrono::steady_clock::time_point t);

/// Cloud render progress on stderr (nothing when `quiet`).
cloud::RenderProgressFn progress_printer(bool quiet);

/// The draft in a state answer (`data` of the state call), or null when the session has none.
Json session_draft(const Json& state);

/// How the local engine renders `d` for the cloud commands: the cache folders, remote media
/// through the media cache (downloaded now when missing), sandbox paths through the session's
/// uploads as known locally (no network call for that).
engine::RenderOptions local_render_options(const draft::Draft& d, const std::string& base_dir,
                                           const cloud::ClientOptions& co, engine::Preset preset, bool quiet,
                                           int threads);

/// The local engine's render of `d` with local_render_options.
engine::RenderResult render_locally(const draft::Draft& d, const std::string& base_dir, const std::string& out,
                                    const cloud::ClientOptions& co, engine::Preset preset, bool quiet, int threads);

/// Where an export renders: the cloud with the local engine as fallback, the cloud only, or
/// this machine only.
enum class ExportMode { Auto, Cloud, Local };

/// Exports `d` to `out`: through the cloud (uploading local media first), falling back to the
/// local engine in Auto mode; says what it wrote on stderr. Throws CloudError in Cloud mode.
int export_with_fallback(const cloud::ClientOptions& co, const draft::Draft& d, const std::string& base_dir,
                         const std::string& out, ExportMode mode, bool quiet, int threads);

/// What a caller that is not a terminal (`reel mcp`) hears of an export, and how it stops one.
struct ExportHooks {
  /// The export's progress, 0..1, with a few words of what is happening ("cloud render 40%",
  /// "local render: frame 120 of 300"). Called from the exporting thread.
  std::function<void(double fraction, const std::string& what)> progress;
  const std::atomic<bool>* cancel = nullptr;  // null: Ctrl-C (interrupted())
  /// The local render's options when the export falls back (or is local); empty:
  /// local_render_options.
  std::function<engine::RenderOptions()> local_options;
};
/// Where the file came from.
struct ExportReport {
  bool from_cloud = false;
  std::string job_id;           // the cloud render's
  std::string fallback_reason;  // why the cloud did not make it (Auto mode); empty when it did
  int64_t bytes = 0;
  engine::RenderResult local;  // the local render's, when it made the file
  double seconds = 0;          // the whole export's wall time
};
/// export_with_fallback with its progress and cancellation through `hooks`, quiet, and what
/// happened returned. Throws CloudError in Cloud mode, engine::Cancelled when cancelled.
ExportReport export_with_fallback(const cloud::ClientOptions& co, const draft::Draft& d, const std::string& base_dir,
                                  const std::string& out, ExportMode mode, const ExportHooks& hooks);

}  // namespace reel::cli
