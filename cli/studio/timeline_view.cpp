#include "cli/studio/timeline_view.h"

#include <algorithm>

#include "base/error.h"
#include "draft/agent.h"
#include "draft/edit.h"
#include "draft/names.h"
#include "draft/time.h"

namespace reel::cli::studio {

namespace {

constexpr int64_t kMaxSegmentMs = 10'000'000'000;  // the draft's own limit on a time (draft-format.md)

Json segment_json(const draft::Track& track, const draft::Segment& s) {
  Json j = {{"pointer", s.pointer}, {"start_ms", s.start_ms}, {"duration_ms", s.duration_ms}};
  if (!s.name.empty()) j["name"] = s.name;
  if (track.kind == draft::TrackKind::Text) {
    j["text"] = s.text.text;
    return j;
  }
  j["source"] = s.source;
  j["source_in_ms"] = s.source_in_ms;
  if (track.kind == draft::TrackKind::Video) {
    j["fit"] = draft::to_string(s.video.fit);
    j["kb"] = draft::to_string(s.video.ken_burns.preset);
    if (s.video.transition && s.video.transition->type != draft::TransitionType::None)
      j["tr"] = {{"type", draft::to_string(s.video.transition->type)}, {"d", s.video.transition->duration_ms}};
    if (s.video.focus)
      j["focus"] = {{"x", s.video.focus->x}, {"y", s.video.focus->y}, {"w", s.video.focus->w}, {"h", s.video.focus->h}};
  }
  return j;
}

[[noreturn]] void bad(const std::string& field, const std::string& what) {
  throw base::Error(base::Fault::Input, "the settings' " + field + " " + what);
}

std::string name_in(const Json& v, const std::string& field, const std::vector<std::string>& names) {
  if (!v.is_string()) bad(field, "must be a name");
  const std::string name = v.get<std::string>();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    bad(field, "\"" + name + "\" is not one of " + list);
  }
  return name;
}

}  // namespace

Json timeline_json(const draft::Draft& draft) {
  Json tracks = Json::array();
  for (const draft::Track& t : draft.tracks) {
    Json segments = Json::array();
    for (const draft::Segment& s : t.segments) segments.push_back(segment_json(t, s));
    tracks.push_back({{"pointer", t.pointer},
                      {"kind", draft::to_string(t.kind)},
                      {"name", t.name.empty() ? t.kind_label : t.name},
                      {"segments", segments}});
  }
  const int64_t duration = draft.duration_ms();
  return {{"width", draft.canvas.width},
          {"height", draft.canvas.height},
          {"fps", {{"num", draft.canvas.fps.num}, {"den", draft.canvas.fps.den}}},
          {"duration_ms", duration},
          {"frames", draft::frame_count(duration, draft.canvas.fps)},
          {"tracks", tracks}};
}

SegmentPlace find_segment(const draft::Draft& draft, const std::string& pointer) {
  for (size_t t = 0; t < draft.tracks.size(); ++t)
    for (size_t s = 0; s < draft.tracks[t].segments.size(); ++s)
      if (draft.tracks[t].segments[s].pointer == pointer) return {t, s};
  throw base::Error(base::Fault::Input, pointer + ": the draft has no segment there (it may have changed; reload)");
}

