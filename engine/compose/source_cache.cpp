#include "engine/compose/source_cache.h"

#include <algorithm>
#include <iterator>
#include <numeric>

#include "engine/timings.h"

namespace reel::engine {

SourceCache::SourceCache(const Plan& plan, int64_t ahead_frames, int loaders, int clip_window,
                         const ProxyCache* proxies, std::counting_semaphore<>* gate)
    : plan_(plan),
      proxies_(proxies),
      gate_(gate),
      ahead_(ahead_frames),
      entries_(plan.items.size()),
      clip_window_(std::max(2, clip_window)) {
  clips_.resize(plan.items.size());
  for (size_t i = 0; i < plan.items.size(); ++i)
    if (plan.items[i].is_clip) clips_[i] = std::make_unique<ClipState>();
  order_.resize(plan.items.size());
  std::iota(order_.begin(), order_.end(), 0);
  std::stable_sort(order_.begin(), order_.end(),
                   [&](int a, int b) { return plan.items[size_t(a)].first_frame < plan.items[size_t(b)].first_frame; });
  playhead_ = plan.frame_begin;
  if (!order_.empty())
    for (int i = 0; i < loaders; ++i) loaders_.emplace_back([this] { loader_loop(); });
}

SourceCache::~SourceCache() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : loaders_) t.join();
}

bool SourceCache::load(int item, std::unique_lock<std::mutex>& lock, std::shared_ptr<const PreparedSource>* out) {
  Entry& e = entries_[size_t(item)];
  if (e.loading || e.done) return false;
  e.loading = true;
  lock.unlock();
  std::shared_ptr<const PreparedSource> src;
  std::exception_ptr err;
  if (gate_) gate_->acquire();
  try {
    StageClock clock(Stage::Decode);
    src = prepare_source(plan_, plan_.items[size_t(item)], proxies_);
  } catch (...) {
    err = std::current_exception();
  }
  if (gate_) gate_->release();
  lock.lock();
  e.loading = false;
  e.done = true;
  e.error = err;
  // A photo whose frames all passed while it loaded is not kept.
  if (out) *out = src;
  if (!err && plan_.items[size_t(item)].end_frame > playhead_) e.source = std::move(src);
  cv_.notify_all();
  return true;
}

std::shared_ptr<const PreparedSource> SourceCache::get_clip(int item, int64_t frame) {
  StageClock clock(Stage::Decode);
  const PlanItem& it = plan_.items[size_t(item)];
  ClipState& c = *clips_[size_t(item)];
  cv::Mat picture;
  {
    std::lock_guard lock(c.mu);
    if (auto found = c.recent.find(frame); found != c.recent.end()) {
      if (found->second.prepared) return found->second.prepared;
      picture = found->second.picture;
    } else {
      if (!c.decoder) {
        ClipInfo info = it.clip.duration_us > 0 ? it.clip : probe_clip(it.path, it.pointer, it.reference);
        c.decoder = std::make_unique<ClipDecoder>(it.path, it.pointer, it.reference, info);
      }
      // Within the window ahead: decode the picture of every frame on the way, so the frames
      // other workers are about to ask for are there and the decoder only ever moves forward.
      // Otherwise (the first frame, or a jump) just this one; the decoder seeks.
      int64_t from = frame;
      if (c.last_frame >= 0 && frame > c.last_frame && frame - c.last_frame <= clip_window_) from = c.last_frame + 1;
      for (int64_t f = from; f <= frame; ++f) {
        if (c.recent.count(f)) continue;
        const cv::Mat& shown = c.decoder->picture_at(plan_.clip_time_us(item, f));
        ClipFrame& slot = c.recent[f];
        slot.picture_us = c.decoder->shown_time_us();
        // A picture already held for an earlier frame is shared, not copied again.
        auto before = c.recent.find(f);
        if (before != c.recent.begin() && std::prev(before)->second.picture_us == slot.picture_us &&
            std::prev(before)->first == f - 1) {
          slot.picture = std::prev(before)->second.picture;
          slot.prepared = std::prev(before)->second.prepared;
        }
        if (!slot.prepared && slot.picture.empty()) slot.picture = shown.clone();
      }
      c.last_frame = frame;
      picture = c.recent[frame].picture;
      if (auto& prepared = c.recent[frame].prepared) {
        std::shared_ptr<const PreparedSource> out = prepared;
        while (c.recent.size() > size_t(clip_window_)) c.recent.erase(c.recent.begin());
        return out;
      }
      while (c.recent.size() > size_t(clip_window_)) c.recent.erase(c.recent.begin());
    }
  }
  // Framing runs outside the lock, on the worker that needs the frame, in parallel with the
  // others (two workers asking for the same frame at once both frame it, identically).
  std::shared_ptr<const PreparedSource> out = frame_picture(plan_, it, picture);
  std::lock_guard lock(c.mu);
  // Every held frame of the same picture takes the prepared one (a held last picture is
  // framed once, not once per frame).
  for (auto& [f, slot] : c.recent)  // the held picture keeps its buffer, so data identifies it
    if (!slot.prepared && slot.picture.data == picture.data) {
      slot.prepared = out;
      slot.picture.release();
    }
  return out;
}

