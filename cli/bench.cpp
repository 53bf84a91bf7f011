#include "cli/bench.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <limits>

#include "cli/cloud_flows.h"
#include "cli/progress.h"
#include "cloud/client/draft_media.h"
#include "engine/errors.h"
#include "engine/render.h"

extern char** environ;

namespace reel::cli {

// What `argv` (a program found on PATH, run without a shell) prints on stdout and stderr;
// nullopt when it cannot be started.
static std::optional<std::string> program_output(const std::vector<std::string>& argv) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return std::nullopt;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; spawned == 0 && (n = ::read(pipe_fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    out.append(buf, size_t(n));
  }
  ::close(pipe_fds[0]);
  if (spawned != 0) return std::nullopt;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return out;
}

std::optional<double> psnr_between(const std::string& a, const std::string& b) {
  const std::optional<std::string> printed =
      program_output({"ffmpeg", "-hide_banner", "-nostats", "-i", a, "-i", b, "-lavfi",
                      "[0:v][1:v]scale2ref[x][y];[x][y]psnr", "-f", "null", "-"});
  if (!printed) return std::nullopt;
  const std::string& out = *printed;
  auto pos = out.rfind("average:");
  if (pos == std::string::npos) return std::nullopt;
  std::string v = out.substr(pos + 8, out.find(' ', pos + 8) - pos - 8);
  if (v == "inf") return std::numeric_limits<double>::infinity();
  try {
    return std::stod(v);
  } catch (...) {
    return std::nullopt;
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : (v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2);
}

BenchFigures measure_bench(const draft::Draft& d, const std::string& base_dir, const cloud::ClientOptions& co,
                           const BenchPlan& plan) {
  const std::atomic<bool>* cancel = plan.cancel ? plan.cancel : &interrupted();
  BenchFigures f;
  f.rows = {{"local preview", {}, plan.dir + "/local-preview.mp4"},
            {"local final", {}, plan.dir + "/local-final.mp4"},
            {"cloud final", {}, plan.dir + "/cloud-final.mp4"}};
  const int runs = std::max(1, plan.runs);
  const int total = runs * (plan.skip_cloud ? 2 : 3);
  int done = 0;
  auto tell = [&](const std::string& what) {
    if (plan.progress) plan.progress(what, done, total);
  };
  for (int run = 0; run < runs; ++run) {
    for (int i = 0; i < 2; ++i) {
      const engine::Preset preset = i == 0 ? engine::Preset::Preview : engine::Preset::Final;
      tell(f.rows[size_t(i)].name);
      engine::RenderOptions ro =
          plan.local_options ? plan.local_options(preset) : local_render_options(d, base_dir, co, preset, true, 0);
      // Every run from nothing, as the cloud renders: kept chunks or proxies would time a join.
      ro.chunk_dir.clear();
      ro.proxy_dir.clear();
      const auto t0 = std::chrono::steady_clock::now();
      engine::render_to_file(d, f.rows[size_t(i)].file, ro, {}, cancel);
      f.rows[size_t(i)].times.push_back(seconds_since(t0));
      ++done;
    }
    if (plan.skip_cloud || !f.cloud_error.empty()) continue;
    try {
      tell("cloud final");
      // A scratch session of its own: the bench's draft never replaces the project session's.
      cloud::ClientOptions scratch = co;
      scratch.project = plan.dir + "/scratch-session";
      std::filesystem::create_directories(scratch.project);
      cloud::Client c(scratch);
      const auto t0 = std::chrono::steady_clock::now();
      draft::Draft for_cloud = cloud::draft_for_cloud(c, d, base_dir);
      c.export_draft(for_cloud.json, f.rows[2].file, {}, cancel);
      f.rows[2].times.push_back(seconds_since(t0));
      ++done;
    } catch (const cloud::CloudError& e) {
      if (e.kind() == cloud::ErrorKind::Cancelled) throw;
      f.cloud_error = e.what();
    }
  }
  if (!f.rows[2].times.empty()) f.psnr_db = psnr_between(f.rows[1].file, f.rows[2].file);
  return f;
}

}  // namespace reel::cli
