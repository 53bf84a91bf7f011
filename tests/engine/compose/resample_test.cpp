// resample_plane (the Ken Burns warp) against a plain double-precision implementation of the
// same kernel, on random maps (shrinking and enlarging, reaching past the edges), and its AVX2
// and portable code against each other, and a plane made a band of rows at a time against one
// pass.
#include "engine/compose/resample.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace reel::test {
namespace {

using engine::PlaneView;

/// An owned plane with a stride wider than the row, so row addressing is exercised.
struct Plane {
  std::vector<uint8_t> px;
  PlaneView view;
  Plane(int w, int h, uint8_t fill = 0) : px(size_t(w + 7) * size_t(h), fill) { view = {px.data(), w + 7, w, h}; }
  uint8_t at(int x, int y) const { return view.row(y)[x]; }
  bool same_pixels(const Plane& o) const {
    for (int y = 0; y < view.height; ++y)
      if (!std::equal(view.row(y), view.row(y) + view.width, o.view.row(y))) return false;
    return true;
  }
};

/// Worst case for a cubic kernel: noise with full-range jumps (overshoot, clamping) mixed with
/// smooth areas.
Plane random_plane(int w, int h, std::mt19937& rng) {
  Plane p(w, h);
  std::uniform_int_distribution<int> any(0, 255), pick(0, 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      int v = 0;
      switch (pick(rng)) {
        case 0:
          v = any(rng);
          break;
        case 1:
          v = ((x / 3 + y / 2) & 1) ? 255 : 0;
          break;
        default:
          v = int(127.5 + 127.5 * std::sin(x * 0.3) * std::cos(y * 0.21));
          break;
      }
      p.view.row(y)[x] = uint8_t(v);
    }
  return p;
}

double cubic(double x) {
  x = std::abs(x);
  if (x < 1) return 1.5 * x * x * x - 2.5 * x * x + 1;
  if (x < 2) return -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2;
  return 0;
}

/// The taps of one axis: Catmull-Rom, stretched by the shrink factor beyond 1.5x,
/// normalised; indices clamped to the plane.
struct Taps {
  std::vector<int> index;
  std::vector<double> weight;
};

Taps taps_at(double c, double a, int n) {
  double scale = std::abs(a) > 1.5 ? std::abs(a) : 1.0;
  double support = 2 * scale;
  int count = 2 * int(std::ceil(support));
  int first = int(std::floor(c - support)) + 1;
  Taps t;
  double sum = 0;
  for (int k = 0; k < count; ++k) {
    t.index.push_back(std::clamp(first + k, 0, n - 1));
    t.weight.push_back(cubic((first + k - c) / scale));
    sum += t.weight.back();
  }
  for (double& w : t.weight) w /= sum;
  return t;
}

/// The exact value (before rounding) at every output sample.
std::vector<double> reference(const Plane& src, int w, int h, double ax, double bx, double ay, double by) {
  std::vector<double> out;
  for (int y = 0; y < h; ++y) {
    Taps ty = taps_at(ay * y + by, ay, src.view.height);
    for (int x = 0; x < w; ++x) {
      Taps tx = taps_at(ax * x + bx, ax, src.view.width);
      double v = 0;
      for (size_t j = 0; j < ty.index.size(); ++j)
        for (size_t k = 0; k < tx.index.size(); ++k)
          v += ty.weight[j] * tx.weight[k] * src.at(tx.index[k], ty.index[j]);
      out.push_back(v);
    }
  }
  return out;
}

/// Both code paths; the portable one is left off again.
std::pair<Plane, Plane> both(const Plane& src, int w, int h, double ax, double bx, double ay, double by) {
  std::pair<Plane, Plane> r{Plane(w, h, 77), Plane(w, h, 99)};
  engine::resample_plane(src.view, r.first.view, ax, bx, ay, by);
  engine::resample_force_portable_for_tests(true);
  engine::resample_plane(src.view, r.second.view, ax, bx, ay, by);
  engine::resample_force_portable_for_tests(false);
  return r;
}

TEST(Resample, RandomMapsStayWithinOneOfTheExactResultAndBothPathsAgree) {
  std::mt19937 rng(20240611);
  std::uniform_real_distribution<double> scale(0.5, 2.5), unit(0, 1);
  std::uniform_int_distribution<int> size(8, 150), tiny(1, 4);
  double worst[2] = {0, 0}, sum = 0;  // [0]: 4-tap maps (both scales <= 1.5), [1]: widened
  long count = 0;
  for (int round = 0; round < 150; ++round) {
    const bool small = round % 10 == 9;  // sources of a few pixels
    const int sw = small ? tiny(rng) : size(rng), sh = small ? tiny(rng) : size(rng);
    const int w = size(rng) + (round % 3 == 0 ? 40 : 0), h = size(rng) / 2 + 1;
    const Plane src = random_plane(sw, sh, rng);
    double ax = scale(rng), ay = scale(rng);
    if (round % 7 == 6) ax = -ax;  // mirrored: not made by the compositor, but allowed
    const int kind = std::abs(ax) > 1.5 || std::abs(ay) > 1.5;
    // Offsets from well past the left/top edge to well past the right/bottom one.
    const double bx = (unit(rng) * 1.6 - 0.3) * sw - ax * w * unit(rng) * 0.5;
    const double by = (unit(rng) * 1.6 - 0.3) * sh - ay * h * unit(rng) * 0.5;
    auto [fast, portable] = both(src, w, h, ax, bx, ay, by);
    const auto exact = reference(src, w, h, ax, bx, ay, by);
    int bad = 0;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const double e = std::clamp(exact[size_t(y) * size_t(w) + size_t(x)], 0.0, 255.0);
        const double d = std::abs(fast.at(x, y) - e);
        worst[kind] = std::max(worst[kind], d);
        sum += d;
        ++count;
        if (std::abs(fast.at(x, y) - std::lround(e)) > 1 && ++bad <= 3)
          ADD_FAILURE() << "map " << ax << " " << bx << " " << ay << " " << by << " (" << sw << "x" << sh << " -> " << w
                        << "x" << h << ") at " << x << "," << y << ": " << int(fast.at(x, y)) << " vs exact " << e;
      }
    EXPECT_TRUE(fast.same_pixels(portable))
        << "AVX2 and portable differ: map " << ax << " " << bx << " " << ay << " " << by;
  }
  const double mean = sum / double(count);
  // Rounding alone is up to 0.5 (0.25 on average, less here where values clamp); the fixed
  // point adds little.
  EXPECT_LT(std::max(worst[0], worst[1]), 0.75);
  EXPECT_LT(mean, 0.27);
  RecordProperty("worst_abs_diff_from_exact_4tap", std::to_string(worst[0]));
  RecordProperty("worst_abs_diff_from_exact_widened", std::to_string(worst[1]));
  RecordProperty("mean_abs_diff_from_exact", std::to_string(mean));
  std::printf("vs exact: worst %.4f (4 taps), %.4f (widened), mean %.4f (%ld samples)\n", worst[0], worst[1], mean,
              count);
}

