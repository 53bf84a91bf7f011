#pragma once
// A render node on 127.0.0.1 (random port) for tests, with a stand-in renderer: it resolves
// every source through the node's resolver (so the node's media rules apply), waits as told,
// honours cancel, and writes a small file naming what it read. The e2e tests use the engine.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>

#include "base/files.h"
#include "cloud/node/server.h"
#include "tests/cloud/support/test_util.h"

namespace reel::cloud::testing {

struct StandInRenderer {
  std::atomic<int> delay_ms{0};
  std::atomic<int> renders{0};
  std::mutex mutex;
  std::string fail;  // non-empty: the render throws this

  NodeRenderFn fn() {
    return [this](const draft::Draft& d, const std::string& out,
                  const std::function<std::string(const std::string&)>& resolve,
                  const std::function<void(int)>& progress, const std::atomic<bool>& cancel, const PartRequest&) {
      ++renders;
      std::string content = "REEL-STANDIN\n";
      for (const auto& t : d.tracks)
        for (const auto& s : t.segments)
          if (!s.source.empty()) {
            std::string path = resolve(s.source);
            content += s.source + " -> " + std::to_string(std::filesystem::file_size(path)) + "\n";
          }
      progress(50);
      auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms.load());
      while (std::chrono::steady_clock::now() < until) {
        if (cancel) throw std::runtime_error("cancelled");
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      {
        std::lock_guard lock(mutex);
        if (!fail.empty()) throw std::runtime_error(fail);
      }
      reel::base::write_file_atomically(out, minimal_mp4(d.duration_ms(), content));
    };
  }
};

struct NodeFixture : ::testing::Test {
  TempDir dir;
  LogCapture node_log, client_log;
  StandInRenderer renderer;
  std::unique_ptr<RenderNode> node;

  NodeOptions node_options() {
    NodeOptions o;
    o.port = 0;
    o.data_dir = dir.file("node");
    o.workers = 2;
    o.read_timeout_s = 2;
    o.write_timeout_s = 2;
    o.render = renderer.fn();
    o.log = node_log.fn();
    return o;
  }
  void start(NodeOptions o) {
    node = std::make_unique<RenderNode>(std::move(o));
    node->start();
  }
  void SetUp() override { start(node_options()); }
  ClientOptions client_options() {
    auto o = fast_options(node->base_url(), dir.file("config"), dir.file("project"));
    o.log = client_log.fn();
    return o;
  }
};

}  // namespace reel::cloud::testing