std::shared_ptr<const PreparedSource> SourceCache::get(int item, int64_t frame) {
  if (clips_[size_t(item)]) return get_clip(item, frame);
  std::unique_lock lock(mu_);
  Entry& e = entries_[size_t(item)];
  std::shared_ptr<const PreparedSource> mine;
  if (!e.done && !e.loading) load(item, lock, &mine);
  cv_.wait(lock, [&] { return e.done || stop_; });
  if (e.error) std::rethrow_exception(e.error);
  if (mine) return mine;
  if (!e.source) {
    // Released (a frame behind the playhead): prepare it again for this caller.
    e.done = false;
    load(item, lock, &mine);
    if (e.error) std::rethrow_exception(e.error);
    return mine;
  }
  return e.source;
}

void SourceCache::set_playhead(int64_t frame) {
  std::lock_guard lock(mu_);
  playhead_ = frame;
  for (size_t i = 0; i < entries_.size(); ++i)
    if (plan_.items[i].end_frame <= frame) entries_[i].source.reset();
  // A finished clip's decoder and pictures go (its workers are done with it, so this never
  // waits on a decode); a playing clip's window bounds its pictures by itself.
  for (size_t i = 0; i < clips_.size(); ++i) {
    if (!clips_[i] || clips_[i]->finished || plan_.items[i].end_frame > frame) continue;
    ClipState& c = *clips_[i];
    std::lock_guard clip_lock(c.mu);
    c.decoder.reset();
    c.recent.clear();
    c.last_frame = -1;
    c.finished = true;
  }
  cv_.notify_all();
}

int SourceCache::held() const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (const auto& e : entries_) n += e.source ? 1 : 0;
  return n;
}

int SourceCache::waiting_ahead() const {
  int n = 0;
  for (size_t i = 0; i < entries_.size(); ++i)
    if ((entries_[i].source || entries_[i].loading) && plan_.items[i].first_frame > playhead_) ++n;
  return n;
}

void SourceCache::loader_loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    // Skip photos already handled or entirely behind the playhead.
    while (next_load_ < order_.size()) {
      int i = order_[next_load_];
      const Entry& e = entries_[size_t(i)];
      if (e.done || e.loading || plan_.items[size_t(i)].is_clip || plan_.items[size_t(i)].end_frame <= playhead_ ||
          plan_.items[size_t(i)].end_frame <= plan_.frame_begin ||
          plan_.items[size_t(i)].first_frame >= plan_.frame_end)
        ++next_load_;
      else
        break;
    }
    if (next_load_ >= order_.size()) return;
    int item = order_[next_load_];
    if (plan_.items[size_t(item)].first_frame > playhead_ + ahead_ || waiting_ahead() >= int(loaders_.size())) {
      cv_.wait(lock);
      continue;
    }
    load(item, lock, nullptr);
  }
}

}  // namespace reel::engine
