#include "draft/names.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace reel::draft {

namespace {

template <class E>
struct NameTable {
  std::vector<std::pair<std::string, E>> entries;
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (auto& [n, e] : entries) out.push_back(n);
    return out;
  }
  std::optional<E> find(std::string_view name) const {
    for (auto& [n, e] : entries)
      if (n == name) return e;
    return std::nullopt;
  }
  const char* name_of(E e) const {
    for (auto& [n, v] : entries)
      if (v == e) return n.c_str();
    return "?";
  }
};

const NameTable<KenBurnsPreset>& presets() {
  static const NameTable<KenBurnsPreset> t{{{"in", KenBurnsPreset::In},
                                            {"out", KenBurnsPreset::Out},
                                            {"left", KenBurnsPreset::Left},
                                            {"right", KenBurnsPreset::Right},
                                            {"up", KenBurnsPreset::Up},
                                            {"down", KenBurnsPreset::Down},
                                            {"auto", KenBurnsPreset::Auto},
                                            {"none", KenBurnsPreset::None}}};
  return t;
}
const NameTable<Ease>& eases() {
  static const NameTable<Ease> t{
      {{"linear", Ease::Linear}, {"in", Ease::In}, {"out", Ease::Out}, {"inout", Ease::InOut}}};
  return t;
}
const NameTable<Fit>& fits() {
  static const NameTable<Fit> t{
      {{"cover", Fit::Cover}, {"contain", Fit::Contain}, {"blur", Fit::Blur}, {"stretch", Fit::Stretch}}};
  return t;
}
// The first name of each anchor is the canonical one; the others are accepted spellings.
const NameTable<Anchor>& anchors() {
  static const NameTable<Anchor> t{{{"top-left", Anchor::TopLeft},
                                    {"top", Anchor::Top},
                                    {"top-right", Anchor::TopRight},
                                    {"left", Anchor::Left},
                                    {"center", Anchor::Center},
                                    {"right", Anchor::Right},
                                    {"bottom-left", Anchor::BottomLeft},
                                    {"bottom", Anchor::Bottom},
                                    {"bottom-right", Anchor::BottomRight},
                                    {"top-center", Anchor::Top},
                                    {"bottom-center", Anchor::Bottom},
                                    {"center-left", Anchor::Left},
                                    {"center-right", Anchor::Right},
                                    {"middle", Anchor::Center}}};
  return t;
}
const NameTable<Align>& aligns() {
  static const NameTable<Align> t{{{"left", Align::Left}, {"center", Align::Center}, {"right", Align::Right}}};
  return t;
}
const NameTable<TextAnimIn>& anims_in() {
  static const NameTable<TextAnimIn> t{{{"fade", TextAnimIn::Fade},
                                        {"slide-up", TextAnimIn::SlideUp},
                                        {"pop", TextAnimIn::Pop},
                                        {"type", TextAnimIn::Type},
                                        {"none", TextAnimIn::None}}};
  return t;
}
const NameTable<TextAnimOut>& anims_out() {
  static const NameTable<TextAnimOut> t{{{"fade", TextAnimOut::Fade}, {"none", TextAnimOut::None}}};
  return t;
}
const NameTable<TransitionType>& transitions() {
  static const NameTable<TransitionType> t{{{"fade", TransitionType::Fade},
                                            {"fadeblack", TransitionType::FadeBlack},
                                            {"fadewhite", TransitionType::FadeWhite},
                                            {"dissolve", TransitionType::Dissolve},
                                            {"wipeleft", TransitionType::WipeLeft},
                                            {"wiperight", TransitionType::WipeRight},
                                            {"wipeup", TransitionType::WipeUp},
                                            {"wipedown", TransitionType::WipeDown},
                                            {"slideleft", TransitionType::SlideLeft},
                                            {"slideright", TransitionType::SlideRight},
                                            {"slideup", TransitionType::SlideUp},
                                            {"slidedown", TransitionType::SlideDown},
                                            {"zoomin", TransitionType::ZoomIn},
                                            {"circleopen", TransitionType::CircleOpen},
                                            {"circleclose", TransitionType::CircleClose},
                                            {"radial", TransitionType::Radial},
                                            {"pixelize", TransitionType::Pixelize},
                                            {"none", TransitionType::None}}};
  return t;
}

