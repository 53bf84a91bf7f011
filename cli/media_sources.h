#pragma once
// A draft's remote media for every local command that reads it (render, preview, still,
// storyboard, fetch, pull --with-media, export --local, chat's and bench's local renders): one
// media cache (cloud/client/media_cache.h) and one resolver. Every remote source is found in
// the cache or fetched before the engine starts (cloud/client/remote_media.h); the engine's
// resolver then only maps to cached files. A draft with no remote source costs nothing here:
// no config is read, libcurl is not started.
#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cloud/client/remote_media.h"
#include "draft/model.h"
#include "engine/types.h"

namespace reel::cli {

/// The flags of the commands that read a draft's media.
struct MediaArgs {
  bool offline = false;             // --offline: no network; what is not cached is listed
  bool allow_private = false;       // --allow-private-media
  std::optional<double> budget_mb;  // --media-budget MB (else config.json media_budget_mb, else 4096)
  std::string api;                  // --api: the backend whose origin media may come from
  bool quiet = false;               // no download progress
};

/// A cache folder's budget in MB: `flag` when given, else config.json's `config_key` (a
/// positive number), else 4096.
double cache_budget_mb(const char* config_key, std::optional<double> flag);

/// The media cache's budget in MB: `flag`, else config.json media_budget_mb, else 4096.
double media_budget_mb(std::optional<double> flag);

/// --offline, --allow-private-media, --media-budget and (with `with_api`) --api.
void add_media_flags(CLI::App* sub, MediaArgs& a, bool with_api = true);

/// Where a draft's sandbox paths (/mnt/userdata/.../name) map: the uploads of the session it
/// came from, by file name.
struct SessionUploads {
  std::string api;                           // that session's backend (trusted as a media origin)
  std::map<std::string, std::string> files;  // file name -> cdn_url
  std::string unmapped_reason;               // why none can be mapped (no session); empty: known
};
/// The uploads of the session `reel pull` wrote `draft_path` from (config pulled.json and
/// uploads.json); an unmapped_reason when it was not pulled.
SessionUploads uploads_of_pulled_draft(const std::string& draft_path);

/// Finds or fetches every remote source of `d` (`uploads` is asked only when it has sandbox
/// paths) and sets `o.resolve_source` to the resolver
/// that maps them to their cached files (and local references as files, against o.base_dir).
/// Nothing when `d` has no remote source. Throws cloud::MediaUnavailable listing every source
/// that cannot be had. Returns what became of each source (for `reel fetch`).
std::vector<cloud::RemoteMediaItem> resolve_remote_media(const draft::Draft& d, const std::string& draft_name,
                                                         const MediaArgs& a,
                                                         const std::function<SessionUploads()>& uploads,
                                                         engine::RenderOptions& o);

/// The same for a list of sources that are not (yet) a draft's: `reel make`'s URL arguments.
std::vector<cloud::RemoteMediaItem> resolve_remote_sources(const std::vector<cloud::RemoteSource>& sources,
                                                           const std::string& draft_name, const MediaArgs& a,
                                                           const std::function<SessionUploads()>& uploads,
                                                           engine::RenderOptions& o);

}  // namespace reel::cli
