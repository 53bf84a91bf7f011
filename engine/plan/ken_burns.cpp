#include "engine/plan/ken_burns.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

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

namespace {

using draft::FocusBox;

// The subject stays this share of the frame's size away from its edges.
constexpr double kEdgeMargin = 0.02;
// An auto move shorter than this (in frames' widths, or zoom ratio) is a hold, not a move.
constexpr double kLeastMotion = 0.03;
constexpr double kAutoZoom = 1.18, kDriftZoom = 1.15, kPushZoom = 1.08, kTightPanZoom = 1.1;
constexpr double kLongestPan = 0.3;  // of the picture: a pan towards the subject at most this long

FocusBox union_of(const FocusBox& a, const FocusBox& b) {
  double x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  double x1 = std::max(a.x + a.w, b.x + b.w), y1 = std::max(a.y + a.h, b.y + b.h);
  return {x0, y0, x1 - x0, y1 - y0};
}

bool fits(const FocusBox& b, double view_w, double view_h, double z) {
  return b.w <= view_w / z * (1 - 2 * kEdgeMargin) + 1e-12 && b.h <= view_h / z * (1 - 2 * kEdgeMargin) + 1e-12;
}

/// The window's centre on one axis as ken_burns_affine clamps it (0..1 of the picture).
double clamp_centre(double c, double win) { return win >= 1 ? 0.5 : std::clamp(c, win / 2, 1 - win / 2); }

/// A centre that puts the window against the picture's edge becomes the edge itself (0 or 1):
/// ken_burns_affine clamps it every frame, so the window stays against that edge while the
/// zoom changes (a centre that is only just there would leave the edge in between).
double flush(double c, double win) {
  if (win >= 1) return c;
  if (c >= 1 - win / 2 - 1e-9) return 1;
  if (c <= win / 2 + 1e-9) return 0;
  return c;
}

/// The centres on one axis at which a window `win` wide holds [b0, b1] with the margin.
std::pair<double, double> holding(double b0, double b1, double win) {
  if (win >= 1) return {0.5, 0.5};
  // The margin reaches no further than the picture: a subject at its edge is held with the
  // frame at that edge.
  const double m = kEdgeMargin * win, e0 = std::max(0.0, b0 - m), e1 = std::min(1.0, b1 + m);
  return {std::max(e1 - win / 2, win / 2), std::min(e0 + win / 2, 1 - win / 2)};
}

/// The centre on one axis that puts the subject [b0, b1] on a third of a window `win` wide
/// (the upper third for faces on the vertical axis), or centred when it sits in the middle
/// of the picture; as near as the picture allows while holding the subject.
double thirds_centre(double b0, double b1, double win, bool upper_third) {
  if (win >= 1) return 0.5;
  const double s = (b0 + b1) / 2;
  double c = s;
  if (upper_third || s < 0.45)
    c = s + win / 6;
  else if (s > 0.55)
    c = s - win / 6;
  auto [lo, hi] = holding(b0, b1, win);
  if (lo > hi) return clamp_centre(s, win);
  return flush(std::clamp(c, lo, hi), win);
}

struct Aim {
  const SubjectView& v;
  FocusBox t;  // the target kept whole
  bool faces;
  double zfit;  // the deepest zoom that still holds the target

  double win(int axis, double z) const { return (axis == 0 ? v.view_w : v.view_h) / z; }
  double b0(int axis) const { return axis == 0 ? t.x : t.y; }
  double b1(int axis) const { return axis == 0 ? t.x + t.w : t.y + t.h; }
  double zoom(double want) const { return std::max(1.0, std::min(want, zfit)); }
  FocusPoint thirds(double z) const {
    return {thirds_centre(b0(0), b1(0), win(0, z), false), thirds_centre(b0(1), b1(1), win(1, z), faces), z};
  }
  /// The subject in the middle of the frame on the horizontal axis (faces still on the upper third).
  FocusPoint centred(double z) const {
    FocusPoint p = thirds(z);
    const double w = win(0, z), s = (b0(0) + b1(0)) / 2;
    auto [lo, hi] = holding(b0(0), b1(0), w);
    p.x = lo > hi ? clamp_centre(s, w) : flush(std::clamp(s, lo, hi), w);
    return p;
  }
  /// The room a window has to move on an axis while holding the subject.
  double room(int axis, double z) const {
    auto [lo, hi] = holding(b0(axis), b1(axis), win(axis, z));
    return std::max(0.0, hi - lo);
  }
  /// The end of the holding range on the side of the picture away from the subject.
  double empty_side(int axis, double z) const {
    auto [lo, hi] = holding(b0(axis), b1(axis), win(axis, z));
    if (lo > hi) return clamp_centre((b0(axis) + b1(axis)) / 2, win(axis, z));
    return (b0(axis) + b1(axis)) / 2 < 0.5 ? hi : lo;
  }
  int main_axis() const { return room(0, 1) >= room(1, 1) ? 0 : 1; }

