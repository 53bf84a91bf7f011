#include "draft/edit.h"

#include <stdexcept>

#include "draft/keys.h"

namespace reel::draft {

namespace {

Json& at_pointer(Draft& draft, const std::string& pointer) {
  return draft.json.at(Json::json_pointer(pointer));
}

Json& segment_json(Draft& draft, size_t track, size_t seg) {
  if (track >= draft.tracks.size() || seg >= draft.tracks[track].segments.size())
    throw std::out_of_range("no segment " + std::to_string(seg) + " on track " + std::to_string(track));
  Json& obj = at_pointer(draft, draft.tracks[track].segments[seg].pointer);
  if (!obj.is_object())
    throw std::invalid_argument("the segment at " + draft.tracks[track].segments[seg].pointer + " is not a JSON object");
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

void set_draft_meta(Draft& draft, const std::string& key, Json value) {
  if (!draft.json.is_object()) throw std::invalid_argument("the draft is not a JSON object");
  metadata_of(draft, draft.json)[key] = std::move(value);
  refresh(draft);
}

}  // namespace reel::draft
