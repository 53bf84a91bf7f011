#include "engine/plan/render_plan.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>

#include "draft/fades.h"
#include "draft/summary.h"
#include "draft/time.h"
#include "engine/errors.h"

namespace reel::engine {

namespace fs = std::filesystem;
using draft::TransitionType;

double Plan::frame_time_us(int64_t n) const { return double(n) * 1e6 * double(fps.den) / double(fps.num); }

int64_t Plan::first_frame_at_us(int64_t us) const {
  // ceil(us * num / (1e6 * den)), exact in 128-bit arithmetic.
  __int128 a = __int128(us) * fps.num, b = __int128(1'000'000) * fps.den;
  __int128 q = a / b;
  if (a % b != 0 && a > 0) q += 1;
  return int64_t(q);
}

draft::FocusPoint Plan::focus_at(int item, int64_t n) const {
  const PlanItem& it = items[size_t(item)];
  double span = double(it.vis_end_us - it.vis_start_us);
  double u = span > 0 ? (frame_time_us(n) - double(it.vis_start_us)) / span : 0;
  return it.kb.at(std::clamp(u, 0.0, 1.0));
}

int64_t Plan::clip_time_us(int item, int64_t n) const {
  const PlanItem& it = items[size_t(item)];
  // frame_time_us is exact as a double for any realistic n; round to the microsecond.
  int64_t t = it.in_us + int64_t(std::llround(frame_time_us(n))) - it.start_us;
  const int64_t dur = it.clip.duration_us;
  if (it.loop && dur > it.in_us && t >= dur) t = it.in_us + (t - it.in_us) % (dur - it.in_us);
  return std::max<int64_t>(0, t);
}

std::vector<TrackState> Plan::state_at(int64_t n) const {
  std::vector<TrackState> out;
  for (int t = 0; t < track_count; ++t) {
    int first = -1, second = -1;
    for (size_t i = 0; i < items.size(); ++i) {
      const PlanItem& it = items[i];
      if (it.track != t || n < it.first_frame || n >= it.end_frame) continue;
      if (first < 0)
        first = int(i);
      else
        second = int(i);
    }
    if (first < 0) continue;
    TrackState s;
    int b = second >= 0 ? second : first;
    const PlanItem& ib = items[size_t(b)];
    s.b = b;
    if (ib.tr_type != TransitionType::None && ib.tr_end_us > ib.tr_start_us && n >= first_frame_at_us(ib.tr_start_us) &&
        n < first_frame_at_us(ib.tr_end_us)) {
      s.transition = true;
      s.type = ib.tr_type;
      s.a = second >= 0 ? first : -1;
      double p = (frame_time_us(n) - double(ib.tr_start_us)) / double(ib.tr_end_us - ib.tr_start_us);
      s.progress = ease(draft::Ease::InOut, p);
    }
    out.push_back(s);
  }
  return out;
}

std::string default_resolve(const std::string& reference, const std::string& base_dir) {
  // Validation refuses these with their pointer; a caller that skipped it must not open the
  // shortened path.
  if (reference.find('\0') != std::string::npos)
    throw std::runtime_error("the reference holds a NUL character; write the path without it");
  std::string ref = reference;
  if (ref.rfind("http://", 0) == 0 || ref.rfind("https://", 0) == 0)
    throw std::runtime_error("remote media is not fetched by the local engine; download it and use the local path");
  if (ref.rfind("file://", 0) == 0) ref = ref.substr(7);
  fs::path p(ref);
  if (p.is_relative()) p = fs::path(base_dir) / p;
  return p.lexically_normal().string();
}

SourceResolver resolver_for(const RenderOptions& o) {
  if (o.resolve_source) return o.resolve_source;
  return [base_dir = o.base_dir](const std::string& ref) { return default_resolve(ref, base_dir); };
}

double prep_scale_for(const KbPath& kb) {
  double zmax = std::max(1.0, kb.max_zoom()), zmin = std::max(1.0, kb.min_zoom());
  return std::min({zmax, 2 * zmin, 2.0});
}

namespace {
int even(double v) { return std::max(2, int(std::lround(v / 2)) * 2); }
}  // namespace

double Plan::ends_opacity(int64_t n) const {
  const double t = frame_time_us(n);
  double k = 1;
  if (fade_in_us > 0) k = std::min(k, t / double(fade_in_us));
  if (fade_out_us > 0) k = std::min(k, (double(draft_end_us) - t) / double(fade_out_us));
  return std::clamp(k, 0.0, 1.0);
}

Plan plan_canvas(const draft::Draft& d, const RenderOptions& o) {
  Plan plan;
  const draft::EndFades fades = draft::end_fades(d);
  plan.fade_in_us = fades.in_ms * 1000;
  plan.fade_out_us = fades.out_ms * 1000;
  plan.draft_end_us = d.duration_ms() * 1000;
  int w = d.canvas.width, h = d.canvas.height;
  if (o.width && o.height) {
    w = *o.width;
    h = *o.height;
  } else if (const int long_side = preset_defaults(o.preset).long_side; long_side > 0) {
    double s = std::min(1.0, double(long_side) / std::max(w, h));
    w = even(w * s);
    h = even(h * s);
  }
  plan.width = even(w);
  plan.height = even(h);
  plan.fps = o.fps ? *o.fps : d.canvas.fps;
  plan.background = d.canvas.background;
  plan.background_yuv = to_yuv709(plan.background.r, plan.background.g, plan.background.b);
  plan.total_frames = draft::frame_count(d.duration_ms(), plan.fps);
  plan.frame_begin = 0;
  plan.frame_end = plan.total_frames;
  if (o.from_ms)
    plan.frame_begin = std::clamp<int64_t>(draft::first_frame_at_or_after(*o.from_ms, plan.fps), 0, plan.total_frames);
  if (o.to_ms)
    plan.frame_end =
        std::clamp<int64_t>(draft::first_frame_at_or_after(*o.to_ms, plan.fps), plan.frame_begin, plan.total_frames);
  return plan;
}

Plan make_plan(const draft::Draft& d, const RenderOptions& o) {
  Plan plan = plan_canvas(d, o);

  const SourceResolver resolve = resolver_for(o);
  std::vector<MediaIssue> issues;
  int other_tracks = 0;
  for (const draft::Track& track : d.tracks) {
    if (track.kind == draft::TrackKind::Audio) continue;  // mixed by AudioMix
    if (track.kind == draft::TrackKind::Text) continue;   // drawn over the picture by TextLayer
    if (track.kind != draft::TrackKind::Video) {
      ++other_tracks;
      continue;
    }
    if (track.segments.empty()) continue;
    int t = plan.track_count++;
    int previous_auto = -1;
    std::vector<const draft::Segment*> segs;
    for (const auto& s : track.segments) segs.push_back(&s);
    std::stable_sort(segs.begin(), segs.end(), [](auto* a, auto* b) { return a->start_ms < b->start_ms; });
    int first_item = int(plan.items.size());
    for (size_t k = 0; k < segs.size(); ++k) {
      const draft::Segment& s = *segs[k];
      PlanItem it;
      it.pointer = s.pointer;
      it.reference = s.source;
      it.track = t;
      try {
        it.path = resolve(s.source);
      } catch (const std::exception& e) {
        issues.push_back({s.pointer, s.source, e.what(), ""});
      }
      it.fit = s.video.fit;
      it.is_clip = draft::looks_like_clip(s.source);
      it.loop = s.video.loop;
      it.in_us = s.source_in_ms * 1000;
      // Seeded by the segment's place in the draft, not its source: the cloud gets the same draft
      // with cdn_urls for sources and must pick the same moves.
      uint64_t seed = std::hash<std::string>{}(s.pointer) ^ (uint64_t(k) * 0x9E3779B97F4A7C15ull);
      it.kb_setting = s.video.ken_burns;
      it.focus = s.video.focus;
      it.previous_pick = previous_auto;
      it.kb = resolve_ken_burns(s.video.ken_burns, seed, &previous_auto);
      if (s.video.ken_burns.preset == draft::KenBurnsPreset::Auto) it.auto_pick = previous_auto;
      it.prep_scale = prep_scale_for(it.kb);
      it.start_us = s.start_ms * 1000;
      it.end_us = s.end_ms() * 1000;
      it.vis_start_us = it.start_us;
      it.vis_end_us = it.end_us;
      if (s.video.transition && s.video.transition->type != TransitionType::None &&
          s.video.transition->duration_ms > 0) {
        int idx = int(plan.items.size());
        int prev = -1;
        int64_t dur = std::min(s.video.transition->duration_ms, s.duration_ms);
        if (k > 0 && segs[k - 1]->end_ms() == s.start_ms) {
          prev = idx - 1;
          dur = std::min(dur, segs[k - 1]->duration_ms);
        }
        int64_t half_us = dur * 500;
        it.tr_type = s.video.transition->type;
        it.tr_start_us = it.start_us - half_us;
        it.tr_end_us = it.start_us + half_us;
        it.vis_start_us = it.tr_start_us;
        it.prev = prev;
        if (prev >= 0) {
          plan.items[size_t(prev)].vis_end_us = it.tr_end_us;
          plan.items[size_t(prev)].next = idx;
        }
      }
      plan.items.push_back(std::move(it));
    }
    for (size_t i = size_t(first_item); i < plan.items.size(); ++i) {
      PlanItem& it = plan.items[i];
      it.first_frame = std::max<int64_t>(0, plan.first_frame_at_us(it.vis_start_us));
      it.end_frame = std::min(plan.total_frames, plan.first_frame_at_us(it.vis_end_us));
    }
  }
  if (!issues.empty()) throw MediaError(std::move(issues));
  if (other_tracks > 0)
    plan.notices.push_back(std::to_string(other_tracks) + " track" + (other_tracks == 1 ? "" : "s") +
                           " of unknown type left out");
  return plan;
}

}  // namespace reel::engine