  /// A pan on `axis` at zoom z from the empty side towards the subject, ending on its third.
  KbPath pan_towards(int axis, double z) const {
    FocusPoint to = thirds(z), from = to;
    double start = empty_side(axis, z);
    double& f = axis == 0 ? from.x : from.y;
    const double& e = axis == 0 ? to.x : to.y;
    f = e + std::clamp(start - e, -kLongestPan, kLongestPan);
    return {from, to, Ease::InOut};
  }
  /// A preset pan of its whole length that passes where the window holds the subject (or
  /// its middle, when larger), moved into the picture: for a guess the aimed pan cannot hold
  /// all the way. At the picture's edge it ends or starts there.
  KbPath placed_pan(int axis, int dir, double z, Ease ease) const {
    FocusPoint mid = thirds(z), from = mid, to = mid;
    const double w = win(axis, z);
    if (w >= 1) return {mid, mid, ease};
    const double len = std::min(2 * kPan, 1 - w);
    auto [lo, hi] = holding(b0(axis), b1(axis), w);
    const double held = lo > hi ? (b0(axis) + b1(axis)) / 2 : (lo + hi) / 2;
    const double a = std::clamp(held - len / 2, w / 2, 1 - w / 2 - len);
    (axis == 0 ? from.x : from.y) = dir > 0 ? a : a + len;
    (axis == 0 ? to.x : to.y) = dir > 0 ? a + len : a;
    return {from, to, ease};
  }
  /// A preset pan: `dir` +1 travels towards larger x (or y), -1 towards smaller.
  KbPath preset_pan(int axis, int dir, double z, Ease ease) const {
    FocusPoint mid = thirds(z), from = mid, to = mid;
    auto [lo, hi] = holding(b0(axis), b1(axis), win(axis, z));
    double c = axis == 0 ? mid.x : mid.y;
    double len = std::min(2 * kPan, std::max(0.0, hi - lo));
    double a = lo > hi ? c : std::clamp(c - len / 2, lo, hi - len);
    double b = lo > hi ? c : a + len;
    (axis == 0 ? from.x : from.y) = dir > 0 ? a : b;
    (axis == 0 ? to.x : to.y) = dir > 0 ? b : a;
    return {from, to, ease};
  }
};

/// How far a path's window travels on `axis`, in fractions of the picture (centres as the
/// render clamps them, so a pan into the picture's edge does not count).
double travel(const KbPath& p, const SubjectView& v, int axis) {
  auto centre = [&](const FocusPoint& f) {
    return clamp_centre(axis == 0 ? f.x : f.y, (axis == 0 ? v.view_w : v.view_h) / f.zoom);
  };
  return centre(p.to) - centre(p.from);
}

double motion(const KbPath& p, const SubjectView& v) {
  double z = std::max(p.from.zoom, p.to.zoom);
  return std::max({std::abs(travel(p, v, 0)) / (v.view_w / z), std::abs(travel(p, v, 1)) / (v.view_h / z),
                   std::abs(p.to.zoom / p.from.zoom - 1)});
}

/// `path` moved towards the hold `h` until it keeps the subject (h itself at the end).
KbPath kept_or_calmer(KbPath path, const FocusPoint& h, const SubjectView& v, const FocusBox& t) {
  if (keeps_in_view(path, t, v.view_w, v.view_h)) return path;
  auto toward = [&](const FocusPoint& p, double f) {
    return FocusPoint{h.x + (p.x - h.x) * f, h.y + (p.y - h.y) * f, h.zoom + (p.zoom - h.zoom) * f};
  };
  for (double f : {0.75, 0.5, 0.25}) {
    KbPath calmer{toward(path.from, f), toward(path.to, f), path.ease};
    if (keeps_in_view(calmer, t, v.view_w, v.view_h)) return calmer;
  }
  return {h, h, path.ease};
}

}  // namespace

