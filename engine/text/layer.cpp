#include "engine/text/layer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/imgproc.hpp>

#include "base/files.h"
#include "draft/time.h"
#include "engine/plan/ken_burns.h"
#include "engine/text/fonts.h"

namespace reel::engine {

namespace {

double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

// Overshoots a little and settles: the "pop" curve (easeOutBack).
double back_out(double t) {
  const double c1 = 1.70158, c3 = c1 + 1;
  return 1 + c3 * std::pow(t - 1, 3) + c1 * std::pow(t - 1, 2);
}

// Moves and scales a raster about its centre with a sub-pixel warp; the result sits at an
// even position so its chroma lines up with the frame's.
TextRaster transformed(const TextRaster& r, double scale, double dy) {
  double cx = r.x + r.bgra.cols / 2.0, cy = r.y + r.bgra.rows / 2.0 + dy;
  int w = static_cast<int>(std::ceil(r.bgra.cols * scale)) + 4,
      h = static_cast<int>(std::ceil(r.bgra.rows * scale)) + 4;
  TextRaster out;
  out.x = static_cast<int>(std::floor((cx - w / 2.0) / 2)) * 2;
  out.y = static_cast<int>(std::floor((cy - h / 2.0) / 2)) * 2;
  // Forward map, raster pixel q -> output pixel: scale * q + (centre' - origin - scale * size / 2).
  cv::Matx23d m(scale, 0, cx - out.x - scale * r.bgra.cols / 2.0, 0, scale, cy - out.y - scale * r.bgra.rows / 2.0);
  cv::warpAffine(r.bgra, out.bgra, m, cv::Size(w, h), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
  return out;
}

}  // namespace

YuvOverlay to_yuv_overlay(const TextRaster& raster) {
  // Even position and size, so every 2x2 chroma block is whole.
  int shift_x = raster.x & 1, shift_y = raster.y & 1;
  int w = (raster.bgra.cols + shift_x + 1) & ~1, h = (raster.bgra.rows + shift_y + 1) & ~1;
  cv::Mat bgra = cv::Mat::zeros(h, w, CV_8UC4);
  raster.bgra.copyTo(bgra(cv::Rect(shift_x, shift_y, raster.bgra.cols, raster.bgra.rows)));
  YuvOverlay o;
  o.x = raster.x - shift_x;
  o.y = raster.y - shift_y;
  o.y_pm.create(h, w, CV_32F);
  o.alpha.create(h, w, CV_32F);
  cv::Mat u(h, w, CV_32F), v(h, w, CV_32F);
  // BT.709 limited range on premultiplied values: Y_pm = a*16 + 219*(0.2126 r + 0.7152 g + 0.0722 b).
  for (int y = 0; y < h; ++y) {
    const auto* p = bgra.ptr<cv::Vec4b>(y);
    for (int x = 0; x < w; ++x) {
      float b = p[x][0] / 255.0f, g = p[x][1] / 255.0f, r = p[x][2] / 255.0f, a = p[x][3] / 255.0f;
      o.y_pm.at<float>(y, x) = a * 16 + 219 * (0.2126f * r + 0.7152f * g + 0.0722f * b);
      u.at<float>(y, x) = a * 128 + 224 * (-0.114572f * r - 0.385428f * g + 0.5f * b);
      v.at<float>(y, x) = a * 128 + 224 * (0.5f * r - 0.454153f * g - 0.045847f * b);
      o.alpha.at<float>(y, x) = a;
    }
  }
  cv::resize(u, o.u_pm, cv::Size(w / 2, h / 2), 0, 0, cv::INTER_AREA);
  cv::resize(v, o.v_pm, cv::Size(w / 2, h / 2), 0, 0, cv::INTER_AREA);
  cv::resize(o.alpha, o.alpha_c, cv::Size(w / 2, h / 2), 0, 0, cv::INTER_AREA);
  return o;
}

void blend_overlay(const YuvOverlay& o, const YuvView& out, double opacity) {
  const float k = static_cast<float>(opacity);
  auto blend_plane = [k](const cv::Mat& pm, const cv::Mat& alpha, const PlaneView& plane, int ox, int oy) {
    int x0 = std::max(0, ox), y0 = std::max(0, oy);
    int x1 = std::min(plane.width, ox + pm.cols), y1 = std::min(plane.height, oy + pm.rows);
    for (int y = y0; y < y1; ++y) {
      uint8_t* row = plane.row(y);
      const float* p = pm.ptr<float>(y - oy);
      const float* a = alpha.ptr<float>(y - oy);
      for (int x = x0; x < x1; ++x) {
        float v = p[x - ox] * k + row[x] * (1.0f - a[x - ox] * k);
        row[x] = static_cast<uint8_t>(std::clamp(v + 0.5f, 0.0f, 255.0f));
      }
    }
  };
  blend_plane(o.y_pm, o.alpha, out.plane[0], o.x, o.y);
  blend_plane(o.u_pm, o.alpha_c, out.plane[1], o.x / 2, o.y / 2);
  blend_plane(o.v_pm, o.alpha_c, out.plane[2], o.x / 2, o.y / 2);
}

TextPose text_pose(const draft::TextAnim& anim, int64_t t_us, int64_t duration_us, int chars, int canvas_h) {
  TextPose pose;
  // With both an entrance and an exit, each gets at most half the segment.
  double d = static_cast<double>(std::min<int64_t>(anim.duration_ms * 1000, duration_us / 2));
  if (d <= 0) return pose;
  double p_in = clamp01(t_us / d);
  double p_out = clamp01((duration_us - t_us) / d);
  switch (anim.in) {
    case draft::TextAnimIn::None:
      break;
    case draft::TextAnimIn::Fade:
      pose.opacity *= ease(draft::Ease::InOut, p_in);
      break;
    case draft::TextAnimIn::SlideUp:
      pose.opacity *= ease(draft::Ease::Out, p_in);
      pose.dy = (1 - ease(draft::Ease::Out, p_in)) * 0.04 * canvas_h;
      break;
    case draft::TextAnimIn::Pop:
      pose.opacity *= clamp01(2 * p_in);
      pose.scale = 0.6 + 0.4 * back_out(p_in);
      break;
    case draft::TextAnimIn::Type:
      pose.visible_chars = static_cast<int>(std::floor(chars * p_in));
      break;
  }
  if (anim.out == draft::TextAnimOut::Fade) pose.opacity *= ease(draft::Ease::InOut, p_out);
  return pose;
}

TextLayer::TextLayer(const draft::Draft& draft, int width, int height, draft::Rational fps, SourceResolver resolve)
    : width_(width), height_(height), fps_(fps), resolve_(resolve), renderer_(std::move(resolve)) {
  for (const auto& track : draft.tracks) {
    if (track.kind != draft::TrackKind::Text) continue;
    for (const auto& seg : track.segments) {
      if (seg.duration_ms <= 0 || seg.text.text.empty()) continue;
      Item item{seg.pointer, seg.text, seg.start_ms, seg.duration_ms, renderer_.char_count(seg.text)};
      if (item.props.kind.empty()) item.props.kind = track.kind_label;
      items_.push_back(std::move(item));
    }
  }
}

std::vector<std::string> TextLayer::missing_font_notices() {
  std::vector<std::string> out;
  for (const Item& item : items_)
    for (const auto& m : renderer_.missing_scripts(item.props))
      out.push_back(item.pointer + ": no installed font has " + m.script +
                    " (it would show as empty boxes); install the Debian package " + m.package +
                    ", or name a font file that has it in style.font");
  return out;
}

std::vector<std::pair<int64_t, int64_t>> TextLayer::frame_spans() const {
  std::vector<std::pair<int64_t, int64_t>> spans;
  spans.reserve(items_.size());
  for (const Item& item : items_)
    spans.emplace_back(draft::first_frame_at_or_after(item.start_ms, fps_),
                       draft::first_frame_at_or_after(item.start_ms + item.duration_ms, fps_));
  return spans;
}

namespace {

void describe_color(std::string& out, const char* name, const std::optional<draft::Color>& c) {
  char buf[48];
  if (c)
    std::snprintf(buf, sizeof buf, "|%s=%d,%d,%d,%d", name, c->r, c->g, c->b, c->a);
  else
    std::snprintf(buf, sizeof buf, "|%s=-", name);
  out += buf;
}

}  // namespace

std::string TextLayer::describe(int64_t begin, int64_t end) const {
  std::string out;
  const auto spans = frame_spans();
  for (size_t i = 0; i < items_.size(); ++i) {
    if (spans[i].second <= begin || spans[i].first >= end) continue;
    const Item& item = items_[i];
    const draft::TextProps& p = item.props;
    const draft::TextStyle& st = p.style;
    char buf[256];
    std::snprintf(
        buf, sizeof buf,
        "text|%lld+%lld|chars=%d|size=%.17g|anchor=%d|xy=%.17g,%.17g|align=%d|maxw=%.17g|in=%d|out=%d|anim=%lld",
        static_cast<long long>(item.start_ms), static_cast<long long>(item.duration_ms), item.chars, st.size,
        st.position.anchor ? int(*st.position.anchor) : -1, st.position.x, st.position.y,
        st.align ? int(*st.align) : -1, st.max_width, int(p.anim.in), int(p.anim.out),
        static_cast<long long>(p.anim.duration_ms));
    out += buf;
    describe_color(out, "color", st.color);
    describe_color(out, "stroke", st.stroke);
    describe_color(out, "shadow", st.shadow);
    describe_color(out, "box", st.box);
    out.append("|kind=").append(p.kind).append("|font=").append(st.font);
    if (names_font_file(st.font)) {
      try {
        out.append("|").append(base::file_identity(resolve_(st.font)));
      } catch (const std::exception&) {
        out += "|unresolved";  // the render reports it
      }
    }
    out.append("|words=").append(std::to_string(p.text.size())).append(":").append(p.text).append("\n");
  }
  return out;
}

void TextLayer::make_room_locked(size_t bytes) {
  // Four frames of float BGRA: a few titles and captions always fit, a 50,000-character text
  // typed out character by character does not pile up.
  const size_t budget = size_t(4) * size_t(width_) * size_t(height_) * 16;
  if (cached_bytes_ + bytes <= budget) return;
  overlays_.clear();
  rasters_.clear();
  cached_bytes_ = 0;
}

std::shared_ptr<const TextRaster> TextLayer::raster(size_t item, int visible_chars) {
  auto key = std::pair{item, visible_chars};
  {
    std::lock_guard lock(mu_);
    if (auto it = rasters_.find(key); it != rasters_.end()) return it->second;
  }
  auto r = std::make_shared<const TextRaster>(renderer_.render(items_[item].props, width_, height_, visible_chars));
  std::lock_guard lock(mu_);
  const size_t bytes = r->bgra.total() * r->bgra.elemSize();
  make_room_locked(bytes);
  auto [it, added] = rasters_.emplace(key, r);
  if (added) cached_bytes_ += bytes;
  return it->second;
}

void TextLayer::draw(int64_t n, const YuvView& out) {
  for (size_t i = 0; i < items_.size(); ++i) {
    const Item& item = items_[i];
    if (!draft::frame_in_span(n, fps_, item.start_ms, item.duration_ms)) continue;
    int64_t t_us = draft::frame_time_us(n, fps_) - item.start_ms * 1000;
    TextPose pose = text_pose(item.props.anim, t_us, item.duration_ms * 1000, item.chars, height_);
    if (pose.opacity <= 0 || pose.visible_chars == 0) continue;
    if (pose.scale != 1 || pose.dy != 0) {  // moving: a fresh warp for this frame only
      blend_overlay(to_yuv_overlay(transformed(*raster(i, pose.visible_chars), pose.scale, pose.dy)), out,
                    pose.opacity);
      continue;
    }
    auto key = std::pair{i, pose.visible_chars};
    std::shared_ptr<const YuvOverlay> overlay;
    {
      std::lock_guard lock(mu_);
      if (auto it = overlays_.find(key); it != overlays_.end()) overlay = it->second;
    }
    if (!overlay) {
      auto made = std::make_shared<const YuvOverlay>(to_yuv_overlay(*raster(i, pose.visible_chars)));
      const size_t bytes =
          (made->y_pm.total() + made->alpha.total() + made->u_pm.total() + made->v_pm.total() + made->alpha_c.total()) *
          sizeof(float);
      std::lock_guard lock(mu_);
      make_room_locked(bytes);
      auto [it, added] = overlays_.emplace(key, made);
      if (added) cached_bytes_ += bytes;
      overlay = it->second;
    }
    blend_overlay(*overlay, out, pose.opacity);
  }
}

}  // namespace reel::engine
