#include "engine/compose/pipeline.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "engine/errors.h"

namespace reel::engine {

int resolve_threads(int threads) {
  if (threads > 0) return threads;
  return std::max(1, int(std::thread::hardware_concurrency()));
}

namespace {

bool cancelled(const std::atomic<bool>* c) { return c && c->load(std::memory_order_relaxed); }

void run_serial(const Plan& plan, SourceCache& cache, FramePool& pool,
                const std::function<void(int64_t, av::FramePtr)>& consume, const std::atomic<bool>* cancel,
                TextLayer* text) {
  ComposeScratch scratch;
  for (int64_t n = plan.frame_begin; n < plan.frame_end; ++n) {
    if (cancelled(cancel)) throw Cancelled();
    av::FramePtr f = pool.get();
    compose_frame(plan, n, cache, view_of(f.get()), scratch, text);
    consume(n, std::move(f));
    cache.set_playhead(n + 1);
  }
}

}  // namespace

void run_pipeline(const Plan& plan, SourceCache& cache, FramePool& pool, int threads,
                  const std::function<void(int64_t, av::FramePtr)>& consume, const std::atomic<bool>* cancel,
                  TextLayer* text) {
  threads = resolve_threads(threads);
  if (threads == 1) return run_serial(plan, cache, pool, consume, cancel, text);

  // One frame per worker, plus two done out of order: each 1080p frame is 3 MB.
  const int64_t window = threads + 2;
  std::mutex mu;  // guards next_claim, next_out, ready, failure, stop
  std::condition_variable cv_work, cv_out;
  int64_t next_claim = plan.frame_begin, next_out = plan.frame_begin;
  std::map<int64_t, av::FramePtr> ready;
  std::exception_ptr failure;
  bool stop = false;

  auto worker = [&] {
    ComposeScratch scratch;
    for (;;) {
      int64_t n;
      {
        std::unique_lock lock(mu);
        cv_work.wait(lock, [&] { return stop || next_claim >= plan.frame_end || next_claim < next_out + window; });
        if (stop || next_claim >= plan.frame_end) return;
        n = next_claim++;
      }
      try {
        av::FramePtr f = pool.get();
        compose_frame(plan, n, cache, view_of(f.get()), scratch, text);
        std::lock_guard lock(mu);
        ready.emplace(n, std::move(f));
      } catch (...) {
        std::lock_guard lock(mu);
        if (!failure) failure = std::current_exception();
        stop = true;
        cv_work.notify_all();
      }
      cv_out.notify_one();
    }
  };

  std::vector<std::thread> pool_threads;
  pool_threads.reserve(size_t(threads));
  auto stop_all = [&] {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    cv_work.notify_all();
    for (auto& t : pool_threads)
      if (t.joinable()) t.join();
  };
  try {
    for (int i = 0; i < threads; ++i) pool_threads.emplace_back(worker);
    while (next_out < plan.frame_end) {
      av::FramePtr f;
      {
        std::unique_lock lock(mu);
        // Wake up now and then to notice a cancel request even while a photo decodes.
        while (!failure && !ready.count(next_out)) {
          if (cancelled(cancel)) break;
          cv_out.wait_for(lock, std::chrono::milliseconds(50));
        }
        if (failure) std::rethrow_exception(failure);
        if (cancelled(cancel)) throw Cancelled();
        auto it = ready.find(next_out);
        f = std::move(it->second);
        ready.erase(it);
      }
      consume(next_out, std::move(f));
      {
        std::lock_guard lock(mu);
        ++next_out;
      }
      cache.set_playhead(next_out);
      cv_work.notify_all();
    }
  } catch (...) {
    stop_all();
    throw;
  }
  stop_all();
}

}  // namespace reel::engine
