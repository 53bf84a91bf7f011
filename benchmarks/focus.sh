#!/usr/bin/env bash
# The focus detector's cost per photo: `reel_bench focus` on Debian's skimage pictures (the
# test set's photos, fetched by scripts/fetch_skimage_photos.sh) and on GNOME's 4096x4096
# wallpapers (large photos: the decode for the detector, then textured pictures without a
# face, the dearest for the cascades: docs/engine.md). Its hit rate on the test
# set (the pictures placed on backdrops) is the focus_tests figure:
#   build/release/tests/engine/focus_tests --gtest_filter=Focus.FindsThePlaced*
# Usage: bash benchmarks/focus.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/lib.sh
bench_start "${1:-build/release}" benchmarks/reel_bench
skimage=benchmarks/photos/skimage
bash scripts/fetch_skimage_photos.sh "$skimage"
fetch_photos benchmarks/photos
"$build/benchmarks/reel_bench" focus "$skimage"/astronaut.png "$skimage"/camera.png "$skimage"/chelsea.png \
  "$skimage"/coffee.png "$skimage"/rocket.jpg
"$build/benchmarks/reel_bench" focus benchmarks/photos/*.webp benchmarks/photos/*.jpg
