#pragma once
// The render node's shared state, internal to cloud/node/: its options, its records and render
// queue under one mutex, and the few helpers every part of the node uses (the clock, random
// ids, the log, saving the records). One NodeState per RenderNode (node/server.cpp owns it);
// the HTTP threads and the render workers share it.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <semaphore>
#include <string>

#include "cloud/client/media_cache.h"
#include "cloud/node/responses.h"
#include "cloud/node/server.h"
#include "cloud/node/store.h"

namespace reel::cloud::node {

struct NodeState {
  explicit NodeState(NodeOptions o) : opt(std::move(o)) {}

  // Set before the server and the workers start, read-only afterwards.
  NodeOptions opt;
  std::string public_url;             // base of cdn_url and outputUrl, no trailing slash
  std::unique_ptr<MediaCache> cache;  // remote media for renders (thread-safe itself)

  std::mutex mutex;                  // guards every field below
  std::condition_variable queue_cv;  // a render was queued, or the node is stopping
  std::condition_variable done_cv;   // a render finished, or the node stopped
  NodeRecords records;
  std::deque<std::string> queue;                                      // render ids waiting
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> running;  // render id -> cancel flag
  bool stopping = false, stopped = false, started = false;
  std::mt19937 rng{std::random_device{}()};
  std::map<std::string, std::deque<int64_t>> token_issues_by_address;  // address -> issue times (s), last minute
  uint64_t records_version = 0;                                        // grows with every snapshot

  /// Bodies over kLargeBody read and parsed at once: memory a flood of big bodies can take is
  /// bounded by this, not by the HTTP threads (and the allocator's arenas they touch).
  static constexpr int64_t kLargeBody = 256 << 10;
  std::counting_semaphore<64> large_bodies{2};

  std::mutex save_mutex;       // guards saved_version and the writing of node.json (never held with `mutex`)
  uint64_t saved_version = 0;  // the newest snapshot written

  /// One line to the node's log (never a token). Any thread.
  void log(const std::string& line) const {
    if (opt.log) opt.log(line);
  }
  /// The records as node.json's text, to write once `mutex` is released. Under `mutex`.
  struct Snapshot {
    uint64_t version = 0;
    std::string text;
  };
  Snapshot snapshot_locked();
  /// Writes `s` to data_dir/node.json unless a newer snapshot was written already; a failure
  /// is logged, not thrown. Never under `mutex`: a large write holds no one up.
  void write_snapshot(const Snapshot& s);
  /// snapshot_locked() and write_snapshot() at once, for start and stop only. Under `mutex`.
  void save_locked() { write_snapshot(snapshot_locked()); }
  LargeBodyGate large_body_gate() { return LargeBodyGate{large_bodies, kLargeBody, std::chrono::seconds(5)}; }
  /// A JSON body of at most `cap` bytes (and never over max_json_bytes).
  BodyLimits json_limits(int64_t cap = INT64_MAX) const {
    return BodyLimits{std::min(cap, opt.max_json_bytes), opt.max_json_depth};
  }
  /// A number in [0, 1). Under `mutex`.
  double coin_locked() { return std::uniform_real_distribution<double>(0, 1)(rng); }
};

int64_t now_s();   // epoch seconds
int64_t now_ms();  // epoch milliseconds
/// `n` random lower-case hex digits.
std::string random_hex(size_t n);

}  // namespace reel::cloud::node
