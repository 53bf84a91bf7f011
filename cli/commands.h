#pragma once
// How subcommands plug into `reel`: each cmd_*.cpp adds its subcommands to the app and
// registers what runs when one is chosen. main.cpp parses, runs the chosen one, and maps
// exceptions to exit codes (cli/exit_codes.h).
#include <CLI/CLI.hpp>
#include <functional>
#include <map>

namespace reel::cli {

using Runner = std::function<int()>;

/// What a command needs of the process besides the basics (see ProcessSetup).
enum class Needs { Local, Network };

class Commands {
 public:
  /// Runs `run` when `sub` is the subcommand given on the command line.
  void add(CLI::App* sub, Runner run, Needs needs = Needs::Local) { runners_[sub] = {std::move(run), needs}; }
  struct Entry {
    Runner run;
    Needs needs = Needs::Local;
  };
  /// The chosen subcommand's entry, or nullptr.
  const Entry* chosen(const CLI::App& app) const;

 private:
  std::map<const CLI::App*, Entry> runners_;
};

void add_draft_commands(CLI::App& app, Commands& commands);   // validate, summary, fmt
void add_render_commands(CLI::App& app, Commands& commands);  // render, preview, still, storyboard
void add_make_commands(CLI::App& app, Commands& commands);    // make
void add_cloud_commands(CLI::App& app, Commands& commands);   // login, credits, ..., export, serve, bench
void add_chat_commands(CLI::App& app, Commands& commands);    // chat
void add_cache_commands(CLI::App& app, Commands& commands);   // cache, fetch
void add_focus_commands(CLI::App& app, Commands& commands);   // focus
void add_mcp_commands(CLI::App& app, Commands& commands);     // mcp
void add_studio_commands(CLI::App& app, Commands& commands);  // studio

}  // namespace reel::cli
