// cache: what reel keeps in its cache folder (photo proxies, rendered chunks, downloaded media),
// and clearing it.
#include "cli/cmd_cache.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "base/cache_folder.h"
#include "base/dirs.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace reel::cli {

namespace fs = std::filesystem;

std::string cache_part_dir(const std::string& part) { return base::cache_dir() + "/" + part; }

void use_cache_folders(engine::RenderOptions& options, bool disabled) {
  options.proxy_dir = disabled ? std::string() : cache_part_dir("proxies");
  options.chunk_dir = disabled ? std::string() : cache_part_dir("chunks");
}

namespace {

std::string describe(const base::FolderUsage& u) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d file%s, %.1f MB", u.files, u.files == 1 ? "" : "s", double(u.bytes) / (1 << 20));
  return buf;
}

int run_cache(bool clear) {
  const fs::path root = base::cache_dir();
  const std::pair<const char*, const char*> parts[] = {
      {"proxies", "photos decoded and framed by earlier renders (made again when needed)"},
      {"chunks",
       "video rendered by earlier renders, a few seconds a file, and their sound (rendered again when needed)"},
      {"media", "sources downloaded for local renders (downloaded again when needed)"},
  };
  int failed = 0;
  for (const auto& [name, what] : parts) {
    const fs::path dir = root / name;
    const base::FolderUsage before = base::folder_usage(dir.string());
    if (!clear) {
      std::cout << name << ": " << dir.string() << " - " << describe(before) << "; " << what << "\n";
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

}  // namespace

void add_cache_commands(CLI::App& app, Commands& commands) {
  auto clear = std::make_shared<bool>(false);
  auto* cache = app.add_subcommand("cache", "Show what reel keeps in its cache folder, or clear it");
  cache->add_flag("--clear", *clear, "remove the photo proxies, the rendered chunks and the downloaded media");
  commands.add(cache, [clear] { return run_cache(*clear); });
}

}  // namespace reel::cli
