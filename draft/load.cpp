// JSON -> typed draft. Reads every known key in either spelling, records a problem for each
// wrong type, unknown name or out-of-range value, and leaves the JSON itself untouched.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>

#include "draft/checks.h"
#include "draft/fades.h"
#include "draft/keys.h"
#include "draft/model.h"
#include "draft/names.h"

namespace reel::draft {

namespace {

// A NUL, raw or percent-encoded: a C string stops there, so "secret.txt%00.jpg" would open
// secret.txt after passing a check on the whole name.
bool holds_nul(std::string_view s) {
  if (s.find('\0') != std::string_view::npos) return true;
  for (size_t i = 0; i + 2 < s.size(); ++i)
    if (s[i] == '%' && s[i + 1] == '0' && s[i + 2] == '0') return true;
  return false;
}

// Larger times are certainly mistakes, and keeping them below this keeps the frame
// arithmetic far from overflow: 1e10 ms is about 115 days.
constexpr int64_t kMaxMs = 10'000'000'000;

std::string escape_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string child(const std::string& ptr, std::string_view key) { return ptr + "/" + escape_token(key); }
std::string child(const std::string& ptr, size_t index) { return ptr + "/" + std::to_string(index); }

std::string type_name(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "true/false";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "a number";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "a list";
    default:
      return "something else";
  }
}

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

// One object of the draft being read: its JSON, its pointer, and the problems list.
class Loader {
 public:
  explicit Loader(std::vector<Problem>& problems) : problems_(problems) {}

  void error(const std::string& ptr, std::string msg) { add(ptr, Severity::Error, std::move(msg)); }
  void warning(const std::string& ptr, std::string msg) { add(ptr, Severity::Warning, std::move(msg)); }
  void notice(const std::string& ptr, std::string msg) { add(ptr, Severity::Notice, std::move(msg)); }

  // Notices for keys outside `known` (each a plain key or a Key alias pair), and an error when
  // a key is given in both spellings.
  void check_keys(const Json& obj, const std::string& ptr, std::initializer_list<std::string_view> known,
                  std::initializer_list<Key> aliased, std::string_view what) {
    for (Key k : aliased) {
      std::string s(short_name(k)), l(long_name(k));
      if (obj.contains(s) && obj.contains(l))
        error(child(ptr, l), "both " + in_quotes(s) + " and " + in_quotes(l) + " are given; keep one (the " +
                                 in_quotes(s) + " value is used)");
    }
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      const std::string& key = it.key();
      bool ok = std::find(known.begin(), known.end(), key) != known.end();
      for (Key k : aliased) ok = ok || is_alias_of(key, k);
      if (!ok)
        notice(child(ptr, key), "unknown key " + in_quotes(key) + " in " + std::string(what) +
                                    "; reel keeps it as is and does not use it");
    }
  }

  // Typed getters: the value at obj[key] (either spelling for Key), or empty when absent or
  // of the wrong type (then an error is recorded).
  const Json* get(const Json& obj, std::string_view key) {
    auto it = obj.find(std::string(key));
    return it == obj.end() ? nullptr : &*it;
  }
  std::string key_ptr(const Json& obj, const std::string& ptr, Key k) {
    auto name = spelling_in(obj, k);
    return child(ptr, name.empty() ? short_name(k) : name);
  }

