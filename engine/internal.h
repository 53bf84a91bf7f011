#pragma once
// Every header of the engine's stage folders (av/, plan/, photo/, clip/, text/, audio/,
// compose/, output/) includes this first. The stages are private to the engine: only the
// engine's own targets, and its tests and benchmarks through reel_engine_internal, define
// REEL_ENGINE_INTERNAL. Anything else gets the error below at compile time.
#ifndef REEL_ENGINE_INTERNAL
#error \
    "engine stage headers are private to the engine: include a header at engine/'s root (render.h, types.h, errors.h, media_info.h, beat_detect.h, logging.h)"
#endif
