#include "engine/plan/ken_burns.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace reel::engine {

using draft::Ease;
using draft::FocusPoint;
using draft::KenBurnsPreset;

double ease(Ease e, double t) {
  t = std::clamp(t, 0.0, 1.0);
  switch (e) {
    case Ease::Linear:
      return t;
    case Ease::In:
      return t * t;
    case Ease::Out:
      return 1 - (1 - t) * (1 - t);
    case Ease::InOut:
      return t * t * (3 - 2 * t);
  }
  return t;
}

FocusPoint KbPath::at(double t) const {
  double e = engine::ease(ease, t);
  auto mix = [e](double a, double b) { return a + (b - a) * e; };
  return {mix(from.x, to.x), mix(from.y, to.y), mix(from.zoom, to.zoom)};
}
double KbPath::max_zoom() const { return std::max(from.zoom, to.zoom); }
double KbPath::min_zoom() const { return std::min(from.zoom, to.zoom); }

namespace {

constexpr double kZoom = 1.15;  // zoom of the preset moves
constexpr double kPanZoom = 1.12;
constexpr double kPan = 0.05;  // half the pan of the preset moves, in source widths

KbPath preset_path(KenBurnsPreset p, Ease ease) {
  KbPath k;
  k.ease = ease;
  switch (p) {
    case KenBurnsPreset::In:
      k.from = {0.5, 0.5, 1.0};
      k.to = {0.5, 0.5, kZoom};
      break;
    case KenBurnsPreset::Out:
      k.from = {0.5, 0.5, kZoom};
      k.to = {0.5, 0.5, 1.0};
      break;
    // The named direction is where the camera travels: "left" looks further left over time.
    case KenBurnsPreset::Left:
      k.from = {0.5 + kPan, 0.5, kPanZoom};
      k.to = {0.5 - kPan, 0.5, kPanZoom};
      break;
    case KenBurnsPreset::Right:
      k.from = {0.5 - kPan, 0.5, kPanZoom};
      k.to = {0.5 + kPan, 0.5, kPanZoom};
      break;
    case KenBurnsPreset::Up:
      k.from = {0.5, 0.5 + kPan, kPanZoom};
      k.to = {0.5, 0.5 - kPan, kPanZoom};
      break;
    case KenBurnsPreset::Down:
      k.from = {0.5, 0.5 - kPan, kPanZoom};
      k.to = {0.5, 0.5 + kPan, kPanZoom};
      break;
    default:
      k.from = k.to = {0.5, 0.5, 1.0};
      break;
  }
  return k;
}

/// The auto moves: the plain presets plus zooms that drift towards a third of the frame.
KbPath auto_path(int i) {
  switch (i) {
    case 0:
      return preset_path(KenBurnsPreset::In, Ease::InOut);
    case 1:
      return preset_path(KenBurnsPreset::Left, Ease::InOut);
    case 2:
      return {{0.46, 0.54, 1.0}, {0.54, 0.46, 1.16}, Ease::InOut};
    case 3:
      return preset_path(KenBurnsPreset::Out, Ease::InOut);
    case 4:
      return preset_path(KenBurnsPreset::Right, Ease::InOut);
    case 5:
      return {{0.54, 0.46, 1.16}, {0.47, 0.52, 1.02}, Ease::InOut};
    case 6:
      return preset_path(KenBurnsPreset::Up, Ease::InOut);
    default:
      return preset_path(KenBurnsPreset::Down, Ease::InOut);
  }
}
constexpr int kAutoMoves = 8;

}  // namespace

KbPath resolve_ken_burns(const draft::KenBurns& kb, uint64_t seed, int* previous_auto) {
  switch (kb.preset) {
    case KenBurnsPreset::Explicit:
      return {kb.from, kb.to, kb.ease};
    case KenBurnsPreset::Auto: {
      // splitmix64 of the seed: varied across a slideshow, stable across runs.
      uint64_t z = seed + 0x9E3779B97F4A7C15ull;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      z ^= z >> 31;
      int pick = int(z % kAutoMoves);
      if (previous_auto && pick == *previous_auto) pick = (pick + 1 + int((z >> 8) % (kAutoMoves - 1))) % kAutoMoves;
      if (previous_auto) *previous_auto = pick;
      return auto_path(pick);
    }
    default:
      return preset_path(kb.preset, kb.ease);
  }
}

