#include "draft/keys.h"

namespace reel::draft {

namespace {
struct Names {
  std::string_view short_name, long_name;
};
Names names(Key k) {
  switch (k) {
    case Key::Tracks:
      return {"t", "tracks"};
    case Key::TrackType:
      return {"tt", "track_type"};
    case Key::Segments:
      return {"sg", "segments"};
    case Key::Duration:
      return {"d", "duration"};
    case Key::Metadata:
      return {"m", "metadata"};
    case Key::Start:
      return {"s", "start"};
    case Key::Source:
      return {"src", "source"};
    case Key::SourceIn:
      return {"in", "source_in"};
  }
  return {"", ""};
}
}  // namespace

std::string_view short_name(Key k) { return names(k).short_name; }
std::string_view long_name(Key k) { return names(k).long_name; }

std::string_view spelling_in(const Json& obj, Key k) {
  if (!obj.is_object()) return {};
  auto n = names(k);
  if (obj.contains(std::string(n.short_name))) return n.short_name;
  if (obj.contains(std::string(n.long_name))) return n.long_name;
  return {};
}

const Json* find_key(const Json& obj, Key k) {
  auto name = spelling_in(obj, k);
  if (name.empty()) return nullptr;
  return &obj.find(std::string(name)).value();
}

Json* find_key(Json& obj, Key k) {
  auto name = spelling_in(obj, k);
  if (name.empty()) return nullptr;
  return &obj.find(std::string(name)).value();
}

bool is_alias_of(std::string_view name, Key k) {
  auto n = names(k);
  return name == n.short_name || name == n.long_name;
}

}  // namespace reel::draft
