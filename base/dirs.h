#pragma once
// reel's folders in the user's home, by the XDG base directory rules.
#include <string>

namespace reel::base {

/// $XDG_CONFIG_HOME/reel, else $HOME/.config/reel: tokens, sessions, settings.
std::string config_dir();
/// $XDG_CACHE_HOME/reel, else $HOME/.cache/reel: proxies, media, chunks — safe to delete.
std::string cache_dir();
/// $XDG_DATA_HOME/reel, else $HOME/.local/share/reel: what the render node keeps.
std::string data_dir();

}  // namespace reel::base
