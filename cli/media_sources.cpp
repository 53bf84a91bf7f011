#include "cli/media_sources.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "base/dirs.h"
#include "cli/cloud_flows.h"
#include "cli/process.h"
#include "cli/progress.h"
#include "cli/terminal.h"
#include "cloud/client/client.h"
#include "cloud/client/config.h"

namespace reel::cli {

namespace {

constexpr int64_t kLargeDownload = 8ll << 20;  // a progress line from this size on
constexpr double kDefaultBudgetMb = 4096;

/// Download progress on stderr for large files: an updating line on a terminal, otherwise one
/// line when it starts and one when it ends. Called from the fetching thread only.
std::function<void(const std::string&, int64_t, int64_t, bool)> download_progress(bool quiet) {
  if (quiet) return {};
  struct State {
    std::string url;
    bool shown = false;
    std::chrono::steady_clock::time_point start, drawn;
  };
  auto st = std::make_shared<State>();
  const bool tty = isatty(STDERR_FILENO);
  return [st, tty](const std::string& url, int64_t done, int64_t total, bool finished) {
    const auto now = std::chrono::steady_clock::now();
    if (url != st->url) *st = State{url, false, now, {}};
    const std::string shown = terminal_safe(cloud::url_origin(url) + cloud::url_path(url));
    if (!st->shown) {
      if (std::max(done, total) < kLargeDownload) return;
      st->shown = true;
      if (!tty)
        std::cerr << "reel: downloading " << shown << (total > 0 ? " (" + mb_text(total) + ")" : std::string()) << "\n";
    }
    if (tty && (finished || now - st->drawn > std::chrono::milliseconds(200))) {
      st->drawn = now;
      std::cerr << "\rreel: downloading " << shown << ": " << mb_text(done)
                << (total > 0 ? " of " + mb_text(total) : std::string()) << (finished ? "\n" : "   ") << std::flush;
    } else if (finished) {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.1f", seconds_since(st->start));
      std::cerr << "reel: downloaded " << shown << " (" << mb_text(done) << " in " << secs << " s)\n";
    }
    if (finished) st->url.clear();
  };
}

}  // namespace

double cache_budget_mb(const char* config_key, std::optional<double> flag) {
  if (flag) return *flag;
  const Json settings = cloud::ConfigStore(base::config_dir()).settings();
  if (auto b = settings.find(config_key); b != settings.end() && b->is_number() && b->get<double>() > 0)
    return b->get<double>();
  return kDefaultBudgetMb;
}

double media_budget_mb(std::optional<double> flag) { return cache_budget_mb("media_budget_mb", flag); }

void add_media_flags(CLI::App* sub, MediaArgs& a, bool with_api) {
  sub->add_flag("--offline", a.offline,
                "use no network: remote media must be in the media cache (`reel fetch DRAFT` fills it); every "
                "source that is not is listed");
  sub->add_flag("--allow-private-media", a.allow_private,
                "let remote media come from private-range addresses (10/8, 172.16/12, 192.168/16, fc00::/7)");
  sub->add_option("--media-budget", a.budget_mb,
                  "keep at most this many MB of downloaded media, least recently used out first (default: "
                  "config.json media_budget_mb, else 4096)")
      ->check(CLI::Range(1.0, 1e7));
  if (with_api)
    sub->add_option("--api", a.api,
                    "the backend, whose own address media may come from even when it is loopback (default: "
                    "REEL_API_URL, else config.json, else the production backend)");
}

SessionUploads uploads_of_pulled_draft(const std::string& draft_path) {
  SessionUploads u;
  if (draft_path != "-") {
    cloud::ConfigStore store(base::config_dir());
    if (auto from = store.pulled_draft(draft_path)) {
      u.api = from->api;
      u.files = store.uploads(from->api, from->session_id);
      return u;
    }
  }
  u.unmapped_reason =
      "cannot be mapped: a sandbox path names a file of a cloud session, and this draft did not come from "
      "`reel pull` (pull it again with `reel pull -o FILE`)";
  return u;
}

std::vector<cloud::RemoteMediaItem> resolve_remote_media(const draft::Draft& d, const std::string& draft_name,
                                                         const MediaArgs& a,
                                                         const std::function<SessionUploads()>& session_uploads,
                                                         engine::RenderOptions& o) {
  return resolve_remote_sources(cloud::remote_sources(d), draft_name, a, session_uploads, o);
}

std::vector<cloud::RemoteMediaItem> resolve_remote_sources(const std::vector<cloud::RemoteSource>& sources,
                                                           const std::string& draft_name, const MediaArgs& a,
                                                           const std::function<SessionUploads()>& session_uploads,
                                                           engine::RenderOptions& o) {
  if (sources.empty()) return {};
  SessionUploads uploads;
  for (const auto& s : sources)
    if (cloud::is_sandbox_path(s.reference)) {
      uploads = session_uploads();
      break;
    }
  const cloud::ClientOptions co = cloud::options_from_environment(a.api, "", "");
  const double budget_mb = media_budget_mb(a.budget_mb);

  cloud::MediaCacheOptions mc;
  mc.max_file_bytes = o.limits.max_file_bytes;
  mc.max_total_bytes = static_cast<int64_t>(budget_mb * 1024 * 1024);
  mc.timeouts.connect_ms = static_cast<long>(env_ms("REEL_CONNECT_TIMEOUT_MS", mc.timeouts.connect_ms));
  mc.offline = a.offline;
  mc.vet = cloud::media_vetter({{co.api, uploads.api}, a.allow_private});
  mc.progress = download_progress(a.quiet);
  mc.cancel = &interrupted();  // a dribbling or stalled server never holds a Ctrl-C
  auto cache = std::make_shared<cloud::MediaCache>(mc);
  auto mapper = std::make_shared<cloud::SourceMapper>(*cache, o.base_dir, uploads.files);

  cloud::RemoteMediaRequest req;
  req.draft_name = draft_name == "-" ? "DRAFT.json" : draft_name;
  req.offline = a.offline;
  req.unmapped_reason = uploads.files.empty() ? uploads.unmapped_reason : std::string();
  req.before_network = [] { start_network(); };
  std::vector<cloud::RemoteMediaItem> items = cloud::fetch_remote_media(*mapper, *cache, sources, req);

  std::map<std::string, std::string> cached;
  for (const auto& item : items) cached[item.source.reference] = item.path;
  o.resolve_source = [cached = std::move(cached), mapper, cache](const std::string& ref) -> std::string {
    if (auto it = cached.find(ref); it != cached.end()) return it->second;
    if (cloud::is_http_url(ref) || cloud::is_sandbox_path(ref))
      throw std::runtime_error("remote media is fetched only as a segment's source (" + ref + " is not one)");
    return mapper->resolve(ref);
  };
  return items;
}

}  // namespace reel::cli
