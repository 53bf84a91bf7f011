#include "draft/diff.h"

#include <map>

namespace reel::draft {

namespace {

// One part of a draft an edit is reported by: its top level or a track without their
// segments, or a segment. A segment with an id is told apart by it (so removing one does not
// make all that follow "changed"), else by its pointer.
struct Part {
  std::string key, pointer;
  Json json;
};

std::vector<Part> parts_of(const Draft& d) {
  std::vector<Part> parts;
  auto without = [](const Json& j, std::initializer_list<const char*> keys) {
    Json copy = j;
    if (copy.is_object())
      for (const char* k : keys) copy.erase(k);
    return copy;
  };
  parts.push_back({"/", "/", without(d.json, {"t", "tracks"})});
  for (const Track& t : d.tracks) {
    const Json* track = nullptr;
    try {
      track = &d.json.at(Json::json_pointer(t.pointer));
    } catch (const std::exception&) {
      continue;  // a track the typed view made up (subtitles added on the command line)
    }
    parts.push_back({t.pointer, t.pointer, without(*track, {"sg", "segments"})});
    for (const Segment& s : t.segments) {
      try {
        parts.push_back(
            {s.id.empty() ? s.pointer : t.pointer + "#" + s.id, s.pointer, d.json.at(Json::json_pointer(s.pointer))});
      } catch (const std::exception&) {
      }
    }
  }
  return parts;
}

void list(std::string& out, const std::vector<std::string>& pointers, const char* what, size_t most) {
  if (pointers.empty()) return;
  if (!out.empty()) out += "; ";
  for (size_t i = 0; i < pointers.size() && i < most; ++i) {
    if (i > 0) out += i + 1 == pointers.size() ? " and " : ", ";
    out += pointers[i];
  }
  if (pointers.size() > most) out += " and " + std::to_string(pointers.size() - most) + " more";
  out += " ";
  out += what;
}

}  // namespace

DraftChanges diff_drafts(const Draft& before, const Draft& after) {
  const std::vector<Part> old_parts = parts_of(before), new_parts = parts_of(after);
  std::map<std::string, const Part*> old_by_key, new_by_key;
  for (const Part& p : old_parts) old_by_key[p.key] = &p;
  for (const Part& p : new_parts) new_by_key[p.key] = &p;
  DraftChanges c;
  for (const Part& p : new_parts) {
    auto it = old_by_key.find(p.key);
    if (it == old_by_key.end())
      c.added.push_back(p.pointer);
    else if (it->second->json != p.json)
      c.changed.push_back(p.pointer);
  }
  for (const Part& p : old_parts)
    if (!new_by_key.count(p.key)) c.removed.push_back(p.pointer);
  return c;
}

std::string describe_changes(const DraftChanges& changes, size_t most) {
  if (changes.empty()) return "nothing changed in the draft";
  std::string out;
  list(out, changes.changed, "changed", most);
  list(out, changes.added, "added", most);
  list(out, changes.removed, "removed", most);
  return out;
}

}  // namespace reel::draft
