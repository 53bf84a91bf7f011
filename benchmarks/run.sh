#!/usr/bin/env bash
# End-to-end benchmark of the local engine against the encode floor and the ffmpeg CLI peer.
#
# The slideshow: 10 real photos (9 of GNOME's 4096x4096 WebP wallpapers, fetched at run time
# from Debian's gnome-backgrounds package, and one of them upscaled to a 26-megapixel JPEG),
# 3 s each, 0.5 s fade transitions centred on the cuts, Ken Burns zoom 1.0 -> 1.15, a title,
# 1920x1080 at 30 fps. Measured, each with /usr/bin/time -v (wall, user+sys CPU, peak RSS):
#   reel final      reel render (x264 veryfast, CRF 20), the first time: every photo decoded
#   reel final warm the same render again: the photos' proxies (see docs/engine.md) are read
#                   back instead of decoded, as in every render of an edited draft after the first
#   floor final     reel_bench floor: the same frames, already made (raw yuv420p on disk,
#                   read from the page cache), through the same encoder and MP4 writer
#   reel preview    reel preview (960x540, x264 ultrafast, CRF 28) and its floor
#   ffmpeg peer     ffmpeg -filter_complex zoompan + xfade + drawtext, same timing and x264
#                   settings (final and preview)
#   100 photos      reel final and preview on a 100-photo slideshow (the 10 photos cycled):
#                   peak memory must stay where it is for 10.
#   jpeg variant    reel on the same slideshow with the WebPs re-encoded as JPEG (camera-style
#                   files, which decode at 1/2..1/8 size in the DCT domain), against the same floor
# Photos are never committed: they land in benchmarks/photos/ (ignored), results in
# benchmarks/out/ (ignored). Usage: bash benchmarks/run.sh [BUILD_DIR]   (default build/release)
# BENCH_PEER=0 skips the ffmpeg peer, BENCH_100=0 the 100-photo runs (for quick iterations).
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/lib.sh
bench_start "${1:-}" benchmarks/reel_bench
bench=$build/benchmarks/reel_bench
photos=$root/benchmarks/photos
out=$root/benchmarks/out
mkdir -p "$photos" "$out"

# --- photos ---------------------------------------------------------------------------------
fetch_photos "$photos"
files=("${photo_files[@]}")
names=("${photo_names[@]}")

# --- drafts ---------------------------------------------------------------------------------
make_draft() {  # count, output [jpeg]
  local count=$1 f=$2 jpeg=${3:-} i s src
  {
    printf '{"m": {"title": "Benchmark", "width": 1920, "height": 1080, "fps": 30},\n "t": [\n'
    printf '  {"tt": 0, "sg": [\n'
    for ((i = 0; i < count; i++)); do
      s=$((i * 3000))
      src=${files[i % 10]}
      [[ -n $jpeg && $src == *.webp ]] && src=${src%.webp}.jpg
      printf '   {"s": %d, "d": 3000, "src": "%s/%s", "m": {"fit": "cover", ' "$s" "$photos" "$src"
      printf '"kb": {"from": {"x": 0.5, "y": 0.5, "z": 1.0}, "to": {"x": 0.5, "y": 0.5, "z": 1.15}, "ease": "linear"}'
      ((i > 0)) && printf ', "tr": {"type": "fade", "d": 500}'
      printf '}}%s\n' "$( ((i + 1 < count)) && echo , )"
    done
    printf '  ]},\n'
    printf '  {"tt": 7, "m": {"kind": "title"}, "sg": [{"s": 0, "d": 3000, "m": {"text": "Benchmark Slideshow",\n'
    printf '    "style": {"pos": "center", "size": 0.08, "color": "#FFFFFF"}}}]}\n ]\n}\n'
  } >"$f"
}
make_draft 10 "$out/show10.json"
make_draft 100 "$out/show100.json"
make_draft 10 "$out/show10-jpeg.json" jpeg

# --- measuring ------------------------------------------------------------------------------
# reel keeps photo proxies in its cache folder: this run's own, emptied before each first render.
export XDG_CACHE_HOME=$out/cache
results=$out/results.tsv
printf 'run\twall_s\tcpu_s\trss_mb\n' >"$results"

font=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
peer_script() {  # count, width, height, x264 preset, crf, output -> a script running ffmpeg
  local count=$1 w=$2 h=$3 preset=$4 crf=$5 o=$6 i inputs=() graph="" last="[v0]" off
  for ((i = 0; i < count; i++)); do
    inputs+=(-i "$photos/${files[i % 10]}")
    # Clips overlap by 0.25 s on each side of a cut: 3.25 s first/last, 3.5 s between.
    local frames=$(( (i == 0 || i == count - 1) ? 98 : 105 ))
    graph+="[$i:v]scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},setsar=1,"
    graph+="zoompan=z='1+0.15*on/($frames-1)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=$frames:s=${w}x${h}:fps=30,"
    graph+="format=yuv420p[v$i];"
  done
  for ((i = 1; i < count; i++)); do
    off=$(awk -v k=$i 'BEGIN { printf "%.3f", 3 * k - 0.25 }')
    graph+="${last}[v$i]xfade=transition=fade:duration=0.5:offset=$off[x$i];"
    last="[x$i]"
  done
  graph+="${last}drawtext=fontfile=$font:text='Benchmark Slideshow':fontcolor=white:fontsize=$((h * 8 / 100)):"
  graph+="x=(w-text_w)/2:y=(h-text_h)/2:enable='lt(t,3)'[out]"
  local cmd=(ffmpeg -v error -y "${inputs[@]}" -filter_complex "$graph" -map '[out]' -frames:v $((count * 90))
    -c:v libx264 -preset "$preset" -crf "$crf" -pix_fmt yuv420p -colorspace bt709 -color_primaries bt709
    -color_trc bt709 -movflags +faststart "$o")
  printf '%q ' "${cmd[@]}"
  echo
}

