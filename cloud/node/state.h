#pragma once
// The render node's shared state, internal to cloud/node/: its options, its records and render
// queue under one mutex, and the few helpers every part of the node uses (the clock, random
// ids, the log, saving the records). One NodeState per RenderNode (node/server.cpp owns it);
// the HTTP threads and the render workers share it.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "cloud/client/media_cache.h"
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

  /// One line to the node's log (never a token). Any thread.
  void log(const std::string& line) const {
    if (opt.log) opt.log(line);
  }
  /// Writes the records to data_dir/node.json; a failure is logged, not thrown. Under `mutex`.
  void save_locked();
  /// A number in [0, 1). Under `mutex`.
  double coin_locked() { return std::uniform_real_distribution<double>(0, 1)(rng); }
};

int64_t now_s();   // epoch seconds
int64_t now_ms();  // epoch milliseconds
/// `n` random lower-case hex digits.
std::string random_hex(size_t n);

}  // namespace reel::cloud::node
