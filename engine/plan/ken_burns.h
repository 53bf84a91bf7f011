#pragma once
// Ken Burns motion. A path between two focus points (x, y: the point of the
// source at the frame centre; z: zoom over the fitted framing) with a typed easing curve,
// resolved from the draft's explicit points or presets, and turned into one affine map per
// frame from canvas pixels to prepared-source pixels.
#include "engine/internal.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "draft/model.h"

namespace reel::engine {

/// A named easing curve over [0, 1]: linear, in (t^2), out (1-(1-t)^2), inout (smoothstep).
double ease(draft::Ease e, double t);

/// A resolved Ken Burns path: no presets left.
struct KbPath {
  draft::FocusPoint from, to;
  draft::Ease ease = draft::Ease::InOut;
  draft::FocusPoint at(double t) const;  // t in [0, 1], eased here
  double max_zoom() const;
  double min_zoom() const;
};

/// Resolves a segment's Ken Burns setting. `auto` picks from a varied list using `seed` and
/// never repeats `previous_auto` (the index of the last auto move on the track; updated).
/// This is the framing when nothing is known of the subject (centred moves); aim_ken_burns
/// refines it once the subject is known.
KbPath resolve_ken_burns(const draft::KenBurns& kb, uint64_t seed, int* previous_auto);

/// When an explicit pan (from and to at different x or y) cannot move at all — at its zoom the
/// fitted `src_w` x `src_h` picture (the source's own size; fitted to the canvas by `fit`)
/// leaves no room around the canvas's view — the sentence saying so and which zoom would let it
/// move; empty when the pan moves or is not a pan.
std::string stuck_pan_advice(const KbPath& kb, draft::Fit fit, int64_t src_w, int64_t src_h, int canvas_w,
                             int canvas_h);

/// Where the subject is inside a framed picture, and how much of it the canvas shows:
/// boxes in 0..1 of the framed picture (the space of KbPath's points), `view_w`/`view_h` the
/// share of its width and height the canvas shows at zoom 1 (<= 1).
struct SubjectView {
  draft::FocusBox focus;               // where the subject is
  std::vector<draft::FocusBox> faces;  // the faces in it, when it was found by its faces
  double view_w = 1, view_h = 1;
};

/// The Ken Burns path of `kb` aimed at the subject: the hold and the presets place the
/// subject inside the frame near a third (faces on the upper third); `auto` takes, in the
/// order `auto_pick` (resolve_ken_burns' pick for this segment) starts, the first move that
/// keeps the subject whole in every frame (zoom towards it, pan from the empty side towards
/// it, drifts) and differs from `previous_pick`. Explicit paths come back as written.
/// Group photos keep every face when they fit in the frame, else the largest group that does.
/// A subject found by saliency alone is a guess: it is kept as far as the asked move allows
/// (its middle, when larger), so a picture that is all subject still moves as asked.
KbPath aim_ken_burns(const draft::KenBurns& kb, int auto_pick, int previous_pick, const SubjectView& subject);

/// The part of the subject a path at zoom up to `max_zoom` keeps in view: all faces, the
/// largest group of them, or the focus, shrunk to the frame when larger.
draft::FocusBox subject_target(const SubjectView& subject, double max_zoom);

/// Whether the subject box lies wholly inside the view of `path` at each of `samples` + 1
/// evenly spaced instants (window clamped inside the picture, as ken_burns_affine does).
bool keeps_in_view(const KbPath& path, const draft::FocusBox& box, double view_w, double view_h, int samples = 96);

/// 2x3 matrix mapping destination pixel (x, y) to source pixel coordinates (OpenCV's
/// WARP_INVERSE_MAP convention, pixel centres at integers).
using Affine = std::array<double, 6>;

/// The map for a canvas of `canvas_w` x `canvas_h` showing focus point `f` of a prepared
/// source `src_w` x `src_h` made at `scale` times the fitted framing. The view window is
/// clamped inside the source, so no edge ever shows.
Affine ken_burns_affine(const draft::FocusPoint& f, double scale, int src_w, int src_h, int canvas_w, int canvas_h);

/// The same map for the half-size chroma planes (centre-sited 4:2:0 samples).
Affine chroma_affine(const Affine& luma);

/// Composes a destination-side change: a map for dst' = s * (dst - c) + c + t (zoom by `s`
/// about (cx, cy), then shift by (tx, ty) destination pixels).
Affine with_dst_transform(const Affine& m, double s, double cx, double cy, double tx, double ty);

}  // namespace reel::engine
