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
#   timings    where each reel run's time went (--timings: wall by step, CPU by stage)
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
export XDG_CACHE_HOME=$out/cache
results=$out/results.tsv
printf 'run\twall_s\tcpu_s\trss_mb\n' >"$results"
x264_of() { [[ $1 == final ]] && echo "veryfast 20" || echo "ultrafast 28"; }
video_size() { ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 "$1" | tr ',' 'x'; }

echo "bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs"
for preset in $presets; do
  read -r x264_preset crf <<<"$(x264_of "$preset")"
  # The floor's encoder: the preset's x264 settings and the colour tags reel writes.
  floor_x264=(-c:v libx264 -preset "$x264_preset" -crf "$crf" -pix_fmt yuv420p -colorspace bt709 -color_primaries bt709
    -color_trc bt709 -movflags +faststart)
  # First renders, each with every cache emptied, in turns with the floor (the WebP wallpapers;
  # for the preview also their JPEG copies, as a camera writes them).
  kinds=first
  [[ $preset == preview ]] && kinds="first firstjpeg"
  for kind in $kinds; do
    draft=$out/show10.json
    [[ $kind == firstjpeg ]] && draft=$out/show10jpeg.json
    for ((r = 1; r <= runs; r++)); do
      rm -rf "$XDG_CACHE_HOME"
      measure "${kind}_${preset}_reel_$r" "$reel" render "$draft" -o "$out/$kind-$preset.mp4" --preset "$preset" \
        --timings
      if [[ ! -f $out/frames.yuv ]]; then
        ffmpeg -v error -y -i "$out/$kind-$preset.mp4" -f rawvideo -pix_fmt yuv420p "$out/frames.yuv"
        video_size "$out/$kind-$preset.mp4" >"$out/size.txt"
      fi
      cat "$out/frames.yuv" >/dev/null  # into the page cache: the floor reads memory, not disk
      measure "${kind}_${preset}_floor_$r" ffmpeg -v error -y -f rawvideo -pix_fmt yuv420p -s "$(cat "$out/size.txt")" \
        -framerate 30 -i "$out/frames.yuv" "${floor_x264[@]}" "$out/floor-$preset.mp4"
    done
    rm -f "$out/frames.yuv"
  done

  # The 3-minute show: from nothing, then one edit at a time (each run a value not kept yet).
  [[ ${BENCH_EDIT:-1} == 1 ]] || continue
  rm -rf "$XDG_CACHE_HOME"
  measure "edit_${preset}_fresh" "$reel" render "$out/show45.json" -o "$out/edit_$preset.mp4" --preset "$preset" \
    --timings
  for ((r = 1; r <= runs; r++)); do
    # Nothing changed: what every re-render pays (start, plan, keys, the join).
    measure "edit_${preset}_same_$r" "$reel" render "$out/show45.json" -o "$out/edit_$preset.mp4" --preset "$preset" \
      --timings
    show 45 4000 "$out/kb.json" "1.$((20 + r))"
    measure "edit_${preset}_kb_$r" "$reel" render "$out/kb.json" -o "$out/edit_$preset.mp4" --preset "$preset" --timings
    show 45 4000 "$out/title.json" 1.2 "Summer by the sea, take $r"
    measure "edit_${preset}_title_$r" "$reel" render "$out/title.json" -o "$out/edit_$preset.mp4" --preset "$preset" \
      --timings
    show 45 4000 "$out/transition.json" 1.2 "Summer by the sea" $((500 + 40 * r))
    measure "edit_${preset}_transition_$r" "$reel" render "$out/transition.json" -o "$out/edit_$preset.mp4" \
      --preset "$preset" --timings
  done
  if [[ ${BENCH_450:-1} == 1 ]]; then
    rm -rf "$XDG_CACHE_HOME"
    measure "memory_${preset}_45" "$reel" render "$out/show45.json" -o "$out/m45_$preset.mp4" --preset "$preset"
    # Its floor: 5,400 frames are too many to keep raw, so they come decoded through a pipe;
    # the peak RSS /usr/bin/time gives is the larger process's, the encoder's (the times are
    # not a floor here: they include the decode).
    measure "memory_${preset}_45_floor" bash -c "ffmpeg -v error -i '$out/m45_$preset.mp4' -an -f rawvideo \
      -pix_fmt yuv420p - | ffmpeg -v error -y -f rawvideo -pix_fmt yuv420p -s $(video_size "$out/m45_$preset.mp4") \
      -framerate 30 -i - ${floor_x264[*]} '$out/m45_floor_$preset.mp4'"
    rm -rf "$XDG_CACHE_HOME"
    measure "memory_${preset}_450" "$reel" render "$out/show450.json" -o "$out/m450_$preset.mp4" --preset "$preset"
  fi