TEST(Resample, KenBurnsMapsGiveTheSameBitsOnBothPaths) {
  // The maps the compositor makes most (scale 0.85..1, sub-pixel offsets), on widths that are
  // and are not multiples of the AVX2 step, plus a slide off the source and a zoom out.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int w : {320, 333, 32, 45}) {
    const int h = 61, sw = int(w * 1.15) + 3, sh = int(h * 1.15) + 3;
    const Plane src = random_plane(sw, sh, rng);
    for (int i = 0; i < 12; ++i) {
      const double a = 0.85 + 0.15 * unit(rng);
      double bx = unit(rng) * (sw - 1 - a * (w - 1)), by = unit(rng) * (sh - 1 - a * (h - 1));
      if (i == 10) bx -= 0.7 * w;      // slide: the left part reads off the source
      double az = i == 11 ? 1.45 : a;  // near the top of the 4-tap range: windows need gathers
      auto [fast, portable] = both(src, w, h, az, bx, a, by);
      EXPECT_TRUE(fast.same_pixels(portable)) << "w " << w << " map " << az << " " << bx << " " << a << " " << by;
    }
  }
}

TEST(Resample, AConstantPlaneStaysExactlyConstant) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> scale(0.5, 3.0), unit(0, 1);
  for (int value : {0, 1, 17, 128, 254, 255}) {
    const Plane src(90, 70, uint8_t(value));
    for (int i = 0; i < 8; ++i) {
      const double ax = scale(rng), ay = scale(rng);
      auto [fast, portable] = both(src, 77, 40, ax, (unit(rng) - 0.5) * 200, ay, (unit(rng) - 0.5) * 150);
      for (int y = 0; y < 40; ++y)
        for (int x = 0; x < 77; ++x) {
          ASSERT_EQ(fast.at(x, y), value) << "scale " << ax << " x " << ay << " at " << x << "," << y;
          ASSERT_EQ(portable.at(x, y), value) << "scale " << ax << " x " << ay << " at " << x << "," << y;
        }
    }
  }
}

TEST(Resample, IdentityAndWholePixelShiftsReproduceTheSource) {
  std::mt19937 rng(11);
  const Plane src = random_plane(131, 67, rng);
  for (auto [dx, dy] : {std::pair{0, 0}, std::pair{5, 3}, std::pair{40, 1}}) {
    const int w = 131 - dx, h = 67 - dy;
    auto [fast, portable] = both(src, w, h, 1.0, dx, 1.0, dy);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        ASSERT_EQ(fast.at(x, y), src.at(x + dx, y + dy)) << "shift " << dx << "," << dy << " at " << x << "," << y;
        ASSERT_EQ(portable.at(x, y), src.at(x + dx, y + dy)) << "shift " << dx << "," << dy << " at " << x << "," << y;
      }
  }
}

TEST(Resample, ABandOfRowsIsThoseRowsOfTheWholePlane) {
  std::mt19937 rng(7);
  const Plane src = random_plane(160, 120, rng);
  struct Map {
    double ax, bx, ay, by;
  };
  // Enlarging, shrinking (4 taps), shrinking widened past 1.5, and a map reaching off the edges.
  for (const Map m : {Map{0.61, 3.2, 0.58, 5.7}, Map{1.3, -2.4, 1.27, 1.1}, Map{2.2, 0.3, 2.05, -0.8},
                      Map{0.9, -20.5, 0.93, -11.25}}) {
    Plane whole(150, 90, 1);
    engine::resample_plane(src.view, whole.view, m.ax, m.bx, m.ay, m.by);
    for (int band : {1, 2, 7, 64}) {
      Plane banded(150, 90, 2);
      for (int y = 0; y < 90; y += band) {
        PlaneView rows = banded.view;
        rows.data = banded.view.row(y);
        rows.height = std::min(band, 90 - y);
        engine::resample_plane(src.view, rows, m.ax, m.bx, m.ay, m.by, y);
      }
      EXPECT_TRUE(banded.same_pixels(whole)) << "scale " << m.ax << " in bands of " << band;
    }
  }
}

}  // namespace
}  // namespace reel::test
