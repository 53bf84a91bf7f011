#pragma once
// The render node's renderer: the local engine (engine::render_to_file, final preset). The one
// place in cloud/ that links engine.
#include "cloud/node/server.h"

namespace reel::cloud {

/// A NodeRenderFn that renders with the local engine using `threads` compose workers.
NodeRenderFn engine_render_fn(int threads = 0);

}  // namespace reel::cloud
