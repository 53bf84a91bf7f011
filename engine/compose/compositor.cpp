#include "engine/compose/compositor.h"

#include <opencv2/imgproc.hpp>

#include "engine/compose/resample.h"
#include "engine/compose/transition.h"
#include "engine/text/layer.h"
#include "engine/timings.h"

namespace reel::engine {

void warp_into(const PreparedSource& src, const Affine& m, const YuvView& out, int first_row) {
  YuvView s = src.image.view();
  Affine c = chroma_affine(m);
  for (int i = 0; i < 3; ++i) {
    const Affine& a = i == 0 ? m : c;
    const int row0 = i == 0 ? first_row : first_row / 2;
    if (a[1] == 0 && a[3] == 0) {
      // Every map the compositor makes is a scale plus a shift: the exact separable warp.
      resample_plane(s.plane[i], out.plane[i], a[0], a[2], a[4], a[5], row0);
      continue;
    }
    cv::Matx23d M(a[0], a[1], a[2] + a[1] * row0, a[3], a[4], a[5] + a[4] * row0);
    cv::Mat dst = out.plane[i].mat();
    cv::warpAffine(s.plane[i].mat(), dst, M, dst.size(), cv::INTER_CUBIC | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
  }
}

namespace {

// Rows of a transition's band (even); the pixels are the whole frame's at any height.
constexpr int kTransitionBandRows = 64;

Affine layer_affine(const Plan& plan, int item, int64_t n, const PreparedSource& src, const LayerMotion& motion) {
  Affine m =
      ken_burns_affine(plan.focus_at(item, n), src.scale, src.full_width, src.full_height, plan.width, plan.height);
  m[2] -= src.offset_x;  // the prepared image holds only the reachable part of the framing
  m[5] -= src.offset_y;
  if (motion.scale != 1 || motion.dx != 0 || motion.dy != 0)
    m = with_dst_transform(m, motion.scale, plan.width / 2.0 - 0.5, plan.height / 2.0 - 0.5, motion.dx, motion.dy);
  return m;
}

}  // namespace

void compose_frame(const Plan& plan, int64_t n, SourceProvider& sources, const YuvView& out, ComposeScratch& scratch,
                   TextLayer* text) {
  StageClock clock(Stage::Warp);
  std::vector<TrackState> states = plan.state_at(n);
  // Every photo layer covers the whole canvas, so the background only shows when the bottom
  // track is empty at n or fades in from nothing.
  if (states.empty() || (states.front().transition && states.front().a < 0)) fill(out, plan.background_yuv);
  const Yuv black = to_yuv709(0, 0, 0), white = to_yuv709(255, 255, 255);
  for (const TrackState& s : states) {
    if (!s.transition) {
      auto src = sources.get(s.b, n);
      warp_into(*src, layer_affine(plan, s.b, n, *src, {}), out);
      continue;
    }
    if (s.a >= 0) {
      auto a = sources.get(s.a, n);
      warp_into(*a, layer_affine(plan, s.a, n, *a, outgoing_motion(s.type, s.progress, plan.width, plan.height)), out);
    }
    // The incoming picture is warped and blended a band of rows at a time: a frame's worth of
    // scratch per worker otherwise (3 MB at 1080p, held through every transition).
    const int band = std::min(kTransitionBandRows, plan.height);
    if (scratch.incoming.width() != plan.width || scratch.incoming.height() != band)
      scratch.incoming = YuvImage(plan.width, band);
    auto b = sources.get(s.b, n);
    const Affine incoming =
        layer_affine(plan, s.b, n, *b, incoming_motion(s.type, s.progress, plan.width, plan.height));
    for (int y = 0; y < plan.height; y += band) {
      const int rows = std::min(band, plan.height - y);
      const YuvView in = scratch.incoming.view().rows(0, rows), here = out.rows(y, rows);
      warp_into(*b, incoming, in, y);
      apply_transition(s.type, s.progress, here, in, black, white, y, plan.height);
    }
    finish_transition(s.type, s.progress, out);
  }
  if (text && !text->empty()) {
    StageClock words(Stage::Text);
    text->draw(n, out);
  }
  // The draft's fades at its ends take everything, words included, to the background.
  if (const double keep = plan.ends_opacity(n); keep < 1) fade_towards(out, plan.background_yuv, keep);
}

}  // namespace reel::engine
