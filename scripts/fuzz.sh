#!/usr/bin/env bash
# Runs each fuzz target for N seconds (first argument, else FUZZ_SECONDS, else 60) from its
# seed corpus: the draft parser (tests/fuzz/corpus) and the node's request bodies
# (tests/fuzz/corpus-node). New inputs go to scratch folders so the committed corpora stay
# small; a crash, a sanitizer report or a leak stops libFuzzer with a non-zero exit and fails
# the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-${FUZZ_SECONDS:-60}}
mkdir -p build/fuzz/artifacts
for target in fuzz_draft_parser:corpus fuzz_node_bodies:corpus-node; do
  name=${target%%:*}
  seeds=tests/fuzz/${target##*:}
  work=build/fuzz/$name-work
  mkdir -p "$work"
  echo "== $name, $seconds s"
  ./build/fuzz/tests/fuzz/"$name" -max_total_time="$seconds" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix=build/fuzz/artifacts/ "$work" "$seeds" 2>&1 | tail -n 25
done
