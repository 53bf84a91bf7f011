#pragma once
// The render node's renderer: the local engine (engine::render_to_file or render_part, final preset). The one
// place in cloud/ that links engine.
#include <string>

#include "cloud/node/server.h"

namespace reel::cloud {

/// A NodeRenderFn that renders with the local engine (the whole draft, or the part a job asks
/// for: engine::render_part) using `threads` compose workers, keeping
/// its chunks in `chunk_dir` (the node's data folder's "chunks"), so a session's draft rendered
/// again after an edit renders only what changed; empty: nothing kept.
NodeRenderFn engine_render_fn(int threads = 0, std::string chunk_dir = {});

}  // namespace reel::cloud