  std::optional<std::string> string_at(const Json* v, const std::string& ptr, std::string_view meaning) {
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      error(ptr, "must be " + std::string(meaning) + " (a string), not " + type_name(*v));
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  std::optional<double> number_at(const Json* v, const std::string& ptr, std::string_view meaning) {
    if (!v) return std::nullopt;
    if (!v->is_number()) {
      error(ptr, "must be " + std::string(meaning) + " (a number), not " + type_name(*v));
      return std::nullopt;
    }
    return v->get<double>();
  }

  std::optional<bool> bool_at(const Json* v, const std::string& ptr) {
    if (!v) return std::nullopt;
    if (!v->is_boolean()) {
      error(ptr, "must be true or false, not " + type_name(*v));
      return std::nullopt;
    }
    return v->get<bool>();
  }

  // Whole milliseconds; `positive` requires > 0, otherwise >= 0.
  std::optional<int64_t> ms_at(const Json* v, const std::string& ptr, std::string_view meaning, bool positive) {
    auto d = number_at(v, ptr, std::string(meaning) + " in milliseconds");
    if (!d) return std::nullopt;
    if (*d != std::floor(*d)) {
      error(ptr, std::string(meaning) + " must be a whole number of milliseconds, not " + v->dump());
      return std::nullopt;
    }
    if (positive && *d <= 0) {
      error(ptr, std::string(meaning) + " must be more than 0 ms, not " + v->dump() +
                     (*d == 0 ? "; remove the segment or give it a length" : ""));
      return std::nullopt;
    }
    if (!positive && *d < 0) {
      error(ptr, std::string(meaning) + " must not be negative (" + v->dump() + "); the timeline starts at 0");
      return std::nullopt;
    }
    if (*d > static_cast<double>(kMaxMs)) {
      error(ptr, std::string(meaning) + " of " + v->dump() + " ms is over 115 days; times are in milliseconds");
      return std::nullopt;
    }
    return static_cast<int64_t>(*d);
  }

  std::optional<Color> color_at(const Json* v, const std::string& ptr) {
    auto s = string_at(v, ptr, "a colour like \"#FFFFFF\"");
    if (!s) return std::nullopt;
    auto c = parse_color(*s);
    if (!c && color_for_name(*s))
      error(ptr,
            "colour " + in_quotes(*s) + " is not #RRGGBB or #RRGGBBAA; did you mean \"" + *color_for_name(*s) + "\"?");
    else if (!c)
      error(ptr, "colour " + in_quotes(*s) + " is not #RRGGBB or #RRGGBBAA (for example \"#FFFFFF\" or \"#00000099\")");
    return c;
  }

  // A name from `names`; an unknown one gets an error with the nearest valid name.
  std::optional<std::string> name_at(const Json* v, const std::string& ptr, std::string_view what,
                                     const std::vector<std::string>& names) {
    auto s = string_at(v, ptr, std::string(what) + " name");
    if (!s) return std::nullopt;
    if (std::find(names.begin(), names.end(), *s) != names.end()) return s;
    error(ptr, unknown_name_message(what, *s, names));
    return std::nullopt;
  }

  // Volume 0..4 as a number, or "35%".
  std::optional<double> volume_at(const Json* v, const std::string& ptr) {
    if (!v) return std::nullopt;
    double vol;
    if (v->is_string()) {
      auto pct = percent_value(v->get<std::string>());
      if (!pct) {
        error(ptr, "volume " + v->dump() + " is not a number or a percentage like \"35%\"");
        return std::nullopt;
      }
      vol = *pct / 100.0;
    } else if (v->is_number()) {
      vol = v->get<double>();
    } else {
      error(ptr, "volume must be a number (0.35) or a percentage (\"35%\"), not " + type_name(*v));
      return std::nullopt;
    }
    if (vol < 0 || vol > 4) {
      std::string hint = vol > 4 && vol <= 400 ? "; did you mean \"" + v->dump() + "%\"?" : "";
      if (v->is_string()) hint = "";
      error(ptr, "volume " + v->dump() + " is out of range; use 0 to 4 (1 = unchanged), or a percentage" + hint);
      return std::nullopt;
    }
    return vol;
  }

 private:
  void add(const std::string& ptr, Severity s, std::string msg) { problems_.push_back({ptr, s, std::move(msg)}); }
  std::vector<Problem>& problems_;
};

// --- metadata of each segment kind -------------------------------------------------------

FocusPoint read_focus(Loader& L, const Json* v, const std::string& ptr) {
  FocusPoint p;
  if (!v) return p;
  if (!v->is_object()) {
    L.error(ptr, "must be a point like {\"x\": 0.5, \"y\": 0.5, \"z\": 1.0}, not " + type_name(*v));
    return p;
  }
  L.check_keys(*v, ptr, {"x", "y", "z"}, {}, "a Ken Burns point");
  for (auto [key, field] : {std::pair{"x", &p.x}, std::pair{"y", &p.y}}) {
    if (auto d = L.number_at(L.get(*v, key), child(ptr, key), "a position from 0 to 1")) {
      if (*d < 0 || *d > 1)
        L.error(child(ptr, key),
                std::string(key) + " must be from 0 to 1 (a fraction of the photo), not " + L.get(*v, key)->dump());
      else
        *field = *d;
    }
  }
  if (auto z = L.number_at(L.get(*v, "z"), child(ptr, "z"), "a zoom")) {
    if (*z < 1 || *z > 10)
      L.error(child(ptr, "z"), "zoom z must be from 1 (the whole fitted photo) to 10, not " + L.get(*v, "z")->dump());
    else
      p.zoom = *z;
  }
  return p;
}

KenBurns read_ken_burns(Loader& L, const Json* v, const std::string& ptr) {
  KenBurns kb;
  if (!v) return kb;
  if (v->is_string()) {
    if (auto name = L.name_at(v, ptr, "Ken Burns preset", ken_burns_preset_names()))
      kb.preset = *ken_burns_preset_from_name(*name);
    return kb;
  }
  if (!v->is_object()) {
    L.error(ptr,
            "Ken Burns must be a preset name such as \"in\" or an object with from/to points, not " + type_name(*v));
    return kb;
  }
  L.check_keys(*v, ptr, {"from", "to", "ease"}, {}, "Ken Burns");
  kb.preset = KenBurnsPreset::Explicit;
  kb.from = read_focus(L, L.get(*v, "from"), child(ptr, "from"));
  kb.to = read_focus(L, L.get(*v, "to"), child(ptr, "to"));
  if (auto e = L.name_at(L.get(*v, "ease"), child(ptr, "ease"), "easing", ease_names())) kb.ease = *ease_from_name(*e);
  return kb;
}

std::string fraction_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::optional<FocusBox> read_focus_box(Loader& L, const Json* v, const std::string& ptr) {
  if (!v) return std::nullopt;
  const std::string example = "{\"x\": 0.6, \"y\": 0.2, \"w\": 0.25, \"h\": 0.3}";
  if (!v->is_object()) {
    L.error(ptr, "must be a box like " + example + " (0..1 of the photo), not " + type_name(*v));
    return std::nullopt;
  }
  L.check_keys(*v, ptr, {"x", "y", "w", "h"}, {}, "a focus box");
  FocusBox box;
  bool ok = true;
  for (auto [key, field] :
       {std::pair{"x", &box.x}, std::pair{"y", &box.y}, std::pair{"w", &box.w}, std::pair{"h", &box.h}}) {
    const Json* n = L.get(*v, key);
    if (!n) {
      L.error(ptr, std::string("a focus box needs ") + key + ", like " + example);
      ok = false;
      continue;
    }
    auto d = L.number_at(n, child(ptr, key), "a fraction of the photo from 0 to 1");
    if (!d) {
      ok = false;
      continue;
    }
    const bool size = key[0] == 'w' || key[0] == 'h';
    if (*d < 0 || *d > 1 || (size && *d <= 0)) {
      L.error(child(ptr, key), std::string(key) + " must be " + (size ? "more than 0 and at most 1" : "from 0 to 1") +
                                   " (a fraction of the photo), not " + n->dump());
      ok = false;
      continue;
    }
    *field = *d;
  }
  if (!ok) return std::nullopt;
  if (box.x + box.w > 1 + 1e-9) {
    L.error(child(ptr, "w"), "the box reaches past the photo's right edge (x + w = " + fraction_text(box.x + box.w) +
                                 "); make x + w at most 1");
    return std::nullopt;
  }
  if (box.y + box.h > 1 + 1e-9) {
    L.error(child(ptr, "h"), "the box reaches past the photo's bottom edge (y + h = " + fraction_text(box.y + box.h) +
                                 "); make y + h at most 1");
    return std::nullopt;
  }
  return box;
}

std::optional<Transition> read_transition(Loader& L, const Json* v, const std::string& ptr) {
  if (!v) return std::nullopt;
  Transition tr{TransitionType::Fade, kDefaultTransitionMs};
  const Json* type = v;
  std::string type_ptr = ptr;
  if (v->is_object()) {
    L.check_keys(*v, ptr, {"type"}, {Key::Duration}, "a transition");
    type = L.get(*v, "type");
    type_ptr = child(ptr, "type");
    if (!type) L.error(ptr, "a transition needs a type, such as {\"type\": \"fade\", \"d\": 600}");
    if (auto d = L.ms_at(find_key(*v, Key::Duration), L.key_ptr(*v, ptr, Key::Duration), "transition length", true))
      tr.duration_ms = *d;
  } else if (!v->is_string()) {
    L.error(ptr, "a transition must be an object such as {\"type\": \"fade\", \"d\": 600}, not " + type_name(*v));
    return std::nullopt;
  }
  if (type) {
    auto name = L.name_at(type, type_ptr, "transition", transition_names());
    if (!name) return std::nullopt;
    tr.type = *transition_from_name(*name);
  }
  return tr;
}

void read_video_meta(Loader& L, const Json& m, const std::string& ptr, Segment& seg) {
  L.check_keys(m, ptr, {"name", "fit", "kb", "focus", "tr", "vol", "mute", "loop"}, {}, "a video segment's metadata");
  if (auto f = L.name_at(L.get(m, "fit"), child(ptr, "fit"), "fit", fit_names())) seg.video.fit = *fit_from_name(*f);
  seg.video.ken_burns = read_ken_burns(L, L.get(m, "kb"), child(ptr, "kb"));
  seg.video.focus = read_focus_box(L, L.get(m, "focus"), child(ptr, "focus"));
  seg.video.transition = read_transition(L, L.get(m, "tr"), child(ptr, "tr"));
  if (auto v = L.volume_at(L.get(m, "vol"), child(ptr, "vol"))) seg.video.volume = *v;
  if (auto b = L.bool_at(L.get(m, "mute"), child(ptr, "mute"))) seg.video.mute = *b;
  if (auto b = L.bool_at(L.get(m, "loop"), child(ptr, "loop"))) seg.video.loop = *b;
}

void read_audio_meta(Loader& L, const Json& m, const std::string& ptr, Segment& seg) {
  L.check_keys(m, ptr, {"name", "vol", "fi", "fo", "loop", "duck", "kind"}, {}, "an audio segment's metadata");
  if (auto v = L.volume_at(L.get(m, "vol"), child(ptr, "vol"))) seg.audio.volume = *v;
  if (auto d = L.ms_at(L.get(m, "fi"), child(ptr, "fi"), "fade-in", false)) seg.audio.fade_in_ms = *d;
  if (auto d = L.ms_at(L.get(m, "fo"), child(ptr, "fo"), "fade-out", false)) seg.audio.fade_out_ms = *d;
  if (auto b = L.bool_at(L.get(m, "loop"), child(ptr, "loop"))) seg.audio.loop = *b;
  if (auto b = L.bool_at(L.get(m, "duck"), child(ptr, "duck"))) seg.audio.duck = *b;
}

TextPosition read_position(Loader& L, const Json* v, const std::string& ptr) {
  TextPosition pos;
  if (!v) return pos;
  if (v->is_object()) {
    L.check_keys(*v, ptr, {"x", "y"}, {}, "a text position");
    pos.anchor.reset();
    for (auto [key, field] : {std::pair{"x", &pos.x}, std::pair{"y", &pos.y}}) {
      if (auto d = L.number_at(L.get(*v, key), child(ptr, key), "a position from 0 to 1")) {
        if (*d < 0 || *d > 1)
          L.error(child(ptr, key),
                  std::string(key) + " must be from 0 to 1 (a fraction of the frame), not " + L.get(*v, key)->dump());
        else
          *field = *d;
      }
    }
    return pos;
  }
  if (v->is_string()) {
    if (auto a = anchor_from_name(v->get<std::string>()))
      pos.anchor = *a;
    else
      L.error(ptr, unknown_name_message("text position", v->get<std::string>(), anchor_names()) +
                       " (or give {\"x\": 0.5, \"y\": 0.9})");
    return pos;
  }
  L.error(ptr, "a text position must be a name such as \"bottom\" or {\"x\": .., \"y\": ..}, not " + type_name(*v));
  return pos;
}

void read_text_meta(Loader& L, const Json& m, const std::string& ptr, Segment& seg) {
  L.check_keys(m, ptr, {"name", "text", "kind", "style", "anim"}, {}, "a text segment's metadata");
  if (auto s = L.string_at(L.get(m, "text"), child(ptr, "text"), "the text to show")) seg.text.text = *s;
  if (auto k = L.string_at(L.get(m, "kind"), child(ptr, "kind"), "a kind")) seg.text.kind = *k;
  if (const Json* st = L.get(m, "style")) {
    std::string sp = child(ptr, "style");
    TextStyle& style = seg.text.style;
    if (!st->is_object()) {
      L.error(sp, "style must be an object such as {\"size\": 0.08, \"color\": \"#FFFFFF\"}, not " + type_name(*st));
    } else {
      L.check_keys(*st, sp, {"font", "size", "color", "stroke", "shadow", "box", "pos", "align", "max_width"}, {},
                   "a text style");
      if (auto s = L.string_at(L.get(*st, "font"), child(sp, "font"), "a font family or file")) style.font = *s;
      if (auto s = L.number_at(L.get(*st, "size"), child(sp, "size"), "a fraction of the frame height")) {
        if (*s <= 0 || *s > 1)
          L.error(child(sp, "size"),
                  "text size is a fraction of the frame height, more than 0 and at most 1 (0.08 is a title), not " +
                      L.get(*st, "size")->dump());
        else
          style.size = *s;
      }
      if (auto c = L.color_at(L.get(*st, "color"), child(sp, "color"))) style.color = *c;
      if (auto c = L.color_at(L.get(*st, "stroke"), child(sp, "stroke"))) style.stroke = *c;
      if (auto c = L.color_at(L.get(*st, "shadow"), child(sp, "shadow"))) style.shadow = *c;
      if (auto c = L.color_at(L.get(*st, "box"), child(sp, "box"))) style.box = *c;
      style.position = read_position(L, L.get(*st, "pos"), child(sp, "pos"));
      if (auto a = L.name_at(L.get(*st, "align"), child(sp, "align"), "alignment", align_names()))
        style.align = *align_from_name(*a);
      if (auto w = L.number_at(L.get(*st, "max_width"), child(sp, "max_width"), "a fraction of the frame width")) {
        if (*w <= 0 || *w > 1)
          L.error(child(sp, "max_width"),
                  "max_width is a fraction of the frame width, more than 0 and at most 1, not " +
                      L.get(*st, "max_width")->dump());
        else
          style.max_width = *w;
      }
    }
  }
  if (const Json* an = L.get(m, "anim")) {
    std::string ap = child(ptr, "anim");
    if (!an->is_object()) {
      L.error(ap, "anim must be an object such as {\"in\": \"fade\", \"out\": \"fade\", \"d\": 500}, not " +
                      type_name(*an));
    } else {
      L.check_keys(*an, ap, {"in", "out"}, {Key::Duration}, "a text animation");
      if (auto n = L.name_at(L.get(*an, "in"), child(ap, "in"), "entrance animation", anim_in_names()))
        seg.text.anim.in = *anim_in_from_name(*n);
      if (auto n = L.name_at(L.get(*an, "out"), child(ap, "out"), "exit animation", anim_out_names()))
        seg.text.anim.out = *anim_out_from_name(*n);
      if (auto d = L.ms_at(find_key(*an, Key::Duration), L.key_ptr(*an, ap, Key::Duration), "animation length", true))
        seg.text.anim.duration_ms = *d;
    }
  }
}

// --- segments, tracks, the draft ---------------------------------------------------------

Segment read_segment(Loader& L, const Json& v, const std::string& ptr, TrackKind kind) {
  Segment seg;
  seg.pointer = ptr;
  if (!v.is_object()) {
    L.error(ptr,
            "a segment must be an object such as {\"s\": 0, \"d\": 3000, \"src\": \"photo.jpg\"}, not " + type_name(v));
    return seg;
  }
  L.check_keys(v, ptr, {"id"}, {Key::Start, Key::Duration, Key::Source, Key::SourceIn, Key::Metadata}, "a segment");
  if (auto id = L.string_at(L.get(v, "id"), child(ptr, "id"), "an id")) seg.id = *id;
  if (auto s = L.ms_at(find_key(v, Key::Start), L.key_ptr(v, ptr, Key::Start), "start", false)) seg.start_ms = *s;
  if (const Json* d = find_key(v, Key::Duration)) {
    if (auto ms = L.ms_at(d, L.key_ptr(v, ptr, Key::Duration), "length", true)) seg.duration_ms = *ms;
  } else {
    L.error(ptr, "a segment needs a length d in milliseconds, such as \"d\": 3000");
  }
  if (auto s = L.string_at(find_key(v, Key::Source), L.key_ptr(v, ptr, Key::Source), "a media path or URL")) {
    seg.source = *s;
    if (holds_nul(*s))
      L.error(L.key_ptr(v, ptr, Key::Source),
              "the source holds a NUL character (raw, or written %00): no file name or URL can, and the part after "
              "it would be dropped; write the path or URL without it");
  }
  if (auto in = L.ms_at(find_key(v, Key::SourceIn), L.key_ptr(v, ptr, Key::SourceIn), "source offset", false))
    seg.source_in_ms = *in;

  const Json* m = find_key(v, Key::Metadata);
  std::string mp = L.key_ptr(v, ptr, Key::Metadata);
  if (m && !m->is_object()) {
    L.error(mp, "metadata must be an object, not " + type_name(*m));
    m = nullptr;
  }
  if (m) {
    if (auto n = L.string_at(L.get(*m, "name"), child(mp, "name"), "a label")) seg.name = *n;
    switch (kind) {
      case TrackKind::Video:
        read_video_meta(L, *m, mp, seg);
        break;
      case TrackKind::Audio:
        read_audio_meta(L, *m, mp, seg);
        break;
      case TrackKind::Text:
        read_text_meta(L, *m, mp, seg);
        break;
      case TrackKind::Other:
        break;
    }
  }
  if ((kind == TrackKind::Video || kind == TrackKind::Audio) && seg.source.empty() &&
      !(find_key(v, Key::Source) && !find_key(v, Key::Source)->is_string())) {
    L.error(ptr, std::string(kind == TrackKind::Video
                                 ? "a video segment needs a source: give \"src\" a photo or clip path or URL"
                                 : "an audio segment needs a source: give \"src\" a sound file path or URL"));
  }
  if (kind == TrackKind::Text && seg.text.text.empty() && !(m && m->contains("text") && !(*m)["text"].is_string())) {
    L.error(ptr,
            "a text segment needs words: give its metadata \"text\", such as \"m\": {\"text\": \"Summer in Lisbon\"}");
  }
  return seg;
}

Track read_track(Loader& L, const Json& v, const std::string& ptr) {
  Track track;
  track.pointer = ptr;
  if (!v.is_object()) {
    L.error(ptr, "a track must be an object such as {\"tt\": 0, \"sg\": []}, not " + type_name(v));
    track.kind = TrackKind::Other;
    return track;
  }
  const Json* tt = find_key(v, Key::TrackType);
  std::string tt_ptr = L.key_ptr(v, ptr, Key::TrackType);
  if (!tt) {
    L.error(ptr, "a track needs a type tt: 0 for photos and clips, 1 for audio, 7 for text");
    track.kind = TrackKind::Other;
  } else if (!tt->is_number_integer() && !tt->is_number_unsigned()) {
    L.error(tt_ptr, "the track type must be a whole number (0 video, 1 audio, 7 text), not " + tt->dump());
    track.kind = TrackKind::Other;
  } else {
    track.type = tt->is_number_unsigned() && tt->get<uint64_t>() > INT64_MAX ? -1 : tt->get<int64_t>();
    track.kind = track.type == 0   ? TrackKind::Video
                 : track.type == 1 ? TrackKind::Audio
                 : track.type == 7 ? TrackKind::Text
                                   : TrackKind::Other;
    if (track.kind == TrackKind::Other)
      L.notice(tt_ptr,
               "track type " + tt->dump() + " is not one reel draws; it is kept as is and passed on to the cloud");
  }
  bool known = track.kind != TrackKind::Other;
  if (known) L.check_keys(v, ptr, {}, {Key::TrackType, Key::Segments, Key::Metadata}, "a track");

  if (const Json* m = find_key(v, Key::Metadata)) {
    std::string mp = L.key_ptr(v, ptr, Key::Metadata);
    if (!m->is_object()) {
      L.error(mp, "metadata must be an object, not " + type_name(*m));
    } else {
      if (known) L.check_keys(*m, mp, {"name", "kind"}, {}, "a track's metadata");
      if (auto n = L.string_at(L.get(*m, "name"), child(mp, "name"), "a label")) track.name = *n;
      if (auto k = L.string_at(L.get(*m, "kind"), child(mp, "kind"), "a kind")) track.kind_label = *k;
    }
  }
  const Json* sg = find_key(v, Key::Segments);
  std::string sp = L.key_ptr(v, ptr, Key::Segments);
  if (sg && !sg->is_array()) {
    if (known) L.error(sp, "segments must be a list, not " + type_name(*sg));
  } else if (sg) {
    // Inside a track type reel does not draw nothing is second-guessed: its segments are read
    // for the summary only, and what they hold is the cloud's business.
    std::vector<Problem> ignored;
    Loader quiet(ignored);
    for (size_t i = 0; i < sg->size(); ++i)
      track.segments.push_back(read_segment(known ? L : quiet, (*sg)[i], child(sp, i), track.kind));
  }
  return track;
}

void read_canvas(Loader& L, const Json& m, const std::string& mp, Draft& draft) {
  Canvas& c = draft.canvas;
  const Json* w = L.get(m, "width");
  const Json* h = L.get(m, "height");
  auto size_at = [&](const Json* v, const char* key) -> std::optional<int> {
    auto d = L.number_at(v, child(mp, key), "a size in pixels");
    if (!d) return std::nullopt;
    if (*d != std::floor(*d) || *d <= 0 || *d > kMaxCanvasSide || static_cast<int64_t>(*d) % 2 != 0) {
      L.error(child(mp, key), std::string(key) + " must be an even whole number of pixels from 2 to " +
                                  std::to_string(kMaxCanvasSide) + " (H.264 needs even sizes), not " + v->dump());
      return std::nullopt;
    }
    return static_cast<int>(*d);
  };
  auto wv = size_at(w, "width");
  auto hv = size_at(h, "height");
  if ((w != nullptr) != (h != nullptr))
    L.error(child(mp, w ? "width" : "height"), "give both width and height, or neither (then m.ar sets the shape)");
  if (wv && hv) c.width = *wv, c.height = *hv;

  const Json* ar = L.get(m, "ar");
  const Json* res = L.get(m, "res");
  std::optional<std::string> ar_name = L.name_at(ar, child(mp, "ar"), "aspect ratio", aspect_names());
  std::optional<std::string> res_name = L.name_at(res, child(mp, "res"), "resolution", resolution_names());
  if (res && !ar) L.warning(child(mp, "res"), "res is used with ar; give \"ar\" too, such as \"ar\": \"9:16\"");
  if (ar && w && h) {
    L.warning(child(mp, "ar"), "width and height are given, so ar is not used; remove one of them");
  } else if (ar_name) {
    auto [cw, ch] = canvas_for_aspect(*ar_name, res_name.value_or("1080p"));
    c.width = cw, c.height = ch;
  }

  if (const Json* fps = L.get(m, "fps")) {
    std::optional<Rational> r;
    if (fps->is_number())
      r = fps_from_double(fps->get<double>());
    else if (fps->is_string())
      r = fps_from_text(fps->get<std::string>());
    else
      L.error(child(mp, "fps"), "fps must be a number such as 30 or 29.97, not " + type_name(*fps));
    if ((fps->is_number() || fps->is_string()) && (!r || r->value() < 1 || r->value() > kMaxFps)) {
      L.error(child(mp, "fps"), "fps " + fps->dump() + " is out of range; use 1 to " + std::to_string(kMaxFps) +
                                    " (24, 25, 29.97, 30 and 60 are usual)");
    } else if (r) {
      c.fps = *r;
    }
  }
  if (auto bg = L.color_at(L.get(m, "bg"), child(mp, "bg"))) c.background = *bg;
}

// m.loudness: a target in LUFS, or "off".
void read_loudness(Loader& L, const Json& m, const std::string& mp, Draft& draft) {
  const Json* v = L.get(m, "loudness");
  if (!v) return;
  const std::string ptr = child(mp, "loudness");
  static_assert(kMinLoudnessLufs == -40 && kMaxLoudnessLufs == -5, "the sentence below names the range");
  const std::string fix =
      "use a target in LUFS from -40 to -5 (-14 for social platforms, -23 for broadcast) or \"off\"";
  if (v->is_string() && v->get<std::string>() == "off") {
    draft.loudness.normalise = false;
  } else if (v->is_number() && v->get<double>() >= kMinLoudnessLufs && v->get<double>() <= kMaxLoudnessLufs) {
    draft.loudness.lufs = v->get<double>();
  } else if (v->is_number() && v->get<double>() > 0 && -v->get<double>() >= kMinLoudnessLufs &&
             -v->get<double>() <= kMaxLoudnessLufs) {
    L.error(ptr, "loudness " + v->dump() + " is above full scale; did you mean -" + v->dump() + "? (" + fix + ")");
  } else {
    L.error(ptr, "loudness must be a target in LUFS or \"off\", not " + v->dump() + "; " + fix);
  }
}

}  // namespace

