#include "draft/edit.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "draft/keys.h"
#include "draft/names.h"

namespace reel::draft {

namespace {

Json& at_pointer(Draft& draft, const std::string& pointer) { return draft.json.at(Json::json_pointer(pointer)); }

Json& segment_json(Draft& draft, size_t track, size_t seg) {
  if (track >= draft.tracks.size() || seg >= draft.tracks[track].segments.size())
    throw std::out_of_range("no segment " + std::to_string(seg) + " on track " + std::to_string(track));
  Json& obj = at_pointer(draft, draft.tracks[track].segments[seg].pointer);
  if (!obj.is_object())
    throw std::invalid_argument("the segment at " + draft.tracks[track].segments[seg].pointer +
                                " is not a JSON object");
  return obj;
}

// Sets `k` on `obj` in the spelling the object already uses, else the draft's style.
void set_key(const Draft& draft, Json& obj, Key k, Json value) {
  auto name = spelling_in(obj, k);
  if (name.empty()) name = draft.long_keys ? long_name(k) : short_name(k);
  obj[std::string(name)] = std::move(value);
}

Json& metadata_of(const Draft& draft, Json& obj) {
  if (Json* m = find_key(obj, Key::Metadata)) return *m;
  set_key(draft, obj, Key::Metadata, Json::object());
  return *find_key(obj, Key::Metadata);
}

}  // namespace

void refresh(Draft& draft) {
  Json json = std::move(draft.json);
  draft = load_draft(std::move(json)).draft;
}

void set_segment_start(Draft& draft, size_t track, size_t seg, int64_t start_ms) {
  set_key(draft, segment_json(draft, track, seg), Key::Start, start_ms);
  refresh(draft);
}

void set_segment_duration(Draft& draft, size_t track, size_t seg, int64_t duration_ms) {
  set_key(draft, segment_json(draft, track, seg), Key::Duration, duration_ms);
  refresh(draft);
}

void set_segment_source(Draft& draft, size_t track, size_t seg, const std::string& source) {
  set_key(draft, segment_json(draft, track, seg), Key::Source, source);
  refresh(draft);
}

void set_segment_meta(Draft& draft, size_t track, size_t seg, const std::string& key, Json value) {
  Json& obj = segment_json(draft, track, seg);
  metadata_of(draft, obj)[key] = std::move(value);
  refresh(draft);
}

void set_segment_focus(Draft& draft, size_t track, size_t seg, const FocusBox& box) {
  auto r = [](double v) { return std::round(v * 1e4) / 1e4; };
  set_segment_meta(draft, track, seg, "focus",
                   Json{{"x", r(box.x)}, {"y", r(box.y)}, {"w", r(box.w)}, {"h", r(box.h)}});
}

void set_draft_meta(Draft& draft, const std::string& key, Json value) {
  if (!draft.json.is_object()) throw std::invalid_argument("the draft is not a JSON object");
  metadata_of(draft, draft.json)[key] = std::move(value);
  refresh(draft);
}

}  // namespace reel::draft

