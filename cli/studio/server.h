#pragma once
// `reel studio`'s server: the page and its JSON API on 127.0.0.1, every request checked by
// cli/loopback/guard (Host, Origin, token) before anything else. docs/studio.md.
#include <optional>
#include <string>

#include "cli/cloud_flows.h"

namespace reel::cli::studio {

struct StudioOptions {
  std::string draft_path;                     // the draft file the studio edits
  int port = 0;                               // 0: a free port
  bool open = false;                          // start the browser on the address
  std::string export_dir;                     // where Render and Export write
  std::optional<cloud::ClientOptions> cloud;  // empty: no cloud configured (Export renders here)
};

/// Serves until Ctrl-C or SIGTERM (cli/progress's interrupted()); prints the address with its
/// token on stdout first. Returns the exit code (0: stopped as asked).
int run_studio(const StudioOptions& options);

}  // namespace reel::cli::studio
