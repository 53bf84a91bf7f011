#!/usr/bin/env bash
# Installs the Debian packages reel needs to build, test and run its demo.
# Idempotent: asks dpkg first and only calls apt-get for what is missing.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format git
  # the tests' full and read-only disks (tmpfs in a mount namespace): unshare, mount
  util-linux mount
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  parallel  # GNU parallel: the workers of the distributed-render test (tests/cli/cli_parts_test.cpp)
  # draft, cli, cloud
  nlohmann-json3-dev libcli11-dev libcpp-httplib-dev libcurl4-openssl-dev
  # engine: media
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libheif-dev libexif-dev libwebp-dev
  libebur128-dev  # the mix's loudness (EBU R128) for normalisation
  libopencv-objdetect-dev opencv-data  # focus: face cascades (objdetect) and the cascade files
  libjpeg-dev libpng-dev  # photo decoding (JPEG, PNG: not through imgcodecs); the tests write fixtures with both
  # engine: text
  libfreetype-dev libharfbuzz-dev libfontconfig-dev libfribidi-dev
  fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji
  # the focus tests fetch python3-skimage's pictures with apt-get download + dpkg-deb (dpkg)
  # the peer in benchmarks/ and a probe for people; /usr/bin/time -v for the benchmark
  ffmpeg time
  # the studio's browser test drives Debian's chromium (playwright-core, no browser download)
  chromium
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

install_debian_packages() {
echo "setup: installing ${#missing[@]} missing Debian packages: ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists; refresh them when an install cannot find a package.
if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
  "${sudo_cmd[@]}" apt-get update
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi
}
((${#missing[@]} == 0)) || install_debian_packages

# The tests run by programs no one here wrote (tests/js: the studio in chromium, the MCP
# server through the official SDK, the Inspector's CLI and the conformance suite) come from
# npm, pinned by tests/js/package-lock.json. Installed again only when the lock changes.
js=tests/js
stamp=$js/node_modules/.reel-lock
if ! cmp -s "$js/package-lock.json" "$stamp" 2>/dev/null; then
  echo "setup: installing the JS test tools in $js (npm ci)"
  (cd "$js" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$js/package-lock.json" "$stamp"
fi
