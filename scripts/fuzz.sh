#!/usr/bin/env bash
# Runs the draft parser's fuzz target for N seconds (default 60) from the seed corpus.
# New inputs go to a scratch folder so the committed corpus stays small; a crash,
# a sanitizer report or a leak stops libFuzzer with a non-zero exit and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
work=build/fuzz/corpus-work
mkdir -p "$work" build/fuzz/artifacts
./build/fuzz/tests/fuzz/fuzz_draft_parser -max_total_time="$seconds" -max_len=65536 \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix=build/fuzz/artifacts/ "$work" tests/fuzz/corpus 2>&1 | tail -n 25
