// `reel studio`: the local page to watch, scrub and edit a draft (cli/studio/, docs/studio.md).
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "base/files.h"
#include "cli/cloud_flows.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/make_draft.h"
#include "cli/process.h"
#include "cli/studio/server.h"
#include "cloud/client/config.h"

namespace reel::cli {

namespace {

namespace fs = std::filesystem;

struct StudioArgs {
  std::vector<std::string> inputs;  // one draft, or photos and clips
  int port = 0;
  bool open = false;
  std::string export_dir;
  CloudArgs cloud;
};

// "reel-studio.json" beside the first photo, or -2, -3 ... when that name is taken: starting
// from photos never overwrites a file.
std::string fresh_draft_name(const std::vector<std::string>& media) {
  fs::path dir = fs::current_path();
  for (const std::string& m : media)
    if (m.find("://") == std::string::npos) {
      std::error_code ec;
      dir = fs::is_directory(m, ec) ? fs::path(m) : fs::absolute(m).parent_path();
      break;
    }
  for (int n = 1;; ++n) {
    fs::path p = dir / (n == 1 ? std::string("reel-studio.json") : "reel-studio-" + std::to_string(n) + ".json");
    std::error_code ec;
    if (!fs::exists(p, ec)) return p.string();
  }
}

// A cloud is configured when the flags, the environment or config.json name a backend, or a
// token is at hand for the default one (`reel login`).
std::optional<cloud::ClientOptions> configured_cloud(const CloudArgs& a) {
  cloud::ClientOptions co = client_options(a);
  const char* env_api = std::getenv("REEL_API_URL");
  const bool named =
      !a.api.empty() || (env_api && *env_api) || cloud::ConfigStore(co.config_dir).settings().contains("api");
  if (named || !co.env_token.empty() || cloud::ConfigStore(co.config_dir).load_token(co.api)) return co;
  return std::nullopt;
}

int run(const StudioArgs& a) {
  studio::StudioOptions o;
  o.port = a.port;
  o.open = a.open;
  const bool one_draft = a.inputs.size() == 1 && fs::path(a.inputs[0]).extension() == ".json";
  if (one_draft) {
    if (a.inputs[0] == "-") throw UsageError("the studio edits a draft file in place; give its path, not '-'");
    std::error_code ec;
    if (const std::string kind = base::special_file_kind(a.inputs[0]); !kind.empty())
      throw base::Error(base::Fault::Input,
                        a.inputs[0] + ": is " + kind + ", not a draft; give the draft's .json file");
    if (!fs::is_regular_file(a.inputs[0], ec))
      throw base::Error(base::Fault::Input, a.inputs[0] +
                                                ": no such draft (start from photos with `reel studio "
                                                "PHOTOS...`, or make one with `reel make PHOTOS... "
                                                "--draft-out " +
                                                a.inputs[0] + "`)");
    o.draft_path = a.inputs[0];
  } else {
    for (const std::string& i : a.inputs)
      if (fs::path(i).extension() == ".json")
        throw UsageError("give the studio one draft (" + i + "), or photos and clips to start from, not both");
    o.draft_path = fresh_draft_name(a.inputs);
    if (const int code = write_made_draft(a.inputs, o.draft_path); code != kExitOk) return code;
    std::cerr << "reel: the studio edits the new draft " << o.draft_path << " (open it again with `reel studio "
              << o.draft_path << "`)\n";
  }
  o.export_dir = !a.export_dir.empty() ? a.export_dir : (fs::absolute(o.draft_path).parent_path() / "exports").string();
  o.cloud = configured_cloud(a.cloud);
  return studio::run_studio(o);
}

}  // namespace

void add_studio_commands(CLI::App& app, Commands& commands) {
  auto a = std::make_shared<StudioArgs>();
  auto* sub = app.add_subcommand(
      "studio", "A local page to watch, scrub and edit a draft: player, timeline, chat, render and export");
  sub->add_option("inputs", a->inputs,
                  "the draft JSON to edit, or photos and clips (or folders) to start from: their `reel make` draft "
                  "is written beside them as reel-studio.json")
      ->required();
  sub->add_option("--port", a->port, "the port on 127.0.0.1 (default: a free one)")->check(CLI::Range(0, 65535));
  sub->add_flag("--open", a->open, "open the page in the desktop's browser");
  sub->add_option("--export-dir", a->export_dir,
                  "where Render and Export write their files (default: exports/ beside the draft)");
  add_cloud_flags(sub, a->cloud);
  commands.add(
      sub, [a] { return run(*a); }, Needs::Network);
}

}  // namespace reel::cli
