#include "cli/studio/frames.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "base/error.h"
#include "cli/cmd_cache.h"
#include "cli/media_sources.h"
#include "cli/studio/timeline_view.h"
#include "draft/time.h"
#include "engine/media_info.h"
#include "engine/render.h"

namespace reel::cli::studio {

namespace {

constexpr size_t kKeptPngs = 64;  // stored PNGs: about 100 MB of 960-wide stills at most

int even(double v) { return std::max(2, int(std::lround(v / 2)) * 2); }

}  // namespace

engine::RenderOptions studio_render_options(const DraftVersion& v, engine::Preset preset) {
  engine::RenderOptions o;
  o.preset = preset;
  o.base_dir = v.input.base_dir;
  use_cache_folders(o);
  MediaArgs media;
  media.quiet = true;
  const std::string path = v.input.path;
  resolve_remote_media(
      v.input.loaded.draft, path, media, [&] { return uploads_of_pulled_draft(path); }, o);
  return o;
}

FrameMaker::FrameMaker() {
  preparer_ = std::thread([this] { prepare_stills(); });
}

FrameMaker::~FrameMaker() {
  {
    std::lock_guard lock(wanted_mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  preparer_.join();
}

void FrameMaker::prepare(std::shared_ptr<const DraftVersion> v, int64_t at_ms, int width) {
  {
    std::lock_guard lock(wanted_mutex_);
    wanted_ = Wanted{std::move(v), at_ms, width};
  }
  wake_.notify_all();
}

void FrameMaker::prepare_stills() {
  for (;;) {
    Wanted w;
    {
      std::unique_lock lock(wanted_mutex_);
      wake_.wait(lock, [&] { return stop_ || wanted_; });
      if (stop_) return;
      w = std::move(*wanted_);
      wanted_.reset();
    }
    try {
      still_png(*w.version, w.at_ms, w.width);
    } catch (const std::exception&) {
      // The page's own request for this still says what went wrong.
    }
  }
}

FrameMaker::Png FrameMaker::render(const DraftVersion& v, int64_t at_ms, int width) {
  const std::string key = v.revision + "/" + std::to_string(at_ms) + "/" + std::to_string(width);
  if (auto it = pngs_.find(key); it != pngs_.end()) return it->second;
  auto opt = options_.find(v.revision);
  if (opt == options_.end()) {
    if (options_.size() > 16) options_.clear();
    opt = options_.emplace(v.revision, studio_render_options(v, engine::Preset::Preview)).first;
  }
  engine::RenderOptions o = opt->second;
  const draft::Canvas& c = v.input.loaded.draft.canvas;
  if (width > 0 && width < std::max(c.width, c.height)) {
    o.width = c.width >= c.height ? even(width) : even(double(width) * c.width / c.height);
    o.height = c.width >= c.height ? even(double(width) * c.height / c.width) : even(width);
  }
  const std::string maker_key = v.revision + "/" + std::to_string(width);
  auto maker = std::find_if(makers_.begin(), makers_.end(), [&](const auto& m) { return m.first == maker_key; });
  if (maker == makers_.end()) {
    if (makers_.size() >= 4) makers_.pop_front();
    makers_.emplace_back(maker_key, std::make_unique<engine::StillMaker>(v.input.loaded.draft, o, true));
    maker = std::prev(makers_.end());
  }
  auto png = std::make_shared<const std::string>(maker->second->png(at_ms));
  pngs_[key] = png;
  order_.push_back(key);
  if (order_.size() > kKeptPngs) {
    pngs_.erase(order_.front());
    order_.pop_front();
  }
  return png;
}

namespace {
int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

bool FrameMaker::asked_recently(std::chrono::milliseconds window) const {
  return now_ms() - last_asked_ms_.load() < window.count();
}

FrameMaker::Png FrameMaker::still_png(const DraftVersion& v, int64_t at_ms, int width) {
  last_asked_ms_ = now_ms();
  std::lock_guard lock(mutex_);
  return render(v, at_ms, width);
}

FrameMaker::Png FrameMaker::thumbnail_png(const DraftVersion& v, const std::string& pointer) {
  const draft::Draft& d = v.input.loaded.draft;
  const SegmentPlace at = find_segment(d, pointer);
  const draft::Segment& s = d.tracks[at.track].segments[at.segment];
  std::lock_guard lock(mutex_);
  return render(v, s.start_ms + s.duration_ms / 2, 192);
}

std::vector<float> FrameMaker::waveform(const DraftVersion& v, const std::string& pointer, int buckets) {
  const draft::Draft& d = v.input.loaded.draft;
  const SegmentPlace at = find_segment(d, pointer);
  const draft::Segment& s = d.tracks[at.track].segments[at.segment];
  if (d.tracks[at.track].kind != draft::TrackKind::Audio)
    throw base::Error(base::Fault::Input, pointer + " is not a sound segment");
  engine::RenderOptions o;
  {
    std::lock_guard lock(mutex_);
    auto opt = options_.find(v.revision);
    o = opt != options_.end() ? opt->second : studio_render_options(v, engine::Preset::Preview);
  }
  std::string path = s.source.rfind("file://", 0) == 0 ? s.source.substr(7) : s.source;
  if (o.resolve_source)
    path = o.resolve_source(s.source);
  else if (!std::filesystem::path(path).is_absolute())
    path = (std::filesystem::path(o.base_dir) / path).lexically_normal().string();
  return engine::sound_peaks(path, s.source, s.source_in_ms, s.duration_ms, std::clamp(buckets, 1, 4000), o.limits);
}

}  // namespace reel::cli::studio
