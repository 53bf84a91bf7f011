#!/usr/bin/env bash
# Renders the demo project (assets/demo) with the given reel binary:
#   demo.mp4             the video (final preset, the draft's 1280x720 at 30 fps)
#   demo-storyboard.png  the timeline at a glance
set -euo pipefail
cd "$(dirname "$0")/.."
reel=${1:-build/release/reel}
[[ -x "$reel" ]] || { echo "demo: no reel binary at $reel (run: make build)" >&2; exit 1; }
"$reel" render assets/demo/demo.json -o demo.mp4
"$reel" storyboard assets/demo/demo.json -o demo-storyboard.png
echo "demo: wrote $(pwd)/demo.mp4 and $(pwd)/demo-storyboard.png"