struct Aspect {
  const char* name;
  int w, h;
};
constexpr Aspect kAspects[] = {{"16:9", 16, 9}, {"9:16", 9, 16}, {"1:1", 1, 1}, {"4:5", 4, 5}, {"4:3", 4, 3}};
struct Resolution {
  const char* name;
  int short_side;
};
constexpr Resolution kResolutions[] = {{"2160p", 2160}, {"1080p", 1080}, {"720p", 720}, {"540p", 540}, {"360p", 360}};

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (std::tolower(static_cast<unsigned char>(a[i - 1])) !=
                                  std::tolower(static_cast<unsigned char>(b[j - 1])));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

const std::vector<std::string>& ken_burns_preset_names() {
  static const auto v = presets().names();
  return v;
}
const std::vector<std::string>& ease_names() {
  static const auto v = eases().names();
  return v;
}
const std::vector<std::string>& fit_names() {
  static const auto v = fits().names();
  return v;
}
const std::vector<std::string>& anchor_names() {
  static const auto v = anchors().names();
  return v;
}
const std::vector<std::string>& align_names() {
  static const auto v = aligns().names();
  return v;
}
const std::vector<std::string>& anim_in_names() {
  static const auto v = anims_in().names();
  return v;
}
const std::vector<std::string>& anim_out_names() {
  static const auto v = anims_out().names();
  return v;
}
const std::vector<std::string>& transition_names() {
  static const auto v = transitions().names();
  return v;
}
const std::vector<std::string>& text_kind_names() {
  static const std::vector<std::string> v{"title", "subtitle", "caption", "text"};
  return v;
}
const std::vector<std::string>& aspect_names() {
  static const auto v = [] {
    std::vector<std::string> out;
    for (auto& a : kAspects) out.push_back(a.name);
    return out;
  }();
  return v;
}
const std::vector<std::string>& resolution_names() {
  static const auto v = [] {
    std::vector<std::string> out;
    for (auto& r : kResolutions) out.push_back(r.name);
    return out;
  }();
  return v;
}

std::optional<KenBurnsPreset> ken_burns_preset_from_name(std::string_view n) { return presets().find(n); }
std::optional<Ease> ease_from_name(std::string_view n) { return eases().find(n); }
std::optional<Fit> fit_from_name(std::string_view n) { return fits().find(n); }
std::optional<Anchor> anchor_from_name(std::string_view n) { return anchors().find(n); }
std::optional<Align> align_from_name(std::string_view n) { return aligns().find(n); }
std::optional<TextAnimIn> anim_in_from_name(std::string_view n) { return anims_in().find(n); }
std::optional<TextAnimOut> anim_out_from_name(std::string_view n) { return anims_out().find(n); }
std::optional<TransitionType> transition_from_name(std::string_view n) { return transitions().find(n); }

const char* to_string(TrackKind k) {
  switch (k) {
    case TrackKind::Video:
      return "video";
    case TrackKind::Audio:
      return "audio";
    case TrackKind::Text:
      return "text";
    case TrackKind::Other:
      return "other";
  }
  return "other";
}
const char* to_string(Fit f) { return fits().name_of(f); }
const char* to_string(Ease e) { return eases().name_of(e); }
const char* to_string(KenBurnsPreset p) { return p == KenBurnsPreset::Explicit ? "explicit" : presets().name_of(p); }
const char* to_string(TransitionType t) { return transitions().name_of(t); }
const char* to_string(Anchor a) { return anchors().name_of(a); }
const char* to_string(Align a) { return aligns().name_of(a); }
const char* to_string(TextAnimIn a) { return anims_in().name_of(a); }
const char* to_string(TextAnimOut a) { return anims_out().name_of(a); }

std::pair<int, int> canvas_for_aspect(std::string_view aspect, std::string_view resolution) {
  int short_side = 1080;
  for (auto& r : kResolutions)
    if (resolution == r.name) short_side = r.short_side;
  for (auto& a : kAspects) {
    if (aspect != a.name) continue;
    int lo = std::min(a.w, a.h), hi = std::max(a.w, a.h);
    // The long side rounded to an even number of pixels, as H.264 needs.
    int long_side = static_cast<int>(std::lround(short_side * static_cast<double>(hi) / lo / 2.0)) * 2;
    return a.w >= a.h ? std::pair{long_side, short_side} : std::pair{short_side, long_side};
  }
  return {1920, 1080};
}

