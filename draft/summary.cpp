#include "draft/summary.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace reel::draft {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string capitalised(const std::string& s) {
  std::string out = lower(s);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::string counted(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

const Segment& earliest(const Track& t) {
  return *std::min_element(t.segments.begin(), t.segments.end(),
                           [](const Segment& a, const Segment& b) { return a.start_ms < b.start_ms; });
}

std::string kind_of(const Track& t) {
  switch (t.kind) {
    case TrackKind::Video:
      return "Video";
    case TrackKind::Audio: {
      std::string k = lower(t.kind_label);
      if (k == "voice") return "Voice";
      if (k == "sfx") return "SFX";
      if (k == "audio") return "Audio";
      return "BGM";
    }
    case TrackKind::Text: {
      std::string k = t.kind_label;
      if (k.empty()) k = earliest(t).text.kind;
      return k.empty() ? "Text" : capitalised(k);
    }
    case TrackKind::Other:
      return "Track type " + std::to_string(t.type);
  }
  return "Track";
}

std::string label_of(const Track& t) {
  if (t.kind == TrackKind::Text) {
    std::string text = earliest(t).text.text;
    std::replace(text.begin(), text.end(), '\n', ' ');
    std::string out = "\"" + text + "\"";
    if (t.segments.size() > 1) out += " +" + std::to_string(t.segments.size() - 1) + " more";
    return out;
  }
  if (t.segments.size() == 1 && !t.segments[0].name.empty()) return t.segments[0].name;
  if (!t.name.empty()) return t.name;
  size_t n = t.segments.size();
  if (t.kind == TrackKind::Video) {
    std::vector<std::string> sources;
    for (const Segment& s : t.segments) sources.push_back(s.source);
    return media_count_text(sources);
  }
  if (t.kind == TrackKind::Audio) return counted(n, "sound", "sounds");
  return counted(n, "segment", "segments");
}

}  // namespace

std::string media_count_text(const std::vector<std::string>& sources) {
  const size_t clips =
      size_t(std::count_if(sources.begin(), sources.end(), [](const std::string& s) { return looks_like_clip(s); }));
  const size_t photos = sources.size() - clips;
  if (clips == 0) return counted(photos, "photo", "photos");
  if (photos == 0) return counted(clips, "clip", "clips");
  return counted(photos, "photo", "photos") + ", " + counted(clips, "clip", "clips");
}

bool looks_like_clip(std::string_view source) {
  std::string s = lower(std::string(source));
  auto q = s.find_first_of("?#");
  if (q != std::string::npos && s.find("://") != std::string::npos) s.resize(q);
  auto dot = s.rfind('.');
  if (dot == std::string::npos) return false;
  std::string ext = s.substr(dot + 1);
  for (const char* e : {"mp4", "mov", "m4v", "avi", "webm", "mkv", "gif", "mts", "3gp"})
    if (ext == e) return true;
  return false;
}

std::string TrackSummary::text() const {
  std::string out = kind + ": " + label + " (" + seconds_text(from_ms) + "-" + seconds_text(to_ms) + "s";
  if (volume_percent) out += ", " + std::to_string(*volume_percent) + "%";
  return out + ")";
}

std::vector<TrackSummary> summarize_tracks(const Draft& draft) {
  std::vector<TrackSummary> out;
  for (size_t i = 0; i < draft.tracks.size(); ++i) {
    const Track& t = draft.tracks[i];
    if (t.segments.empty()) continue;
    TrackSummary s;
    s.index = i;
    s.kind = kind_of(t);
    s.label = label_of(t);
    s.from_ms = earliest(t).start_ms;
    s.to_ms = 0;
    for (const auto& seg : t.segments) s.to_ms = std::max(s.to_ms, seg.end_ms());
    if (t.kind == TrackKind::Audio) s.volume_percent = static_cast<int>(std::lround(earliest(t).audio.volume * 100));
    out.push_back(std::move(s));
  }
  return out;
}

std::string timeline_summary(const Draft& draft) {
  auto tracks = summarize_tracks(draft);
  std::string out = "Timeline (" + std::to_string(tracks.size()) + (tracks.size() == 1 ? " track):" : " tracks):");
  for (size_t i = 0; i < tracks.size(); ++i) out += " " + std::to_string(i + 1) + ". " + tracks[i].text();
  return out;
}

Json summary_json(const Draft& draft) {
  Json j;
  j["summary"] = timeline_summary(draft);
  j["title"] = draft.title;
  j["width"] = draft.canvas.width;
  j["height"] = draft.canvas.height;
  j["fps"] = to_string(draft.canvas.fps);
  j["duration_ms"] = draft.duration_ms();
  j["tracks"] = Json::array();
  for (const auto& s : summarize_tracks(draft)) {
    Json t;
    t["index"] = s.index;
    t["pointer"] = draft.tracks[s.index].pointer;
    t["kind"] = s.kind;
    t["label"] = s.label;
    t["from_ms"] = s.from_ms;
    t["to_ms"] = s.to_ms;
    t["segments"] = draft.tracks[s.index].segments.size();
    if (s.volume_percent) t["volume_percent"] = *s.volume_percent;
    j["tracks"].push_back(std::move(t));
  }
  return j;
}

}  // namespace reel::draft
