#include "cli/node_farm.h"

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "base/error.h"
#include "cli/cloud_flows.h"
#include "cli/progress.h"
#include "cloud/client/draft_media.h"
#include "cloud/protocol/errors.h"
#include "engine/render.h"

namespace reel::cli {

using cloud::CloudError;
using cloud::ErrorKind;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// A part's place in the deal. Guarded by Farm::mutex.
struct PartState {
  engine::RenderPart part;
  int runners = 0;  // nodes rendering it now
  bool done = false;
  std::string path;  // the downloaded part, once done
  Clock::time_point started;
  std::string runner;                                     // the node that took it last
  std::vector<std::shared_ptr<std::atomic<bool>>> stops;  // one per runner: set when it is no longer wanted
};

struct Farm {
  std::mutex setup_mutex;  // see run_node
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<PartState> parts;
  std::vector<double> done_seconds;  // how long the finished parts took
  int nodes_alive = 0;
  std::vector<std::string> failures;  // "URL: why"
  bool all_done() const {
    return std::all_of(parts.begin(), parts.end(), [](const PartState& p) { return p.done; });
  }
};

void say(bool quiet, const std::string& line) {
  if (!quiet) std::cerr << "reel: " << line << "\n";
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

// The next part for an idle node, or -1 (none now). A waiting part first; else, once none
// waits, a part rendered by one node for more than twice the median part (5 s while none has
// finished), raced by this one. Under the mutex.
int pick_locked(Farm& f) {
  for (size_t i = 0; i < f.parts.size(); ++i)
    if (!f.parts[i].done && f.parts[i].runners == 0) return int(i);
  double median = 2.5;
  if (!f.done_seconds.empty()) {
    std::vector<double> d = f.done_seconds;
    std::nth_element(d.begin(), d.begin() + long(d.size() / 2), d.end());
    median = d[d.size() / 2];
  }
  int slowest = -1;
  double longest = 2 * median;
  for (size_t i = 0; i < f.parts.size(); ++i) {
    const PartState& p = f.parts[i];
    const double running = std::chrono::duration<double>(Clock::now() - p.started).count();
    if (!p.done && p.runners == 1 && running > longest) slowest = int(i), longest = running;
  }
  return slowest;
}

// One node's life: its media uploaded, then parts rendered until none is left or it fails.
void run_node(Farm& f, const cloud::ClientOptions& co, const std::string& url, size_t node, const draft::Draft& d,
              draft::Rational fps, const std::string& base_dir, const std::string& folder, bool quiet) {
  cloud::ClientOptions mine = co;
  mine.api = url;
  std::string failure;
  try {
    cloud::Client client(mine);
    Json for_node;
    {
      // One node at a time: the config store (tokens, sessions, uploads) is one file per
      // project that each node's set-up writes.
      std::lock_guard setup(f.setup_mutex);
      client.login();
      for_node = cloud::draft_for_cloud(client, d, base_dir).json;
    }
    for (;;) {
      int i = -1;
      std::shared_ptr<std::atomic<bool>> stop = std::make_shared<std::atomic<bool>>(false);
      {
        std::unique_lock lock(f.mutex);
        for (;;) {
          if (f.all_done() || interrupted()) return;
          i = pick_locked(f);
          if (i >= 0) break;
          f.changed.wait_for(lock, std::chrono::milliseconds(200));
        }
        PartState& p = f.parts[size_t(i)];
        if (p.runners++ == 0)
          p.started = Clock::now();
        else
          say(quiet, "part " + std::to_string(p.part.index) + "/" + std::to_string(f.parts.size()) + " is slow on " +
                         p.runner + " (" +
                         seconds_text(std::chrono::duration<double>(Clock::now() - p.started).count()) + "); " + url +
                         " renders it too");
        p.runner = url;
        p.stops.push_back(stop);
      }
      const engine::RenderPart part = f.parts[size_t(i)].part;
      const int of = int(f.parts.size());
      const std::string name = "part " + std::to_string(part.index) + "/" + std::to_string(of);
      // By node: two nodes racing for a slow part write files of their own.
      const std::string path =
          folder + "/part-" + std::to_string(part.index) + "-node" + std::to_string(node + 1) + ".mp4";
      const auto t0 = Clock::now();
      try {
        const std::string id = client.submit_render(for_node, {}, {part.index, of});
        const cloud::RenderStatus st = client.wait_render(id, {}, stop.get());
        const int64_t ms = (part.frame_end - part.frame_begin) * 1000 * fps.den / fps.num;
        client.download_render(st, path, ms);
      } catch (const CloudError& e) {
        std::lock_guard lock(f.mutex);
        PartState& p = f.parts[size_t(i)];
        --p.runners;
        if (stop->load() || interrupted()) {  // another node finished it first, or Ctrl-C
          f.changed.notify_all();
          continue;
        }
        failure = client.scrub(e.what());
        say(quiet,
            "node " + url + " failed on " + name + " (" + failure + ")" + (p.done ? "" : "; another node renders it"));
        f.changed.notify_all();
        throw;
      }
      std::lock_guard lock(f.mutex);
      PartState& p = f.parts[size_t(i)];
      --p.runners;
      if (p.done) {
        fs::remove(path);
      } else {
        p.done = true;
        p.path = path;
        const double took = std::chrono::duration<double>(Clock::now() - t0).count();
        f.done_seconds.push_back(took);
        for (auto& other : p.stops) other->store(true);
        say(quiet, name + " rendered by " + url + " in " + seconds_text(took));
      }
      f.changed.notify_all();
    }
  } catch (const std::exception& e) {
    std::lock_guard lock(f.mutex);
    if (failure.empty()) {
      failure = e.what();
      say(quiet, "node " + url + " cannot render (" + failure + ")");
    }
    f.failures.push_back(url + ": " + failure);
    --f.nodes_alive;
    f.changed.notify_all();
  }
}

}  // namespace

int export_over_nodes(const cloud::ClientOptions& co, const std::vector<std::string>& nodes, const draft::Draft& d,
                      const std::string& base_dir, const std::string& out, bool quiet) {
  const auto t0 = Clock::now();
  const engine::RenderOptions local = local_render_options(d, base_dir, co, engine::Preset::Final, quiet, 0);
  // Two parts a node: a failed or slow node costs half its share, not all of it.
  const engine::PartPlan plan = engine::plan_parts(d, int(2 * nodes.size()), local);

  std::string pattern = (fs::path(out).parent_path().empty() ? fs::path(".") : fs::path(out).parent_path()) /
                        ("." + fs::path(out).filename().string() + ".parts-XXXXXX");
  if (!::mkdtemp(pattern.data()))
    throw base::FileError(base::Access::Write, out, errno, "make a folder for the parts beside");
  struct RemoveFolder {
    std::string dir;
    ~RemoveFolder() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } parts_folder{pattern};

  Farm farm;
  for (const engine::RenderPart& p : plan.parts) farm.parts.push_back({p});
  farm.nodes_alive = int(nodes.size());
  say(quiet, "rendering " + std::to_string(plan.frames) + " frames in " + std::to_string(plan.parts.size()) +
                 " parts on " + std::to_string(nodes.size()) + " node" + (nodes.size() == 1 ? "" : "s"));
  std::vector<std::thread> threads;
  for (size_t k = 0; k < nodes.size(); ++k)
    threads.emplace_back([&, k] { run_node(farm, co, nodes[k], k, d, plan.fps, base_dir, parts_folder.dir, quiet); });
  // The sound is made here while the nodes render the pictures, so the join only copies.
  const std::string sound = plan.has_sound ? parts_folder.dir + "/sound.m4a" : "";
  std::exception_ptr sound_failed;
  std::thread sound_maker;
  if (!sound.empty())
    sound_maker = std::thread([&] {
      try {
        engine::render_sound_part(d, sound, local, &interrupted());
      } catch (...) {
        sound_failed = std::current_exception();
      }
    });
  {
    std::unique_lock lock(farm.mutex);
    farm.changed.wait(lock, [&] { return farm.all_done() || farm.nodes_alive == 0 || interrupted(); });
    for (PartState& p : farm.parts)
      for (auto& stop : p.stops) stop->store(true);  // what still runs is no longer wanted
  }
  for (auto& t : threads) t.join();
  if (sound_maker.joinable()) sound_maker.join();
  if (interrupted()) throw CloudError(ErrorKind::Cancelled, "the export was interrupted; nothing was written");
  if (sound_failed) std::rethrow_exception(sound_failed);
  if (!farm.all_done()) {
    std::string why;
    for (const std::string& f : farm.failures) why += (why.empty() ? "" : "; ") + f;
    throw base::Error(base::Fault::Environment, "every render node failed (" + why +
                                                    "); start them again, or render here with `reel export --local`");
  }
  std::vector<std::string> paths;
  for (const PartState& p : farm.parts) paths.push_back(p.path);
  if (!sound.empty()) paths.push_back(sound);
  const engine::RenderResult r = engine::join_parts(d, paths, out, local, &interrupted());
  say(quiet, "wrote " + out + " (" + std::to_string(r.width) + "x" + std::to_string(r.height) + ", " +
                 std::to_string(r.frames) + " frames) from " + std::to_string(farm.parts.size()) + " parts on " +
                 std::to_string(nodes.size()) + " node" + (nodes.size() == 1 ? "" : "s") + " in " +
                 seconds_text(std::chrono::duration<double>(Clock::now() - t0).count()));
  return 0;
}

}  // namespace reel::cli
