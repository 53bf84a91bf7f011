// write_storyboard: one picture of the whole timeline.
#include "engine/output/storyboard.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "draft/summary.h"
#include "draft/time.h"
#include "engine/compose/compositor.h"
#include "engine/compose/source_cache.h"
#include "engine/errors.h"
#include "engine/output/png_writer.h"
#include "engine/photo/focus.h"
#include "engine/text/layer.h"
#include "engine/text/raster.h"

namespace reel::engine {

namespace {

const cv::Scalar kInk(235, 235, 235), kDim(150, 150, 150), kPaper(34, 30, 28), kAccent(60, 200, 255);

// The board's labels, drawn by the engine's own text renderer (HarfBuzz shaping, fallback
// fonts), so file names and titles in any script read as written: CJK, Arabic, emoji.
class Labels {
 public:
  explicit Labels(SourceResolver resolve) : renderer_(std::move(resolve)) {}
  /// Draws `s` with its baseline near y, starting at x, letters about `scale` * 30 px high
  /// (the scale Hershey fonts took), clipped at `right`.
  void draw(cv::Mat& board, const std::string& s, int x, int y, double scale, cv::Scalar c, int right) {
    if (s.empty() || right <= x) return;
    const int px = std::max(8, int(std::lround(scale * 30)));
    draft::TextProps props;
    props.text = "\u200E" + s;  // a left-to-right mark: the board reads left to right whatever the label's script
    props.style.size = double(px) / board.rows;
    props.style.color = {uint8_t(c[2]), uint8_t(c[1]), uint8_t(c[0]), 255};
    props.style.position.anchor = draft::Anchor::TopLeft;
    props.style.align = draft::Align::Left;
    props.style.max_width = 1;
    // Wide enough that a label never wraps; it is clipped at `right` instead.
    TextRaster r = renderer_.render(props, std::max(board.cols, 64 * px), board.rows);
    const int top = y - px - 2;  // the raster's baseline sits about a size plus its 2 px pad down
    const cv::Rect place =
        cv::Rect(x, top, r.bgra.cols, r.bgra.rows) & cv::Rect(0, 0, std::min(right, board.cols), board.rows);
    for (int yy = place.y; yy < place.y + place.height; ++yy) {
      const cv::Vec4b* src = r.bgra.ptr<cv::Vec4b>(yy - top) + (place.x - x);
      cv::Vec3b* dst = board.ptr<cv::Vec3b>(yy) + place.x;
      for (int xx = 0; xx < place.width; ++xx) {  // premultiplied: out = src + dst * (1 - a)
        const int keep = 255 - src[xx][3];
        for (int ch = 0; ch < 3; ++ch)
          dst[xx][ch] = uint8_t(std::min(255, src[xx][ch] + (dst[xx][ch] * keep + 127) / 255));
      }
    }
  }

