#pragma once
// The Ken Burns warp for axis-aligned maps (scale + translation, which is every map
// the compositor makes). Separable, with exact floating-point source positions (OpenCV's
// warpAffine rounds them to 1/32 px, which shows as uneven steps in slow moves) and a
// Catmull-Rom cubic kernel, widened when it shrinks so fine detail does not alias.
// Fixed-point arithmetic: within 1 (8-bit) of the exact result, and the same bits with or
// without AVX2.
#include "engine/internal.h"

#include "engine/av/yuv_image.h"

namespace reel::engine {

/// dst(x, y) = src(ax * x + bx, ay * y + by), pixel centres at integers, edges clamped.
/// `dst` may be a band of the picture: its rows are rows first_row.. of it (the same pixels
/// as in one pass over the whole). Thread-safe (scratch memory is per thread).
void resample_plane(const PlaneView& src, const PlaneView& dst, double ax, double bx, double ay, double by,
                    int first_row = 0);

/// For tests only: true makes resample_plane use its portable code instead of AVX2 (the
/// results must be bit-identical). Process-wide; do not flip it while other threads resample.
void resample_force_portable_for_tests(bool on);

}  // namespace reel::engine
