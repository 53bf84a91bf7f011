#include "draft/make.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

#include "draft/names.h"

namespace reel::draft {

namespace {

std::string base_name(const std::string& ref) {
  auto slash = ref.find_last_of("/\\");
  return slash == std::string::npos ? ref : ref.substr(slash + 1);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "summer_in-lisbon.jpg" -> "Summer in lisbon": a caption from a file name.
std::string caption_from(const std::string& ref) {
  std::string name = base_name(ref);
  auto dot = name.rfind('.');
  if (dot != std::string::npos && dot > 0) name.resize(dot);
  for (auto& c : name)
    if (c == '_' || c == '-') c = ' ';
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

bool portrait(const MediaItem& m) { return m.height > m.width; }

Json text_track(const char* kind) { return {{"tt", 7}, {"m", {{"kind", kind}}}, {"sg", Json::array()}}; }

Json text_segment(int64_t s, int64_t d, const std::string& text, const char* kind, const char* pos, double size,
                  const char* anim_in) {
  Json style = {{"pos", pos}, {"size", size}, {"color", "#FFFFFF"}, {"shadow", "#00000099"}};
  return {
      {"s", s},
      {"d", d},
      {"m",
       {{"text", text}, {"kind", kind}, {"style", style}, {"anim", {{"in", anim_in}, {"out", "fade"}, {"d", 400}}}}}};
}

}  // namespace

bool is_logo(const MediaItem& item) { return lower(base_name(item.reference)).rfind("logo", 0) == 0 || item.has_alpha; }

std::vector<MediaItem> ordered_media(const std::vector<MediaItem>& media) {
  std::vector<MediaItem> out = media;
  std::stable_sort(out.begin(), out.end(), [](const MediaItem& a, const MediaItem& b) {
    bool la = is_logo(a), lb = is_logo(b);
    if (la != lb) return lb;  // logos last
    if (a.captured_at.has_value() != b.captured_at.has_value()) return a.captured_at.has_value();
    if (a.captured_at && *a.captured_at != *b.captured_at) return *a.captured_at < *b.captured_at;
    return base_name(a.reference) < base_name(b.reference);
  });
  return out;
}

std::vector<int64_t> cuts_on_beats(size_t count, int64_t total_ms, const std::vector<int64_t>& beats_ms,
                                   int64_t min_gap_ms) {
  std::vector<int64_t> cuts(count + 1);
  for (size_t i = 0; i <= count; ++i)
    cuts[i] = static_cast<int64_t>(std::llround(static_cast<double>(total_ms) * i / count));
  if (beats_ms.empty() || count < 2) return cuts;
  // Each inner cut goes to the beat nearest its even spacing that keeps the order and the gap.
  for (size_t i = 1; i < count; ++i) {
    int64_t lo = cuts[i - 1] + min_gap_ms;
    int64_t hi = total_ms - static_cast<int64_t>(count - i) * min_gap_ms;
    int64_t best = -1;
    for (int64_t b : beats_ms)
      if (b >= lo && b <= hi && (best < 0 || std::llabs(b - cuts[i]) < std::llabs(best - cuts[i]))) best = b;
    if (best >= 0)
      cuts[i] = best;
    else
      cuts[i] = std::clamp(cuts[i], lo, hi);
  }
  return cuts;
}

Json make_draft(const MakeRequest& req) {
  if (req.media.empty()) throw std::invalid_argument("give at least one photo or clip");
  const StyleSpec& spec = style_spec(req.style);
  std::vector<MediaItem> media = ordered_media(req.media);
  const size_t n = media.size();
  const bool vertical = req.aspect == "9:16";
  const bool wide = req.aspect == "16:9" || req.aspect == "4:3";

  // Length: --duration, else a promo is 30 s, else the style's pace per photo.
  int64_t total = req.duration_ms.value_or(req.style == Style::Promo ? 30000 : static_cast<int64_t>(n) * spec.photo_ms);
  const int64_t min_ms = 500;
  if (total < static_cast<int64_t>(n) * min_ms)
    throw std::invalid_argument("the video would give each of the " + std::to_string(n) +
                                " photos less than half a second; make it at least " +
                                seconds_text(static_cast<int64_t>(n) * min_ms) + " s long or use fewer photos");

  // Cuts: on the music's beats for a highlight reel, evenly spaced otherwise.
  std::vector<int64_t> cuts = req.style == Style::Highlight && !req.beats_ms.empty()
                                  ? cuts_on_beats(n, total, req.beats_ms, min_ms)
                                  : cuts_on_beats(n, total, {}, min_ms);

  auto [w, h] = canvas_for_aspect(req.aspect, "1080p");
  Json draft = {{"m", {{"title", req.title}, {"width", w}, {"height", h}, {"fps", req.fps}, {"bg", "#000000"}}},
                {"d", total},
                {"t", Json::array()}};
  Json video = {{"tt", 0}, {"m", {{"name", std::string(spec.name)}}}, {"sg", Json::array()}};
  for (size_t i = 0; i < n; ++i) {
    const MediaItem& item = media[i];
    int64_t s = cuts[i], d = cuts[i + 1] - cuts[i];
    Json m = Json::object();
    if (is_logo(item) && req.style == Style::Promo && i + 1 == n) {
      m["fit"] = "contain";  // the end card: the whole logo, still
      m["kb"] = "none";
    } else if (portrait(item) && wide) {
      m["fit"] = "blur";  // a vertical photo in a wide video: over a blurred fill of itself
      m["kb"] = spec.ken_burns;
    } else if (vertical && !portrait(item) && !item.is_clip) {
      m["fit"] = "cover";  // a landscape photo in a vertical video: travel across it
      m["kb"] = i % 2 == 0 ? "right" : "left";
    } else {
      m["kb"] = item.is_clip ? "none" : spec.ken_burns;
    }
    if (i > 0 && spec.transition != TransitionType::None)
      m["tr"] = {{"type", to_string(spec.transition)}, {"d", std::min<int64_t>(spec.transition_ms, d / 2)}};
    Json seg = {{"id", "m" + std::to_string(i + 1)}, {"s", s}, {"d", d}, {"src", item.reference}, {"m", m}};
    video["sg"].push_back(std::move(seg));
  }
  draft["t"].push_back(std::move(video));

  if (!req.music.empty()) {
    Json m = {{"name", caption_from(req.music)},
              {"vol", spec.music_volume},
              {"fi", spec.music_fade_in_ms},
              {"fo", std::min<int64_t>(spec.music_fade_out_ms, total / 2)},
              {"loop", req.music_ms > 0 && req.music_ms < total}};
    draft["t"].push_back({{"tt", 1},
                          {"m", {{"name", "BGM"}}},
                          {"sg", Json::array({{{"s", 0}, {"d", total}, {"src", req.music}, {"m", m}}})}});
  }

  // Words: a title at the start (a highlight reel always has one); a promo's overlays.
  std::string title = req.title;
  if (title.empty() && req.style == Style::Highlight) title = req.prompt.empty() ? "Highlights" : req.prompt;
  if (!title.empty() && req.style != Style::Promo) {
    Json t = text_track("title");
    t["sg"].push_back(text_segment(0, std::min<int64_t>(3000, cuts[1]), title, "title", "center", 0.08, "fade"));
    draft["t"].push_back(std::move(t));
  }
  if (req.style == Style::Promo) {
    // The title and the prompt on the first photos; with neither, each photo's file name.
    std::vector<std::string> lines;
    for (const std::string& words : {req.title, req.prompt})
      if (!words.empty()) lines.push_back(words);
    Json t = text_track("text");
    for (size_t i = 0; i < n; ++i) {
      if (is_logo(media[i]) && i + 1 == n) break;  // the end card speaks for itself
      std::string words = lines.empty() ? caption_from(media[i].reference) : i < lines.size() ? lines[i] : "";
      if (words.empty()) continue;
      int64_t s = cuts[i] + 200, d = std::max<int64_t>(300, cuts[i + 1] - cuts[i] - 400);
      t["sg"].push_back(text_segment(s, d, words, "text", "bottom", 0.07, "slide-up"));
    }
    if (!t["sg"].empty()) draft["t"].push_back(std::move(t));
  }
  return draft;
}

}  // namespace reel::draft
