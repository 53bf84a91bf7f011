#!/usr/bin/env bash
# Makes the demo's photos with FFmpeg's built-in picture generators (no outside media, so no
# licence beyond the project's own). Run from anywhere; writes next to this script.
set -euo pipefail
cd "$(dirname "$0")"
gen() {  # name, lavfi source, extra filters
  ffmpeg -v error -y -f lavfi -i "$2" -frames:v 1 -vf "${3:-null}" -q:v 4 "$1"
}
gen 01-mandelbrot.jpg "mandelbrot=size=1600x1000:start_scale=0.6:end_scale=0.6:outer=normalized_iteration_count"
gen 02-gradients.jpg "gradients=size=1600x1000:c0=0x1b3a6b:c1=0xf2a65a:c2=0x6bb36b:c3=0xe3e3f2:nb_colors=4:x0=0:y0=0:x1=1600:y1=1000:seed=7" "noise=alls=6:allf=t"
gen 03-life.jpg "life=size=320x200:mold=10:r=1:ratio=0.1:death_color=#0b1d2a:life_color=#e9c46a,trim=start_frame=40" "scale=1600:1000:flags=neighbor,gblur=sigma=1.2"
gen 04-mandelbrot-deep.jpg "mandelbrot=size=1000x1500:start_x=-0.743643887037151:start_y=0.131825904205330:start_scale=0.005:end_scale=0.005:outer=normalized_iteration_count"
gen 05-cellauto.jpg "cellauto=size=800x500:rule=110:random_fill_ratio=0.5:scroll=0:full=1" "scale=1600:1000:flags=neighbor,format=rgb24,colorchannelmixer=rr=0.25:gg=0.65:bb=0.95,gblur=sigma=0.8"
