#pragma once
// Turns a photo file into a prepared source: decoded once at the size it is needed,
// framed for its fit mode (cover, contain, blur, stretch) at prep_scale times the canvas (a
// cover too small for that at the picture's own resolution), and converted once to YUV 4:2:0,
// a band of rows at a time. Ken Burns then warps from it every frame.
#include "engine/internal.h"

#include <memory>
#include <vector>

#include "engine/av/yuv_image.h"
#include "engine/photo/probe.h"
#include "engine/plan/render_plan.h"

namespace reel::engine {

/// A photo ready to be warped: `image` is the fitted framing at `scale` times the canvas
/// (the item's prep_scale, or less for a picture too small to cover that).
/// Immutable once made; shared between workers through shared_ptr<const PreparedSource>.
struct PreparedSource {
  YuvImage image;  // the part of the framing the Ken Burns path can reach
  double scale = 1;
  int full_width = 0, full_height = 0;  // the whole framing, which focus points refer to
  int offset_x = 0, offset_y = 0;       // where `image` sits in it
};

class ProxyCache;

/// Decodes and frames `item`. Throws MediaError (naming the segment) when decoding fails.
/// With `proxies`, a large photo's framed picture is read from there when it was made before,
/// and stored there when it is made.
std::shared_ptr<const PreparedSource> prepare_source(const Plan& plan, const PlanItem& item,
                                                     const ProxyCache* proxies = nullptr);

/// Frames one upright BGR picture (a decoded photo, or a clip's picture) for `item`'s fit
/// mode at prep_scale times the canvas, keeping the part its Ken Burns path can reach.
/// `shown`: the source's full size when `picture` was decoded smaller (empty: its own size).
std::shared_ptr<const PreparedSource> frame_picture(const Plan& plan, const PlanItem& item, cv::Mat picture,
                                                    cv::Size shown = {});

/// Where boxes of the upright source (0..1 of it: the focus and the faces) lie in `item`'s
/// framed picture, and how much of that picture the canvas shows at zoom 1: what
/// aim_ken_burns needs. `shown`: the source's upright size.
SubjectView subject_view(const Plan& plan, const PlanItem& item, cv::Size shown, const draft::FocusBox& focus,
                         const std::vector<draft::FocusBox>& faces);

/// The upright size of `item`'s source from its up-front check (a photo's header, a clip's probe).
cv::Size shown_size(const PlanItem& item);

/// Checks one source file against the limits and its header (no decoding). Returns the
/// probed facts; throws MediaError naming the segment when it cannot be used.
PhotoInfo check_source(const PlanItem& item, const MediaLimits& limits);

/// Checks one plan item up front: a photo through check_source; a clip through probe_clip,
/// whose facts it stores in item.clip, and its `in` against the clip's length. Throws
/// MediaError naming the segment.
void check_item(PlanItem& item, const MediaLimits& limits);

}  // namespace reel::engine
