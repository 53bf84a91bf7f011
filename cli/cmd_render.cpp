// render, preview, still, storyboard: the local engine's commands (engine issue).
#include "cli/commands.h"

namespace reel::cli {
void add_render_commands(CLI::App&, Commands&) {}
}  // namespace reel::cli
