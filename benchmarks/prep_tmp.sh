#!/usr/bin/env bash
# Iteration benchmark (issue 12): first renders against an independent floor, re-renders after
# an edit against the render from nothing, and peak memory as the photo count grows.
#
# The floor is not reel: the ffmpeg program encoding the decoded frames of reel's own output,
# read as raw yuv420p from the page cache, with the same x264 preset and CRF (and threads left
# to x264, as reel leaves them). reel and the floor run in turns, run by run (RUNS each), and
# the report gives ratios of their medians: wall, CPU (user + sys) and peak RSS.
#
#   first      the 10-photo slideshow of benchmarks/run.sh (30 s, 1080p / 960-wide preview),
#              every cache emptied before each reel run: photos decoded, every chunk rendered;
#              the preview also with the photos as JPEG copies (camera-style files)
#   edit       a 3-minute slideshow of 45 distinct photos (JPEG copies of the 10, 4 s each, with
#              moves, fades and wipes), music and a title: rendered once from nothing, then
#              after changing one photo's Ken Burns move, the title's words, one transition —
#              each run a new value, so nothing of it is kept — as a share of the first render;
#              and with nothing changed (what every re-render pays: start, plan, keys, join)
#   memory     the first render of the same show with 450 photos (1 s each) against 45, and
#              the 45-photo show's own floor (peak RSS only)
# Photos land in benchmarks/photos/ (ignored), results in benchmarks/out/iterate/ (ignored).
# Usage: bash benchmarks/iterate.sh [BUILD_DIR]    RUNS=3 (per measurement), BENCH_450=0 skips
# the 450-photo renders, BENCH_EDIT=0 the 3-minute show (and the 450), PRESETS="preview final"
# chooses the presets.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/lib.sh
bench_start "${1:-}"
runs=${RUNS:-3}
presets=${PRESETS:-preview final}
photos=$root/benchmarks/photos
out=$root/benchmarks/out/iterate
mkdir -p "$out"
fetch_photos "$photos"

# --- media and drafts -------------------------------------------------------------------------
make_cards "$out" 450 "$photos"

show10() {  # the 10-photo slideshow of benchmarks/run.sh; with "jpeg", its JPEG copies
  local i s f=$1 jpeg=${2:-} src
  {
    printf '{"m": {"title": "Benchmark", "width": 1920, "height": 1080, "fps": 30},\n "t": [\n  {"tt": 0, "sg": [\n'
    for ((i = 0; i < 10; i++)); do
      s=$((i * 3000))
      src=${photo_files[i]}
      [[ -n $jpeg && $src == *.webp ]] && src=${src%.webp}.jpg
      printf '   {"s": %d, "d": 3000, "src": "%s/%s", "m": {"fit": "cover", ' "$s" "$photos" "$src"
      printf '"kb": {"from": {"x": 0.5, "y": 0.5, "z": 1.0}, "to": {"x": 0.5, "y": 0.5, "z": 1.15}, "ease": "linear"}'
      ((i > 0)) && printf ', "tr": {"type": "fade", "d": 500}'
      printf '}}%s\n' "$( ((i + 1 < 10)) && echo , )"
    done
    printf '  ]},\n  {"tt": 7, "m": {"kind": "title"}, "sg": [{"s": 0, "d": 3000, "m": {"text": "Benchmark Slideshow",\n'
    printf '    "style": {"pos": "center", "size": 0.08, "color": "#FFFFFF"}}}]}\n ]\n}\n'
  } >"$f"
}

show10 "$out/show10.json"
show10 "$out/show10jpeg.json" jpeg
show 45 4000 "$out/show45.json"
show 450 1000 "$out/show450.json"

# --- measuring ------------------------------------------------------------------------------