 private:
  TextRenderer renderer_;
};

std::string secs(int64_t ms) { return draft::seconds_text(ms); }

const char* lane_kind(const draft::Track& t) {
  switch (t.kind) {
    case draft::TrackKind::Video:
      return "Video";
    case draft::TrackKind::Audio:
      return "Audio";
    case draft::TrackKind::Text:
      return "Text";
    default:
      return "Other";
  }
}

}  // namespace

std::string storyboard_heading(const draft::Draft& draft, const std::vector<std::string>& sources) {
  char info[160];
  std::snprintf(info, sizeof info, "   %dx%d  %s fps  %ss  ", draft.canvas.width, draft.canvas.height,
                draft::to_string(draft.canvas.fps).c_str(), secs(std::max<int64_t>(1, draft.duration_ms())).c_str());
  // A left-to-right mark after the title, so the numbers after a right-to-left title stay after it.
  return (draft.title.empty() ? std::string("Storyboard") : draft.title + "\u200E") + info +
         draft::media_count_text(sources);
}

void write_storyboard(const draft::Draft& draft, const std::string& png_path, const RenderOptions& options,
                      bool draw_focus) {
  // Thumbnails are composed by the same compositor at thumbnail size.
  const int W = draft.canvas.width, H = draft.canvas.height;
  int tw = 288, th = int(std::lround(288.0 * H / W));
  if (H > W) {
    th = 288;
    tw = int(std::lround(288.0 * W / H));
  }
  tw &= ~1;
  th &= ~1;
  RenderOptions thumb = options;
  thumb.width = tw;
  thumb.height = th;
  thumb.from_ms.reset();
  thumb.to_ms.reset();
  Plan plan = make_plan(draft, thumb);
  for (PlanItem& it : plan.items) check_item(it, options.limits);
  std::unique_ptr<ProxyCache> proxies = proxy_cache_for(options);
  aim_at_subjects(plan, proxies.get(), options.notice, nullptr, draw_focus ? SubjectsFound::All : SubjectsFound::Aimed);
  if (options.notice)
    for (const auto& n : plan.notices) options.notice(n);

  const int margin = 16, gap = 12, cell_h = th + 46;
  const int cols = std::max<int>(1, std::min<int>(5, int(plan.items.size())));
  const int rows = int((plan.items.size() + size_t(cols) - 1) / size_t(cols));
  const int lane_h = 30, axis_h = 24;
  const int width = std::max(720, margin * 2 + cols * tw + (cols - 1) * gap);
  const int lanes_top = margin + 40 + rows * (cell_h + gap) + 8;
  const int height = lanes_top + axis_h + int(draft.tracks.size()) * (lane_h + 6) + margin;
  cv::Mat board(height, width, CV_8UC3, kPaper);

  const int64_t total_ms = std::max<int64_t>(1, draft.duration_ms());
  std::vector<std::string> references;
  for (const PlanItem& it : plan.items) references.push_back(it.reference);
  Labels labels(resolver_for(options));
  auto text = [&](const std::string& s, int x, int y, double scale, cv::Scalar c, int right) {
    labels.draw(board, s, x, y, scale, c, right);
  };
  text(storyboard_heading(draft, references), margin, margin + 18, 0.6, kInk, width - margin);

  SourceCache cache(plan, 0, 0, 8, proxies.get());
  ComposeScratch scratch;
  YuvImage frame(tw, th);
  TextLayer text_layer(draft, tw, th, plan.fps, resolver_for(options));
  for (size_t i = 0; i < plan.items.size(); ++i) {
    const PlanItem& it = plan.items[i];
    int col = int(i) % cols, row = int(i) / cols;
    int x = margin + col * (tw + gap), y = margin + 40 + row * (cell_h + gap);
    int64_t mid_us = (it.start_us + it.end_us) / 2;
    int64_t n = std::clamp<int64_t>(plan.first_frame_at_us(mid_us), 0, std::max<int64_t>(0, plan.total_frames - 1));
    compose_frame(plan, n, cache, frame.view(), scratch, &text_layer);
    cv::Mat bgr = yuv_to_bgr(frame.view());
    if (draw_focus && it.focus && it.fit != draft::Fit::Blur) {
      // The subject's box as this frame shows it: yellow when found, cyan when written.
      const cv::Rect2d box = focus_on_canvas(plan, int(i), n, *it.focus);
      const cv::Scalar colour = it.focus_found ? cv::Scalar(0, 220, 255) : cv::Scalar(255, 220, 0);
      cv::rectangle(bgr,
                    cv::Rect(int(std::lround(box.x)), int(std::lround(box.y)), int(std::lround(box.width)),
                             int(std::lround(box.height))),
                    colour, 2);
      for (const draft::FocusBox& face : it.faces) {
        const cv::Rect2d f = focus_on_canvas(plan, int(i), n, face);
        cv::rectangle(bgr,
                      cv::Rect(int(std::lround(f.x)), int(std::lround(f.y)), int(std::lround(f.width)),
                               int(std::lround(f.height))),
                      colour, 1);
      }
    }
    bgr.copyTo(board(cv::Rect(x, y, tw, th)));
    cv::rectangle(board, cv::Rect(x - 1, y - 1, tw + 2, th + 2), kDim, 1);
    cache.set_playhead(it.end_frame);  // keep memory flat on long drafts
    text(std::to_string(i + 1) + ".  " + secs(it.start_us / 1000) + " - " + secs(it.end_us / 1000) + "s", x,
         y + th + 18, 0.45, kInk, x + tw);
    std::string sub;
    if (it.tr_type != draft::TransitionType::None)
      sub =
          std::string("<- ") + draft::to_string(it.tr_type) + " " + secs((it.tr_end_us - it.tr_start_us) / 1000) + "s";
    else
      sub = "<- cut";
    std::string file = it.reference.substr(it.reference.find_last_of('/') + 1);
    text(sub + "   " + file, x, y + th + 38, 0.4, it.tr_type != draft::TransitionType::None ? kAccent : kDim, x + tw);
  }

  // Time axis and one lane per track.
  const int label_w = 130, bar_x = margin + label_w, bar_w = width - bar_x - margin;
  auto xpos = [&](int64_t ms) { return bar_x + int(double(ms) / double(total_ms) * bar_w); };
  int ay = lanes_top + 12;
  cv::line(board, {bar_x, ay}, {bar_x + bar_w, ay}, kDim, 1);
  int64_t step = 1000;
  for (int64_t s : {1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000})
    if (total_ms / s <= 12) {
      step = s;
      break;
    }
  for (int64_t t = 0; t <= total_ms; t += step) {
    cv::line(board, {xpos(t), ay - 4}, {xpos(t), ay + 4}, kDim, 1);
    text(secs(t) + "s", xpos(t) + 2, ay - 4, 0.35, kDim, width - margin);
  }
  int ly = lanes_top + axis_h;
  const cv::Scalar lane_colour[] = {{170, 110, 60}, {80, 150, 80}, {60, 110, 190}, {110, 110, 110}};
  for (size_t t = 0; t < draft.tracks.size(); ++t) {
    const draft::Track& tr = draft.tracks[t];
    int kind = tr.kind == draft::TrackKind::Video   ? 0
               : tr.kind == draft::TrackKind::Audio ? 1
               : tr.kind == draft::TrackKind::Text  ? 2
                                                    : 3;
    std::string label = std::to_string(t + 1) + " " + lane_kind(tr);
    if (!tr.name.empty()) label += ": " + tr.name;
    text(label, margin, ly + 20, 0.42, kInk, bar_x - 4);
    cv::rectangle(board, cv::Rect(bar_x, ly, bar_w, lane_h), cv::Scalar(48, 44, 42), cv::FILLED);
    for (size_t k = 0; k < tr.segments.size(); ++k) {
      const draft::Segment& s = tr.segments[k];
      int x0 = xpos(s.start_ms), x1 = std::max(x0 + 2, xpos(s.end_ms()));
      // Neighbouring segments alternate in shade so each one reads as a block.
      cv::Scalar shade = k % 2 ? lane_colour[kind] * 0.75 : lane_colour[kind];
      cv::rectangle(board, cv::Rect(x0, ly + 2, std::max(1, x1 - x0 - 1), lane_h - 4), shade, cv::FILLED);
      std::string file = s.source.substr(s.source.find_last_of('/') + 1);
      std::string name = kind == 2         ? "\"" + s.text.text + "\""
                         : !s.name.empty() ? s.name
                         : !file.empty()   ? file
                                           : std::to_string(k + 1);
      int label_x = x0 + 4;
      if (kind == 0 && s.video.transition && s.video.transition->type != draft::TransitionType::None)
        label_x += std::max(2, int(double(s.video.transition->duration_ms) / 2 / double(total_ms) * bar_w));
      text(name, label_x, ly + 20, 0.38, kInk, x1 - 2);
      if (kind == 0 && s.video.transition && s.video.transition->type != draft::TransitionType::None) {
        int cx = xpos(s.start_ms);
        int half = std::max(2, int(double(s.video.transition->duration_ms) / 2 / double(total_ms) * bar_w));
        std::vector<cv::Point> tri{{cx - half, ly + lane_h - 2}, {cx + half, ly + lane_h - 2}, {cx, ly + 4}};
        cv::fillConvexPoly(board, tri, kAccent, cv::LINE_AA);
      }
    }
    ly += lane_h + 6;
  }
  write_png(png_path, board);
}

}  // namespace reel::engine
