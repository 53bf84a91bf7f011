#pragma once
// How subcommands plug into `reel`: each cmd_*.cpp adds its subcommands to the app and
// registers what runs when one is chosen. main.cpp parses, runs the chosen one, and maps
// exceptions to exit codes (cli/exit_codes.h).
#include <CLI/CLI.hpp>
#include <functional>
#include <map>

namespace reel::cli {

using Runner = std::function<int()>;

class Commands {
 public:
  /// Runs `run` when `sub` is the subcommand given on the command line.
  void add(CLI::App* sub, Runner run) { runners_[sub] = std::move(run); }
  /// The runner of the chosen subcommand, or nullptr.
  const Runner* chosen(const CLI::App& app) const;

 private:
  std::map<const CLI::App*, Runner> runners_;
};

void add_draft_commands(CLI::App& app, Commands& commands);   // validate, summary, fmt
void add_render_commands(CLI::App& app, Commands& commands);  // render, preview, still, storyboard
void add_make_commands(CLI::App& app, Commands& commands);    // make
void add_cloud_commands(CLI::App& app, Commands& commands);   // login, credits, ..., export, serve, bench
void add_chat_commands(CLI::App& app, Commands& commands);    // chat
void add_cache_commands(CLI::App& app, Commands& commands);   // cache

}  // namespace reel::cli