FocusBox subject_target(const SubjectView& v, double max_zoom) {
  const double z = std::max(1.0, max_zoom);
  auto shrunk = [&](FocusBox b) {
    // Larger than the frame: the middle of it, as large as the frame holds.
    double w = std::min(b.w, v.view_w / z * (1 - 2 * kEdgeMargin)),
           h = std::min(b.h, v.view_h / z * (1 - 2 * kEdgeMargin));
    return FocusBox{b.x + (b.w - w) / 2, b.y + (b.h - h) / 2, w, h};
  };
  if (v.faces.empty()) return shrunk(v.focus);
  FocusBox all = v.faces[0];
  for (const FocusBox& f : v.faces) all = union_of(all, f);
  if (fits(all, v.view_w, v.view_h, z)) return all;
  // The largest group of neighbouring faces (along either axis) that fits; ties: the larger.
  std::optional<FocusBox> best;
  size_t best_count = 0;
  for (int axis = 0; axis < 2; ++axis) {
    std::vector<FocusBox> sorted = v.faces;
    std::sort(sorted.begin(), sorted.end(), [axis](const FocusBox& a, const FocusBox& b) {
      return axis == 0 ? a.x + a.w / 2 < b.x + b.w / 2 : a.y + a.h / 2 < b.y + b.h / 2;
    });
    for (size_t i = 0; i < sorted.size(); ++i) {
      FocusBox u = sorted[i];
      for (size_t j = i; j < sorted.size(); ++j) {
        u = union_of(u, sorted[j]);
        if (!fits(u, v.view_w, v.view_h, z)) break;
        size_t count = j - i + 1;
        if (count > best_count || (count == best_count && best && u.w * u.h > best->w * best->h)) {
          best = u;
          best_count = count;
        }
      }
    }
  }
  if (best) return *best;
  FocusBox largest = v.faces[0];
  for (const FocusBox& f : v.faces)
    if (f.w * f.h > largest.w * largest.h) largest = f;
  return shrunk(largest);
}

bool keeps_in_view(const KbPath& path, const FocusBox& b, double view_w, double view_h, int samples) {
  for (int i = 0; i <= samples; ++i) {
    const FocusPoint p = path.at(double(i) / samples);
    const double w = view_w / p.zoom, h = view_h / p.zoom;
    const double cx = clamp_centre(p.x, w), cy = clamp_centre(p.y, h);
    const double x0 = w >= 1 ? 0 : cx - w / 2, x1 = w >= 1 ? 1 : cx + w / 2;
    const double y0 = h >= 1 ? 0 : cy - h / 2, y1 = h >= 1 ? 1 : cy + h / 2;
    if (b.x < x0 - 1e-9 || b.x + b.w > x1 + 1e-9 || b.y < y0 - 1e-9 || b.y + b.h > y1 + 1e-9) return false;
  }
  return true;
}

namespace {

/// A subject found by saliency (no faces) is a guess: it decides where a move goes, never
/// whether the move happens. The middle of it, as large as a move at zoom z that pans `pan`
/// (of the picture) on `axis` (-1: none) keeps whole; a picture that is all subject would
/// otherwise hold every preset still.
FocusBox guess_for_move(const SubjectView& v, double z, int axis, double pan) {
  const FocusBox& b = v.focus;
  const double w = std::clamp(v.view_w / z * (1 - 2 * kEdgeMargin) - (axis == 0 ? pan : 0), 0.0, b.w);
  const double h = std::clamp(v.view_h / z * (1 - 2 * kEdgeMargin) - (axis == 1 ? pan : 0), 0.0, b.h);
  return {b.x + (b.w - w) / 2, b.y + (b.h - h) / 2, w, h};
}

}  // namespace

