#!/usr/bin/env bash
# Everything `make test` runs, in order, with the time each part takes:
# 0. the source checks: formatting (.clang-format) and the module boundaries;
# 1. release build + every test (unit and end-to-end) through ctest;
# 2. the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer;
# 3. the fuzz targets (libFuzzer) of every parser of untrusted bytes, FUZZ_SECONDS in all.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-$(nproc)}
fuzz_seconds=${FUZZ_SECONDS:-72}

step() { echo; echo "== $1"; step_start=$SECONDS; }
done_step() { echo "== $1 took $((SECONDS - step_start)) s"; }

step "source checks"
bash scripts/check_format.sh
bash scripts/check_layers.sh
done_step "source checks"

step "release build and tests"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs"
done_step "release build and tests"

step "unit tests under ASan + UBSan"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"
done_step "unit tests under ASan + UBSan"

step "fuzzing the parsers of untrusted bytes for ${fuzz_seconds} s"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs"
bash scripts/fuzz.sh "$fuzz_seconds"
done_step "fuzzing"
