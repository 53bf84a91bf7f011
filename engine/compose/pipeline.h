#pragma once
// The compose pipeline. N workers compose frames out of order into pooled AVFrames;
// a reorder buffer hands them to the caller in order; at most `window` frames are in flight
// (backpressure). The first failure of any worker stops the others and is rethrown here.
#include "engine/internal.h"

#include <atomic>
#include <functional>

#include "engine/av/frame_pool.h"
#include "engine/compose/source_cache.h"

namespace reel::engine {

/// Resolves a thread count: 0 = all cores, else as given (at least 1).
int resolve_threads(int threads);

/// Composes frames [plan.frame_begin, plan.frame_end) and calls `consume(n, frame)` for each,
/// in order, on the calling thread. threads == 1 composes on the calling thread itself.
/// Throws Cancelled when *cancel becomes true; rethrows the first worker exception.
/// `text`, when given, is drawn on every frame (see compose_frame).
void run_pipeline(const Plan& plan, SourceCache& cache, FramePool& pool, int threads,
                  const std::function<void(int64_t, av::FramePtr)>& consume, const std::atomic<bool>* cancel,
                  TextLayer* text = nullptr);

}  // namespace reel::engine
