#!/usr/bin/env bash
# Runs every fuzz target for N seconds in all (first argument, else FUZZ_SECONDS, else 72; at
# least 12 s each), each from its seed corpus: the draft parser, subtitles (SRT/VTT), the
# agent's event stream (SSE), HTTP answers, the render node's request bodies and its multipart
# uploads, reel mcp's JSON-RPC messages and their dispatch. New inputs go to a scratch folder so
# the committed corpora stay small; a crash, a sanitizer report or a leak stops libFuzzer with a
# non-zero exit and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-${FUZZ_SECONDS:-72}}
targets=(fuzz_draft_parser:corpus fuzz_subtitles:corpus-subtitles fuzz_sse:corpus-sse fuzz_http_answer:corpus-answers
         fuzz_node_bodies:corpus-node fuzz_node_multipart:corpus-multipart fuzz_mcp_messages:corpus-mcp)
share=$(( seconds / ${#targets[@]} > 12 ? seconds / ${#targets[@]} : 12 ))
mkdir -p build/fuzz/artifacts
for entry in "${targets[@]}"; do
  target=${entry%%:*}
  corpus=tests/fuzz/${entry#*:}
  work=build/fuzz/corpus-work/$target
  mkdir -p "$work"
  echo "== $target for $share s"
  ./build/fuzz/tests/fuzz/$target -max_total_time="$share" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix=build/fuzz/artifacts/$target- "$work" "$corpus" 2>&1 | tail -n 12
done
