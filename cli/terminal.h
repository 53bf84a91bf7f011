#pragma once
// What reaches the terminal from outside: text from the network is printed only through here.
#include <string>
#include <string_view>

namespace reel::cli {

/// `text` with every terminal control removed — escape sequences (CSI, OSC and the rest), C0
/// controls but newline and tab, DEL, C1 controls — so what came from the network (the agent's
/// words, a backend's error text) cannot clear the screen, set the title or move the cursor.
std::string terminal_safe(std::string_view text);

}  // namespace reel::cli
