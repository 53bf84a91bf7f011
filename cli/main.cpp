// reel: the command line. Parses, runs the chosen subcommand, turns errors into exit codes.
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/process.h"
#include "draft/names.h"
#include "draft/problem.h"

namespace reel::cli {

const Commands::Entry* Commands::chosen(const CLI::App& app) const {
  for (const CLI::App* sub : app.get_subcommands()) {
    auto it = runners_.find(sub);
    if (it != runners_.end()) return &it->second;
  }
  return nullptr;
}

namespace {

// Lists subcommands as they are typed: `reel export`, `reel cache clear`, not `export`.
class CommandFormatter : public CLI::Formatter {
 public:
  std::string make_subcommand(const CLI::App* sub) const override {
    std::string name = sub->get_display_name(true);
    for (const CLI::App* p = sub->get_parent(); p; p = p->get_parent()) name = p->get_name() + " " + name;
    std::stringstream out;
    CLI::detail::format_help(out, name, sub->get_description(), column_width_);
    return out.str();
  }
};

// `reel nosuch`: an unknown command, with the nearest one (or the list when none is near).
std::optional<std::string> unknown_command(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-' || argv[1][0] == '\0') return std::nullopt;
  const std::string given = argv[1];
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->check_name(given)) return std::nullopt;
    names.push_back(sub->get_name());
  }
  std::string msg = "reel: unknown command \"" + given + "\"";
  if (auto near = draft::nearest_name(given, names)) return msg + "; did you mean `reel " + *near + "`?\n";
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  return msg + "; the commands are " + list + " (`reel help COMMAND` explains one)\n";
}

}  // namespace

}  // namespace reel::cli

int main(int argc, char** argv) {
  using namespace reel::cli;
  CLI::App app{"reel: photos, images and clips to finished videos, locally and in the cloud", "reel"};
  app.set_version_flag("-V,--version", std::string("reel ") + REEL_VERSION);
  app.require_subcommand(0, 1);
  app.fallthrough();
  app.formatter(std::make_shared<CommandFormatter>());

  Commands commands;
  add_draft_commands(app, commands);
  add_render_commands(app, commands);
  add_make_commands(app, commands);
  add_cloud_commands(app, commands);
  add_chat_commands(app, commands);
  add_cache_commands(app, commands);
  add_focus_commands(app, commands);
  add_mcp_commands(app, commands);
  add_studio_commands(app, commands);

  auto* help = app.add_subcommand("help", "Show the commands, or one command's options");
  std::string help_topic;
  help->add_option("command", help_topic, "a command to explain");

  if (auto unknown = unknown_command(app, argc, argv)) {
    std::cerr << *unknown;
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e) == 0 ? kExitOk : kExitUsage;  // --help, --version
    // One line naming the command, as reel's other messages: "reel still: --at is required; …".
    std::string command;
    for (int i = 1; i < argc && command.empty(); ++i)
      if (argv[i][0] != '-') command = argv[i];
    const std::string who = command.empty() ? "reel" : "reel " + command;
    std::cerr << who << ": " << e.what() << "; see `" << (command.empty() ? "reel help" : "reel help " + command)
              << "`\n";
    return kExitUsage;
  }

  if (help->parsed() || app.get_subcommands().empty()) {
    if (!help_topic.empty()) {
      try {
        std::cout << app.get_subcommand(help_topic)->help("reel");
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
