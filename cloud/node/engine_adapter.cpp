#include "cloud/node/engine_adapter.h"

#include "engine/render.h"

namespace reel::cloud {

NodeRenderFn engine_render_fn(int threads, std::string chunk_dir) {
  return [threads, chunk_dir](const draft::Draft& draft, const std::string& out_path,
                              const std::function<std::string(const std::string&)>& resolve,
                              const std::function<void(int)>& progress, const std::atomic<bool>& cancel,
                              const PartRequest& part) {
    engine::RenderOptions options;
    options.preset = engine::Preset::Final;
    options.threads = threads;
    options.chunk_dir = chunk_dir;
    options.chunk_budget_bytes = int64_t(2) << 30;
    options.resolve_source = resolve;  // every source, font files included, goes through the node's policy
    const auto report = [&](const engine::RenderProgress& p) {
      if (p.frames_total > 0) progress(static_cast<int>(10 + 89 * p.frames_done / p.frames_total));
    };
    if (part.of > 0)
      engine::render_part(draft, part.index, part.of, out_path, options, report, &cancel);
    else
      engine::render_to_file(draft, out_path, options, report, &cancel);
  };
}

}  // namespace reel::cloud