Affine ken_burns_affine(const FocusPoint& f, double scale, int src_w, int src_h, int canvas_w, int canvas_h) {
  double z = std::max(f.zoom, 1e-3);
  double k = scale / z;  // source pixels per canvas pixel
  double win_w = canvas_w * k, win_h = canvas_h * k;
  auto centre = [](double p, double win, double size) {
    double c = p * size;
    if (win >= size) return size / 2;
    return std::clamp(c, win / 2, size - win / 2);
  };
  double cx = centre(f.x, win_w, src_w), cy = centre(f.y, win_h, src_h);
  // Continuous coordinates: destination pixel u covers [u, u+1); its centre u + 0.5 maps to
  // cx + (u + 0.5 - W/2) * k, and source pixel centres sit at i + 0.5.
  return {k, 0, cx + (0.5 - canvas_w / 2.0) * k - 0.5, 0, k, cy + (0.5 - canvas_h / 2.0) * k - 0.5};
}

Affine chroma_affine(const Affine& m) {
  // Chroma sample j sits at luma position 2j + 0.5 (pixel centres at integers): map a chroma
  // destination sample there, apply m, and map the luma source position back to chroma.
  return {m[0], m[1], (0.5 * m[0] + 0.5 * m[1] + m[2] - 0.5) / 2,
          m[3], m[4], (0.5 * m[3] + 0.5 * m[4] + m[5] - 0.5) / 2};
}

Affine with_dst_transform(const Affine& m, double s, double cx, double cy, double tx, double ty) {
  // dst' = s*(dst - c) + c + t  =>  dst = (dst' - c - t)/s + c
  double inv = 1.0 / s;
  double ox = -(cx + tx) * inv + cx, oy = -(cy + ty) * inv + cy;
  return {m[0] * inv, m[1] * inv, m[0] * ox + m[1] * oy + m[2], m[3] * inv, m[4] * inv, m[3] * ox + m[4] * oy + m[5]};
}

std::string stuck_pan_advice(const KbPath& kb, draft::Fit fit, int64_t src_w, int64_t src_h, int canvas_w,
                             int canvas_h) {
  if (src_w <= 0 || src_h <= 0 || canvas_w <= 0 || canvas_h <= 0) return {};
  const double dx = std::fabs(kb.to.x - kb.from.x), dy = std::fabs(kb.to.y - kb.from.y);
  if (dx < 1e-6 && dy < 1e-6) return {};  // a zoom, not a pan
  // The fitted framing in canvas pixels: cover keeps the photo's shape; the others are
  // canvas-shaped pictures.
  double fw = canvas_w, fh = canvas_h;
  if (fit == draft::Fit::Cover) {
    const double s = std::max(double(canvas_w) / double(src_w), double(canvas_h) / double(src_h));
    fw = double(src_w) * s, fh = double(src_h) * s;
  }
  // Where the view's centre lands for a point, as ken_burns_affine clamps it.
  auto centre = [](double p, double win, double size) {
    return win >= size ? size / 2 : std::clamp(p * size, win / 2, size - win / 2);
  };
  auto moves = [&](double zoom_from, double zoom_to) {
    const double ax = centre(kb.from.x, canvas_w / zoom_from, fw), bx = centre(kb.to.x, canvas_w / zoom_to, fw);
    const double ay = centre(kb.from.y, canvas_h / zoom_from, fh), by = centre(kb.to.y, canvas_h / zoom_to, fh);
    return std::fabs(ax - bx) >= 0.5 || std::fabs(ay - by) >= 0.5 || std::fabs(zoom_from - zoom_to) > 1e-6;
  };
  if (moves(std::max(kb.from.zoom, 1e-3), std::max(kb.to.zoom, 1e-3))) return {};
  // The zoom whose free travel (the framing less the view) covers the asked travel on the axis
  // that needs least of it.
  double need = 10;
  if (dx > 1e-6) need = std::min(need, canvas_w / (fw * std::max(1e-3, 1 - dx)));
  if (dy > 1e-6) need = std::min(need, canvas_h / (fh * std::max(1e-3, 1 - dy)));
  need = std::clamp(std::ceil(need * 20 - 1e-9) / 20, 1.05, 10.0);  // up to the next 0.05
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "the Ken Burns pan from x %.2f, y %.2f to x %.2f, y %.2f cannot move: at zoom %.3g the %s picture "
                "already fills the frame with no room around it; set z to %.2f in from and to to let it move",
                kb.from.x, kb.from.y, kb.to.x, kb.to.y, kb.from.zoom,
                fit == draft::Fit::Cover ? "fitted" : to_string(fit), need);
  return buf;
}

}  // namespace reel::engine