KbPath aim_ken_burns(const draft::KenBurns& kb, int auto_pick, int previous_pick, const SubjectView& v) {
  if (kb.preset == KenBurnsPreset::Explicit) return {kb.from, kb.to, kb.ease};
  const bool faces = !v.faces.empty();
  const bool pan = kb.preset == KenBurnsPreset::Left || kb.preset == KenBurnsPreset::Right ||
                   kb.preset == KenBurnsPreset::Up || kb.preset == KenBurnsPreset::Down;
  const int pan_axis = !pan ? -1 : kb.preset == KenBurnsPreset::Left || kb.preset == KenBurnsPreset::Right ? 0 : 1;
  // Faces are kept whole: the deepest zoom any move uses decides which of them can be kept
  // together. A guess is shrunk to what the asked move holds (a pan: half its travel at least).
  const double deepest = kb.preset == KenBurnsPreset::Auto   ? kAutoZoom
                         : pan                               ? kPanZoom
                         : kb.preset == KenBurnsPreset::None ? 1.0
                                                             : kZoom;
  const FocusBox t = faces ? subject_target(v, 1.0) : guess_for_move(v, deepest, pan_axis, pan ? kPan : 0);
  Aim a{v, t, faces, 1.0};
  a.zfit = std::max(1.0, std::min(v.view_w * (1 - 2 * kEdgeMargin) / std::max(t.w, 1e-6),
                                  v.view_h * (1 - 2 * kEdgeMargin) / std::max(t.h, 1e-6)));
  const FocusPoint hold = a.thirds(1.0);
  const Ease ease = kb.ease;
  switch (kb.preset) {
    case KenBurnsPreset::None:
      return {hold, hold, ease};
    case KenBurnsPreset::In:
      return kept_or_calmer({hold, a.thirds(a.zoom(kZoom)), ease}, hold, v, t);
    case KenBurnsPreset::Out:
      return kept_or_calmer({a.thirds(a.zoom(kZoom)), hold, ease}, hold, v, t);
    case KenBurnsPreset::Left:
    case KenBurnsPreset::Right:
    case KenBurnsPreset::Up:
    case KenBurnsPreset::Down: {
      const int dir = kb.preset == KenBurnsPreset::Right || kb.preset == KenBurnsPreset::Down ? 1 : -1;
      const double z = a.zoom(kPanZoom);
      const KbPath aimed = kept_or_calmer(a.preset_pan(pan_axis, dir, z, ease), a.thirds(z), v, t);
      if (faces) return aimed;
      // Holding the guess when that still moves, else the whole travel.
      return motion(aimed, v) >= kLeastMotion ? aimed : a.placed_pan(pan_axis, dir, z, ease);
    }
    default:
      break;
  }
  // auto: the moves in the order this segment's pick starts, the previous segment's pick last.
  const int main = a.main_axis(), other = 1 - main;
  auto move = [&](int kind) -> KbPath {
    switch (kind) {
      case 0:
        return {hold, a.thirds(a.zoom(kAutoZoom)), Ease::InOut};
      case 1:
        return a.pan_towards(main, a.room(main, 1.0) >= kLeastMotion ? 1.0 : a.zoom(kPanZoom));
      case 2: {
        KbPath p = a.pan_towards(main, 1.0);
        p.to = a.thirds(a.zoom(kDriftZoom));
        return p;
      }
      case 3:
        return {a.thirds(a.zoom(kAutoZoom)), hold, Ease::InOut};
      case 4:
        return a.pan_towards(other, a.zoom(kPanZoom));
      case 5:
        return {a.centred(a.zoom(kDriftZoom)), hold, Ease::InOut};
      case 6:
        return a.pan_towards(main, a.zoom(kTightPanZoom));
      default:
        return {hold, a.centred(a.zoom(kPushZoom)), Ease::InOut};
    }
  };
  std::vector<int> order;
  const int first = std::clamp(auto_pick, 0, kAutoMoves - 1);
  for (int i = 0; i < kAutoMoves; ++i) {
    int k = (first + i) % kAutoMoves;
    if (k != previous_pick) order.push_back(k);
  }
  if (previous_pick >= 0 && previous_pick < kAutoMoves) order.push_back(previous_pick);
  for (int k : order) {
    KbPath p = move(k);
    if (motion(p, v) >= kLeastMotion && keeps_in_view(p, t, v.view_w, v.view_h)) return p;
  }
  return {hold, hold, Ease::InOut};
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
