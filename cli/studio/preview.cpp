#include "cli/studio/preview.h"

#include <filesystem>
#include <thread>

#include "base/files.h"
#include "cli/studio/frames.h"
#include "engine/errors.h"
#include "engine/render.h"

namespace reel::cli::studio {

namespace fs = std::filesystem;

PreviewRenderer::PreviewRenderer(std::string scratch_dir, const FrameMaker& frames)
    : scratch_dir_(std::move(scratch_dir)), frames_(frames) {
  base::ensure_folder(scratch_dir_, 0700);
  thread_ = std::thread([this] { run(); });
}

PreviewRenderer::~PreviewRenderer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    cancel_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PreviewRenderer::ask(std::shared_ptr<const DraftVersion> version) {
  std::lock_guard lock(mutex_);
  if (wanted_ && wanted_->revision == version->revision) return;
  wanted_ = std::move(version);
  cancel_ = true;
  wake_.notify_all();
}

PreviewState PreviewRenderer::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void PreviewRenderer::run() {
  std::string done;  // the revision last rendered (or failed)
  for (;;) {
    std::shared_ptr<const DraftVersion> v;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || (wanted_ && wanted_->revision != done); });
      if (stop_) return;
      v = wanted_;
      cancel_ = false;
      PreviewState next;
      next.revision = v->revision;
      next.state = "rendering";
      // The preview shown until this one is ready stays on offer.
      if (state_.state == "ready") next.file = state_.file;
      state_ = next;
    }
    done = v->revision;
    // An edit's own still comes first: the page asks for it as soon as the edit answers, and
    // a render starting beside it would double its time.
    for (const auto asked = std::chrono::steady_clock::now();
         !cancel_ && (std::chrono::steady_clock::now() - asked < std::chrono::milliseconds(250) ||
                      frames_.asked_recently(std::chrono::milliseconds(400)));)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (cancel_) {
      done.clear();
      continue;
    }
    const std::string first = scratch_dir_ + "/preview-" + v->revision + ".first.mp4";
    const std::string whole = scratch_dir_ + "/preview-" + v->revision + ".mp4";
    try {
      if (!v->read_error.empty()) throw std::runtime_error(v->read_error);
      if (!v->input.loaded.ok())
        throw std::runtime_error("the draft has errors (see Problems); the last preview stays");
      const draft::Draft& d = v->input.loaded.draft;
      engine::RenderOptions o = studio_render_options(*v, engine::Preset::Preview);
      o.threads = 0;
      // While the person scrubs, the render waits between frames: the still under the
      // playhead gets the cores (a still takes about 60 ms alone, 250 ms beside a render).
      auto step_aside = [&] {
        while (frames_.asked_recently(std::chrono::milliseconds(400)) && !cancel_)
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
      };
      auto set = [&](auto&& change) {
        std::lock_guard lock(mutex_);
        if (state_.revision == v->revision) change(state_);
      };
      const engine::PartPlan plan = engine::plan_parts(d, 1 << 20, o);
      if (plan.parts.size() > 1) {
        engine::render_part(
            d, 1, int(plan.parts.size()), first, o, [&](const engine::RenderProgress&) { step_aside(); }, &cancel_);
        set([&](PreviewState& s) { s.first_part = first; });
      }
      const engine::RenderResult r = engine::render_to_file(
          d, whole, o,
          [&](const engine::RenderProgress& p) {
            step_aside();
            if (p.frames_total > 0) set([&](PreviewState& s) { s.progress = double(p.frames_done) / p.frames_total; });
          },
          &cancel_);
      std::string old;
      set([&](PreviewState& s) {
        old = s.file;
        s.state = "ready";
        s.file = whole;
        s.progress = 1;
        s.seconds = r.seconds;
        s.chunks = r.chunks;
        s.chunks_rendered = r.chunks_rendered;
      });
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(scratch_dir_, ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("preview-", 0) == 0 && e.path().string() != whole && e.path().string() != first &&
            e.path().string() != old)
          fs::remove(e.path(), ec);
      }
    } catch (const engine::Cancelled&) {
      done.clear();  // a newer version is wanted (or the studio stops)
    } catch (const std::exception& e) {
      std::lock_guard lock(mutex_);
      if (state_.revision == v->revision) {
        state_.state = "failed";
        state_.error = e.what();
      }
    }
  }
}

}  // namespace reel::cli::studio
