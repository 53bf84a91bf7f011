#!/usr/bin/env bash
# Distributed-render benchmark (issue 17), on this machine: a 2-minute draft rendered whole on
# one core against two parts on one core each (taskset), the join, each part's start-up, and
# the cost model's prediction (reel plan --json) beside what was measured.
#
#   whole     taskset -c 0 reel render --threads 1 (one lane, one x264 thread: one core)
#   parts     taskset -c 0 / -c 1 reel render --part 1/2 and 2/2 --threads 1, side by side
#   join      reel join of the two parts (the sound mixed and encoded, the video copied)
#   sound     reel render --part sound (what a third worker does beside the video parts)
#   join+sound  reel join of the two parts and that sound (streams copied only)
#   start-up  reel plan --chunks 2: what every part pays before its first frame (start, the
#             plan, every photo's header probed, every chunk's key); the draft carries each
#             photo's m.focus (reel focus --write), as docs/scale.md asks
# Every run starts from empty caches. The joined file must be the whole render byte for byte.
# Usage: bash benchmarks/parts.sh [BUILD_DIR]    RUNS=1 (per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/lib.sh
bench_start "${1:-}"
command -v taskset >/dev/null || { echo "bench: taskset missing (util-linux)" >&2; exit 1; }
runs=${RUNS:-1}
photos=$root/benchmarks/photos
out=$root/benchmarks/out/parts
mkdir -p "$out"
fetch_photos "$photos"
make_cards "$out" 30 "$photos"
show 30 4000 "$out/show.json"  # 2 minutes, 3600 frames
# Each photo's subject written into the draft first (m.focus), as `reel make` does and as
# docs/scale.md asks before a draft is spread: otherwise every worker finds every photo's focus.
XDG_CACHE_HOME=$out/focus-cache "$reel" focus "$out/show.json" --write >/dev/null
results=$out/results.tsv
printf 'run\twall_s\tcpu_s\trss_mb\n' >"$results"
echo "bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs"

fresh() { rm -rf "$out/cache" "$out/cache-1" "$out/cache-2"; }
cd "$out"
for ((r = 1; r <= runs; r++)); do
  fresh
  XDG_CACHE_HOME=$out/cache measure "startup_$r" "$reel" plan show.json --chunks 2 --json
  fresh
  XDG_CACHE_HOME=$out/cache measure "whole_$r" taskset -c 0 "$reel" render show.json --threads 1 -o whole.mp4 \
    --progress none
  fresh
  start=$EPOCHREALTIME
  XDG_CACHE_HOME=$out/cache-1 measure "part1_$r" taskset -c 0 "$reel" render show.json --threads 1 --part 1/2 \
    -o part-1.mp4 --progress none &
  p1=$!
  XDG_CACHE_HOME=$out/cache-2 measure "part2_$r" taskset -c 1 "$reel" render show.json --threads 1 --part 2/2 \
    -o part-2.mp4 --progress none &
  p2=$!
  wait $p1
  wait $p2
  awk -v r="$r" -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "parts_%d\t%.2f s of wall until both ended\n", r, b - a }' |
    tee -a "$out/parts-wall.txt"
  fresh
  XDG_CACHE_HOME=$out/cache measure "join_$r" "$reel" join show.json part-1.mp4 part-2.mp4 -o joined.mp4
  cmp -s whole.mp4 joined.mp4 || { echo "bench: the joined file is not the whole render" >&2; exit 1; }
  fresh
  XDG_CACHE_HOME=$out/cache-1 measure "sound_$r" "$reel" render show.json --part sound -o sound.m4a --progress none
  fresh
  XDG_CACHE_HOME=$out/cache measure "join_sound_$r" "$reel" join show.json part-1.mp4 part-2.mp4 sound.m4a \
    -o joined-sound.mp4
  cmp -s whole.mp4 joined-sound.mp4 || { echo "bench: the join with the sound part is not the whole render" >&2; exit 1; }
done
cp "$out/startup_1.log" "$out/plan.json"
echo "bench: the joined file is the whole render byte for byte"
echo "bench: the cost model (reel plan --json), CPU seconds of one core:"
grep -E '"cost_s"' "$out/plan.json" | sed 's/^ */  /'
echo "bench: results in $results"
