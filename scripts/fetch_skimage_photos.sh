#!/usr/bin/env bash
# Fetches public-domain test pictures from Debian's python3-skimage package into a folder
# (default build/test-photos/skimage, ignored; never committed): astronaut.png and camera.png
# (faces), chelsea.png, coffee.png and rocket.jpg (no faces). Kept between runs: a folder
# with its .complete mark is used as it is. Exit 0 when the pictures are there, 1 (with the
# reason on stderr) when the package cannot be fetched (no network, no apt).
# Tests run side by side call this at once: a lock lets one fetch while the others wait, and
# the pictures are put in place by one rename, so no reader ever sees a half-copied file.
set -euo pipefail
dest=${1:-build/test-photos/skimage}
files=(astronaut.png camera.png chelsea.png coffee.png rocket.jpg)
if [[ -f $dest/.complete ]]; then
  exit 0
fi
command -v apt-get >/dev/null || { echo "fetch_skimage_photos: apt-get is not available" >&2; exit 1; }
mkdir -p "$(dirname "$dest")"
exec 9>"$dest.lock"
flock -w 300 9 || { echo "fetch_skimage_photos: another fetch into $dest holds the lock" >&2; exit 1; }
if [[ -f $dest/.complete ]]; then
  exit 0
fi
tmp=$(mktemp -d "$dest.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && timeout 120 apt-get download python3-skimage >/dev/null 2>"$tmp/err"); then
  echo "fetch_skimage_photos: apt-get download python3-skimage failed: $(tail -1 "$tmp/err")" >&2
  exit 1
fi
dpkg-deb -x "$tmp"/python3-skimage_*.deb "$tmp/x"
data=$(dirname "$(find "$tmp/x" -name astronaut.png | head -1)")
mkdir "$tmp/pictures"
for f in "${files[@]}"; do cp "$data/$f" "$tmp/pictures/"; done
cp "$tmp/x/usr/share/doc/python3-skimage/copyright" "$tmp/pictures/COPYRIGHT" 2>/dev/null || true
touch "$tmp/pictures/.complete"
rm -rf "$dest"
mv "$tmp/pictures" "$dest"
