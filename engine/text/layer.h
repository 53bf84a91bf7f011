#pragma once
// The draft's text tracks drawn onto composed YUV 4:2:0 frames, with their
// animations (fade, slide-up, pop, type in; fade out). Rasters are made once per segment (per
// revealed character count for `type`) and cached; drawing is thread-safe and pure per frame.
#include "engine/internal.h"

#include <map>
#include <memory>
#include <mutex>
#include <opencv2/core.hpp>
#include <string>
#include <utility>
#include <vector>

#include "draft/model.h"
#include "engine/av/yuv_image.h"
#include "engine/text/raster.h"

namespace reel::engine {

/// A text raster ready to blend into YUV 4:2:0: premultiplied Y, U, V and alpha planes
/// (chroma at half size), placed at an even (x, y) of the frame.
struct YuvOverlay {
  int x = 0, y = 0;
  cv::Mat y_pm, alpha;          // CV_32F, full size
  cv::Mat u_pm, v_pm, alpha_c;  // CV_32F, half size
};

YuvOverlay to_yuv_overlay(const TextRaster& raster);
/// out = overlay * opacity + out * (1 - alpha * opacity), clipped to the frame.
void blend_overlay(const YuvOverlay& overlay, const YuvView& out, double opacity);

/// How a text segment looks at one instant of its life.
struct TextPose {
  double opacity = 1;
  double scale = 1;        // about the block's centre (pop)
  double dy = 0;           // pixels down from its place (slide-up)
  int visible_chars = -1;  // type: how many characters show; -1 all
};
/// The pose at `t_us` after the segment's start, for a segment `duration_us` long.
TextPose text_pose(const draft::TextAnim& anim, int64_t t_us, int64_t duration_us, int chars, int canvas_h);

/// Every text segment of a draft, drawn on top of the picture.
class TextLayer {
 public:
  /// Font files named by the draft are found through `resolve` (see TextRenderer).
  TextLayer(const draft::Draft& draft, int width, int height, draft::Rational fps, SourceResolver resolve);
  bool empty() const { return items_.empty(); }
  /// The frames [first, end) each text segment is on screen, in draft order.
  std::vector<std::pair<int64_t, int64_t>> frame_spans() const;
  /// Everything that decides the text drawn on frames [begin, end): each segment on screen
  /// there, with its times, words, style, animation and the identity of a font file it names.
  /// Equal descriptions draw equal pixels (a chunk's key, see compose/chunks.h).
  std::string describe(int64_t begin, int64_t end) const;
  /// One sentence per text segment with a script no installed font has (it would draw as
  /// boxes), naming the script and a Debian package that has it.
  std::vector<std::string> missing_font_notices();
  /// Draws the text visible at frame n onto `out` (width x height). Any thread.
  void draw(int64_t n, const YuvView& out);

 private:
  struct Item {
    std::string pointer;  // the segment's, for messages
    draft::TextProps props;
    int64_t start_ms = 0, duration_ms = 0;
    int chars = 0;
  };
  std::shared_ptr<const TextRaster> raster(size_t item, int visible_chars);
  // Makes room for `bytes` more in the caches: over the budget, what is cached is dropped (it
  // is made again when needed; a typing animation moves on and never needs it). Under mu_.
  void make_room_locked(size_t bytes);

  int width_, height_;
  draft::Rational fps_;
  SourceResolver resolve_;
  std::vector<Item> items_;
  TextRenderer renderer_;
  std::mutex mu_;
  std::map<std::pair<size_t, int>, std::shared_ptr<const YuvOverlay>> overlays_;  // guarded by mu_
  std::map<std::pair<size_t, int>, std::shared_ptr<const TextRaster>> rasters_;   // guarded by mu_
  size_t cached_bytes_ = 0;                                                       // guarded by mu_
};

}  // namespace reel::engine
