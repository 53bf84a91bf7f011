# Sourced by the benchmarks (from the repository's root). bench_start: the build to measure.
# fetch_photos: real photos, fetched at run time from Debian's
# gnome-backgrounds package into benchmarks/photos/ (ignored; never committed). Sets `photo_names` (the nine
# 4096x4096 WebP wallpapers) and `photo_files` (those and a 26-megapixel JPEG made from a tenth),
# and makes a quality-92 JPEG beside each WebP (camera-style files).
# Sets root, build (absolute) and reel from BUILD_DIR (default build/release); stops unless
# reel, every other binary named (relative to the build) and /usr/bin/time are there.
bench_start() {  # BUILD_DIR [binary...]
  local b
  root=$(pwd)
  build=${1:-build/release}
  [[ $build == /* ]] || build=$root/$build
  reel=$build/reel
  shift || true
  for b in "$reel" "${@/#/$build/}"; do
    [[ -x $b ]] || { echo "bench: build first (make build): need $b" >&2; exit 1; }
  done
  command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time missing (make setup installs it)" >&2; exit 1; }
}

fetch_photos() {  # folder
  local photos=$1 tmp n
  photo_names=(adwaita-d adwaita-l grid-d licorice-d pixels-d pixels-l symbolic-d truchet-d wood-l)
  mkdir -p "$photos"
  if [[ ! -f $photos/.complete ]]; then
    echo "bench: fetching photos from Debian's gnome-backgrounds package"
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download gnome-backgrounds >/dev/null 2>&1)
    dpkg-deb -x "$tmp"/gnome-backgrounds_*.deb "$tmp/x"
    for n in "${photo_names[@]}"; do cp "$tmp/x/usr/share/backgrounds/gnome/$n.webp" "$photos/"; done
    # None is 20 megapixels: upscale one to 5120x5120 (26 MP) and store it as a camera would.
    ffmpeg -v error -y -i "$tmp/x/usr/share/backgrounds/gnome/wood-d.webp" -vf scale=5120:5120:flags=lanczos \
      -q:v 2 "$photos/wood-d-26mp.jpg"
    cp "$tmp/x/usr/share/doc/gnome-backgrounds/copyright" "$photos/COPYRIGHT"
    rm -rf "$tmp"
    touch "$photos/.complete"
  fi
  photo_files=()
  for n in "${photo_names[@]}"; do photo_files+=("$n.webp"); done
  photo_files+=("wood-d-26mp.jpg")
  for n in "${photo_names[@]}"; do
    [[ -f $photos/$n.jpg ]] || ffmpeg -v error -y -i "$photos/$n.webp" -q:v 2 "$photos/$n.jpg"
  done
}

# Runs a command under /usr/bin/time -v and appends "name wall_s cpu_s rss_mb" to $results
# (the command's output goes to $out/NAME.log); stops the benchmark when it fails.
measure() {  # name, command...
  local name=$1
  shift
  /usr/bin/time -v -o "$out/$name.time" "$@" >"$out/$name.log" 2>&1 || { echo "bench: $name failed:"; tail -5 "$out/$name.log"; exit 1; }
  awk -v name="$name" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
    /User time/ { user = $2 } /System time/ { sys = $2 } /Maximum resident/ { rss = $2 / 1024 }
    END { printf "%s\t%.2f\t%.2f\t%.0f\n", name, wall, user + sys, rss }' "$out/$name.time" | tee -a "$results"
}

# Distinct JPEG files (copies, not links: a file's identity is its inode), as a camera card
# holds, in OUT/cards/p0.jpg ... (after fetch_photos), and OUT/music.mp3 (30 minutes).
make_cards() {  # out count photos
  local o=$1 count=$2 photos=$3 i
  mkdir -p "$o/cards"
  for ((i = 0; i < count; i++)); do
    [[ -f $o/cards/p$i.jpg ]] || cp "$photos/${photo_names[i % 9]}.jpg" "$o/cards/p$i.jpg"
  done
  [[ -f $o/music.mp3 ]] ||
    ffmpeg -v error -y -f lavfi -i "sine=f=220:d=1800" -f lavfi -i "anoisesrc=d=1800:a=0.05" \
      -filter_complex "amix=inputs=2,volume=0.5" -ac 2 -ar 48000 -b:a 192k "$o/music.mp3"
}

# show COUNT MS OUT [KB_ZOOM_OF_20] [TITLE] [TRANSITION_MS_OF_30]: COUNT photos of the cards
# (make_cards, beside OUT) of MS each, moves, fades and wipes, the music and a title; 1080p30.
show() {
  local count=$1 ms=$2 f=$3 zoom=${4:-1.2} title=${5:-Summer by the sea} trms=${6:-500} i s kb tr
  local moves=(in out left right up down) types=(fade wipeleft fade slideleft fade circleopen)
  {
    printf '{"m": {"title": "Iterate", "width": 1920, "height": 1080, "fps": 30},\n "t": [\n  {"tt": 0, "sg": [\n'
    for ((i = 0; i < count; i++)); do
      s=$((i * ms))
      kb="\"${moves[i % 6]}\""
      ((i == 20)) && kb="{\"from\": {\"x\": 0.4, \"y\": 0.5, \"z\": 1.0}, \"to\": {\"x\": 0.6, \"y\": 0.5, \"z\": $zoom}}"
      tr=""
      if ((i > 0)); then
        local d=500
        ((i == 30)) && d=$trms
        tr=", \"tr\": {\"type\": \"${types[i % 6]}\", \"d\": $d}"
      fi
      printf '   {"id": "p%d", "s": %d, "d": %d, "src": "cards/p%d.jpg", "m": {"kb": %s%s}}%s\n' \
        "$i" "$s" "$ms" "$i" "$kb" "$tr" "$( ((i + 1 < count)) && echo , )"
    done
    printf '  ]},\n  {"tt": 1, "m": {"name": "BGM"}, "sg": [{"s": 0, "d": %d, "src": "music.mp3", "m": {"fo": 2000}}]},\n' \
      $((count * ms))
    printf '  {"tt": 7, "m": {"kind": "title"}, "sg": [{"s": 500, "d": 3500, "m": {"text": "%s",\n' "$title"
    printf '    "style": {"pos": "bottom", "size": 0.07}, "anim": {"in": "fade", "out": "fade"}}}]}\n ]\n}\n'
  } >"$f"
}
