// Shared by cmd_cloud.cpp and cmd_chat.cpp (see cloud_flows.h).
#include "cli/cloud_flows.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/cmd_cache.h"
#include "cli/media_sources.h"
#include "cli/progress.h"
#include "cloud/client/draft_media.h"

namespace reel::cli {

using cloud::CloudError;
using cloud::ErrorKind;

void add_cloud_flags(CLI::App* sub, CloudArgs& a) {
  sub->add_option("--api", a.api, "backend address (default: REEL_API_URL, else the production backend)");
  sub->add_option("--skill", a.skill, "attribution: skill NAME or NAME@VERSION (default: config.json, else reel)");
  sub->add_option("--project", a.project, "project folder: its session and pending jobs (default: the current folder)");
  sub->add_flag("-v,--verbose", a.verbose, "log each request (method, path, status; never the token)");
}

int64_t env_ms(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  try {
    return std::stoll(v);
  } catch (...) {
    return fallback;
  }
}

cloud::ClientOptions client_options(const CloudArgs& a) {
  cloud::ClientOptions o = cloud::options_from_environment(a.api, a.skill, a.project);
  if (a.verbose) o.log = [](std::string_view line) { std::cerr << "reel: http: " << line << "\n"; };
  // Tuning knobs (docs/cloud.md); the defaults follow the protocol page.
  o.poll.first = std::chrono::milliseconds(env_ms("REEL_POLL_FIRST_MS", o.poll.first.count()));
  o.poll.longest = std::chrono::milliseconds(env_ms("REEL_POLL_MAX_MS", o.poll.longest.count()));
  o.retry.rate_limit_wait =
      std::chrono::milliseconds(env_ms("REEL_RATE_LIMIT_WAIT_MS", o.retry.rate_limit_wait.count()));
  o.timeouts.connect_ms = static_cast<long>(env_ms("REEL_CONNECT_TIMEOUT_MS", o.timeouts.connect_ms));
  o.cancel = &interrupted();  // Ctrl-C stops a request or a wait at once, a stalled backend's too
  return o;
}

std::string mb_text(int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

/// Cloud render progress on stderr: a line each time the status changes, or an updating line
/// on a terminal.
cloud::RenderProgressFn progress_printer(bool quiet) {
  auto last = std::make_shared<std::string>();
  bool tty = isatty(STDERR_FILENO);
  return [last, tty, quiet](const cloud::RenderStatus& st) {
    if (quiet) return;
    std::string line = "cloud render " + st.id + ": " + (st.status_text.empty() ? "?" : st.status_text) + " " +
                       std::to_string(st.progress) + "%";
    if (line == *last) return;
    *last = line;
    if (tty)
      std::cerr << "\r" << line << "   " << (st.state == cloud::RenderState::Completed ? "\n" : "") << std::flush;
    else
      std::cerr << "reel: " << line << "\n";
  };
}

Json session_draft(const Json& state) {
  auto st = state.find("state");
  if (st == state.end() || !st->is_object()) return nullptr;
  auto d = st->find("draft");
  return d == st->end() ? Json(nullptr) : *d;
}

engine::RenderOptions local_render_options(const draft::Draft& d, const std::string& base_dir,
                                           const cloud::ClientOptions& co, engine::Preset preset, bool quiet,
                                           int threads) {
  engine::RenderOptions ro;
  ro.preset = preset;
  ro.base_dir = base_dir;
  ro.threads = threads;
  use_cache_folders(ro);
  ro.notice = [quiet](const std::string& msg) {
    if (!quiet) std::cerr << "reel: note: " << msg << "\n";
  };
  MediaArgs media;
  media.api = co.api;
  media.quiet = quiet;
  auto session_uploads = [&] {
    cloud::ConfigStore store(co.config_dir);
    SessionUploads u{co.api, {}, {}};
    if (auto s = store.load_session(co.api, co.project))
      u.files = store.uploads(co.api, s->session_id);
    else
      u.unmapped_reason = "cannot be mapped: the project " + co.project + " has no session with " + co.api;
    return u;
  };
  resolve_remote_media(d, "DRAFT.json", media, session_uploads, ro);
  return ro;
}

/// The local engine's render of `d`, with remote media through the cache and sandbox paths
/// through the session's uploads (as known locally: no network call for that).
engine::RenderResult render_locally(const draft::Draft& d, const std::string& base_dir, const std::string& out,
                                    const cloud::ClientOptions& co, engine::Preset preset, bool quiet, int threads) {
  const engine::RenderOptions ro = local_render_options(d, base_dir, co, preset, quiet, threads);
  return render_with_progress(d, out, ro, quiet ? ProgressMode::None : ProgressMode::Auto, "local render");
}

/// Uploads local media, submits, polls, downloads. Throws CloudError.
static cloud::ExportOutcome export_cloud(cloud::Client& c, const draft::Draft& d, const std::string& base_dir,
                                         const std::string& out, const cloud::RenderProgressFn& progress,
                                         const std::atomic<bool>* cancel) {
  draft::Draft for_cloud = cloud::draft_for_cloud(c, d, base_dir);
  return c.export_draft(for_cloud.json, out, progress, cancel);
}

/// Why the cloud could not export, in a few words for the one-line fallback notice.
static std::string short_reason(const CloudError& e) {
  switch (e.kind()) {
    case ErrorKind::Unreachable:
      return "the backend is unreachable";
    case ErrorKind::Timeout:
      return "the backend did not answer in time";
    case ErrorKind::ExportBlocked:
      return "export refused on the free plan (HTTP 402)";
    case ErrorKind::NoCredits:
      return "no credits left (2001)";
    case ErrorKind::GaveUp:
      return "the cloud render took too long";
    default:
      return e.what();
  }
}

// The cloud's part of an export: the file, or nothing with the reason (Auto mode) to fall back.
static std::optional<cloud::ExportOutcome> try_cloud_export(const cloud::ClientOptions& co, const draft::Draft& d,
                                                            const std::string& base_dir, const std::string& out,
                                                            ExportMode mode, const cloud::RenderProgressFn& progress,
                                                            const std::atomic<bool>* cancel, std::string& reason) {
  cloud::Client c(co);
  try {
    return export_cloud(c, d, base_dir, out, progress, cancel);
  } catch (const CloudError& e) {
    if (mode == ExportMode::Cloud || e.kind() == ErrorKind::Cancelled) throw;
    if (e.kind() == ErrorKind::GaveUp) {  // falling back: the cloud job is no longer wanted
      if (auto job = c.pending_job(out)) {
        try {
          c.cancel_render(job->id);
        } catch (const CloudError&) {
        }
        c.store().remove_job(co.api, co.project, job->out_path);
      }
    }
    reason = short_reason(e);
    return std::nullopt;
  }
}

int export_with_fallback(const cloud::ClientOptions& co, const draft::Draft& d, const std::string& base_dir,
                         const std::string& out, ExportMode mode, bool quiet, int threads) {
  auto start = std::chrono::steady_clock::now();
  if (mode != ExportMode::Local) {
    std::string reason;
    if (auto r = try_cloud_export(co, d, base_dir, out, mode, progress_printer(quiet), &interrupted(), reason)) {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.1f", seconds_since(start));
      std::cerr << "reel: wrote " << out << " (" << mb_text(r->bytes) << ") from the cloud render " << r->job_id
                << " in " << secs << " s\n";
      return 0;
    }
    std::cerr << "reel: cloud export failed (" << reason << "); rendering locally instead\n";
  }
  auto r = render_locally(d, base_dir, out, co, engine::Preset::Final, quiet, threads);
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1f", r.seconds);
  std::cerr << "reel: wrote " << out << " (" << r.width << "x" << r.height << ", " << r.frames
            << " frames) with the local engine in " << secs << " s\n";
  return 0;
}

ExportReport export_with_fallback(const cloud::ClientOptions& co, const draft::Draft& d, const std::string& base_dir,
                                  const std::string& out, ExportMode mode, const ExportHooks& hooks) {
  const auto start = std::chrono::steady_clock::now();
  const std::atomic<bool>* cancel = hooks.cancel ? hooks.cancel : &interrupted();
  auto tell = [&](double fraction, const std::string& what) {
    if (hooks.progress) hooks.progress(fraction, what);
  };
  ExportReport report;
  if (mode != ExportMode::Local) {
    auto cloud_progress = [&](const cloud::RenderStatus& st) {
      tell(std::clamp(st.progress, 0, 100) / 100.0, "cloud render " + std::to_string(st.progress) + "%");
    };
    tell(0, "sending the draft to the cloud");
    if (auto r = try_cloud_export(co, d, base_dir, out, mode, cloud_progress, cancel, report.fallback_reason)) {
      report.from_cloud = true;
      report.job_id = r->job_id;
      report.bytes = r->bytes;
      report.seconds = seconds_since(start);
      tell(1, "downloaded the cloud render");
      return report;
    }
  }
  const engine::RenderOptions ro = hooks.local_options
                                       ? hooks.local_options()
                                       : local_render_options(d, base_dir, co, engine::Preset::Final, true, 0);
  report.local = engine::render_to_file(
      d, out, ro,
      [&](const engine::RenderProgress& p) {
        tell(p.frames_total > 0 ? double(p.frames_done) / double(p.frames_total) : 0,
             "local render: frame " + std::to_string(p.frames_done) + " of " + std::to_string(p.frames_total));
      },
      cancel);
  std::error_code ec;
  report.bytes = int64_t(std::filesystem::file_size(out, ec));
  report.seconds = seconds_since(start);
  return report;
}

}  // namespace reel::cli
