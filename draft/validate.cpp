#include <algorithm>
#include <map>
#include <numeric>

#include "draft/checks.h"
#include "draft/names.h"

namespace reel::draft {

namespace {

std::string span_text(const Segment& s) { return seconds_text(s.start_ms) + "-" + seconds_text(s.end_ms()) + "s"; }

// Segments in start order (stable, so equal starts keep draft order).
std::vector<const Segment*> by_start(const Track& t) {
  std::vector<const Segment*> out;
  for (const auto& s : t.segments)
    if (s.duration_ms > 0) out.push_back(&s);
  std::stable_sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->start_ms < b->start_ms; });
  return out;
}

void check_track(const Track& track, std::vector<Problem>& problems) {
  auto ordered = by_start(track);
  for (size_t i = 1; i < ordered.size(); ++i) {
    const Segment& prev = *ordered[i - 1];
    const Segment& cur = *ordered[i];
    if (cur.start_ms < prev.end_ms())
      problems.push_back(
          {cur.pointer, Severity::Error,
           "overlaps the segment at " + prev.pointer + " (" + span_text(prev) + ") on the same track; start it at " +
               std::to_string(prev.end_ms()) +
               " or later, or move it to another track (transitions are declared with \"tr\", not made by overlap)"});
  }
  if (track.kind == TrackKind::Video) {
    for (size_t i = 0; i < ordered.size(); ++i) {
      const Segment& cur = *ordered[i];
      const auto& tr = cur.video.transition;
      if (!tr || tr->type == TransitionType::None) continue;
      const Segment* prev = i > 0 ? ordered[i - 1] : nullptr;
      if (!prev || prev->end_ms() != cur.start_ms) {
        problems.push_back({cur.pointer, Severity::Notice,
                            std::string("no segment ends where this one starts, so its \"") + to_string(tr->type) +
                                "\" transition comes from the background colour"});
        continue;
      }
      int64_t room = std::min(prev->duration_ms, cur.duration_ms);
      if (tr->duration_ms > room)
        problems.push_back({cur.pointer, Severity::Warning,
                            "the transition lasts " + std::to_string(tr->duration_ms) +
                                " ms but the shorter of the two segments lasts " + std::to_string(room) +
                                " ms; it will be shortened to " + std::to_string(room) + " ms"});
    }
  }
  if (track.kind == TrackKind::Audio) {
    for (const auto& s : track.segments)
      if (s.duration_ms > 0 && s.audio.fade_in_ms + s.audio.fade_out_ms > s.duration_ms)
        problems.push_back({s.pointer, Severity::Warning,
                            "the fades (" + std::to_string(s.audio.fade_in_ms) + " + " +
                                std::to_string(s.audio.fade_out_ms) + " ms) are longer than the segment (" +
                                std::to_string(s.duration_ms) + " ms); they will overlap"});
  }
  if (track.kind == TrackKind::Text) {
    auto kinds = text_kind_names();
    auto check_kind = [&](const std::string& kind, const std::string& ptr) {
      if (!kind.empty() && std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
        problems.push_back(
            {ptr, Severity::Warning, unknown_name_message("text kind", kind, kinds) + "; the summary shows it as is"});
    };
    check_kind(track.kind_label, track.pointer);
    for (const auto& s : track.segments) check_kind(s.text.kind, s.pointer);
  }
}

}  // namespace

void check_timeline(const Draft& draft, std::vector<Problem>& problems) {
  std::map<std::string, const Segment*> ids;
  int64_t last_end = 0;
  for (const auto& track : draft.tracks) {
    if (track.kind == TrackKind::Other) continue;
    check_track(track, problems);
    for (const auto& s : track.segments) {
      last_end = std::max(last_end, s.end_ms());
      if (s.id.empty()) continue;
      auto [it, fresh] = ids.emplace(s.id, &s);
      if (!fresh)
        problems.push_back(
            {s.pointer, Severity::Warning,
             "the id \"" + s.id + "\" is also used by " + it->second->pointer + "; give each segment its own id"});
    }
  }
  if (draft.declared_duration_ms && *draft.declared_duration_ms < last_end)
    problems.push_back({"", Severity::Warning,
                        "the draft lasts " + seconds_text(*draft.declared_duration_ms) +
                            " s (d) but its segments run to " + seconds_text(last_end) +
                            " s; what lies beyond is cut"});
  if (!draft.tracks.empty() && !draft.exportable())
    problems.push_back({"", Severity::Warning, "no track has a segment, so there is nothing to render"});
}

}  // namespace reel::draft
