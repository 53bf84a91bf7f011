#include "cli/studio/jobs.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "base/files.h"
#include "cli/studio/frames.h"
#include "engine/errors.h"
#include "engine/render.h"

namespace reel::cli::studio {

namespace fs = std::filesystem;

namespace {

// "holiday-export-3.mp4" in `dir`, a name no file has yet: a job never overwrites anything.
std::string fresh_output(const std::string& dir, const std::string& stem, const std::string& kind, int id) {
  for (int n = id;; ++n) {
    fs::path p = fs::path(dir) / (stem + "-" + kind + "-" + std::to_string(n) + ".mp4");
    std::error_code ec;
    if (!fs::exists(p, ec)) return p.string();
  }
}

// Runs `reel bench DRAFT --api API` (this very binary) and returns what it printed: the bench
// is the CLI's own, run whole, not written again here. `cancel` stops it (SIGTERM).
std::string run_bench(const std::string& draft, const std::string& api, const std::atomic<bool>& cancel) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("cannot start the bench: no pipe");
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_adddup2(&files, out[1], 1);
  posix_spawn_file_actions_adddup2(&files, out[1], 2);
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  std::vector<std::string> args{self, "bench", draft, "--api", api};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, self.c_str(), &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  close(out[1]);
  if (spawned != 0) {
    close(out[0]);
    throw std::runtime_error("cannot start `reel bench`");
  }
  std::string text;
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  bool stopped = false;
  for (;;) {
    char buf[4096];
    const ssize_t n = read(out[0], buf, sizeof buf);
    if (n > 0) {
      text.append(buf, size_t(n));
      continue;
    }
    if (n == 0) break;
    if (cancel && !stopped) kill(pid, SIGTERM), stopped = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (stopped) throw engine::Cancelled();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("the bench failed: " + text);
  return text;
}

}  // namespace

JobQueue::JobQueue(ExportTarget target, const FrameMaker& frames) : target_(std::move(target)), frames_(frames) {
  thread_ = std::thread([this] { run(); });
}

JobQueue::~JobQueue() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    for (Job& j : jobs_) *j.cancel = true;
  }
  wake_.notify_all();
  thread_.join();
}

int JobQueue::add(const std::string& kind, std::shared_ptr<const DraftVersion> version) {
  std::lock_guard lock(mutex_);
  Job j;
  j.id = next_id_++;
  j.kind = kind;
  j.state = "queued";
  j.revision = version->revision;
  j.version = std::move(version);
  j.message = "waiting for the jobs before it";
  jobs_.push_back(j);
  wake_.notify_all();
  return j.id;
}

bool JobQueue::cancel(int id) {
  std::lock_guard lock(mutex_);
  for (Job& j : jobs_) {
    if (j.id != id) continue;
    if (j.state == "queued") {
      j.state = "cancelled";
      j.message = "cancelled before it started";
      return true;
    }
    if (j.state == "running") {
      *j.cancel = true;
      return true;
    }
    return false;
  }
  return false;
}

std::vector<Job> JobQueue::list() const {
  std::lock_guard lock(mutex_);
  std::vector<Job> out(jobs_.begin(), jobs_.end());
  for (Job& j : out) j.version.reset();
  return out;
}

std::optional<Job> JobQueue::find(int id) const {
  std::lock_guard lock(mutex_);
  for (const Job& j : jobs_)
    if (j.id == id) return j;
  return std::nullopt;
}

void JobQueue::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      auto next = [&] {
        for (Job& j : jobs_)
          if (j.state == "queued") return &j;
        return static_cast<Job*>(nullptr);
      };
      wake_.wait(lock, [&] { return stop_ || next(); });
      if (stop_) return;
      Job* j = next();
      j->state = "running";
      j->message = j->kind == "export" ? "exporting" : "rendering";
      job = *j;
    }
    const auto start = std::chrono::steady_clock::now();
    std::string state = "done";
    try {
      execute(job);
    } catch (const engine::Cancelled&) {
      state = "cancelled";
      job.message = "cancelled; no file was written";
    } catch (const std::exception& e) {
      state = "failed";
      job.message = e.what();
    }
    std::lock_guard lock(mutex_);
    for (Job& j : jobs_)
      if (j.id == job.id) {
        j.state = state;
        j.message = job.message;
        j.file = state == "done" ? job.file : "";
        j.progress = state == "done" ? 1 : j.progress;
        j.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        j.version.reset();
      }
  }
}

void JobQueue::execute(Job& job) {
  const DraftVersion& v = *job.version;
  if (!v.read_error.empty()) throw std::runtime_error(v.read_error);
  if (!v.input.loaded.ok()) throw std::runtime_error("the draft has errors (see Problems); nothing was rendered");
  const draft::Draft& d = v.input.loaded.draft;
  if (job.kind == "bench") {
    if (!target_.cloud) throw std::runtime_error("no cloud is configured: there is nothing to bench against");
    job.message = run_bench(v.input.path, target_.cloud->api, *job.cancel);
    return;
  }
  base::ensure_folder(target_.export_dir);
  const std::string out = fresh_output(target_.export_dir, fs::path(v.input.path).stem().string(), job.kind, job.id);
  const int id = job.id;
  if (job.kind == "export" && target_.cloud) {
    // The cloud's progress (and, when it falls back, the local render's) with its words; Cancel
    // stops the cloud render (it is asked to stop) or the local one, and no file is left.
    ExportHooks hooks;
    hooks.cancel = job.cancel.get();
    hooks.progress = [&](double fraction, const std::string& what) {
      std::lock_guard lock(mutex_);
      for (Job& j : jobs_)
        if (j.id == id) j.progress = fraction, j.message = what;
    };
    hooks.local_options = [&] { return studio_render_options(v, engine::Preset::Final); };
    ExportReport r;
    try {
      r = export_with_fallback(*target_.cloud, d, v.input.base_dir, out, ExportMode::Auto, hooks);
    } catch (const cloud::CloudError& e) {
      if (e.kind() != cloud::ErrorKind::Cancelled) throw;
      std::error_code ec;
      fs::remove(out, ec);  // nothing of a cancelled export stays in the export folder
      throw engine::Cancelled();
    }
    job.file = out;
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", r.seconds);
    job.message = r.from_cloud ? "exported through " + target_.cloud->api + " (cloud render " + r.job_id + ", " +
                                     mb_text(r.bytes) + ") in " + secs + " s"
                               : "the cloud did not make it (" + r.fallback_reason +
                                     "): exported with the local engine in " + secs + " s";
    return;
  }
  const engine::RenderOptions o = studio_render_options(v, engine::Preset::Final);
  const engine::RenderResult r = engine::render_to_file(
      d, out, o,
      [&](const engine::RenderProgress& p) {
        while (frames_.asked_recently(std::chrono::milliseconds(400)) && !*job.cancel)
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (p.frames_total <= 0) return;
        std::lock_guard lock(mutex_);
        for (Job& j : jobs_)
          if (j.id == id) j.progress = double(p.frames_done) / p.frames_total;
      },
      job.cancel.get());
  job.file = out;
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1f", r.seconds);
  job.message = std::string(job.kind == "export" ? "no cloud is configured: exported with the local engine; " : "") +
                std::to_string(r.width) + "x" + std::to_string(r.height) + ", " + std::to_string(r.frames) +
                " frames in " + secs + " s";
}

}  // namespace reel::cli::studio