done

# --- report ---------------------------------------------------------------------------------
awk -F'\t' -v presets="$presets" '
  function median(key, col,   n, i, j, t, v) {
    n = 0
    for (k in rows) if (index(k, key "_") == 1 && k ~ /_[0-9]+$/) v[++n] = rows[k, col]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n == 0 ? 0 : (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2)
  }
  NR > 1 { rows[$1] = 1; rows[$1, 2] = $2; rows[$1, 3] = $3; rows[$1, 4] = $4 }
  END {
    np = split(presets, ps, " ")
    for (i = 1; i <= np; i++) {
      p = ps[i]
      for (f = 1; f <= 2; f++) {
        kind = f == 1 ? "first" : "firstjpeg"
        rw = median(kind "_" p "_reel", 2); fw = median(kind "_" p "_floor", 2)
        if (fw == 0) continue
        rc = median(kind "_" p "_reel", 3); fc = median(kind "_" p "_floor", 3)
        rr = median(kind "_" p "_reel", 4); fr = median(kind "_" p "_floor", 4)
        printf "\n%s, first render of the 10-photo show%s (medians):\n", p, f == 1 ? " (WebP)" : " (JPEG copies)"
        printf "  reel   %7.2f s wall %7.2f s cpu %6.0f MB\n  floor  %7.2f s wall %7.2f s cpu %6.0f MB\n", rw, rc, rr, fw, fc, fr
        printf "  reel / floor: wall %.2f, cpu %.2f, peak RSS %.2f\n", rw / fw, rc / fc, rr / fr
      }
      if (!(("edit_" p "_fresh", 2) in rows)) continue  # BENCH_EDIT=0
      fresh = rows["edit_" p "_fresh", 2]
      printf "%s, the 3-minute 45-photo show: from nothing %.2f s wall, %.0f MB\n", p, fresh, rows["edit_" p "_fresh", 4]
      split("same kb title transition", edits, " ")
      split("nothing changed|one photo'"'"'s move|the title'"'"'s words|one transition", labels, "|")
      for (e = 1; e <= 4; e++) {
        w = median("edit_" p "_" edits[e], 2)
        printf "  after %-18s %6.2f s wall (median) = %5.1f %% of from nothing\n", labels[e], w, 100 * w / fresh
      }
      if (("memory_" p "_450", 4) in rows)
        printf "  peak RSS, first render: 45 photos %.0f MB (floor %.0f MB: %.2f), 450 photos %.0f MB (%.2f of 45)\n",
          rows["memory_" p "_45", 4], rows["memory_" p "_45_floor", 4],
          rows["memory_" p "_45", 4] / rows["memory_" p "_45_floor", 4], rows["memory_" p "_450", 4],
          rows["memory_" p "_450", 4] / rows["memory_" p "_45", 4]
    }
  }' "$results" | tee "$out/report.txt"
# Where the time went: each reel run's --timings (the wall time by step, the CPU time by stage).
printf '\nwhere the time went (reel --timings, each run):\n' | tee -a "$out/report.txt"
for log in "$out"/first*_reel_*.log "$out"/edit_*.log; do
  [[ -f $log ]] || continue
  echo "  $(basename "$log" .log):"
  grep '^reel: timings: ' "$log" | sed 's/^reel: timings: /    /'
done | tee -a "$out/report.txt"
echo "bench: load average $(cut -d' ' -f1-3 /proc/loadavg) after the runs; details in $out"
