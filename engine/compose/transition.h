#pragma once
// The transitions of draft-format.md on YUV 4:2:0 pictures. The outgoing picture is
// already in `out` (warped, or whatever lies below); the incoming one is in `in`. Progress is
// eased, 0 -> 1. Masks are computed per plane at that plane's resolution, with a one-pixel
// soft edge so moving edges travel smoothly at sub-pixel speed.
#include "engine/internal.h"

#include "draft/model.h"
#include "engine/av/yuv_image.h"

namespace reel::engine {

/// How a transition moves the two pictures (slides and zooms): applied to each layer's warp
/// before it is drawn. Scale about the canvas centre, then shift in canvas pixels.
struct LayerMotion {
  double scale = 1, dx = 0, dy = 0;
};
LayerMotion outgoing_motion(draft::TransitionType t, double progress, int width, int height);
LayerMotion incoming_motion(draft::TransitionType t, double progress, int width, int height);

/// Blends `in` over `out` (in place) for transition `t` at `progress`, then (once the whole
/// frame is blended) finish_transition. `out` and `in` may be bands of the frame: their rows
/// are rows first_row.. (even) of a frame `height` rows high (0: theirs), the same pixels as
/// the whole frame at once.
void apply_transition(draft::TransitionType t, double progress, const YuvView& out, const YuvView& in, Yuv black,
                      Yuv white, int first_row = 0, int height = 0);
/// What a transition does to the whole blended frame (pixelize's blocks reach across bands).
void finish_transition(draft::TransitionType t, double progress, const YuvView& out);

}  // namespace reel::engine