namespace {

// Names people reach for from other editors, each with what a draft says instead, best first;
// a suggestion is made only when its vocabulary has the name.
const std::vector<std::pair<std::string_view, std::vector<std::string_view>>>& name_aliases() {
  static const std::vector<std::pair<std::string_view, std::vector<std::string_view>>> aliases = {
      {"crossfade", {"fade"}},
      {"cross-fade", {"fade"}},
      {"cross", {"fade"}},
      {"mix", {"dissolve"}},
      {"fade-black", {"fadeblack"}},
      {"dip", {"fadeblack"}},
      {"upper-left", {"top-left"}},
      {"upper-right", {"top-right"}},
      {"lower-left", {"bottom-left"}},
      {"lower-right", {"bottom-right"}},
      {"upper", {"top"}},
      {"lower", {"bottom"}},
      {"centre", {"center"}},
      {"middle-center", {"center"}},
      {"zoom", {"zoomin", "in"}},
      {"zoom-in", {"zoomin", "in"}},
      {"zoomin", {"in"}},
      {"zoom-out", {"out"}},
      {"zoomout", {"out"}},
      {"pan-left", {"left"}},
      {"pan-right", {"right"}},
      {"ease-in-out", {"inout"}},
      {"ease-in", {"in"}},
      {"ease-out", {"out"}},
      {"in-out", {"inout"}},
      {"fill", {"cover"}},
      {"fit", {"contain"}},
  };
  return aliases;
}

}  // namespace

std::optional<std::string> nearest_name(std::string_view given, const std::vector<std::string>& names) {
  std::string lowered(given);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& [alias, targets] : name_aliases())
    if (lowered == alias)
      for (std::string_view t : targets)
        if (std::find(names.begin(), names.end(), t) != names.end()) return std::string(t);
  std::optional<std::string> best;
  size_t best_d = SIZE_MAX;
  for (const auto& n : names) {
    size_t d = edit_distance(given, n);
    if (d < best_d) best_d = d, best = n;
  }
  // A unique name that starts with what was typed ("slide" -> "slide-up") is the best guess.
  std::optional<std::string> prefixed;
  int starts = 0;
  for (const auto& n : names)
    if (given.size() >= 3 && n.size() > given.size() && n.compare(0, given.size(), given) == 0) prefixed = n, ++starts;
  if (starts == 1) return prefixed;
  size_t allowed = std::max<size_t>(2, given.size() / 3);
  if (!best || best_d > allowed || best_d >= given.size()) return std::nullopt;
  return best;
}

std::string unknown_name_message(std::string_view what, std::string_view given, const std::vector<std::string>& names) {
  std::string msg = "unknown " + std::string(what) + " \"" + std::string(given) + "\"";
  if (auto near = nearest_name(given, names)) return msg + "; did you mean \"" + *near + "\"?";
  return msg + "; use one of: " + joined(names);
}

std::optional<std::string> color_for_name(std::string_view name) {
  // The CSS basic colours and the few more people name most.
  static const std::vector<std::pair<std::string_view, std::string_view>> colours = {
      {"black", "#000000"},  {"white", "#FFFFFF"},   {"red", "#FF0000"},     {"lime", "#00FF00"},
      {"green", "#008000"},  {"blue", "#0000FF"},    {"yellow", "#FFFF00"},  {"cyan", "#00FFFF"},
      {"aqua", "#00FFFF"},   {"magenta", "#FF00FF"}, {"fuchsia", "#FF00FF"}, {"silver", "#C0C0C0"},
      {"gray", "#808080"},   {"grey", "#808080"},    {"maroon", "#800000"},  {"olive", "#808000"},
      {"purple", "#800080"}, {"teal", "#008080"},    {"navy", "#000080"},    {"orange", "#FFA500"},
      {"pink", "#FFC0CB"},   {"gold", "#FFD700"},    {"brown", "#A52A2A"},   {"transparent", "#00000000"},
  };
  std::string lowered(name);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& [n, hex] : colours)
    if (lowered == n) return std::string(hex);
  return std::nullopt;
}

std::optional<double> percent_value(std::string_view text) {
  if (text.size() < 2 || text.back() != '%') return std::nullopt;
  std::string num(text.substr(0, text.size() - 1));
  while (!num.empty() && num.back() == ' ') num.pop_back();
  if (num.empty() || num.size() > 12) return std::nullopt;
  for (char c : num)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(num.c_str(), &end);
  if (end != num.c_str() + num.size()) return std::nullopt;
  return v;
}

std::optional<Color> parse_color(std::string_view text) {
  if (text.size() != 7 && text.size() != 9) return std::nullopt;
  if (text[0] != '#') return std::nullopt;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  uint8_t v[4] = {0, 0, 0, 255};
  for (size_t i = 0; i + 1 < text.size(); i += 2) {
    int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    v[i / 2] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return Color{v[0], v[1], v[2], v[3]};
}

}  // namespace reel::draft