echo "bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs"
for preset in final preview; do
  if [[ $preset == final ]]; then size=(1920 1080); x264=(veryfast 20); else size=(960 540); x264=(ultrafast 28); fi
  rm -rf "$XDG_CACHE_HOME"
  measure "reel_$preset" "$reel" render "$out/show10.json" -o "$out/reel_$preset.mp4" --preset "$preset"
  measure "reel_${preset}_warm" "$reel" render "$out/show10.json" -o "$out/reel_${preset}_warm.mp4" --preset "$preset"
  "$bench" frames "$out/show10.json" "$out/frames_$preset.yuv" "$preset" >"$out/frames_$preset.txt"
  read -r fw fh fnum fden fcount _ <"$out/frames_$preset.txt"
  cat "$out/frames_$preset.yuv" >/dev/null  # into the page cache: the floor reads memory, not disk
  measure "floor_$preset" "$bench" floor "$out/frames_$preset.yuv" "$fw" "$fh" "$fnum" "$fden" \
    "$out/floor_$preset.mp4" "${x264[@]}"
  rm -f "$out/frames_$preset.yuv"
  measure "reel_${preset}_jpeg" "$reel" render "$out/show10-jpeg.json" -o "$out/reel_${preset}_jpeg.mp4" --preset "$preset"
  if [[ ${BENCH_PEER:-1} == 1 ]]; then
    peer_script 10 "${size[@]}" "${x264[@]}" "$out/ffmpeg_$preset.mp4" >"$out/ffmpeg_$preset.sh"
    measure "ffmpeg_$preset" bash "$out/ffmpeg_$preset.sh"
  fi
done
proxy_mb=$(du -sm "$XDG_CACHE_HOME" | cut -f1)
if [[ ${BENCH_100:-1} == 1 ]]; then
  rm -rf "$XDG_CACHE_HOME"  # first renders: the memory bound is about decoding
  measure reel_final_100 "$reel" render "$out/show100.json" -o "$out/reel_final_100.mp4"
  rm -rf "$XDG_CACHE_HOME"
  measure reel_preview_100 "$reel" render "$out/show100.json" -o "$out/reel_preview_100.mp4" --preset preview
fi

# --- report ---------------------------------------------------------------------------------
awk -F'\t' -v proxy_mb="$proxy_mb" 'NR > 1 { w[$1] = $2; c[$1] = $3; r[$1] = $4 }
  END {
    split("final preview", presets, " ")
    printf "\n%-34s %8s %8s %8s %22s\n", "run", "wall s", "cpu s", "rss MB", "to floor: wall/cpu/rss"
    for (i = 1; i <= 2; i++) {
      p = presets[i]
      n = split("floor_" p " reel_" p " reel_" p "_warm reel_" p "_jpeg ffmpeg_" p, runs, " ")
      split("floor (encode only)|reel, first render|reel, again (proxies)|reel, first render, JPEG photos|ffmpeg CLI peer", labels, "|")
      for (k = 1; k <= n; k++) {
        key = runs[k]
        if (!(key in w)) continue
        ratio = (k == 1) ? "" : sprintf("%.2f / %.2f / %.2f", w[key] / w["floor_" p], c[key] / c["floor_" p], r[key] / r["floor_" p])
        printf "%-34s %8.2f %8.2f %8.0f %22s\n", p " " labels[k], w[key], c[key], r[key], ratio
      }
    }
    printf "\ntargets: final 1.2, preview 1.3, memory 1.3 of the floor; proxies kept: %s MB\n", proxy_mb
    if ("reel_final_100" in r) {
      printf "%-34s %8.2f %8.2f %8.0f %22s\n", "final, 100 photos", w["reel_final_100"], c["reel_final_100"], r["reel_final_100"], sprintf("rss %.2f of 10 photos", r["reel_final_100"] / r["reel_final"])
      printf "%-34s %8.2f %8.2f %8.0f %22s\n", "preview, 100 photos", w["reel_preview_100"], c["reel_preview_100"], r["reel_preview_100"], sprintf("rss %.2f of 10 photos", r["reel_preview_100"] / r["reel_preview"])
    }
  }' "$results" | tee "$out/report.txt"
echo "bench: load average $(cut -d' ' -f1-3 /proc/loadavg) after the runs; details in $out"