LoadResult load_draft(Json json) {
  LoadResult result;
  Draft& draft = result.draft;
  Loader L(result.problems);
  draft.json = std::move(json);
  const Json& root = draft.json;
  if (!root.is_object()) {
    L.error("", "a draft must be a JSON object such as {\"t\": [...]}, not " + type_name(root));
    return result;
  }
  draft.long_keys = root.contains("tracks") || root.contains("metadata") || root.contains("duration");
  L.check_keys(root, "", {}, {Key::Tracks, Key::Metadata, Key::Duration}, "the draft");

  if (const Json* m = find_key(root, Key::Metadata)) {
    std::string mp = L.key_ptr(root, "", Key::Metadata);
    if (!m->is_object()) {
      L.error(mp, "metadata must be an object such as {\"title\": \"..\", \"width\": 1920, \"height\": 1080}, not " +
                      type_name(*m));
    } else {
      L.check_keys(*m, mp, {"title", "width", "height", "ar", "res", "fps", "bg", "loudness", "fi", "fo"}, {},
                   "the draft's metadata");
      L.ms_at(L.get(*m, "fi"), child(mp, "fi"), "fade from the background", false);
      L.ms_at(L.get(*m, "fo"), child(mp, "fo"), "fade to the background", false);
      if (auto t = L.string_at(L.get(*m, "title"), child(mp, "title"), "a title")) draft.title = *t;
      read_canvas(L, *m, mp, draft);
      read_loudness(L, *m, mp, draft);
    }
  }
  if (const Json* d = find_key(root, Key::Duration))
    draft.declared_duration_ms = L.ms_at(d, L.key_ptr(root, "", Key::Duration), "the draft's length", true);

  const Json* tracks = find_key(root, Key::Tracks);
  std::string tp = L.key_ptr(root, "", Key::Tracks);
  if (!tracks) {
    L.error("", "a draft needs a list of tracks \"t\", such as \"t\": [{\"tt\": 0, \"sg\": [...]}]");
  } else if (!tracks->is_array()) {
    L.error(tp, "tracks must be a list, not " + type_name(*tracks));
  } else {
    for (size_t i = 0; i < tracks->size(); ++i) draft.tracks.push_back(read_track(L, (*tracks)[i], child(tp, i)));
  }
  check_timeline(draft, result.problems);
  if (const EndFades f = end_fades(draft); f.in_ms + f.out_ms > draft.duration_ms() && draft.duration_ms() > 0)
    L.warning(L.key_ptr(root, "", Key::Metadata), "the fades at the start and the end (fi " + std::to_string(f.in_ms) +
                                                      " ms, fo " + std::to_string(f.out_ms) +
                                                      " ms) are longer than the draft; the picture never shows fully");
  return result;
}

int64_t Draft::duration_ms() const {
  if (declared_duration_ms) return *declared_duration_ms;
  int64_t end = 0;
  for (const auto& t : tracks)
    for (const auto& s : t.segments) end = std::max(end, s.end_ms());
  return end;
}

bool Draft::exportable() const {
  return std::any_of(tracks.begin(), tracks.end(), [](const Track& t) { return !t.segments.empty(); });
}

}  // namespace reel::draft
