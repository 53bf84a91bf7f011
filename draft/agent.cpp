// The local editing agent. An instruction is split into clauses ("make it vertical and add
// music"); each clause goes to the first handler whose words it has. Handlers edit the draft
// through draft/edit.h only, so whatever they do not touch stays as it was.
#include "draft/agent.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <variant>

#include "draft/edit.h"
#include "draft/fades.h"
#include "draft/keys.h"
#include "draft/make.h"
#include "draft/names.h"
#include "draft/prompt.h"
#include "draft/styles.h"
#include "draft/summary.h"
#include "draft/words.h"

namespace reel::draft {

namespace {

// --- words ---------------------------------------------------------------------------------

// One clause of an instruction: its text in lower case (ASCII only) and the quoted words it had.
struct Clause {
  std::string text;    // lower-cased, quotes replaced by the placeholder "\x01"
  std::string quoted;  // the first quoted phrase, as written
  std::string raw;     // as written, quotes included
  bool chinese = false;

  bool has(std::initializer_list<const char*> words) const { return has_any(text, words); }
  // Whole English word (so "no" does not match "now").
  bool has_word(std::initializer_list<const char*> words) const { return has_any_word(text, words); }
  // The text after the first of `markers` (as written), trimmed; empty when none is there.
  std::string after(std::initializer_list<const char*> markers) const {
    for (const char* m : markers) {
      auto at = lower_ascii(raw).find(m);
      if (at != std::string::npos) return trim(raw.substr(at + std::strlen(m)));
    }
    return "";
  }
};

std::optional<int64_t> length_in(const Clause& c) { return length_in_words(c.text); }

// With a length in the words: +1 when it is added ("add 2 seconds", "2 seconds longer"), -1
// when taken off ("1 second shorter", "take a second off"), 0 when it is the length to have.
int length_change_in(const Clause& c) {
  // "加到5秒", "改为5秒": the length to have.
  if (c.has({"加到", "增加到", "延长到", "缩短到", "减到", "减少到", "改为", "改成", "设为", "至少", "最少", "最多",
             "多少"}))
    return 0;
  if (c.has_word({"add", "extra", "more", "longer", "plus", "lengthen", "extend"}) || c.has({"加", "多", "延长"}))
    return 1;
  if (c.has_word({"shorter", "less", "minus", "off", "shorten", "trim"}) || c.has({"缩短", "减", "少"})) return -1;
  return 0;
}

std::string joined(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// "half as long", "twice as long": the factor on the whole length; 0 when none is said.
double length_factor_in(const Clause& c) {
  if (c.has({"half as long", "half the length", "half the duration", "half as much time", "一半"})) return 0.5;
  if (c.has({"twice as long", "twice the length", "double the length", "double the duration", "double its length",
             "两倍长", "长一倍", "加倍"}))
    return 2.0;
  return 0;
}

// The text with each file name ("../beat120.mp3", "logo.png") replaced by "\x02", so the words
// of a name ("beat", "logo") are not read as a request.
std::string without_file_names(std::string t) {
  static const char* exts[] = {".mp3", ".wav",  ".m4a",  ".aac",  ".ogg",  ".opus", ".flac", ".png",
                               ".jpg", ".jpeg", ".webp", ".heic", ".heif", ".gif",  ".bmp",  ".tiff",
                               ".tif", ".mp4",  ".mov",  ".avi",  ".webm", ".mkv"};
  auto name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '/' || c == '~';
  };
  for (const char* ext : exts) {
    const size_t n = std::strlen(ext);
    for (size_t at = t.find(ext); at != std::string::npos; at = t.find(ext, at + 1)) {
      size_t end = at + n;
      if (end < t.size() && std::isalnum(static_cast<unsigned char>(t[end]))) continue;
      size_t begin = at;
      while (begin > 0 && name_char(t[begin - 1])) --begin;
      if (begin == at) continue;
      t.replace(begin, end - begin, "\x02");
      at = begin;
    }
  }
  return t;
}

// The nouns and ordinals that name photos by place ("the third photo", "photos 2 and 4").
constexpr const char* kPhotoNouns[] = {"photos", "photo", "pictures", "picture", "images", "image", "slides",
                                       "slide",  "shots", "shot",     "clips",   "clip",   "pics",  "pic"};
constexpr const char* kOrdinals[] = {"first",   "second", "third", "fourth", "fifth",    "sixth",
                                     "seventh", "eighth", "ninth", "tenth",  "eleventh", "twelfth"};

bool is_photo_place_word(const std::string& word) {
  if (word == "last") return true;
  for (const char* w : kPhotoNouns)
    if (word == w) return true;
  for (const char* w : kOrdinals)
    if (word == w) return true;
  return false;
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// Splits an instruction into clauses, keeping quoted phrases whole.
std::vector<Clause> clauses_of(const std::string& instruction) {
  struct Quote {
    const char* open;
    const char* close;
  };
  static const Quote quotes[] = {{"\"", "\""}, {"“", "”"},   {"‘", "’"}, {"「", "」"},
                                 {"『", "』"}, {"《", "》"}, {"'", "'"}};
  std::string work;
  std::vector<std::string> phrases;
  for (size_t i = 0; i < instruction.size();) {
    bool matched = false;
    for (const Quote& q : quotes) {
      size_t ol = std::strlen(q.open);
      if (instruction.compare(i, ol, q.open) != 0) continue;
      // A straight apostrophe inside a word ("don't") is not a quote.
      if (q.open[0] == '\'' && i > 0 && std::isalnum(static_cast<unsigned char>(instruction[i - 1]))) continue;
      size_t close = instruction.find(q.close, i + ol);
      if (close == std::string::npos) continue;
      phrases.push_back(instruction.substr(i + ol, close - i - ol));
      work += "\x01" + std::to_string(phrases.size() - 1) + "\x01";
      i = close + std::strlen(q.close);
      matched = true;
      break;
    }
    if (!matched) work += instruction[i++];
  }
  std::vector<std::string> parts =
      split_at_any(work, {" and then ", " then ", " and ", ";", "，", ",", "；", "然后", "并且", "同时", "再把", "。"});
  // "swap photo 1 and photo 3" is one request: a part that only names the second photo of a
  // swap goes back to it.
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string prev = lower_ascii(parts[i - 1]), cur = lower_ascii(trim(parts[i]));
    bool swap = has_any_word(prev, {"swap", "switch", "exchange"});
    bool names_photo = !cur.empty() && (std::isdigit(static_cast<unsigned char>(cur[0])) ||
                                        has_any_word(cur, {"photo", "picture", "image", "slide", "the"}));
    // "make the title smaller and yellow": a look word alone is the title's (or the text's).
    const bool look_only = !cur.empty() && cur.find(' ') == std::string::npos &&
                           has_any_word(cur, {"yellow", "red", "white", "black", "blue", "green", "orange", "pink",
                                              "purple", "gold", "grey", "gray", "bigger", "smaller", "larger"}) &&
                           has_any_word(prev, {"title", "text", "words", "caption", "captions"});
    // "pan left on photos 4 and 5", "delete photo 1, photo 2", "remove the second and third
    // photos": a part that only names photos belongs to the request before it.
    bool prev_names_photos = false, only_photo_words = !cur.empty() && cur.size() < 24;
    for (const std::string& word : words_of(prev)) prev_names_photos = prev_names_photos || is_photo_place_word(word);
    for (const std::string& word : words_of(cur))
      only_photo_words = only_photo_words && (word == "the" || word == "one" || is_photo_place_word(word) ||
                                              word.find_first_not_of("0123456789") == std::string::npos);
    const bool photo_list = only_photo_words && prev_names_photos;
    if ((swap && names_photo && cur.size() < 24) || photo_list || look_only) {
      parts[i - 1] += " and " + trim(parts[i]);
      parts.erase(parts.begin() + static_cast<long>(i));
      --i;
    }
  }
  // "a slideshow with a title Holiday", "… titled Holiday": the title is a request of its own.
  for (size_t i = 0; i < parts.size(); ++i) {
    size_t cut = 0;
    const std::string title = title_named_in(parts[i], &cut);
    if (title.empty() || cut == 0) continue;
    parts[i] = parts[i].substr(0, cut);
    parts.insert(parts.begin() + static_cast<long>(i) + 1, "add the title " + title);
    ++i;
  }
  std::vector<Clause> out;
  for (auto& p : parts) {
    if (trim(p).empty()) continue;
    Clause c;
    c.chinese = has_cjk(instruction);
    // Put the quoted phrases back into `raw`; keep a placeholder in `text`.
    std::string raw, text;
    for (size_t i = 0; i < p.size();) {
      if (p[i] == '\x01') {
        size_t end = p.find('\x01', i + 1);
        size_t idx = std::stoul(p.substr(i + 1, end - i - 1));
        if (c.quoted.empty()) c.quoted = phrases[idx];
        raw += "\"" + phrases[idx] + "\"";
        text += " \x01 ";
        i = end + 1;
      } else {
        raw += p[i];
        text += p[i];
        ++i;
      }
    }
    c.raw = trim(raw);
    c.text = without_file_names(lower_ascii(text));
    out.push_back(std::move(c));
  }
  return out;
}

// --- the draft's parts ----------------------------------------------------------------------

// The shortest a photo may be made by words.
constexpr int64_t kShortestPhotoMs = 500;

std::optional<size_t> first_track(const Draft& d, TrackKind kind, const std::function<bool(const Track&)>& also = {}) {
  for (size_t i = 0; i < d.tracks.size(); ++i)
    if (d.tracks[i].kind == kind && (!also || also(d.tracks[i]))) return i;
  return std::nullopt;
}

std::optional<size_t> photo_track(const Draft& d) {
  auto t = first_track(d, TrackKind::Video, [](const Track& t) { return !t.segments.empty(); });
  return t ? t : first_track(d, TrackKind::Video);
}

bool is_music(const Track& t) {
  std::string k = lower_ascii(t.kind_label);
  return t.kind == TrackKind::Audio && k != "voice" && k != "sfx";
}

bool is_title_track(const Track& t) {
  if (t.kind != TrackKind::Text) return false;
  if (lower_ascii(t.kind_label) == "title") return true;
  return t.kind_label.empty() && !t.segments.empty() && lower_ascii(t.segments[0].text.kind) == "title";
}

std::vector<size_t> music_tracks(const Draft& d) {
  std::vector<size_t> music;
  for (size_t i = 0; i < d.tracks.size(); ++i)
    if (is_music(d.tracks[i]) && !d.tracks[i].segments.empty()) music.push_back(i);
  return music;
}

// Segment indices of a track in start order.
std::vector<size_t> in_start_order(const Track& t) {
  std::vector<size_t> idx(t.segments.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(),
                   [&](size_t a, size_t b) { return t.segments[a].start_ms < t.segments[b].start_ms; });
  return idx;
}

Json& segment_meta(Draft& d, size_t t, size_t s) {
  Json& seg = d.json.at(Json::json_pointer(d.tracks[t].segments[s].pointer));
  if (!find_key(seg, Key::Metadata)) seg[key_name(d, Key::Metadata)] = Json::object();
  return *find_key(seg, Key::Metadata);
}

int64_t photos_end(const Draft& d, size_t photos) {
  int64_t end = 0;
  for (const auto& s : d.tracks[photos].segments) end = std::max(end, s.end_ms());
  return end;
}

// A segment's transition JSON ("tr" of its m), null when it has none.
Json transition_json(Draft& d, size_t t, size_t s) {
  const Json& seg = d.json.at(Json::json_pointer(d.tracks[t].segments[s].pointer));
  const Json* m = find_key(seg, Key::Metadata);
  return m && m->is_object() && m->contains("tr") ? (*m)["tr"] : Json();
}

// Gives the i-th cut (into the i-th photo in start order) the transition `cuts[i]` (null: none).
void set_cut_transitions(Draft& d, size_t photos, const std::vector<Json>& cuts) {
  auto order = in_start_order(d.tracks[photos]);
  for (size_t i = 0; i < order.size() && i < cuts.size(); ++i) {
    if (cuts[i].is_null())
      remove_segment_meta(d, photos, order[i], "tr");
    else
      segment_meta(d, photos, order[i])["tr"] = cuts[i];
  }
  refresh(d);
}

// Puts the photos in a new order and lays them end to end. Transitions belong to the cuts, not
// to the photos: the i-th cut keeps its transition, so a photo moved to the start does not
// bring a fade from black with it.
void reorder_photos(Draft& d, size_t photos, const std::vector<size_t>& order) {
  auto before = in_start_order(d.tracks[photos]);
  std::vector<Json> cut_transitions;
  for (size_t s : before) cut_transitions.push_back(transition_json(d, photos, s));
  reorder_segments(d, photos, order);
  set_cut_transitions(d, photos, cut_transitions);
}

// Moves what lies on the other tracks with the photos after their lengths changed (photos kept
// in order; a removed one is an empty span). `old_spans` and `new_spans` are each photo's
// [start, end) before and after, in the same order. A time inside a photo keeps its place in
// it; an audio segment that ran to the end still does.
void retime_other_tracks(Draft& d, size_t photos, const std::vector<std::pair<int64_t, int64_t>>& old_spans,
                         const std::vector<std::pair<int64_t, int64_t>>& new_spans, int64_t old_total) {
  auto map = [&](int64_t t) -> int64_t {
    for (size_t i = 0; i < old_spans.size(); ++i) {
      auto [a, b] = old_spans[i];
      if (t < a || t > b) continue;
      auto [na, nb] = new_spans[i];
      if (b == a) return na;
      return na + static_cast<int64_t>(std::llround(static_cast<double>(t - a) * (nb - na) / (b - a)));
    }
    return new_spans.empty() ? t : t - old_total + new_spans.back().second;  // after the photos
  };
  for (size_t t = 0; t < d.tracks.size(); ++t) {
    if (t == photos || d.tracks[t].kind == TrackKind::Other) continue;
    for (size_t s = 0; s < d.tracks[t].segments.size(); ++s) {
      const Segment seg = d.tracks[t].segments[s];
      int64_t start = map(seg.start_ms), end = map(seg.end_ms());
      if (start != seg.start_ms) set_segment_start(d, t, s, start);
      if (end - start != seg.duration_ms) set_segment_duration(d, t, s, std::max<int64_t>(1, end - start));
    }
  }
  if (d.declared_duration_ms && !new_spans.empty()) set_declared_duration(d, new_spans.back().second);
}

// Each photo's [start, end) in start order.
std::vector<std::pair<int64_t, int64_t>> photo_spans(const Draft& d, size_t photos) {
  std::vector<std::pair<int64_t, int64_t>> spans;
  for (size_t s : in_start_order(d.tracks[photos]))
    spans.emplace_back(d.tracks[photos].segments[s].start_ms, d.tracks[photos].segments[s].end_ms());
  return spans;
}

// Gives the photos (in start order) the lengths `ms`, end to end from the first one's start;
// the other tracks move with them.
void set_photo_lengths(Draft& d, size_t photos, const std::vector<int64_t>& ms) {
  auto old_spans = photo_spans(d, photos);
  int64_t old_total = d.duration_ms();
  auto order = in_start_order(d.tracks[photos]);
  for (size_t i = 0; i < order.size() && i < ms.size(); ++i) set_segment_duration(d, photos, order[i], ms[i]);
  reorder_segments(d, photos, order);
  retime_other_tracks(d, photos, old_spans, photo_spans(d, photos), old_total);
}

// Gives every photo `ms` and lays them end to end; the rest follows.
void set_photo_length(Draft& d, size_t photos, int64_t ms) {
  set_photo_lengths(d, photos, std::vector<int64_t>(d.tracks[photos].segments.size(), ms));
}

void set_transition(Draft& d, size_t photos, TransitionType type, std::optional<int64_t> ms) {
  auto order = in_start_order(d.tracks[photos]);
  for (size_t i = 1; i < order.size(); ++i) {
    Json& m = segment_meta(d, photos, order[i]);
    Json& tr = m["tr"];
    if (!tr.is_object()) tr = Json::object();
    tr["type"] = to_string(type);
    if (ms || !tr.contains(key_name(d, Key::Duration))) {
      std::string dk =
          find_key(tr, Key::Duration) ? std::string(spelling_in(tr, Key::Duration)) : key_name(d, Key::Duration);
      tr[dk] = ms.value_or(kDefaultTransitionMs);
    }
  }
  refresh(d);
}

void set_ken_burns(Draft& d, size_t photos, const Json& kb) {
  for (size_t s = 0; s < d.tracks[photos].segments.size(); ++s) segment_meta(d, photos, s)["kb"] = kb;
  refresh(d);
}

// How long a text must stay to be read: 1.5 s plus its animations in and out.
int64_t readable_ms(const TextProps& t) {
  int64_t anims = (t.anim.in != TextAnimIn::None ? t.anim.duration_ms : 0) +
                  (t.anim.out != TextAnimOut::None ? t.anim.duration_ms : 0);
  return 1500 + anims;
}

Json text_segment(const Draft& d, int64_t start, int64_t length, const std::string& text, const char* kind,
                  const char* pos) {
  Json seg;
  seg[key_name(d, Key::Start)] = start;
  seg[key_name(d, Key::Duration)] = length;
  Json m;
  m["text"] = text;
  m["kind"] = kind;
  m["style"] = {{"pos", pos}, {"size", std::string(kind) == "title" ? 0.08 : 0.06}};
  m["anim"] = {{"in", "fade"}, {"out", "fade"}, {key_name(d, Key::Duration), 500}};
  seg[key_name(d, Key::Metadata)] = std::move(m);
  return seg;
}

Json track_json(const Draft& d, int type, Json meta) {
  Json t;
  t[key_name(d, Key::TrackType)] = type;
  t[key_name(d, Key::Metadata)] = std::move(meta);
  t[key_name(d, Key::Segments)] = Json::array();
  return t;
}

std::string file_stem(const std::string& path) {
  auto slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  auto dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

bool has_extension(const std::string& path, std::initializer_list<const char*> exts) {
  std::string p = lower_ascii(path);
  for (const char* ext : exts)
    if (p.size() > std::strlen(ext) && p.compare(p.size() - std::strlen(ext), std::string::npos, ext) == 0) return true;
  return false;
}

bool is_audio_file(const std::string& path) {
  return has_extension(path, {".mp3", ".wav", ".m4a", ".aac", ".ogg", ".opus", ".flac"});
}
bool is_image_file(const std::string& path) {
  return has_extension(path, {".png", ".jpg", ".jpeg", ".webp", ".heic", ".heif", ".gif", ".bmp", ".tif", ".tiff"});
}

// A photo the clause names, 1-based: "photo 2", "the third photo", "2nd picture", "第三张",
// "the last photo", "最后一张". `count` is how many there are (for "last").
// True when the number that ends at `at` in `t` is followed by a unit of time: "photo 3 seconds"
// names a length, not photo 3.
bool a_length_follows(const std::string& t, size_t at) {
  while (at < t.size() && (std::isdigit(static_cast<unsigned char>(t[at])) || t[at] == '.')) ++at;
  while (at < t.size() && t[at] == ' ') ++at;
  size_t end = at;
  while (end < t.size() && std::isalpha(static_cast<unsigned char>(t[end]))) ++end;
  const std::string unit = t.substr(at, end - at);
  for (const char* u : {"s", "sec", "secs", "second", "seconds", "ms", "min", "mins", "minute", "minutes"})
    if (unit == u) return true;
  return t.compare(at, std::strlen("秒"), "秒") == 0;
}

std::vector<size_t> photo_numbers(const Clause& c, size_t count) {
  const auto& nouns = kPhotoNouns;
  std::vector<size_t> out;
  const std::string& t = c.text;
  auto number_at = [&](size_t at) -> std::optional<size_t> {
    auto nums = numbers_in(t.substr(at, std::min<size_t>(t.size() - at, 16)));
    if (nums.empty() || nums[0] < 1) return std::nullopt;
    return static_cast<size_t>(nums[0]);
  };
  // "photo 2" / "photos 2 and 4": numbers right after the noun.
  for (const char* noun : nouns) {
    size_t n = std::strlen(noun);
    for (size_t at = t.find(noun); at != std::string::npos; at = t.find(noun, at + n)) {
      if (at > 0 && std::isalpha(static_cast<unsigned char>(t[at - 1]))) continue;
      size_t after = at + n;
      if (after < t.size() && std::isalpha(static_cast<unsigned char>(t[after]))) continue;
      size_t p = after;
      while (p < t.size() && t[p] == ' ') ++p;
      if (p < t.size() && std::isdigit(static_cast<unsigned char>(t[p])) && !a_length_follows(t, p)) {
        if (auto v = number_at(p)) out.push_back(*v);
        // "photos 2 and 4", "photos 1 and 2 and 3", "photo 1 with photo 3"
        size_t q = p;
        for (bool more = true; more;) {
          more = false;
          while (q < t.size() && std::isdigit(static_cast<unsigned char>(t[q]))) ++q;
          for (const char* link : {" and ", " with ", " & ", "和"}) {
            size_t l = std::strlen(link);
            if (t.compare(q, l, link) == 0 && q + l < t.size() && std::isdigit(static_cast<unsigned char>(t[q + l]))) {
              if (auto v = number_at(q + l)) out.push_back(*v);
              q += l;
              more = true;
              break;
            }
          }
        }
      }
    }
  }
  // "the third photo", "2nd picture": an ordinal before the noun.
  for (size_t i = 0; i < std::size(kOrdinals); ++i) {
    std::string w = kOrdinals[i];
    for (size_t at = t.find(w + " "); at != std::string::npos; at = t.find(w + " ", at + 1)) {
      std::string rest = t.substr(at + w.size() + 1);
      // "the second and third photos": an ordinal before "and" shares the noun after it.
      const bool shares_noun =
          rest.rfind("and ", 0) == 0 && has_any_word(rest, {"photos", "pictures", "images", "slides"});
      for (const char* noun : nouns)
        if (rest.rfind(noun, 0) == 0 || rest.rfind(std::string("one"), 0) == 0 || shares_noun) {
          out.push_back(i + 1);
          break;
        }
    }
  }
  for (size_t at = 0; at < t.size(); ++at)
    if (std::isdigit(static_cast<unsigned char>(t[at])) &&
        (at == 0 || !std::isdigit(static_cast<unsigned char>(t[at - 1])))) {
      size_t q = at;
      while (q < t.size() && std::isdigit(static_cast<unsigned char>(t[q]))) ++q;
      std::string suffix = t.substr(q, 2);
      if (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") {
        std::string rest = t.substr(std::min(t.size(), q + 3));
        for (const char* noun : nouns)
          if (rest.rfind(noun, 0) == 0) {
            out.push_back(static_cast<size_t>(std::stoul(t.substr(at, q - at))));
            break;
          }
      }
    }
  // 第三张 / 第3张 / 第二个
  for (size_t at = t.find("第"); at != std::string::npos; at = t.find("第", at + 3)) {
    auto nums = numbers_in(t.substr(at + 3, 9));
    if (!nums.empty() && nums[0] >= 1) out.push_back(static_cast<size_t>(nums[0]));
  }
  if (count > 0 &&
      (has_any(t, {"last photo", "last picture", "last image", "last slide", "last one", "最后一张", "最后一个"})))
    out.push_back(count);
  // "the last 2 photos", "the first three pictures"
  for (const std::string end : {"first ", "last "})
    for (size_t at = t.find(end); at != std::string::npos && count > 0; at = t.find(end, at + 1)) {
      if (at > 0 && std::isalpha(static_cast<unsigned char>(t[at - 1]))) continue;
      const size_t p = at + end.size(), space = t.find(' ', p);
      if (space == std::string::npos) continue;
      const auto nums = numbers_in(t.substr(p, space - p));
      const std::string after = t.substr(space + 1);
      bool plural = false;
      for (const char* noun : {"photos", "pictures", "images", "slides", "shots", "clips", "pics"})
        plural = plural || after.rfind(noun, 0) == 0;
      if (nums.size() != 1 || nums[0] < 1 || !plural) continue;
      const size_t k = std::min(count, static_cast<size_t>(nums[0]));
      for (size_t i = 0; i < k; ++i) out.push_back(end == "first " ? i + 1 : count - k + 1 + i);
    }
  return out;
}

// --- handlers: each returns what it did (in the person's language), or nothing ------------

using Said = std::optional<std::string>;
struct Turn {
  Draft& d;
  const AgentContext& ctx;
  std::string tr(const Clause& c, const std::string& en, const std::string& zh) const { return c.chinese ? zh : en; }
};

Said no_photos(const Turn& t, const Clause& c) {
  return t.tr(c, "there are no photos in the draft yet; add some first", "草稿里还没有照片，请先添加照片");
}

Said handle_style(Turn& t, const Clause& c) {
  std::optional<Style> style = style_in_words(c.text);
  if (!style) return std::nullopt;
  auto photos = photo_track(t.d);
  if (!photos) return no_photos(t, c);
  const StyleSpec& spec = style_spec(*style);
  set_photo_length(t.d, *photos, spec.photo_ms);
  set_transition(t.d, *photos, spec.transition, spec.transition_ms);
  set_ken_burns(t.d, *photos, spec.ken_burns);
  return t.tr(c,
              std::string("made it a ") + spec.name + " (" + seconds_text(spec.photo_ms) + " s a photo, " +
                  to_string(spec.transition) + " transitions)",
              std::string("改成了") +
                  (*style == Style::Slideshow ? "幻灯片"
                   : *style == Style::Promo   ? "宣传片"
                                              : "集锦") +
                  "（每张 " + seconds_text(spec.photo_ms) + " 秒，" + to_string(spec.transition) + " 转场）");
}

// The music of the draft, measured by the caller; a sentence when it cannot be.
std::variant<MusicFacts, std::string> measured_music(const Turn& t, const Clause& c) {
  auto music = music_tracks(t.d);
  if (music.empty())
    return t.tr(c, "there is no music to follow yet; add some first (\"add background music song.mp3\")",
                "还没有音乐，请先添加（“加背景音乐 song.mp3”）");
  const Track& track = t.d.tracks[music[0]];
  const Segment& song = track.segments[in_start_order(track).front()];
  std::optional<MusicFacts> facts;
  if (t.ctx.measure_music) facts = t.ctx.measure_music(song.source);
  if (!facts || facts->length_ms <= 0)
    return t.tr(c, "the song " + file_stem(song.source) + " cannot be measured here (its length and beats are needed)",
                "这里无法分析歌曲 " + file_stem(song.source) + "（需要它的长度和节拍）");
  return *facts;
}

Said handle_beat(Turn& t, const Clause& c) {
  if (!c.has({"beat", "节拍", "卡点", "踩点", "节奏点"})) return std::nullopt;
  auto photos = photo_track(t.d);
  if (!photos || t.d.tracks[*photos].segments.size() < 2) return no_photos(t, c);
  auto m = measured_music(t, c);
  if (auto* why = std::get_if<std::string>(&m)) return *why;
  const MusicFacts& facts = std::get<MusicFacts>(m);
  if (facts.beats_ms.empty())
    return t.tr(c, "the song has no beat steady enough to cut on", "这首歌没有足够稳定的节拍可以卡点");
  auto spans = photo_spans(t.d, *photos);
  int64_t from = spans.front().first, total = spans.back().second - from;
  std::vector<int64_t> beats;
  for (int64_t b : facts.beats_ms)
    if (b - from > 0 && b - from < total) beats.push_back(b - from);
  auto cuts = cuts_on_beats(spans.size(), total, beats, 500);
  std::vector<int64_t> lengths;
  for (size_t i = 0; i + 1 < cuts.size(); ++i) lengths.push_back(cuts[i + 1] - cuts[i]);
  set_photo_lengths(t.d, *photos, lengths);
  size_t on_beat = 0;
  for (size_t i = 1; i + 1 < cuts.size(); ++i) on_beat += std::find(beats.begin(), beats.end(), cuts[i]) != beats.end();
  return t.tr(
      c, "the cuts now fall on the beat (" + std::to_string(on_beat) + " of " + std::to_string(cuts.size() - 2) + ")",
      "切换点对齐了节拍（" + std::to_string(on_beat) + "/" + std::to_string(cuts.size() - 2) + "）");
}

Said handle_fit_song(Turn& t, const Clause& c) {
  bool fit = c.has({"fit the video to the song",
                    "fit the video to the music",
                    "fit it to the song",
                    "fit it to the music",
                    "fit to the song",
                    "fit to the music",
                    "match the song",
                    "match the music",
                    "end with the song",
                    "end with the music",
                    "as long as the song",
                    "as long as the music",
                    "length of the song",
                    "length of the music",
                    "配合音乐",
                    "和音乐一样长",
                    "跟音乐一样长",
                    "音乐一样长",
                    "适配音乐",
                    "匹配音乐",
                    "随音乐结束",
                    "和歌一样长"});
  if (!fit) return std::nullopt;
  auto photos = photo_track(t.d);
  if (!photos || t.d.tracks[*photos].segments.empty()) return no_photos(t, c);
  auto m = measured_music(t, c);
  if (auto* why = std::get_if<std::string>(&m)) return *why;
  const MusicFacts& facts = std::get<MusicFacts>(m);
  const size_t n = t.d.tracks[*photos].segments.size();
  if (static_cast<int64_t>(n) * 500 > facts.length_ms)
    return t.tr(c,
                "the song (" + seconds_text(facts.length_ms) + " s) is too short for " + std::to_string(n) +
                    " photos at half a second each; remove some photos or use a longer song",
                "歌曲（" + seconds_text(facts.length_ms) + " 秒）太短，放不下 " + std::to_string(n) + " 张照片");
  auto spans = photo_spans(t.d, *photos);
  auto cuts = cuts_on_beats(n, facts.length_ms - spans.front().first, facts.beats_ms, 500);
  std::vector<int64_t> lengths;
  for (size_t i = 0; i + 1 < cuts.size(); ++i) lengths.push_back(cuts[i + 1] - cuts[i]);
  set_photo_lengths(t.d, *photos, lengths);
  // The song plays once, whole, to the end.
  for (size_t tr : music_tracks(t.d)) {
    auto order = in_start_order(t.d.tracks[tr]);
    size_t s = order.front();
    set_segment_start(t.d, tr, s, 0);
    set_segment_duration(t.d, tr, s, facts.length_ms);
    segment_meta(t.d, tr, s)["loop"] = false;
    refresh(t.d);
    break;
  }
  return t.tr(c, "the video now ends with the song (" + seconds_text(facts.length_ms) + " s)",
              "视频和音乐一起结束（" + seconds_text(facts.length_ms) + " 秒）");
}

Said handle_music(Turn& t, const Clause& c) {
  // "louder" / "quieter" said alone is the music's.
  const std::string said = trim(c.text);
  const bool alone =
      said == "louder" || said == "quieter" || said == "softer" || said == "turn it up" || said == "turn it down";
  if (!alone && !c.has({"music", "song", "bgm", "soundtrack", "音乐", "配乐", "歌"})) return std::nullopt;
  Draft& d = t.d;
  std::vector<size_t> music = music_tracks(d);
  if (c.has_word({"no", "remove", "without", "delete", "drop", "mute"}) || c.has({"去掉", "删除", "不要", "取消"})) {
    if (music.empty()) return t.tr(c, "there was no music to remove", "没有可以去掉的音乐");
    for (auto it = music.rbegin(); it != music.rend(); ++it) remove_track(d, *it);
    return t.tr(c, "removed the music", "去掉了音乐");
  }
  auto nums = numbers_in(c.text);
  bool percent = c.has({"%", "percent", "volume", "音量"});
  if (percent && !nums.empty() && !music.empty()) {
    double pct = nums[0];
    for (size_t i : music)
      for (size_t s = 0; s < d.tracks[i].segments.size(); ++s) {
        Json& m = segment_meta(d, i, s);
        m["vol"] = (m.contains("vol") && m["vol"].is_string())
                       ? Json(seconds_text(static_cast<int64_t>(pct * 1000)) + "%")
                       : Json(pct / 100.0);
      }
    refresh(d);
    return t.tr(c, "set the music to " + seconds_text(static_cast<int64_t>(pct * 1000)) + "%",
                "音乐音量设为 " + seconds_text(static_cast<int64_t>(pct * 1000)) + "%");
  }
  if (c.has({"fade", "淡"})) {
    if (music.empty()) return t.tr(c, "there is no music to fade; add some first", "还没有音乐，请先添加音乐");
    bool in = c.has({"fade in", "fade-in", "淡入"}), out = c.has({"fade out", "fade-out", "淡出"}) || !in;
    for (size_t i : music) {
      auto order = in_start_order(d.tracks[i]);
      if (in) segment_meta(d, i, order.front())["fi"] = 1500;
      if (out) segment_meta(d, i, order.back())["fo"] = 3000;
    }
    refresh(d);
    return t.tr(c,
                std::string("the music now fades ") + (in && out ? "in and out"
                                                       : in      ? "in"
                                                                 : "out"),
                std::string("音乐") + (in && out ? "淡入淡出"
                                       : in      ? "淡入"
                                                 : "淡出"));
  }
  bool louder = c.has_word({"louder", "up"}) || c.has({"大声", "调大", "大一点"});
  bool quieter = c.has_word({"quieter", "softer", "lower", "down"}) || c.has({"小声", "调小", "小一点"});
  if ((louder || quieter) && !music.empty()) {
    double k = louder ? 1.5 : 1 / 1.5;
    for (size_t i : music)
      for (size_t s = 0; s < d.tracks[i].segments.size(); ++s)
        segment_meta(d, i, s)["vol"] = std::min(4.0, std::round(d.tracks[i].segments[s].audio.volume * k * 100) / 100);
    refresh(d);
    return t.tr(c, louder ? "made the music louder" : "made the music quieter", louder ? "调大了音乐" : "调小了音乐");
  }
  // Adding (or replacing) the music needs a file.
  std::string file;
  for (const auto& f : t.ctx.files)
    if (is_audio_file(f)) file = f;
  if (file.empty() && !c.quoted.empty() && is_audio_file(c.quoted)) file = c.quoted;
  if (file.empty())
    return t.tr(
        c, "name a music file to add (mp3, wav, m4a, ogg, opus or flac), for example \"add background music song.mp3\"",
        "请给一个音乐文件（mp3、wav、m4a、ogg、opus 或 flac），例如“添加背景音乐 song.mp3”");
  int64_t total = d.duration_ms();
  if (total <= 0) return t.tr(c, "the draft is empty; add photos before music", "草稿是空的，请先添加照片");
  if (!music.empty()) {
    size_t s = in_start_order(d.tracks[music[0]]).front();
    set_segment_source(d, music[0], s, file);
    Json& m = segment_meta(d, music[0], s);
    if (m.contains("name")) m["name"] = file_stem(file);  // the label follows the song
    refresh(d);
    return t.tr(c, "the music is now " + file_stem(file), "音乐换成了 " + file_stem(file));
  }
  Json seg;
  seg[key_name(d, Key::Start)] = 0;
  seg[key_name(d, Key::Duration)] = total;
  seg[key_name(d, Key::Source)] = file;
  seg[key_name(d, Key::Metadata)] = {
      {"name", file_stem(file)}, {"vol", 0.8}, {"fi", 1500}, {"fo", 3000}, {"loop", true}};
  size_t track = add_track(d, track_json(d, 1, {{"name", "BGM"}}));
  add_segment(d, track, std::move(seg));
  return t.tr(c, "added " + file_stem(file) + " as background music", "添加了背景音乐 " + file_stem(file));
}

// --- titles: text, look, place -------------------------------------------------------------

struct NamedColor {
  const char* en;
  const char* zh;
  const char* hex;
};
constexpr NamedColor kColors[] = {{"yellow", "黄", "#FFD400"}, {"red", "红", "#FF3B30"},  {"white", "白", "#FFFFFF"},
                                  {"black", "黑", "#000000"},  {"blue", "蓝", "#2F80ED"}, {"green", "绿", "#34C759"},
                                  {"orange", "橙", "#FF9500"}, {"pink", "粉", "#FF6FB5"}, {"purple", "紫", "#AF52DE"},
                                  {"gold", "金", "#FFC700"},   {"grey", "灰", "#8E8E93"}, {"gray", "灰", "#8E8E93"}};

std::optional<NamedColor> color_in(const Clause& c) {
  for (const auto& k : kColors)
    if (c.has_word({k.en}) || (c.chinese && c.has({(std::string(k.zh) + "色").c_str()}))) return k;
  return std::nullopt;
}

std::optional<std::string> position_in(const Clause& c) {
  static const std::pair<const char*, const char*> places[] = {{"top left", "top-left"},
                                                               {"top-left", "top-left"},
                                                               {"upper left", "top-left"},
                                                               {"top right", "top-right"},
                                                               {"top-right", "top-right"},
                                                               {"upper right", "top-right"},
                                                               {"bottom left", "bottom-left"},
                                                               {"bottom-left", "bottom-left"},
                                                               {"lower left", "bottom-left"},
                                                               {"bottom right", "bottom-right"},
                                                               {"bottom-right", "bottom-right"},
                                                               {"lower right", "bottom-right"},
                                                               {"左上", "top-left"},
                                                               {"右上", "top-right"},
                                                               {"左下", "bottom-left"},
                                                               {"右下", "bottom-right"},
                                                               {"bottom", "bottom"},
                                                               {"lower third", "bottom"},
                                                               {"底部", "bottom"},
                                                               {"下方", "bottom"},
                                                               {"下面", "bottom"},
                                                               {"top", "top"},
                                                               {"顶部", "top"},
                                                               {"上方", "top"},
                                                               {"上面", "top"},
                                                               {"center", "center"},
                                                               {"centre", "center"},
                                                               {"middle", "center"},
                                                               {"中间", "center"},
                                                               {"居中", "center"},
                                                               {"left", "left"},
                                                               {"左边", "left"},
                                                               {"right", "right"},
                                                               {"右边", "right"}};
  for (const auto& [words, pos] : places)
    if (c.has_word({words}) || (static_cast<unsigned char>(words[0]) >= 0x80 && c.has({words}))) return pos;
  return std::nullopt;
}

// +1 bigger, -1 smaller, 0 neither.
int size_change_in(const Clause& c) {
  if (c.has_word({"bigger", "larger", "huge", "enlarge", "too small", "too tiny"}) ||
      c.has({"大一点", "大一些", "放大", "更大", "大些", "太小"}))
    return 1;
  if (c.has_word({"smaller", "tiny", "shrink", "too big", "too large"}) ||
      c.has({"小一点", "小一些", "缩小", "更小", "小些", "太大"}))
    return -1;
  return 0;
}

enum class Placement { Keep, Start, End };
Placement placement_in(const Clause& c) {
  if (c.has({"at the end", "to the end", "end card", "at the finish", "结尾", "最后", "末尾"})) return Placement::End;
  if (c.has({"at the start", "at the beginning", "to the start", "to the beginning", "开头", "开始", "最前"}))
    return Placement::Start;
  return Placement::Keep;
}

// Every text of a track in a new colour, place or size (× 1.25 bigger, ÷ 1.25 smaller).
void restyle_texts(Draft& d, size_t track, const std::optional<NamedColor>& color,
                   const std::optional<std::string>& pos, int size) {
  for (size_t s = 0; s < d.tracks[track].segments.size(); ++s) {
    Json& m = segment_meta(d, track, s);
    if (!m["style"].is_object()) m["style"] = Json::object();
    if (color) m["style"]["color"] = color->hex;
    if (pos) m["style"]["pos"] = *pos;
    if (size) {
      double now = d.tracks[track].segments[s].text.style.size;
      m["style"]["size"] = std::round(std::clamp(size > 0 ? now * 1.25 : now / 1.25, 0.02, 0.3) * 1000) / 1000;
    }
  }
  refresh(d);
}

// The title's length on screen or its animation, when the words ask for one of them.
Said retime_or_animate_title(Turn& t, const Clause& c, size_t track) {
  Draft& d = t.d;
  std::vector<std::string> en, zh;
  static const std::pair<const char*, const char*> ins[] = {
      {"fade in", "fade"}, {"淡入", "fade"},       {"slide up", "slide-up"}, {"slides up", "slide-up"},
      {"pop", "pop"},      {"typewriter", "type"}, {"type in", "type"},      {"typed", "type"}};
  std::optional<std::string> anim_in, anim_out;
  for (const auto& [words, name] : ins)
    if (c.has({words})) {
      anim_in = name;
      break;
    }
  if (c.has({"fade out", "淡出"})) anim_out = "fade";
  if (c.has({"no animation", "not animated", "without animation", "不要动画"})) anim_in = "none", anim_out = "none";
  const auto len = length_in(c);
  const bool longer = c.has_word({"longer"}) || c.has({"久一点", "长一点"}),
             shorter = c.has_word({"shorter"}) || c.has({"短一点"});
  const bool retime = len ||
                      ((longer || shorter) && c.has_word({"show", "shows", "stay", "stays", "last", "lasts", "keep",
                                                          "display", "on", "up", "screen"})) ||
                      ((longer || shorter) && c.has({"title", "标题"}) && !c.has_word({"video", "photo"}));
  if (!anim_in && !anim_out && !retime) return std::nullopt;
  // "change the title to 5 Seconds of Summer" gives words, not a length.
  if (c.has({"title to ", "title: ", "title as ", "call it", "name it", "标题改为", "标题改成"})) return std::nullopt;
  const int64_t total = d.duration_ms();
  for (size_t s = 0; s < d.tracks[track].segments.size(); ++s) {
    const Segment seg = d.tracks[track].segments[s];
    Json& m = segment_meta(d, track, s);
    if (anim_in || anim_out) {
      if (!m["anim"].is_object()) m["anim"] = Json::object();
      if (anim_in) m["anim"]["in"] = *anim_in;
      if (anim_out) m["anim"]["out"] = *anim_out;
    }
    if (retime) {
      int64_t want = len ? *len : static_cast<int64_t>(std::llround(seg.duration_ms * (longer ? 1.5 : 0.66)));
      want = std::clamp<int64_t>(want, std::min<int64_t>(1000, total), std::max<int64_t>(1, total - seg.start_ms));
      set_segment_duration(d, track, s, want);
    }
  }
  refresh(d);
  if (retime) {
    const int64_t now = d.tracks[track].segments.front().duration_ms;
    en.push_back("the title now shows for " + seconds_text(now) + " s");
    zh.push_back("标题现在显示 " + seconds_text(now) + " 秒");
  }
  if (anim_in && *anim_in != "none") {
    en.push_back(*anim_in == "fade" ? std::string("the title now fades in")
                                    : "the title now comes in with " + *anim_in);
    zh.push_back("标题以 " + *anim_in + " 出现");
  }
  if (anim_out && *anim_out != "none") {
    en.push_back("the title now fades out");
    zh.push_back("标题淡出");
  }
  if (anim_in && *anim_in == "none") {
    en.push_back("the title is no longer animated");
    zh.push_back("标题不再有动画");
  }
  return t.tr(c, joined(en, ", "), joined(zh, "，"));
}

Said handle_title(Turn& t, const Clause& c) {
  bool title_word = c.has_word({"title", "heading", "headline"}) || c.has({"标题", "片名", "call it", "name it"});
  if (!title_word) return std::nullopt;
  Draft& d = t.d;
  std::vector<size_t> titles;
  for (size_t i = 0; i < d.tracks.size(); ++i)
    if (is_title_track(d.tracks[i])) titles.push_back(i);
  if (c.has_word({"remove", "delete", "no", "without", "drop"}) || c.has({"去掉", "删除", "不要", "取消"})) {
    if (titles.empty()) return t.tr(c, "there was no title to remove", "没有可以去掉的标题");
    for (auto it = titles.rbegin(); it != titles.rend(); ++it) remove_track(d, *it);
    return t.tr(c, "removed the title", "去掉了标题");
  }
  // Look and place words change the look and the place; the words change only when given.
  const auto color = color_in(c);
  const auto pos = position_in(c);
  const int size = size_change_in(c);
  const Placement place = placement_in(c);
  const bool look_or_place = color || pos || size != 0 || place != Placement::Keep;
  const bool has_title = !titles.empty() && !d.tracks[titles[0]].segments.empty();
  const bool add = c.has_word({"add", "put", "insert", "new"}) || c.has({"添加", "加一个", "加个", "加上", "加"});
  // How long it shows and how it comes and goes: "make the title last 5 seconds", "show the
  // title for longer", "make the title fade in". Never read as its words.
  if (has_title && c.quoted.empty() && !add)
    if (Said timing = retime_or_animate_title(t, c, titles[0])) return timing;
  std::string text = c.quoted;
  // Unquoted words are the title's after "title to", "title:", "call it"; after a bare "title"
  // only when one is added ("add a title My Trip"): "make the title last longer" names none.
  if (text.empty() && !look_or_place)
    text = c.after({"标题改为", "标题改成", "标题设为", "标题为", "标题是", "标题：", "标题:", "添加标题", "加标题",
                    "title to ", "title: ", "title as ", "call it ", "name it "});
  if (text.empty() && !look_or_place && add) text = c.after({"title "});
  if (text.empty() && !look_or_place)
    return t.tr(c, "say the title's words, for example: add the title 'Summer in Lisbon'",
                "请说出标题文字，例如：标题改为 城市之梦");
  int64_t total = d.duration_ms();
  if (!has_title || (add && place != Placement::Keep)) {
    // A new title card: its words, else the draft's title.
    std::string words = !text.empty() ? text : d.title;
    if (words.empty())
      return t.tr(c, "say the title's words, for example: add the title 'Summer in Lisbon' at the end",
                  "请说出标题文字，例如：在结尾加标题“城市之梦”");
    if (total <= 0) return t.tr(c, "the draft is empty; add photos before a title", "草稿是空的，请先添加照片");
    int64_t len = std::min<int64_t>(3000, total);
    int64_t start = place == Placement::End ? total - len : 0;
    std::optional<size_t> track;
    if (!titles.empty()) {
      track = titles[0];
      for (const auto& s : d.tracks[*track].segments)
        if (s.start_ms < start + len && start < s.end_ms()) track.reset();
    }
    if (!track) track = add_track(d, track_json(d, 7, {{"kind", "title"}}));
    Json seg = text_segment(d, start, len, words, "title", pos ? pos->c_str() : "center");
    Json& m = *find_key(seg, Key::Metadata);
    if (color) m["style"]["color"] = color->hex;
    if (size) m["style"]["size"] = size > 0 ? 0.1 : 0.064;
    add_segment(d, *track, std::move(seg));
    if (d.title.empty() || !text.empty()) set_draft_meta(d, "title", words);
    std::string where_en = place == Placement::End ? " at the end" : "";
    std::string where_zh = place == Placement::End ? "在结尾" : "";
    return t.tr(c, "added the title \"" + words + "\"" + where_en, where_zh + "添加了标题“" + words + "”");
  }
  // Change the title that is there.
  size_t tt = titles[0];
  std::vector<std::string> en, zh;
  if (!text.empty()) {
    set_draft_meta(d, "title", text);
    for (size_t s = 0; s < d.tracks[tt].segments.size(); ++s) segment_meta(d, tt, s)["text"] = text;
    refresh(d);
    en.push_back("the title now reads \"" + text + "\"");
    zh.push_back("标题改为“" + text + "”");
  }
  if (color || pos || size) restyle_texts(d, tt, color, pos, size);
  if (color) {
    en.push_back(std::string("the title is now ") + color->en);
    zh.push_back(std::string("标题改成了") + color->zh + "色");
  }
  if (pos) {
    en.push_back("the title is now at the " + *pos);
    zh.push_back("标题移到了" + *pos);
  }
  if (size) {
    en.push_back(size > 0 ? "the title is bigger" : "the title is smaller");
    zh.push_back(size > 0 ? "标题变大了" : "标题变小了");
  }
  if (place != Placement::Keep) {
    auto order = in_start_order(d.tracks[tt]);
    const Segment seg = d.tracks[tt].segments[order.front()];
    int64_t len = std::min(seg.duration_ms, total);
    int64_t start = place == Placement::End ? total - len : 0;
    if (order.size() == 1 && start != seg.start_ms) set_segment_start(d, tt, order.front(), start);
    en.push_back(place == Placement::End ? "the title now shows at the end" : "the title now shows at the start");
    zh.push_back(place == Placement::End ? "标题移到了结尾" : "标题移到了开头");
  }
  std::string out_en, out_zh;
  for (size_t i = 0; i < en.size(); ++i) {
    out_en += (i ? ", " : "") + en[i];
    out_zh += (i ? "，" : "") + zh[i];
  }
  return t.tr(c, out_en, out_zh);
}

Said handle_logo(Turn& t, const Clause& c) {
  if (!c.has({"logo", "标志", "商标", "徽标"})) return std::nullopt;
  std::string file;
  for (const auto& f : t.ctx.files)
    if (is_image_file(f)) file = f;
  if (file.empty() && !c.quoted.empty() && is_image_file(c.quoted)) file = c.quoted;
  if (file.empty())
    return t.tr(c, "name the logo's file, for example \"add my logo logo.png at the end\"",
                "请给出标志的文件，例如“在结尾加上标志 logo.png”");
  auto photos = photo_track(t.d);
  if (!photos || t.d.tracks[*photos].segments.empty()) return no_photos(t, c);
  Draft& d = t.d;
  const int64_t old_end = photos_end(d, *photos), len = 2500;
  Json seg;
  seg[key_name(d, Key::Start)] = old_end;
  seg[key_name(d, Key::Duration)] = len;
  seg[key_name(d, Key::Source)] = file;
  seg[key_name(d, Key::Metadata)] = {
      {"fit", "contain"}, {"kb", "none"}, {"tr", {{"type", "fade"}, {key_name(d, Key::Duration), 500}}}};
  // The sound runs on under the end card; nothing else moves.
  for (size_t tr = 0; tr < d.tracks.size(); ++tr)
    if (d.tracks[tr].kind == TrackKind::Audio)
      for (size_t s = 0; s < d.tracks[tr].segments.size(); ++s)
        if (d.tracks[tr].segments[s].end_ms() == old_end)
          set_segment_duration(d, tr, s, d.tracks[tr].segments[s].duration_ms + len);
  add_segment(d, *photos, std::move(seg));
  if (d.declared_duration_ms && *d.declared_duration_ms == old_end) set_declared_duration(d, old_end + len);
  return t.tr(c, "added the logo " + file_stem(file) + " as an end card (" + seconds_text(len) + " s)",
              "在结尾加上了标志 " + file_stem(file) + "（" + seconds_text(len) + " 秒）");
}

bool is_caption_track(const Track& t) { return t.kind == TrackKind::Text && lower_ascii(t.kind_label) == "caption"; }

// "make the text white", "move the words to the top", "remove the text", "no captions": every
// text on screen (titles included), or the caption tracks when captions are named.
Said handle_text_look(Turn& t, const Clause& c) {
  const bool captions = c.has_word({"caption", "captions", "subtitle", "subtitles"}) || c.has({"字幕"});
  const bool texts = captions || c.has_word({"text", "texts", "words", "lettering"}) || c.has({"文字"});
  if (!texts) return std::nullopt;
  const bool remove =
      c.has_word({"remove", "delete", "no", "without", "drop", "hide"}) || c.has({"去掉", "删除", "不要", "取消"});
  Draft& d = t.d;
  if (!c.quoted.empty()) {
    // "remove the text 'The End'": the texts with those words; a quoted text otherwise is a new one.
    if (!remove) return std::nullopt;
    size_t removed = 0;
    for (size_t tr = d.tracks.size(); tr-- > 0;) {
      if (d.tracks[tr].kind != TrackKind::Text) continue;
      for (size_t i = d.tracks[tr].segments.size(); i-- > 0;)
        if (lower_ascii(trim(d.tracks[tr].segments[i].text.text)) == lower_ascii(trim(c.quoted))) {
          remove_segment(d, tr, i);
          ++removed;
        }
      if (d.tracks[tr].segments.empty()) remove_track(d, tr);
    }
    if (removed == 0) return t.tr(c, "no text reads \"" + c.quoted + "\"", "没有文字是“" + c.quoted + "”");
    return t.tr(c, "removed \"" + c.quoted + "\"", "去掉了“" + c.quoted + "”");
  }
  std::vector<size_t> tracks;
  for (size_t i = 0; i < d.tracks.size(); ++i)
    if (d.tracks[i].kind == TrackKind::Text && is_caption_track(d.tracks[i]) == captions &&
        !d.tracks[i].segments.empty())
      tracks.push_back(i);
  const char* what_en = captions ? "captions" : "text";
  const char* what_zh = captions ? "字幕" : "文字";
  if (remove) {
    if (tracks.empty())
      return t.tr(c, std::string("there was no ") + what_en + " to remove", std::string("没有可以去掉的") + what_zh);
    for (auto it = tracks.rbegin(); it != tracks.rend(); ++it) remove_track(d, *it);
    return t.tr(c,
                std::string("removed the ") + what_en + " (" + std::to_string(tracks.size()) + " track" +
                    (tracks.size() == 1 ? "" : "s") + ")",
                std::string("去掉了") + what_zh + "（" + std::to_string(tracks.size()) + " 条轨道）");
  }
  const auto color = color_in(c);
  const auto pos = position_in(c);
  const int size = size_change_in(c);
  if (!color && !pos && size == 0) return std::nullopt;
  if (tracks.empty())
    return t.tr(c, std::string("there is no ") + what_en + " to change; add some first",
                std::string("还没有") + what_zh);
  for (size_t tr : tracks) restyle_texts(d, tr, color, pos, size);
  std::vector<std::string> en, zh;
  if (color) en.push_back(color->en), zh.push_back(std::string(color->zh) + "色");
  if (pos) en.push_back("at the " + *pos), zh.push_back("在" + *pos);
  if (size) en.push_back(size > 0 ? "bigger" : "smaller"), zh.push_back(size > 0 ? "变大" : "变小");
  return t.tr(c, std::string("all the ") + what_en + (captions ? " are now " : " is now ") + joined(en, ", "),
              std::string("所有") + what_zh + "现在" + joined(zh, "，"));
}

Said handle_text(Turn& t, const Clause& c) {
  bool at_end = c.has({"at the end", "end card", "结尾", "最后"}),
       at_start = c.has({"at the start", "at the beginning", "开头", "最前"});
  bool text_word =
      c.has_word({"text", "caption", "words", "put", "write", "say"}) || c.has({"文字", "字幕", "加上", "写上"});
  if (!text_word || (c.quoted.empty() && !c.chinese)) return std::nullopt;
  std::string text = c.quoted;
  if (text.empty()) text = c.after({"加上", "写上", "文字", "字幕"});
  if (text.empty()) return std::nullopt;
  Draft& d = t.d;
  int64_t total = d.duration_ms();
  if (total <= 0) return t.tr(c, "the draft is empty; add photos before text", "草稿是空的，请先添加照片");
  int64_t len = std::min<int64_t>(3000, total);
  int64_t start = at_end ? total - len : at_start ? 0 : std::max<int64_t>(0, total / 2 - len / 2);
  auto track = first_track(d, TrackKind::Text, [](const Track& tr) { return !is_title_track(tr); });
  if (!track) track = add_track(d, track_json(d, 7, {{"kind", "text"}}));
  // Text segments on one track must not overlap: a new track when the place is taken.
  for (const auto& s : d.tracks[*track].segments)
    if (s.start_ms < start + len && start < s.end_ms()) {
      track = add_track(d, track_json(d, 7, {{"kind", "text"}}));
      break;
    }
  add_segment(d, *track, text_segment(d, start, len, text, "text", at_end ? "center" : "bottom"));
  std::string where_en = at_end ? "at the end" : at_start ? "at the start" : "in the middle";
  std::string where_zh = at_end ? "结尾" : at_start ? "开头" : "中间";
  return t.tr(c, "put \"" + text + "\" " + where_en, "在" + where_zh + "加上了“" + text + "”");
}

// The whole video's fade from black at its start and to black at its end (m.fi, m.fo): "fade
// to black at the end", "fade in from black", "no fade at the end". Fades between photos are
// transitions; the music's fades are the music's (handle_music takes those first).
Said handle_end_fades(Turn& t, const Clause& c) {
  if (!c.has({"fade", "淡入", "淡出", "渐隐", "渐显"})) return std::nullopt;
  if (c.has({"transition", "between", "each photo", "every photo", "cuts", "转场", "每张"})) return std::nullopt;
  const bool ends = c.has({"black", "at the end", "at the start", "at the beginning", "the picture", "the screen", "黑",
                           "开头", "结尾", "画面"});
  if (!ends) return std::nullopt;
  Draft& d = t.d;
  const int64_t total = d.duration_ms();
  if (total <= 0) return t.tr(c, "the draft is empty; add photos first", "草稿是空的，请先添加照片");
  const bool said_in = c.has(
      {"fade in", "fade-in", "fade up", "from black", "at the start", "at the beginning", "淡入", "渐显", "开头"});
  const bool said_out = c.has({"fade out", "fade-out", "to black", "at the end", "淡出", "渐隐", "结尾"});
  const bool in = said_in || !said_out, out = said_out || !said_in;
  const char* which_en = in && out ? "in from and out to black" : in ? "in from black" : "out to black";
  const char* which_zh = in && out ? "淡入淡出" : in ? "从黑场淡入" : "淡出到黑场";
  if (c.has_word({"no", "remove", "without", "stop"}) || c.has({"去掉", "不要", "取消"})) {
    if (in) set_draft_meta(d, "fi", 0);
    if (out) set_draft_meta(d, "fo", 0);
    return t.tr(c, std::string("the video no longer fades ") + which_en, std::string("去掉了视频的") + which_zh);
  }
  // reel make's length unless the words give one (at most half the video each).
  std::optional<int64_t> len = length_in(c);
  const int64_t ms = std::clamp<int64_t>(len.value_or(kEndsFadeMs), 100, std::max<int64_t>(100, total / 2));
  const EndFades had = end_fades(d);
  const bool already = (!in || had.in_ms == ms) && (!out || had.out_ms == ms);
  if (in) set_draft_meta(d, "fi", ms);
  if (out) set_draft_meta(d, "fo", ms);
  return t.tr(c,
              std::string("the video ") + (already ? "already fades " : "now fades ") + which_en + " (" +
                  seconds_text(ms) + " s)",
              std::string("视频") + (already ? "已经" : "现在") + which_zh + "（" + seconds_text(ms) + " 秒）");
}

// The longest length read as a transition's from words ("1 second fades").
constexpr int64_t kMaxTransitionWordsMs = 5000;

Said handle_transitions(Turn& t, const Clause& c) {
  if (!c.has({"transition", "fade", "dissolve", "wipe", "转场", "过渡", "切换效果"})) return std::nullopt;
  auto photos = photo_track(t.d);
  if (!photos) return no_photos(t, c);
  Draft& d = t.d;
  auto order = in_start_order(d.tracks[*photos]);
  if (c.has_word({"no", "remove", "without", "none", "cut", "cuts"}) || c.has({"去掉", "不要", "取消", "删除"})) {
    for (size_t i : order) remove_segment_meta(d, *photos, i, "tr");
    return t.tr(c, "removed the transitions (straight cuts)", "去掉了转场（直接切换）");
  }
  bool faster = c.has_word({"faster", "quicker", "shorter", "quick", "snappier"}) || c.has({"快", "短"});
  bool slower = c.has_word({"slower", "longer", "softer", "gentler"}) || c.has({"慢", "长"});
  if (faster || slower) {
    double k = faster ? 0.5 : 1.5;
    for (size_t i : order) {
      const auto& tr = d.tracks[*photos].segments[i].video.transition;
      if (!tr) continue;
      Json& m = segment_meta(d, *photos, i);
      if (!m["tr"].is_object()) continue;
      std::string dk = find_key(m["tr"], Key::Duration) ? std::string(spelling_in(m["tr"], Key::Duration))
                                                        : key_name(d, Key::Duration);
      m["tr"][dk] = std::max<int64_t>(100, static_cast<int64_t>(std::llround(tr->duration_ms * k)));
    }
    refresh(d);
    return t.tr(c, faster ? "made the transitions twice as fast" : "made the transitions slower",
                faster ? "转场加快了一倍" : "转场放慢了");
  }
  // "make the transitions 1 second", "half-second fades": a length of a few seconds at most is
  // the transitions'; a longer one in the same words is not theirs ("15 seconds with fades").
  std::optional<int64_t> len = length_in(c);
  if (len && (*len < 100 || *len > kMaxTransitionWordsMs)) len.reset();
  const std::optional<TransitionType> named = transition_in_words(c.text);
  const std::string for_en = len ? " of " + seconds_text(*len) + " s" : "";
  const std::string for_zh = len ? "（" + seconds_text(*len) + " 秒）" : "";
  bool any = false;
  for (size_t i : order) any = any || d.tracks[*photos].segments[i].video.transition.has_value();
  if (len && !named && any) {
    // Only the length: each cut keeps its kind of transition.
    for (size_t i : order) {
      if (!d.tracks[*photos].segments[i].video.transition) continue;
      Json& tr = segment_meta(d, *photos, i)["tr"];
      if (!tr.is_object()) continue;
      tr[find_key(tr, Key::Duration) ? std::string(spelling_in(tr, Key::Duration)) : key_name(d, Key::Duration)] = *len;
    }
    refresh(d);
    return t.tr(c, "every transition now lasts " + seconds_text(*len) + " s",
                "每个转场现在持续 " + seconds_text(*len) + " 秒");
  }
  TransitionType type = named.value_or(TransitionType::Fade);
  set_transition(d, *photos, type, len);
  return t.tr(c, std::string("every cut now has a ") + to_string(type) + " transition" + for_en,
              std::string("每个切换都加上了 ") + to_string(type) + " 转场" + for_zh);
}

// "photo 2" / "photos 2 and 4" (and in Chinese) for a reply.
std::pair<std::string, std::string> photos_named(const std::vector<size_t>& named) {
  std::string en = named.size() == 1 ? "photo " : "photos ", zh = "第 ";
  for (size_t i = 0; i < named.size(); ++i) {
    const char* sep_en = i == 0 ? "" : i + 1 == named.size() ? " and " : ", ";
    en += sep_en + std::to_string(named[i]);
    zh += (i ? "、" : "") + std::to_string(named[i]);
  }
  return {en, zh + " 张照片"};
}

// Words of a Ken Burns move ("pan" as a word: not "company").
bool asks_for_motion(const Clause& c) {
  return c.has_word({"ken burns", "kenburns", "motion", "zoom", "zooms", "zooming", "zoomed", "pan", "pans", "panning",
                     "movement"}) ||
         c.has({"zoom in", "zoom out", "动效", "缩放", "推近", "拉远", "放大", "缩小", "平移", "运动"});
}

// The reply when a named photo is not in the draft; none when all are.
Said no_such_photo(const Turn& t, const Clause& c, const std::vector<size_t>& named, size_t count) {
  for (size_t k : named)
    if (k < 1 || k > count)
      return t.tr(c, "there is no photo " + std::to_string(k) + "; the draft has " + std::to_string(count),
                  "没有第 " + std::to_string(k) + " 张照片；一共有 " + std::to_string(count) + " 张");
  return std::nullopt;
}

// How the photos fill the frame (m.fit), for every photo or those named: "don't crop the
// photos", "show the whole photo 3" (contain), "fill the frame" (cover), "blurred background"
// (blur), "stretch".
Said handle_fit(Turn& t, const Clause& c) {
  const char* fit = nullptr;
  if (c.has({"blurred background", "blur background", "blurry background", "blur the background", "blur the sides",
             "blurred sides", "模糊背景"}))
    fit = "blur";
  else if (c.has({"don't crop", "dont crop", "do not crop", "no crop", "without crop", "not cropped", "whole photo",
                  "whole picture", "whole image", "entire photo", "entire picture", "letterbox", "fit inside",
                  "不要裁剪", "不裁剪", "完整显示"}))
    fit = "contain";
  else if (c.has({"fill the frame", "fill the screen", "crop to fill", "no black bars", "no bars", "full frame", "铺满",
                  "填满"}))
    fit = "cover";
  else if (c.has_word({"stretch", "stretched"}) || c.has({"拉伸"}))
    fit = "stretch";
  if (!fit) return std::nullopt;
  auto photos = photo_track(t.d);
  if (!photos) return no_photos(t, c);
  const auto order = in_start_order(t.d.tracks[*photos]);
  const std::vector<size_t> named = photo_numbers(c, order.size());
  if (Said missing = no_such_photo(t, c, named, order.size())) return missing;
  for (size_t i = 0; i < order.size(); ++i)
    if (named.empty() || std::find(named.begin(), named.end(), i + 1) != named.end())
      segment_meta(t.d, *photos, order[i])["fit"] = fit;
  refresh(t.d);
  static const std::map<std::string, std::pair<const char*, const char*>> said = {
      {"contain", {"shown whole (fit: contain)", "完整显示（contain）"}},
      {"cover", {"filling the frame (fit: cover)", "铺满画面（cover）"}},
      {"blur", {"shown whole over a blurred copy (fit: blur)", "完整显示在模糊背景上（blur）"}},
      {"stretch", {"stretched to the frame (fit: stretch)", "拉伸到画面（stretch）"}}};
  const auto& [en, zh] = said.at(fit);
  if (named.empty()) return t.tr(c, std::string("every photo is now ") + en, std::string("每张照片现在") + zh);
  const auto [who_en, who_zh] = photos_named(named);
  return t.tr(c, who_en + (named.size() == 1 ? " is now " : " are now ") + en, who_zh + "现在" + zh);
}

// The canvas's background (m.bg): behind photos shown whole, and what the ends fade from and to.
Said handle_background(Turn& t, const Clause& c) {
  if (!c.has_word({"background", "backdrop"}) && !c.has({"背景"})) return std::nullopt;
  const auto color = color_in(c);
  if (!color) return std::nullopt;
  set_draft_meta(t.d, "bg", color->hex);
  return t.tr(c, std::string("the background is now ") + color->en, std::string("背景改成了") + color->zh + "色");
}

Said handle_motion(Turn& t, const Clause& c) {
  if (!asks_for_motion(c)) return std::nullopt;
  auto photos = photo_track(t.d);
  if (!photos) return no_photos(t, c);
  // The move, and what is said of it for every photo, one photo or several.
  struct Move {
    Json kb;
    std::string every_en, every_zh, one_en, many_en, zh;
  };
  auto move_of = [&]() -> Move {
    if (c.has_word({"no", "remove", "without", "static", "stop", "still"}) || c.has({"不要", "去掉", "取消", "静止"}))
      return {"none",
              "the photos now hold still (no Ken Burns)",
              "照片不再移动（去掉了 Ken Burns）",
              "now holds still (no Ken Burns)",
              "now hold still (no Ken Burns)",
              "不再移动（去掉了 Ken Burns）"};
    if (c.has({"zoom in", "推近", "放大"})) {
      if (c.has_word({"slowly", "slow", "gently", "gentle", "subtle"}) || c.has({"慢", "缓"}))
        return {Json{{"from", {{"x", 0.5}, {"y", 0.5}, {"z", 1.0}}},
                     {"to", {{"x", 0.5}, {"y", 0.5}, {"z", 1.08}}},
                     {"ease", "linear"}},
                "every photo now zooms in slowly (8%)",
                "每张照片缓慢推近（8%）",
                "now zooms in slowly (8%)",
                "now zoom in slowly (8%)",
                "缓慢推近（8%）"};
      return {"in", "every photo now zooms in", "每张照片推近", "now zooms in", "now zoom in", "推近"};
    }
    static const std::pair<const char*, const char*> moves[] = {
        {"zoom out", "out"}, {"拉远", "out"},      {"缩小", "out"},  {"pan left", "left"}, {"pan right", "right"},
        {"pan up", "up"},    {"pan down", "down"}, {"向左", "left"}, {"向右", "right"}};
    for (const auto& [words, preset] : moves)
      if (c.has({words}))
        return {preset,
                std::string("every photo now moves: ") + preset,
                std::string("每张照片的运动改为 ") + preset,
                std::string("now moves: ") + preset,
                std::string("now move: ") + preset,
                std::string("的运动改为 ") + preset};
    return {"auto",
            "gave every photo a gentle, varied Ken Burns move",
            "每张照片加上了柔和多变的 Ken Burns 运动",
            "now has a gentle Ken Burns move",
            "now have a gentle Ken Burns move",
            "加上了柔和的 Ken Burns 运动"};
  };
  const Move move = move_of();
  // "zoom out on photo 2", "no Ken Burns on the first photo": those photos only.
  const auto order = in_start_order(t.d.tracks[*photos]);
  const std::vector<size_t> named = photo_numbers(c, order.size());
  if (named.empty()) {
    set_ken_burns(t.d, *photos, move.kb);
    return t.tr(c, move.every_en, move.every_zh);
  }
  if (Said missing = no_such_photo(t, c, named, order.size())) return missing;
  for (size_t k : named) segment_meta(t.d, *photos, order[k - 1])["kb"] = move.kb;
  refresh(t.d);
  const auto [who_en, who_zh] = photos_named(named);
  return t.tr(c, who_en + " " + (named.size() == 1 ? move.one_en : move.many_en), who_zh + move.zh);
}

// "make it 4K", "in 720p", "60 fps": the canvas's size (its shape kept) and frame rate.
Said handle_canvas(Turn& t, const Clause& c) {
  static const std::pair<const char*, int> sizes[] = {
      {"4k", 2160},      {"uhd", 2160}, {"2160p", 2160}, {"1440p", 1440}, {"2k", 1440},  {"1080p", 1080},
      {"full hd", 1080}, {"fhd", 1080}, {"720p", 720},   {"540p", 540},   {"480p", 480}, {"360p", 360}};
  std::optional<int> side;
  for (const auto& [words, px] : sizes)
    if (c.has_word({words})) {
      side = px;
      break;
    }
  std::optional<double> fps;
  for (const char* unit : {"fps", "frames per second", "frames a second", "帧"})
    if (size_t at = c.text.find(unit); at != std::string::npos) {
      // The number right before the unit ("60 fps", "24帧"; not the 3 of "第3张照片的每一帧").
      size_t end = at;
      while (end > 0 && c.text[end - 1] == ' ') --end;
      size_t begin = end;
      while (begin > 0 && (std::isdigit(static_cast<unsigned char>(c.text[begin - 1])) || c.text[begin - 1] == '.'))
        --begin;
      if (begin < end) fps = std::strtod(c.text.substr(begin, end - begin).c_str(), nullptr);
      break;
    }
  if (!fps && c.has({"frame rate", "framerate"})) {
    auto nums = numbers_in(c.text);
    if (!nums.empty()) fps = nums.back();
  }
  if (!side && !fps) return std::nullopt;
  Draft& d = t.d;
  std::vector<std::string> en, zh;
  if (fps) {
    if (*fps < 1 || *fps > kMaxFps)
      return t.tr(c, "a frame rate is 1 to " + std::to_string(kMaxFps) + " fps (24, 25, 30 and 60 are usual)",
                  "帧率须在 1 到 " + std::to_string(kMaxFps) + " 之间（常用 24、25、30、60）");
    const double rounded = std::round(*fps * 1000) / 1000;
    set_draft_meta(d, "fps", rounded == std::floor(rounded) ? Json(static_cast<int>(rounded)) : Json(rounded));
    en.push_back((side ? "plays at " : "now plays at ") +
                 seconds_text(static_cast<int64_t>(std::llround(rounded * 1000))) + " fps");
    zh.push_back("帧率为 " + seconds_text(static_cast<int64_t>(std::llround(rounded * 1000))) + " fps");
  }
  if (side) {
    // The short side is the size's; the long one keeps the shape, even (H.264).
    const int w = d.canvas.width, h = d.canvas.height;
    const auto other = [&](int a, int b) { return static_cast<int>(std::lround(double(*side) * a / b / 2.0)) * 2; };
    const int nw = w >= h ? other(w, h) : *side, nh = w >= h ? *side : other(h, w);
    if (nw > kMaxCanvasSide || nh > kMaxCanvasSide)
      return t.tr(c, "that size is past " + std::to_string(kMaxCanvasSide) + " pixels on a side",
                  "尺寸超过了每边 " + std::to_string(kMaxCanvasSide) + " 像素");
    set_draft_meta(d, "width", nw);
    set_draft_meta(d, "height", nh);
    Json& m = *find_key(d.json, Key::Metadata);
    m.erase("ar");
    m.erase("res");
    refresh(d);
    const std::string wxh = std::to_string(nw) + "x" + std::to_string(nh);
    en.insert(en.begin(), "is now " + wxh);
    zh.insert(zh.begin(), "尺寸为 " + wxh);
  }
  return t.tr(c, "the video " + joined(en, " and "), "视频现在" + joined(zh, "，"));
}

Said handle_aspect(Turn& t, const Clause& c) {
  std::optional<std::string> ar = aspect_in_words(c.text);
  if (!ar) return std::nullopt;
  set_aspect(t.d, *ar);
  std::string size = std::to_string(t.d.canvas.width) + "x" + std::to_string(t.d.canvas.height);
  return t.tr(c, "the video is now " + *ar + " (" + size + ")", "画面改为 " + *ar + "（" + size + "）");
}

// Removes the k-th photo (from 1): the rest close the gap from where the first began, each cut
// keeping its transition, and the other tracks move with them.
void remove_photo(Draft& d, size_t photos, size_t k) {
  const auto order = in_start_order(d.tracks[photos]);
  auto old_spans = photo_spans(d, photos);
  const int64_t old_total = d.duration_ms();
  std::vector<Json> cut_transitions;
  for (size_t s : order) cut_transitions.push_back(transition_json(d, photos, s));
  remove_segment(d, photos, order[k - 1]);
  auto rest = in_start_order(d.tracks[photos]);
  set_segment_start(d, photos, rest.front(), old_spans.front().first);
  reorder_segments(d, photos, rest);
  cut_transitions.erase(cut_transitions.begin() + static_cast<long>(k == 1 ? 1 : k - 1));
  set_cut_transitions(d, photos, cut_transitions);
  std::vector<std::pair<int64_t, int64_t>> new_spans;
  auto now = photo_spans(d, photos);
  for (size_t i = 0, j = 0; i < old_spans.size(); ++i)
    if (i == k - 1)
      new_spans.emplace_back(j < now.size() ? now[j].first : now.back().second,
                             j < now.size() ? now[j].first : now.back().second);
    else
      new_spans.push_back(now[j++]);
  retime_other_tracks(d, photos, old_spans, new_spans, old_total);
}

// One photo named by its place: remove, swap, move, lengthen or shorten it.
Said handle_photo(Turn& t, const Clause& c) {
  auto photos = photo_track(t.d);
  if (!photos) return std::nullopt;
  Draft& d = t.d;
  auto order = in_start_order(d.tracks[*photos]);
  std::vector<size_t> named = photo_numbers(c, order.size());
  // "remove the zoom on photo 2" is the photo's move (handle_motion), not the photo.
  if (named.empty() || asks_for_motion(c)) return std::nullopt;
  const size_t n = order.size();
  if (Said missing = no_such_photo(t, c, named, n)) return missing;
  const size_t k = named[0];
  const std::string name_en = "photo " + std::to_string(k), name_zh = "第 " + std::to_string(k) + " 张照片";
  const Segment photo = d.tracks[*photos].segments[order[k - 1]];
  if (c.has_word({"remove", "delete", "drop", "cut", "without", "lose"}) ||
      c.has({"删除", "删掉", "去掉", "移除", "不要"})) {
    // Every photo named ("remove photos 2 and 3"), the last first so the places hold.
    std::vector<size_t> gone = named;
    std::sort(gone.begin(), gone.end());
    gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
    if (gone.size() >= n)
      return t.tr(c,
                  n == 1 ? "that is the only photo; a video needs at least one"
                         : "that is every photo; a video needs at least one",
                  "这是唯一的一张，视频至少需要一张");
    std::vector<std::string> stems;
    for (size_t g : gone) stems.push_back(file_stem(d.tracks[*photos].segments[order[g - 1]].source));
    for (auto it = gone.rbegin(); it != gone.rend(); ++it) remove_photo(d, *photos, *it);
    const auto [who_en, who_zh] = photos_named(gone);
    return t.tr(c, "removed " + who_en + " (" + joined(stems, ", ") + ")",
                "删除了" + who_zh + "（" + joined(stems, "、") + "）");
  }
  if (c.has_word({"duplicate", "repeat", "copy", "clone"}) || c.has({"复制", "重复"})) {
    // The copy follows its photo; the cut into it is the one that led to the next photo.
    auto old_spans = photo_spans(d, *photos);
    const int64_t old_total = d.duration_ms();
    std::vector<Json> cut_transitions;
    for (size_t s : order) cut_transitions.push_back(transition_json(d, *photos, s));
    add_segment(d, *photos, d.json.at(Json::json_pointer(photo.pointer)));
    std::vector<size_t> with_copy = order;
    with_copy.insert(with_copy.begin() + static_cast<long>(k), d.tracks[*photos].segments.size() - 1);
    reorder_segments(d, *photos, with_copy);
    cut_transitions.insert(cut_transitions.begin() + static_cast<long>(k),
                           k < n ? cut_transitions[k] : cut_transitions[k - 1]);
    set_cut_transitions(d, *photos, cut_transitions);
    std::vector<std::pair<int64_t, int64_t>> new_spans = old_spans;
    for (size_t i = k; i < new_spans.size(); ++i)
      new_spans[i] = {new_spans[i].first + photo.duration_ms, new_spans[i].second + photo.duration_ms};
    retime_other_tracks(d, *photos, old_spans, new_spans, old_total);
    return t.tr(c, "duplicated " + name_en + " (" + file_stem(photo.source) + "): the copy follows it",
                "复制了" + name_zh + "（" + file_stem(photo.source) + "），副本紧随其后");
  }
  if (c.has_word({"swap", "switch", "exchange"}) || c.has({"交换", "对调", "互换", "调换"})) {
    if (named.size() < 2)
      return t.tr(c, "say which two photos to swap, for example: swap photo 1 and photo 3",
                  "请说明交换哪两张，例如：交换第一张和第三张");
    size_t k2 = named[1];
    std::swap(order[k - 1], order[k2 - 1]);
    reorder_photos(d, *photos, order);
    return t.tr(c, "swapped photos " + std::to_string(k) + " and " + std::to_string(k2),
                "交换了第 " + std::to_string(k) + " 张和第 " + std::to_string(k2) + " 张照片");
  }
  // "put photo 2 first", "make photo 5 the last one".
  const std::string said = trim(c.text);
  const auto ends_with = [&](const char* end) {
    const size_t n = std::strlen(end);
    return said.size() >= n && said.compare(said.size() - n, n, end) == 0;
  };
  const bool said_first = ends_with(" first") || ends_with(" the first one") || ends_with(" the first photo");
  const bool said_last = ends_with(" last") || ends_with(" the last one") || ends_with(" the last photo");
  if (c.has_word({"move", "put", "place"}) || c.has({"移到", "放到", "挪到", "移动到", "放在"}) ||
      (c.has_word({"make"}) && (said_first || said_last))) {
    // Where to: read after "to" / "移到", so "the last photo to the start" goes to the start.
    std::string dest = c.text;
    for (const char* marker : {" to ", "移到", "放到", "挪到", "移动到", "放在"})
      if (auto at = c.text.find(marker); at != std::string::npos) {
        dest = c.text.substr(at + std::strlen(marker));
        break;
      }
    size_t to = said_first                                                                 ? 1
                : said_last                                                                ? n
                : has_any(dest, {"end", "last", "结尾", "最后"})                           ? n
                : has_any(dest, {"start", "beginning", "front", "开头", "最前", "第一位"}) ? 1
                : named.size() > 1                                                         ? named[1]
                                                                                           : 0;
    if (to == 0) {
      // "move photo 2 to position 4" / "移到第4位"
      auto nums = numbers_in(c.text);
      if (nums.size() > 1) to = static_cast<size_t>(nums[1]);
    }
    if (to < 1 || to > n)
      return t.tr(c, "say where to move it: to the start, the end or a position", "请说明移到哪里：开头、结尾或第几张");
    size_t seg = order[k - 1];
    order.erase(order.begin() + static_cast<long>(k - 1));
    order.insert(order.begin() + static_cast<long>(to - 1), seg);
    reorder_photos(d, *photos, order);
    return t.tr(c, "moved " + name_en + " to position " + std::to_string(to),
                "把" + name_zh + "移到了第 " + std::to_string(to) + " 位");
  }
  auto len = length_in(c);
  bool longer = c.has_word({"longer", "lengthen", "extend", "more"}) ||
                c.has({"长一点", "长一些", "加长", "更长", "久一点", "延长"});
  bool shorter = c.has_word({"shorter", "shorten", "less"}) || c.has({"短一点", "短一些", "缩短", "更短"});
  if (!len && !longer && !shorter) return std::nullopt;
  // "make photo 3 2 seconds longer", "add a second to photo 3": the length is added.
  const int change = len ? length_change_in(c) : 0;
  int64_t target = !len ? static_cast<int64_t>(std::llround(photo.duration_ms * (longer ? 1.5 : 0.66) / 100.0)) * 100
                   : change == 0 ? *len
                                 : photo.duration_ms + change * *len;
  if (target < kShortestPhotoMs) return t.tr(c, "a photo needs at least half a second", "每张照片至少半秒");
  std::vector<int64_t> lengths;
  for (size_t i = 0; i < n; ++i)
    lengths.push_back(i == k - 1 ? target : d.tracks[*photos].segments[order[i]].duration_ms);
  set_photo_lengths(d, *photos, lengths);
  return t.tr(c,
              name_en + " now shows for " + seconds_text(target) + " s (was " + seconds_text(photo.duration_ms) + " s)",
              name_zh + "现在显示 " + seconds_text(target) + " 秒（原来 " + seconds_text(photo.duration_ms) + " 秒）");
}

Said handle_order(Turn& t, const Clause& c) {
  bool reverse = c.has_word({"reverse", "backwards"}) || c.has({"倒序", "反转", "倒过来", "颠倒"});
  bool shuffle = c.has_word({"shuffle", "randomize", "randomise"}) ||
                 c.has({"random order", "mix up the", "mix the photos", "随机", "打乱"});
  if (!reverse && !shuffle) return std::nullopt;
  auto photos = photo_track(t.d);
  if (!photos) return no_photos(t, c);
  auto order = in_start_order(t.d.tracks[*photos]);
  if (reverse) {
    std::reverse(order.begin(), order.end());
    reorder_photos(t.d, *photos, order);
    return t.tr(c, "reversed the order of the photos", "照片顺序反转了");
  }
  if (order.size() < 2) return t.tr(c, "there is only one photo to shuffle", "只有一张照片，无法打乱");
  // Seeded by the photos' present order: the same draft shuffles the same way (a turn can be
  // replayed), and shuffling again gives another order. Never the order it had.
  std::string seed;
  for (size_t s : order) seed += t.d.tracks[*photos].segments[s].source + '\n';
  std::mt19937 random(static_cast<uint32_t>(std::hash<std::string>{}(seed)));
  const auto before = order;
  std::shuffle(order.begin(), order.end(), random);
  if (order == before) std::rotate(order.begin(), order.begin() + 1, order.end());
  reorder_photos(t.d, *photos, order);
  return t.tr(c, "shuffled the photos into a new order", "照片顺序已随机打乱");
}

Said handle_length(Turn& t, const Clause& c) {
  auto photos = photo_track(t.d);
  bool per_photo = c.has({"each photo", "per photo", "every photo", "each picture", "per picture", "each image",
                          "per image", "each slide", "per slide", "a photo", "all photos", "all the photos",
                          "all pictures", "all the pictures", "每张", "每个"}) ||
                   c.has_word({"each", "apiece"});
  auto len = length_in(c);
  const int change = len ? length_change_in(c) : 0;
  if (per_photo && len) {
    if (!photos) return no_photos(t, c);
    if (change == 0) {
      set_photo_length(t.d, *photos, *len);
      return t.tr(c, "every photo now shows for " + seconds_text(*len) + " s",
                  "每张照片显示 " + seconds_text(*len) + " 秒");
    }
    std::vector<int64_t> lengths;
    for (const Segment& s : t.d.tracks[*photos].segments)
      lengths.push_back(std::max<int64_t>(kShortestPhotoMs, s.duration_ms + change * *len));
    set_photo_lengths(t.d, *photos, lengths);
    return t.tr(
        c,
        "every photo now shows " + seconds_text(*len) + " s " + (change > 0 ? "longer" : "shorter") +
            " (at least half a second)",
        "每张照片" + std::string(change > 0 ? "加长" : "缩短") + "了 " + seconds_text(*len) + " 秒（至少半秒）");
  }
  const double factor = length_factor_in(c);
  bool shorter = c.has_word({"shorter"}) || c.has({"短一点", "短些", "缩短", "更短"});
  bool longer = c.has_word({"longer"}) || c.has({"长一点", "长些", "加长", "更长"});
  if (!len && !shorter && !longer && factor == 0) return std::nullopt;
  if (!photos || t.d.tracks[*photos].segments.empty()) return no_photos(t, c);
  int64_t total = t.d.duration_ms();
  int64_t target = factor != 0 ? static_cast<int64_t>(std::llround(total * factor))
                   : len       ? (change == 0 ? *len : total + change * *len)
                               : static_cast<int64_t>(std::llround(total * (shorter ? 0.75 : 1.25)));
  if (target < 500) return t.tr(c, "that is too short for a video; give at least 1 second", "太短了，至少 1 秒");
  scale_timeline(t.d, static_cast<double>(target) / total);
  return t.tr(c, "the video now lasts " + seconds_text(t.d.duration_ms()) + " s",
              "视频时长改为 " + seconds_text(t.d.duration_ms()) + " 秒");
}

Said handle_pacing(Turn& t, const Clause& c) {
  bool slower = c.has_word({"slower", "slow", "calmer", "relaxed"}) || c.has({"慢一点", "慢些", "放慢", "慢点"});
  bool faster =
      c.has_word({"faster", "quicker", "snappier", "fast", "speed"}) || c.has({"快一点", "快些", "加快", "快点"});
  if (!slower && !faster) return std::nullopt;
  auto photos = photo_track(t.d);
  if (!photos || t.d.tracks[*photos].segments.empty()) return no_photos(t, c);
  scale_timeline(t.d, slower ? 1.25 : 0.8);
  return t.tr(c,
              std::string(slower ? "slowed the pace" : "sped up the pace") + " (" + seconds_text(t.d.duration_ms()) +
                  " s in all)",
              std::string(slower ? "放慢了节奏" : "加快了节奏") + "（共 " + seconds_text(t.d.duration_ms()) + " 秒）");
}

using Handler = Said (*)(Turn&, const Clause&);
// The first whose words a clause has takes it; the aspect is read from every clause besides
// ("make it 15 seconds for TikTok": the length, and the shape).
constexpr Handler kHandlers[] = {handle_style,      handle_fit_song,    handle_beat,  handle_music,     handle_title,
                                 handle_logo,       handle_text_look,   handle_text,  handle_end_fades, handle_fit,
                                 handle_background, handle_transitions, handle_photo, handle_motion,    handle_order,
                                 handle_length,     handle_pacing};

}  // namespace

void keep_transitions_and_texts_fitting(Draft& d, size_t photos) {
  if (photos >= d.tracks.size()) return;
  auto order = in_start_order(d.tracks[photos]);
  bool changed = false;
  for (size_t i = 0; i < order.size(); ++i) {
    const Segment& s = d.tracks[photos].segments[order[i]];
    if (!s.video.transition || s.video.transition->duration_ms <= 0) continue;
    int64_t shorter = s.duration_ms;
    if (i > 0) shorter = std::min(shorter, d.tracks[photos].segments[order[i - 1]].duration_ms);
    int64_t fits = std::max<int64_t>(1, shorter / 2);
    if (s.video.transition->duration_ms <= fits) continue;
    Json& m = segment_meta(d, photos, order[i]);
    if (m["tr"].is_object()) {
      std::string dk = find_key(m["tr"], Key::Duration) ? std::string(spelling_in(m["tr"], Key::Duration))
                                                        : key_name(d, Key::Duration);
      m["tr"][dk] = fits;
    } else {
      m["tr"] = {{"type", to_string(s.video.transition->type)}, {key_name(d, Key::Duration), fits}};
    }
    changed = true;
  }
  if (changed) refresh(d);
  const int64_t total = d.duration_ms();
  for (size_t t = 0; t < d.tracks.size(); ++t) {
    if (d.tracks[t].kind != TrackKind::Text) continue;
    auto texts = in_start_order(d.tracks[t]);
    for (size_t i = 0; i < texts.size(); ++i) {
      const Segment s = d.tracks[t].segments[texts[i]];
      int64_t want = std::min(readable_ms(s.text), total);
      if (s.duration_ms >= want && s.end_ms() <= total) continue;
      int64_t len = std::max(s.duration_ms, want);
      int64_t start = std::clamp<int64_t>(s.start_ms, 0, std::max<int64_t>(0, total - len));
      // Not over the text before it on the track, nor the one after.
      int64_t lo = i > 0 ? d.tracks[t].segments[texts[i - 1]].end_ms() : 0;
      int64_t hi = i + 1 < texts.size() ? d.tracks[t].segments[texts[i + 1]].start_ms : total;
      start = std::max(start, lo);
      len = std::max<int64_t>(1, std::min(len, hi - start));
      if (start != s.start_ms) set_segment_start(d, t, texts[i], start);
      if (len != s.duration_ms) set_segment_duration(d, t, texts[i], len);
    }
  }
}

std::string agent_capabilities(const std::string& sample) {
  if (has_cjk(sample))
    return "我能做的：做成幻灯片/宣传片/集锦；时长（“30秒”、“短一点”、“每张照片3秒”）；画面（竖屏、方形、4:5）；"
           "尺寸与帧率（4K、720p、60帧）；转场（加转场、去掉转场、转场快一点）；开头淡入、结尾淡出；"
           "动效（不要动效、缓慢推近、第2张照片拉远）；节奏（慢一点、快一点）；随机打乱顺序；文字改成白色、去掉文字；"
           "标题（标题改为 "
           "城市之梦、去掉标题）；文字（在结尾加上“立即购买”）；音乐（添加背景音乐、音乐音量30%、音乐淡出、不要音乐）；"
           "顺序（把第3张照片移到开头、倒序）；单张照片（删除第三张、交换第一张和第三张、第二张长一点）；"
           "标题样式（标题大一点、标题改成黄色、把标题移到底部、在结尾加一个标题）；标志（在结尾加上标志 logo.png）；"
           "音乐卡点、视频和音乐一样长；撤销、重做。";
  return "I can: make it a slideshow, promo or highlight reel; set the length (\"30 seconds\", \"make it shorter\", "
         "\"twice as long\", \"3 seconds per photo\", \"add 2 seconds to each photo\"); change the shape (vertical / "
         "9:16 / for TikTok, square, Instagram 4:5, 16:9), the size (\"4K\", \"720p\") and the frame rate "
         "(\"60 fps\"); transitions (\"use slide transitions\", \"no transitions\", \"faster fades\", \"1 second "
         "transitions\"); the video's ends (\"fade in from black\", \"fade to black at the end\"); motion (\"no Ken "
         "Burns\", \"zoom in slowly\", \"zoom out on photo 2\"); pacing (\"slower\", \"faster\"); titles and text "
         "(\"add the title 'Summer in Lisbon'\", \"put 'Shop now' at the end\", \"remove the title\", \"make the text "
         "white\", \"remove the text\"); music (\"add background music\" with a file, \"music at 30%\", \"fade out "
         "the music\", \"no music\"); order (\"move photo 3 to the start\", \"reverse the order\", \"shuffle the "
         "photos\"); one photo (\"remove the third photo\", \"swap photo 1 and photo 3\", \"make photo 2 longer\"); "
         "the title's look (\"make the title bigger\", \"make the title yellow\", \"move the title to the bottom\", "
         "\"add a title at the end\"); a logo (\"add my logo logo.png at the end\"); the music's beat (\"cut on the "
         "beat\", \"fit the video to the song\"); \"undo\", \"redo\".";
}

std::string summary_diff(const Draft& before, const Draft& after) {
  std::vector<std::string> parts;
  if (before.canvas.width != after.canvas.width || before.canvas.height != after.canvas.height)
    parts.push_back("canvas " + std::to_string(before.canvas.width) + "x" + std::to_string(before.canvas.height) +
                    " → " + std::to_string(after.canvas.width) + "x" + std::to_string(after.canvas.height));
  auto b = summarize_tracks(before), a = summarize_tracks(after);
  auto range = [](const TrackSummary& s) {
    std::string r = seconds_text(s.from_ms) + "-" + seconds_text(s.to_ms) + "s";
    if (s.volume_percent) r += ", " + std::to_string(*s.volume_percent) + "%";
    return r;
  };
  std::vector<bool> matched(a.size(), false);
  for (size_t i = 0; i < b.size(); ++i) {
    // The same track, by kind and position among the tracks of its kind.
    size_t rank = 0;
    for (size_t k = 0; k < i; ++k) rank += b[k].kind == b[i].kind;
    size_t found = a.size();
    for (size_t j = 0, r = 0; j < a.size(); ++j)
      if (a[j].kind == b[i].kind && r++ == rank) found = j;
    if (found == a.size()) {
      parts.push_back("− " + b[i].text());
      continue;
    }
    matched[found] = true;
    if (b[i].text() == a[found].text()) continue;
    if (b[i].label == a[found].label)
      parts.push_back(std::to_string(found + 1) + ". " + a[found].kind + ": " + a[found].label + " (" + range(b[i]) +
                      " → " + range(a[found]) + ")");
    else
      parts.push_back(std::to_string(found + 1) + ". " + b[i].text() + " → " + a[found].text());
  }
  for (size_t j = 0; j < a.size(); ++j)
    if (!matched[j]) parts.push_back("+ " + std::to_string(j + 1) + ". " + a[j].text());
  return joined(parts, "; ");
}

AgentReply apply_instruction(Draft& draft, const std::string& instruction, const std::vector<std::string>& files) {
  AgentContext context;
  context.files = files;
  return apply_instruction(draft, instruction, context);
}

AgentReply apply_instruction(Draft& draft, const std::string& instruction, const AgentContext& context) {
  AgentReply reply;
  const Draft before = draft;
  Turn turn{draft, context};
  std::vector<std::string> done, not_understood;
  for (const Clause& c : clauses_of(instruction)) {
    Said said;
    Handler took = nullptr;
    for (Handler h : kHandlers)
      if ((said = h(turn, c))) {
        took = h;
        break;
      }
    // The shape, size and frame rate are read from every clause besides ("a vertical 4K promo").
    // The size first: the shape then keeps it ("vertical in 720p": 720x1280).
    Said canvas = handle_canvas(turn, c);
    Said shape = handle_aspect(turn, c);
    if (said) done.push_back(*said);
    // "make it 15 seconds with fades": a length too long for the transitions is the video's.
    if (took == handle_transitions)
      if (auto len = length_in(c); len && *len > kMaxTransitionWordsMs)
        if (Said length = handle_length(turn, c)) done.push_back(*length);
    // A style sets each photo's length; a whole length in the same words ("一个15秒的宣传片")
    // is then applied over it.
    if (took == handle_style)
      if (Said length = handle_length(turn, c)) done.push_back(*length);
    if (canvas) done.push_back(*canvas);
    if (shape) done.push_back(*shape);
    if (!said && !shape && !canvas) not_understood.push_back(c.raw);
  }
  // Whatever moved the photos, their transitions and the texts over them still fit.
  if (auto photos = photo_track(draft); photos && *photos < before.tracks.size()) {
    auto timing = [&](const Draft& d) {
      std::vector<std::pair<int64_t, int64_t>> v;
      for (const auto& s : d.tracks[*photos].segments) v.emplace_back(s.start_ms, s.duration_ms);
      return v;
    };
    if (timing(before) != timing(draft) || before.duration_ms() != draft.duration_ms())
      keep_transitions_and_texts_fitting(draft, *photos);
  }
  reply.understood = !done.empty();
  reply.changed = draft.json != before.json;
  bool zh = has_cjk(instruction);
  std::string msg;
  if (!done.empty()) {
    msg = joined(done, zh ? "；" : "; ");
    if (!msg.empty() && !zh) msg[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(msg[0])));
    std::string diff = summary_diff(before, draft);
    msg += zh ? "。" : ".";
    if (!diff.empty()) msg += (zh ? "时间线：" : " Timeline: ") + diff;
  }
  if (!not_understood.empty()) {
    std::string what = joined(not_understood, zh ? "”、“" : "\", \"");
    msg += (msg.empty() ? "" : " ") +
           std::string(zh ? "没听懂“" + what + "”。" : "I did not understand \"" + what + "\". ") +
           agent_capabilities(instruction);
  }
  reply.message = msg;
  return reply;
}

AgentReply apply_first_words(Draft& draft, const std::string& words, const AgentContext& context) {
  const PromptReading reading = read_prompt(words);
  Draft trial = draft;
  AgentReply reply = apply_instruction(trial, words, context);
  auto has_title = [](const Draft& d) {
    for (const Track& t : d.tracks)
      if (is_title_track(t) && !t.segments.empty()) return true;
    return false;
  };
  if (reading.title.empty() || has_title(trial)) {
    draft = std::move(trial);
    return reply;
  }
  // The title the sentence gives ("for our summer sale", a quoted phrase) and its tagline, as
  // the agent adds them, in the sentence's language; the words they came from are not read again.
  const bool zh = has_cjk(words);
  std::string rest = words;
  for (const std::string& topic : reading.understood) {
    const size_t from = topic.find("(from \"");
    if (from == std::string::npos) continue;
    const std::string phrase = topic.substr(from + 7, topic.size() - from - 9);
    if (size_t at = rest.find(phrase); at != std::string::npos) rest.erase(at, phrase.size());
  }
  std::string instruction = rest;
  instruction += zh ? "；添加标题“" + reading.title + "”" : "; add the title \"" + reading.title + "\"";
  if (!reading.tagline.empty())
    instruction += zh ? "；添加文字“" + reading.tagline + "”" : "; add the text \"" + reading.tagline + "\"";
  return apply_instruction(draft, instruction, context);
}

}  // namespace reel::draft
