// reel: the command line. Parses, runs the chosen subcommand, turns errors into exit codes.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/process.h"
#include "draft/problem.h"

namespace reel::cli {

const Commands::Entry* Commands::chosen(const CLI::App& app) const {
  for (const CLI::App* sub : app.get_subcommands()) {
    auto it = runners_.find(sub);
    if (it != runners_.end()) return &it->second;
  }
  return nullptr;
}

}  // namespace reel::cli

int main(int argc, char** argv) {
  using namespace reel::cli;
  CLI::App app{"reel: photos, images and clips to finished videos, locally and in the cloud", "reel"};
  app.set_version_flag("-V,--version", std::string("reel ") + REEL_VERSION);
  app.require_subcommand(0, 1);
  app.fallthrough();

  Commands commands;
  add_draft_commands(app, commands);
  add_render_commands(app, commands);
  add_make_commands(app, commands);
  add_cloud_commands(app, commands);
  add_chat_commands(app, commands);
  add_cache_commands(app, commands);
  add_focus_commands(app, commands);

  auto* help = app.add_subcommand("help", "Show the commands, or one command's options");
  std::string help_topic;
  help->add_option("command", help_topic, "a command to explain");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  if (help->parsed() || app.get_subcommands().empty()) {
    if (!help_topic.empty()) {
      try {
        std::cout << app.get_subcommand(help_topic)->help();
        return kExitOk;
      } catch (const CLI::OptionNotFound&) {
        std::cerr << "reel: no command named '" << help_topic << "'; see `reel help`\n";
        return kExitUsage;
      }
    }
    // app.help() would describe the chosen subcommand ("help" itself): format the app's own.
    std::cout << app.get_formatter()->make_help(&app, "reel", CLI::AppFormatMode::Normal);
    return app.get_subcommands().empty() && argc > 1 ? kExitUsage : kExitOk;
  }

  const Commands::Entry* chosen = commands.chosen(app);
  if (!chosen) {
    std::cout << app.help();
    return kExitUsage;
  }
  ProcessSetup process(chosen->needs);  // logging routes, network globals: set here only
  return run_reporting_errors(chosen->run);
}
