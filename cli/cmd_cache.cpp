// cache: what reel keeps in its cache folder (photo proxies, rendered chunks, downloaded media),
// and clearing it; fetch: a draft's remote media downloaded into it ahead of time.
#include "cli/cmd_cache.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "base/cache_folder.h"
#include "base/dirs.h"
#include "cli/cloud_flows.h"
#include "cli/commands.h"
#include "cli/draft_input.h"
#include "cli/exit_codes.h"
#include "cli/media_sources.h"
#include "cli/terminal.h"
#include "cloud/client/media_cache.h"
#include "engine/render.h"

namespace reel::cli {

namespace fs = std::filesystem;

namespace {
int64_t megabytes(double mb) { return static_cast<int64_t>(mb * 1024 * 1024); }
}  // namespace

std::string cache_part_dir(const std::string& part) { return base::cache_dir() + "/" + part; }

void use_cache_folders(engine::RenderOptions& options, bool disabled) {
  options.proxy_dir = disabled ? std::string() : cache_part_dir("proxies");
  options.chunk_dir = disabled ? std::string() : cache_part_dir("chunks");
  if (!disabled) options.chunk_budget_bytes = megabytes(cache_budget_mb("chunk_budget_mb", std::nullopt));
}

namespace {

std::string budget_line(double mb, const char* flag, const char* key) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "  budget %g MB (%s, config.json %s), least recently used out first\n", mb, flag, key);
  return buf;
}

std::string describe(const base::FolderUsage& u) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d file%s, %.1f MB", u.files, u.files == 1 ? "" : "s", double(u.bytes) / (1 << 20));
  return buf;
}

bool is_media_entry(const std::string& name) { return !name.ends_with(".origin"); }

int run_cache(bool clear, std::optional<double> media_flag, std::optional<double> chunk_flag) {
  const fs::path root = base::cache_dir();
  const double media_mb = media_budget_mb(media_flag), chunk_mb = cache_budget_mb("chunk_budget_mb", chunk_flag);
  cloud::MediaCacheOptions mo;
  mo.dir = (root / "media").string();
  mo.max_total_bytes = megabytes(media_mb);
  cloud::MediaCache media(mo);
  if (media_flag && !clear) media.trim();  // --media-budget: within it now
  if (chunk_flag && !clear) engine::trim_kept_chunks((root / "chunks").string(), megabytes(chunk_mb));

  const std::pair<const char*, const char*> parts[] = {
      {"proxies", "photos decoded and framed by earlier renders (made again when needed)"},
      {"chunks",
       "video rendered by earlier renders, a few seconds a file, and their sound (rendered again when needed)"},
      {"media", "sources downloaded for local renders (downloaded again when needed)"},
  };
  int failed = 0;
  for (const auto& [name, what] : parts) {
    const fs::path dir = root / name;
    const bool is_media = std::string(name) == "media";
    const base::FolderUsage before = base::folder_usage(dir.string(), is_media ? is_media_entry : base::EntryFilter());
    if (!clear) {
      std::cout << name << ": " << dir.string() << " - " << describe(before) << "; " << what << "\n";
      if (std::string(name) == "chunks") std::cout << budget_line(chunk_mb, "--chunk-budget", "chunk_budget_mb");
      if (!is_media) continue;
      std::cout << budget_line(media_mb, "--media-budget", "media_budget_mb");
      for (const cloud::CachedMedia& m : media.entries())
        std::cout << "  " << mb_text(m.bytes) << "  " << terminal_safe(m.origin) << "  "
                  << fs::path(m.path).filename().string() << "\n";
      continue;
    }
    std::error_code ec;
    for (const auto& de : fs::directory_iterator(dir, ec))
      if (de.is_regular_file(ec) && !fs::remove(de.path(), ec)) {
        std::cerr << "reel: cannot remove " << de.path().string() << ": " << ec.message() << "\n";
        ++failed;
      }
    std::cout << name << ": removed " << describe(before) << " from " << dir.string() << "\n";
  }
  return failed ? kExitBadInput : kExitOk;
}

struct FetchArgs {
  std::string draft;
  MediaArgs media;
};

int run_fetch(const FetchArgs& a) {
  DraftInput in = read_draft_input(a.draft);
  if (report_problems(in, false)) {
    std::cerr << "reel: the draft has errors; fix them first (`reel validate " << a.draft << "` lists them)\n";
    return kExitBadInput;
  }
  engine::RenderOptions o;
  o.base_dir = in.base_dir;
  const auto items = resolve_remote_media(
      in.loaded.draft, a.draft, a.media, [&] { return uploads_of_pulled_draft(a.draft); }, o);
  if (items.empty()) {
    std::cerr << "reel: " << a.draft << " names no remote media; nothing to fetch\n";
    return kExitOk;
  }
  int downloaded = 0;
  for (const auto& item : items) {
    std::cout << item.source.pointer << "  " << terminal_safe(item.source.reference) << "  "
              << (item.downloaded ? "downloaded" : "already cached") << " (" << mb_text(item.bytes) << ")\n";
    downloaded += item.downloaded;
  }
  std::cerr << "reel: all " << items.size() << " remote media source" << (items.size() == 1 ? "" : "s") << " of "
            << a.draft << " are in the media cache (" << downloaded << " downloaded now); it renders with --offline\n";
  return kExitOk;
}

}  // namespace

void add_cache_commands(CLI::App& app, Commands& commands) {
  auto clear = std::make_shared<bool>(false);
  auto budget = std::make_shared<std::optional<double>>();
  auto chunk_budget = std::make_shared<std::optional<double>>();
  auto* cache = app.add_subcommand("cache", "Show what reel keeps in its cache folder, or clear it");
  cache->add_flag("--clear", *clear, "remove the photo proxies, the rendered chunks and the downloaded media");
  cache
      ->add_option("--media-budget", *budget,
                   "trim the downloaded media to this many MB now, least recently used out first (default: "
                   "config.json media_budget_mb, else 4096)")
      ->check(CLI::Range(1.0, 1e7));
  cache
      ->add_option("--chunk-budget", *chunk_budget,
                   "trim the rendered chunks to this many MB now, least recently used out first; renders keep "
                   "them within config.json chunk_budget_mb (default 4096)")
      ->check(CLI::Range(1.0, 1e7));
  commands.add(cache, [clear, budget, chunk_budget] { return run_cache(*clear, *budget, *chunk_budget); });

  auto fetch = std::make_shared<FetchArgs>();
  auto* sub = app.add_subcommand(
      "fetch", "Download a draft's remote media into the media cache now, so it renders offline later");
  sub->add_option("draft", fetch->draft, "the draft JSON file ('-' reads standard input)")->required();
  add_media_flags(sub, fetch->media);
  commands.add(sub, [fetch] { return run_fetch(*fetch); });
}

}  // namespace reel::cli
