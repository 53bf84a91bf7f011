#!/usr/bin/env bash
# Every C++ file git knows is formatted with the repository's own .clang-format (make test
# runs this; `make format` fixes what it lists). Prints the files that are not, exits 1.
set -uo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.h' '*.cpp'; git ls-files --others --exclude-standard '*.h' '*.cpp')
unformatted=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
if ((${#unformatted[@]})); then
  echo "not formatted with .clang-format (run make format):"
  printf '  %s\n' "${unformatted[@]}"
  exit 1
fi
echo "formatting: clean (${#files[@]} files)"