namespace reel::draft {

std::string key_name(const Draft& draft, Key k) { return std::string(draft.long_keys ? long_name(k) : short_name(k)); }

namespace {

Json& tracks_json(Draft& draft) {
  if (!draft.json.is_object()) throw std::invalid_argument("the draft is not a JSON object");
  Json* t = find_key(draft.json, Key::Tracks);
  if (!t) {
    draft.json[key_name(draft, Key::Tracks)] = Json::array();
    t = find_key(draft.json, Key::Tracks);
  }
  if (!t->is_array()) throw std::invalid_argument("the draft's tracks are not a list");
  return *t;
}

Json& segments_json(Draft& draft, size_t track) {
  if (track >= draft.tracks.size()) throw std::out_of_range("no track " + std::to_string(track));
  Json& t = at_pointer(draft, draft.tracks[track].pointer);
  Json* sg = find_key(t, Key::Segments);
  if (!sg) {
    set_key(draft, t, Key::Segments, Json::array());
    sg = find_key(t, Key::Segments);
  }
  if (!sg->is_array())
    throw std::invalid_argument("the segments of track " + std::to_string(track) + " are not a list");
  return *sg;
}

int64_t scaled(int64_t ms, double factor) { return static_cast<int64_t>(std::llround(ms * factor)); }

}  // namespace

size_t add_track(Draft& draft, Json track) {
  Json& t = tracks_json(draft);
  t.push_back(std::move(track));
  refresh(draft);
  return draft.tracks.size() - 1;
}

void remove_track(Draft& draft, size_t track) {
  Json& t = tracks_json(draft);
  if (track >= t.size()) throw std::out_of_range("no track " + std::to_string(track));
  t.erase(track);
  refresh(draft);
}

void add_segment(Draft& draft, size_t track, Json segment) {
  segments_json(draft, track).push_back(std::move(segment));
  refresh(draft);
}

void remove_segment(Draft& draft, size_t track, size_t seg) {
  Json& sg = segments_json(draft, track);
  if (seg >= sg.size()) throw std::out_of_range("no segment " + std::to_string(seg));
  sg.erase(seg);
  refresh(draft);
}

void remove_segment_meta(Draft& draft, size_t track, size_t seg, const std::string& key) {
  Json& obj = segment_json(draft, track, seg);
  if (Json* m = find_key(obj, Key::Metadata); m && m->is_object()) m->erase(key);
  refresh(draft);
}

void reorder_segments(Draft& draft, size_t track, const std::vector<size_t>& order) {
  Json& sg = segments_json(draft, track);
  const auto& segs = draft.tracks[track].segments;
  if (order.size() != sg.size()) throw std::invalid_argument("the new order must name every segment once");
  int64_t at = segs.empty() ? 0 : segs[0].start_ms;
  for (const auto& s : segs) at = std::min(at, s.start_ms);
  Json reordered = Json::array();
  for (size_t i : order) {
    if (i >= sg.size()) throw std::out_of_range("no segment " + std::to_string(i));
    Json s = sg[i];
    if (s.is_object()) set_key(draft, s, Key::Start, at);
    at += segs[i].duration_ms;
    reordered.push_back(std::move(s));
  }
  sg = std::move(reordered);
  refresh(draft);
}

void set_aspect(Draft& draft, const std::string& aspect) {
  Json& m = metadata_of(draft, draft.json);
  if (m.contains("width") && m.contains("height")) {
    int short_side = std::min(draft.canvas.width, draft.canvas.height);
    std::string res = short_side >= 2160   ? "2160p"
                      : short_side >= 1080 ? "1080p"
                      : short_side >= 720  ? "720p"
                      : short_side >= 540  ? "540p"
                                           : "360p";
    auto [w, h] = canvas_for_aspect(aspect, res);
    m["width"] = w;
    m["height"] = h;
  } else {
    m["ar"] = aspect;
  }
  refresh(draft);
}

void scale_timeline(Draft& draft, double factor) {
  for (size_t t = 0; t < draft.tracks.size(); ++t) {
    if (draft.tracks[t].kind == TrackKind::Other) continue;
    for (size_t s = 0; s < draft.tracks[t].segments.size(); ++s) {
      const Segment& seg = draft.tracks[t].segments[s];
      Json& obj = segment_json(draft, t, s);
      // Ends are scaled as starts are, so segments end to end stay so (no 1 ms gap or overlap).
      const int64_t start = scaled(seg.start_ms, factor), end = scaled(seg.start_ms + seg.duration_ms, factor);
      if (find_key(obj, Key::Start) || seg.start_ms != 0) set_key(draft, obj, Key::Start, start);
      set_key(draft, obj, Key::Duration, std::max<int64_t>(1, end - start));
    }
  }
  if (draft.declared_duration_ms)
    set_key(draft, draft.json, Key::Duration, scaled(*draft.declared_duration_ms, factor));
  refresh(draft);
}

void set_declared_duration(Draft& draft, int64_t ms) {
  if (!draft.declared_duration_ms) return;
  set_key(draft, draft.json, Key::Duration, ms);
  refresh(draft);
}

}  // namespace reel::draft
