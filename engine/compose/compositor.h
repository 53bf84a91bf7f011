#pragma once
// Composes one frame of the plan into a YUV 4:2:0 picture: per video track, one
// sub-pixel affine warp per visible photo straight into the output planes, then the
// transition's blend. Pure function of (plan, frame, sources): any thread, any order.
#include "engine/internal.h"

#include <cstdint>
#include <memory>

#include "engine/av/yuv_image.h"
#include "engine/photo/framing.h"
#include "engine/plan/render_plan.h"

namespace reel::engine {

class TextLayer;

/// Hands out prepared sources by plan item index and frame (a photo is the same at every frame;
/// a clip shows its picture of that frame). Implementations must be thread-safe; the returned
/// source stays valid while the shared_ptr is held.
class SourceProvider {
 public:
  virtual ~SourceProvider() = default;
  virtual std::shared_ptr<const PreparedSource> get(int item, int64_t frame) = 0;
};

/// A worker's reusable scratch memory (one per thread): a band of a transition's incoming
/// picture.
struct ComposeScratch {
  YuvImage incoming;
};

/// Warps `src` through the luma map `m` into every plane of `out` (Catmull-Rom, edges
/// clamped). `out` may be a band of the frame: rows first_row.. (even) of it.
void warp_into(const PreparedSource& src, const Affine& m, const YuvView& out, int first_row = 0);

/// Composes frame `n` of `plan` into `out` (plan.width x plan.height), then draws `text`
/// (the draft's text tracks, on top of every video track) when given.
void compose_frame(const Plan& plan, int64_t n, SourceProvider& sources, const YuvView& out, ComposeScratch& scratch,
                   TextLayer* text = nullptr);

}  // namespace reel::engine
