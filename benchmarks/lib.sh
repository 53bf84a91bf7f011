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