std::string apply_segment_settings(draft::Draft& draft, const std::string& pointer, const Json& settings) {
  if (!settings.is_object()) throw base::Error(base::Fault::Input, "the settings must be an object");
  const SegmentPlace at = find_segment(draft, pointer);
  const draft::Track& track = draft.tracks[at.track];
  const draft::Segment& seg = track.segments[at.segment];
  const bool video = track.kind == draft::TrackKind::Video, text = track.kind == draft::TrackKind::Text;
  // Read the whole form first: a bad field changes nothing.
  std::optional<int64_t> duration;
  std::optional<std::string> kb, fit, text_value;
  std::optional<Json> tr, focus;
  for (const auto& [field, v] : settings.items()) {
    if (field == "duration_ms") {
      if (!v.is_number_integer() || v.get<int64_t>() <= 0 || v.get<int64_t>() > kMaxSegmentMs)
        bad(field, "must be a whole number of milliseconds above 0");
      duration = v.get<int64_t>();
    } else if (field == "kb" && video) {
      kb = name_in(v, field, draft::ken_burns_preset_names());
    } else if (field == "fit" && video) {
      fit = name_in(v, field, draft::fit_names());
    } else if (field == "tr" && video) {
      if (v.is_string() && v.get<std::string>() == "none") {
        tr = Json();
      } else {
        if (!v.is_object() || !v.contains("type")) bad(field, "must be {\"type\": name, \"d\": ms} or \"none\"");
        const std::string type = name_in(v["type"], "tr.type", draft::transition_names());
        const Json d = v.value("d", Json(500));
        if (!d.is_number_integer() || d.get<int64_t>() <= 0 || d.get<int64_t>() > 60000)
          bad("tr.d", "must be a whole number of milliseconds from 1 to 60000");
        tr = type == "none" ? Json() : Json{{"type", type}, {"d", d}};
      }
    } else if (field == "focus" && video) {
      if (v.is_null()) {
        focus = Json();
      } else {
        for (const char* k : {"x", "y", "w", "h"})
          if (!v.is_object() || !v.contains(k) || !v[k].is_number())
            bad(field, "must be {x, y, w, h} in 0..1, or null");
        focus = v;
      }
    } else if (field == "text" && text) {
      if (!v.is_string() || v.get<std::string>().empty()) bad(field, "must be the words to show");
      text_value = v.get<std::string>();
    } else {
      bad(field, std::string("is not a setting of a ") + draft::to_string(track.kind) + " segment");
    }
  }
  std::string said;
  auto say = [&](const std::string& s) { said += (said.empty() ? "" : "; ") + s; };
  const size_t t = at.track, s = at.segment;
  if (duration && *duration != seg.duration_ms) {
    const int64_t before = seg.duration_ms, delta = *duration - before;
    const int64_t end = seg.end_ms();
    draft::set_segment_duration(draft, t, s, *duration);
    // The segments after it on its track move with its end, as in every editor's ripple edit.
    for (size_t i = 0; i < draft.tracks[t].segments.size(); ++i)
      if (i != s && draft.tracks[t].segments[i].start_ms >= end)
        draft::set_segment_start(draft, t, i, draft.tracks[t].segments[i].start_ms + delta);
    if (video) draft::keep_transitions_and_texts_fitting(draft, t);
    say("duration " + draft::seconds_text(before) + " s → " + draft::seconds_text(*duration) + " s");
  }
  if (kb) {
    if (*kb == "none")
      draft::remove_segment_meta(draft, t, s, "kb");
    else
      draft::set_segment_meta(draft, t, s, "kb", *kb);
    say("Ken Burns " + *kb);
  }
  if (fit) {
    draft::set_segment_meta(draft, t, s, "fit", *fit);
    say("fit " + *fit);
  }
  if (tr) {
    if (tr->is_null())
      draft::remove_segment_meta(draft, t, s, "tr");
    else
      draft::set_segment_meta(draft, t, s, "tr", *tr);
    say(tr->is_null() ? std::string("no transition")
                      : "transition " + (*tr)["type"].get<std::string>() + " " +
                            draft::seconds_text((*tr)["d"].get<int64_t>()) + " s");
  }
  if (focus) {
    if (focus->is_null())
      draft::remove_segment_meta(draft, t, s, "focus");
    else
      draft::set_segment_focus(draft, t, s,
                               {(*focus)["x"].get<double>(), (*focus)["y"].get<double>(), (*focus)["w"].get<double>(),
                                (*focus)["h"].get<double>()});
    say(focus->is_null() ? "focus found by reel" : "focus set");
  }
  if (text_value) {
    draft::set_segment_meta(draft, t, s, "text", *text_value);
    say("text \"" + *text_value + "\"");
  }
  return said;
}

}  // namespace reel::cli::studio
