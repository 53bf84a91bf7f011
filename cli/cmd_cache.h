#pragma once
// Where the local renders keep what they reuse (photo proxies, rendered chunks), shared by
// every command that renders.
#include <string>

#include "engine/types.h"

namespace reel::cli {

/// $XDG_CACHE_HOME/reel/<part> (else ~/.cache/reel/<part>): "proxies", "chunks", "media".
std::string cache_part_dir(const std::string& part);

/// Sets the render's proxy and chunk folders in the cache folder, or none when `disabled`
/// (--no-cache: everything is decoded and rendered afresh and nothing is kept).
void use_cache_folders(engine::RenderOptions& options, bool disabled = false);

}  // namespace reel::cli
