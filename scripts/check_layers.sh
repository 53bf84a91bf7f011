#!/usr/bin/env bash
# The module boundaries of docs/architecture.md, checked on the source tree (make test runs it):
#   - modules: cli -> {cloud, engine} -> draft -> base; nothing includes a module above it;
#   - libraries: FFmpeg, OpenCV, libheif, FreeType & co. only under engine/, curl only under
#     cloud/ (the client), httplib only in the servers (the render node; the studio and MCP
#     servers of cli/) and tests;
#   - engine/: the stages call down or sideways, never up; no file inside the engine includes
#     the public render.h but render.cpp; cli/ and cloud/ include no stage header (the compiler
#     refuses too: engine/internal.h).
# Prints every breach as "file: includes X: why" and exits 1 if there is one.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
breach() { echo "$1: includes $2: $3"; status=1; }

# The rank of an engine header by its folder: a file may include ranks <= its own.
rank_of() {
  case "$1" in
    engine/types.h | engine/errors.h | engine/internal.h | engine/timings.h) echo 0 ;;
    engine/av/*) echo 1 ;;
    engine/plan/*) echo 2 ;;
    engine/photo/* | engine/clip/* | engine/text/* | engine/audio/*) echo 3 ;;
    engine/compose/*) echo 4 ;;
    engine/output/*) echo 5 ;;
    engine/*) echo 6 ;;  # the public face at engine/'s root
    *) echo -1 ;;
  esac
}

includes_of() { grep -oE '^#include [<"][^>"]+[>"]' "$1" | sed -E 's/^#include [<"]([^>"]+)[>"]/\1/'; }

while IFS= read -r f; do
  module=${f%%/*}
  while IFS= read -r inc; do
    [ -z "$inc" ] && continue
    top=${inc%%/*}
    case "$module" in
      base) case "$top" in draft | engine | cloud | cli) breach "$f" "$inc" "base/ is the bottom: it includes no other module" ;; esac ;;
      draft) case "$top" in engine | cloud | cli) breach "$f" "$inc" "draft/ depends on base/ and nlohmann/json only" ;; esac ;;
      engine) case "$top" in cloud | cli) breach "$f" "$inc" "engine/ depends on draft/ and base/, never on cloud/ or cli/" ;; esac ;;
      cloud) case "$top" in cli) breach "$f" "$inc" "cloud/ never includes cli/" ;; esac ;;
    esac
    case "$inc" in
      libav* | libsw* | opencv2/* | libheif/* | ft2build.h | freetype/* | hb*.h | harfbuzz/* | fontconfig/* | fribidi* | png.h | jpeglib.h | webp/* | libexif/* | ebur128.h)
        [ "$module" = engine ] || breach "$f" "$inc" "media libraries are used under engine/ only" ;;
      curl/*)
        [ "$module" = cloud ] || breach "$f" "$inc" "curl is used under cloud/ only" ;;
      httplib.h)
        case "$f" in cloud/node/* | cli/loopback/* | cli/studio/* | cli/mcp/*) ;;
          *) breach "$f" "$inc" "cpp-httplib is used by the servers only (cloud/node, cli/loopback, cli/studio, cli/mcp)" ;; esac ;;
    esac
    if [[ "$inc" == engine/* ]]; then
      if [ "$(rank_of "$inc")" -ge 1 ] && [ "$(rank_of "$inc")" -le 5 ] && [ "$module" != engine ]; then
        breach "$f" "$inc" "engine stage headers are private to the engine; use a header at engine/'s root"
      fi
      if [ "$module" = engine ]; then
        if [ "$inc" = engine/render.h ] && [ "$f" != engine/render.cpp ]; then
          breach "$f" "$inc" "nothing inside the engine includes its public face; the shared types are in engine/types.h"
        fi
        own=$(rank_of "$f")
        theirs=$(rank_of "$inc")
        if [ "$own" -lt 6 ] && [ "$theirs" -gt "$own" ]; then
          breach "$f" "$inc" "an engine stage calls down or sideways, never up"
        fi
      fi
    fi
  done < <(includes_of "$f")
done < <(git ls-files 'base/*.h' 'base/*.cpp' 'draft/*.h' 'draft/*.cpp' 'engine/*.h' 'engine/*.cpp' 'cloud/*.h' 'cloud/*.cpp' 'cli/*.h' 'cli/*.cpp'; git ls-files --others --exclude-standard 'base/*' 'draft/*' 'engine/*' 'cloud/*' 'cli/*' | grep -E '\.(h|cpp)$')

[ "$status" -eq 0 ] && echo "module boundaries: clean"
exit "$status"
