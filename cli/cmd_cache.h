#pragma once
// Where the local renders keep their photo proxies, shared by every command that renders.
#include <string>

namespace reel::cli {

/// $XDG_CACHE_HOME/reel/proxies (else ~/.cache/reel/proxies), or "" when `disabled`.
std::string proxy_dir(bool disabled = false);

}  // namespace reel::cli
