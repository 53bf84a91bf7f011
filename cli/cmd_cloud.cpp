// The cloud's commands (cloud issue).
#include "cli/commands.h"

namespace reel::cli {
void add_cloud_commands(CLI::App&, Commands&) {}
}  // namespace reel::cli
