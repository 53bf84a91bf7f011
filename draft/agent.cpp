// The local editing agent. An instruction is split into clauses ("make it vertical and add
// music"); each clause goes to the first handler whose words it has. Handlers edit the draft
// through draft/edit.h only, so whatever they do not touch stays as it was.
#include "draft/agent.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <optional>

#include "draft/edit.h"
#include "draft/keys.h"
#include "draft/names.h"
#include "draft/styles.h"
#include "draft/summary.h"
#include "draft/words.h"

namespace reel::draft {

namespace {

// --- words ---------------------------------------------------------------------------------

bool has_cjk(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0xE3 && c <= 0xE9) return true;  // lead bytes of the CJK blocks in UTF-8
  return false;
}

std::string trim(std::string s) {
  const char* space = " \t\r\n.!?。！？：:";
  while (!s.empty() && std::strchr(space, s.back())) s.pop_back();
  size_t a = 0;
  while (a < s.size() && std::strchr(space, s[a])) ++a;
  return s.substr(a);
}

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

// Numbers written as digits or as English words up to twenty.
std::vector<double> numbers_in(const std::string& text) {
  std::vector<double> out;
  for (size_t i = 0; i < text.size();) {
    if (std::isdigit(static_cast<unsigned char>(text[i]))) {
      size_t j = i;
      while (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == '.')) ++j;
      out.push_back(std::strtod(text.substr(i, j - i).c_str(), nullptr));
      i = j;
    } else {
      ++i;
    }
  }
  static const char* words[] = {"zero",     "one",     "two",     "three",     "four",     "five",     "six",
                                "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
                                "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};
  if (out.empty()) {
    for (int n = 0; n <= 20; ++n) {
      std::string w = std::string(" ") + words[n] + " ";
      if ((" " + text + " ").find(w) != std::string::npos) out.push_back(n);
    }
  }
  return out;
}

// A length in the clause ("30 seconds", "1.5 min", "30秒", "半分钟"), in ms.
std::optional<int64_t> length_in(const Clause& c) {
  auto nums = numbers_in(c.text);
  bool minutes = c.has({"min", "分钟"});
  bool seconds = c.has({"sec", "秒"}) || c.has_word({"s"});
  for (double n : nums) {
    if (minutes) return static_cast<int64_t>(std::llround(n * 60000));
    if (seconds) return static_cast<int64_t>(std::llround(n * 1000));
  }
  // "30s" written together.
  for (size_t at = c.text.find("s"); at != std::string::npos; at = c.text.find("s", at + 1))
    if (at > 0 && std::isdigit(static_cast<unsigned char>(c.text[at - 1])) &&
        (at + 1 >= c.text.size() || !std::isalpha(static_cast<unsigned char>(c.text[at + 1])))) {
      size_t b = at;
      while (b > 0 && (std::isdigit(static_cast<unsigned char>(c.text[b - 1])) || c.text[b - 1] == '.')) --b;
      return static_cast<int64_t>(std::llround(std::strtod(c.text.substr(b, at - b).c_str(), nullptr) * 1000));
    }
  if (c.has({"半分钟"})) return 30000;
  return std::nullopt;
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
  std::vector<std::string> parts{""};
  static const char* separators[] = {" and then ", " then ", " and ", ";",    "，",   ",",
                                     "；",         "然后",   "并且",  "同时", "再把", "。"};
  for (size_t i = 0; i < work.size();) {
    bool split = false;
    for (const char* sep : separators) {
      size_t n = std::strlen(sep);
      if (lower_ascii(work.substr(i, n)) == sep) {
        parts.push_back("");
        i += n;
        split = true;
        break;
      }
    }
    if (!split) parts.back() += work[i++];
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
    c.text = lower_ascii(text);
    out.push_back(std::move(c));
  }
  return out;
}

// --- the draft's parts ----------------------------------------------------------------------

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

// Stretches or shrinks what lies on the other tracks so it keeps in step with the photos:
// everything on them is scaled by new_total / old_total.
void keep_in_step(Draft& d, size_t photos, int64_t old_total, int64_t new_total) {
  if (old_total <= 0 || new_total == old_total) return;
  double k = static_cast<double>(new_total) / old_total;
  for (size_t t = 0; t < d.tracks.size(); ++t) {
    if (t == photos || d.tracks[t].kind == TrackKind::Other) continue;
    for (size_t s = 0; s < d.tracks[t].segments.size(); ++s) {
      const Segment seg = d.tracks[t].segments[s];
      set_segment_start(d, t, s, static_cast<int64_t>(std::llround(seg.start_ms * k)));
      set_segment_duration(d, t, s, std::max<int64_t>(1, static_cast<int64_t>(std::llround(seg.duration_ms * k))));
    }
  }
  if (d.declared_duration_ms) set_declared_duration(d, new_total);
}

int64_t photos_end(const Draft& d, size_t photos) {
  int64_t end = 0;
  for (const auto& s : d.tracks[photos].segments) end = std::max(end, s.end_ms());
  return end;
}

// Gives every photo `ms` and lays them end to end; the rest follows.
void set_photo_length(Draft& d, size_t photos, int64_t ms) {
  int64_t old_total = d.duration_ms();
  auto order = in_start_order(d.tracks[photos]);
  for (size_t s : order) set_segment_duration(d, photos, s, ms);
  reorder_segments(d, photos, order);
  keep_in_step(d, photos, old_total, photos_end(d, photos));
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

bool is_audio_file(const std::string& path) {
  std::string p = lower_ascii(path);
  for (const char* ext : {".mp3", ".wav", ".m4a", ".aac", ".ogg", ".opus", ".flac"})
    if (p.size() > std::strlen(ext) && p.compare(p.size() - std::strlen(ext), std::string::npos, ext) == 0) return true;
  return false;
}

// --- handlers: each returns what it did (in the person's language), or nothing ------------

using Said = std::optional<std::string>;
struct Turn {
  Draft& d;
  const std::vector<std::string>& files;
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

Said handle_music(Turn& t, const Clause& c) {
  if (!c.has({"music", "song", "bgm", "soundtrack", "音乐", "配乐", "歌"})) return std::nullopt;
  Draft& d = t.d;
  std::vector<size_t> music;
  for (size_t i = 0; i < d.tracks.size(); ++i)
    if (is_music(d.tracks[i]) && !d.tracks[i].segments.empty()) music.push_back(i);
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
  for (const auto& f : t.files)
    if (is_audio_file(f)) file = f;
  if (file.empty() && !c.quoted.empty() && is_audio_file(c.quoted)) file = c.quoted;
  if (file.empty())
    return t.tr(
        c, "name a music file to add (mp3, wav, m4a, ogg, opus or flac), for example \"add background music song.mp3\"",
        "请给一个音乐文件（mp3、wav、m4a、ogg、opus 或 flac），例如“添加背景音乐 song.mp3”");
  int64_t total = d.duration_ms();
  if (total <= 0) return t.tr(c, "the draft is empty; add photos before music", "草稿是空的，请先添加照片");
  if (!music.empty()) {
    set_segment_source(d, music[0], in_start_order(d.tracks[music[0]]).front(), file);
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
  std::string text = c.quoted;
  if (text.empty())
    text = c.after({"标题改为", "标题改成", "标题设为", "标题为", "标题是", "标题：", "标题:", "添加标题", "加标题",
                    "title to ", "title: ", "title ", "call it ", "name it "});
  if (text.empty())
    return t.tr(c, "say the title's words, for example: add the title 'Summer in Lisbon'",
                "请说出标题文字，例如：标题改为 城市之梦");
  set_draft_meta(d, "title", text);
  if (!titles.empty() && !d.tracks[titles[0]].segments.empty()) {
    size_t s = in_start_order(d.tracks[titles[0]]).front();
    segment_meta(d, titles[0], s)["text"] = text;
    refresh(d);
    return t.tr(c, "the title now reads \"" + text + "\"", "标题改为“" + text + "”");
  }
  int64_t total = std::max<int64_t>(d.duration_ms(), 3000);
  size_t track = add_track(d, track_json(d, 7, {{"kind", "title"}}));
  add_segment(d, track, text_segment(d, 0, std::min<int64_t>(3000, total), text, "title", "center"));
  return t.tr(c, "added the title \"" + text + "\"", "添加了标题“" + text + "”");
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
  static const std::pair<const char*, TransitionType> kinds[] = {
      {"slide", TransitionType::SlideLeft},   {"wipe", TransitionType::WipeLeft},
      {"dissolve", TransitionType::Dissolve}, {"zoom", TransitionType::ZoomIn},
      {"circle", TransitionType::CircleOpen}, {"radial", TransitionType::Radial},
      {"pixel", TransitionType::Pixelize},    {"black", TransitionType::FadeBlack},
      {"white", TransitionType::FadeWhite},   {"滑动", TransitionType::SlideLeft},
      {"擦除", TransitionType::WipeLeft},     {"溶解", TransitionType::Dissolve},
      {"缩放", TransitionType::ZoomIn},       {"圆", TransitionType::CircleOpen},
      {"黑", TransitionType::FadeBlack},      {"白", TransitionType::FadeWhite},
      {"fade", TransitionType::Fade},         {"淡", TransitionType::Fade}};
  TransitionType type = TransitionType::Fade;
  for (const auto& [word, kind] : kinds)
    if (c.has({word})) {
      type = kind;
      break;
    }
  // An exact name wins ("use wiperight transitions").
  for (const auto& name : transition_names())
    if (c.has_word({name.c_str()})) type = *transition_from_name(name);
  set_transition(d, *photos, type, std::nullopt);
  return t.tr(c, std::string("every cut now has a ") + to_string(type) + " transition",
              std::string("每个切换都加上了 ") + to_string(type) + " 转场");
}

Said handle_motion(Turn& t, const Clause& c) {
  if (!c.has({"ken burns", "kenburns", "motion", "zoom", "pan", "movement", "动效", "缩放", "推近", "拉远", "放大",
              "缩小", "平移", "运动"}))
    return std::nullopt;
  auto photos = photo_track(t.d);
  if (!photos) return no_photos(t, c);
  if (c.has_word({"no", "remove", "without", "static", "stop", "still"}) || c.has({"不要", "去掉", "取消", "静止"})) {
    set_ken_burns(t.d, *photos, "none");
    return t.tr(c, "the photos now hold still (no Ken Burns)", "照片不再移动（去掉了 Ken Burns）");
  }
  if (c.has({"zoom in", "推近", "放大"})) {
    bool slow = c.has_word({"slowly", "slow", "gently", "gentle", "subtle"}) || c.has({"慢", "缓"});
    if (slow) {
      Json kb = {{"from", {{"x", 0.5}, {"y", 0.5}, {"z", 1.0}}},
                 {"to", {{"x", 0.5}, {"y", 0.5}, {"z", 1.08}}},
                 {"ease", "linear"}};
      set_ken_burns(t.d, *photos, kb);
      return t.tr(c, "every photo now zooms in slowly (8%)", "每张照片缓慢推近（8%）");
    }
    set_ken_burns(t.d, *photos, "in");
    return t.tr(c, "every photo now zooms in", "每张照片推近");
  }
  static const std::pair<const char*, const char*> moves[] = {
      {"zoom out", "out"}, {"拉远", "out"},      {"缩小", "out"},  {"pan left", "left"}, {"pan right", "right"},
      {"pan up", "up"},    {"pan down", "down"}, {"向左", "left"}, {"向右", "right"}};
  for (const auto& [words, preset] : moves)
    if (c.has({words})) {
      set_ken_burns(t.d, *photos, preset);
      return t.tr(c, std::string("every photo now moves: ") + preset, std::string("每张照片的运动改为 ") + preset);
    }
  set_ken_burns(t.d, *photos, "auto");
  return t.tr(c, "gave every photo a gentle, varied Ken Burns move", "每张照片加上了柔和多变的 Ken Burns 运动");
}

Said handle_aspect(Turn& t, const Clause& c) {
  std::string ar;
  if (c.has({"9:16", "vertical", "portrait", "tiktok", "reels", "shorts", "story", "stories", "竖屏", "竖版", "抖音"}))
    ar = "9:16";
  else if (c.has({"1:1", "square", "方形", "正方形"}))
    ar = "1:1";
  else if (c.has({"4:5", "instagram"}))
    ar = "4:5";
  else if (c.has({"4:3"}))
    ar = "4:3";
  else if (c.has({"16:9", "landscape", "horizontal", "widescreen", "youtube", "横屏", "横版"}))
    ar = "16:9";
  if (ar.empty()) return std::nullopt;
  set_aspect(t.d, ar);
  std::string size = std::to_string(t.d.canvas.width) + "x" + std::to_string(t.d.canvas.height);
  return t.tr(c, "the video is now " + ar + " (" + size + ")", "画面改为 " + ar + "（" + size + "）");
}

Said handle_order(Turn& t, const Clause& c) {
  bool reverse = c.has_word({"reverse", "backwards"}) || c.has({"倒序", "反转", "倒过来", "颠倒"});
  bool move = c.has_word({"move", "put"}) || c.has({"移到", "放到", "挪到"});
  bool photo_word = c.has_word({"photo", "picture", "image", "slide", "shot", "clip"}) || c.has({"照片", "图片", "张"});
  if (!reverse && !(move && photo_word)) return std::nullopt;
  auto photos = photo_track(t.d);
  if (!photos) return no_photos(t, c);
  auto order = in_start_order(t.d.tracks[*photos]);
  if (reverse) {
    std::reverse(order.begin(), order.end());
    reorder_segments(t.d, *photos, order);
    return t.tr(c, "reversed the order of the photos", "照片顺序反转了");
  }
  auto nums = numbers_in(c.text);
  if (nums.empty())
    return t.tr(c, "say which photo to move, for example: move photo 3 to the start",
                "请说明移动哪一张，例如：把第3张照片移到开头");
  size_t from = static_cast<size_t>(nums[0]);
  if (from < 1 || from > order.size())
    return t.tr(c, "there is no photo " + std::to_string(from) + "; the draft has " + std::to_string(order.size()),
                "没有第 " + std::to_string(from) + " 张照片；一共有 " + std::to_string(order.size()) + " 张");
  size_t to = c.has({"end", "last", "结尾", "最后"})                            ? order.size()
              : c.has({"start", "beginning", "front", "first", "开头", "最前"}) ? 1
              : nums.size() > 1                                                 ? static_cast<size_t>(nums[1])
                                                                                : 0;
  if (to < 1 || to > order.size())
    return t.tr(c, "say where to move it: to the start, the end or a position", "请说明移到哪里：开头、结尾或第几张");
  size_t seg = order[from - 1];
  order.erase(order.begin() + static_cast<long>(from - 1));
  order.insert(order.begin() + static_cast<long>(to - 1), seg);
  reorder_segments(t.d, *photos, order);
  return t.tr(c, "moved photo " + std::to_string(from) + " to position " + std::to_string(to),
              "把第 " + std::to_string(from) + " 张照片移到了第 " + std::to_string(to) + " 位");
}

Said handle_length(Turn& t, const Clause& c) {
  auto photos = photo_track(t.d);
  bool per_photo = c.has({"each photo", "per photo", "every photo", "each picture", "per picture", "each image",
                          "per image", "each slide", "per slide", "a photo", "每张", "每个"});
  auto len = length_in(c);
  if (per_photo && len) {
    if (!photos) return no_photos(t, c);
    set_photo_length(t.d, *photos, *len);
    return t.tr(c, "every photo now shows for " + seconds_text(*len) + " s",
                "每张照片显示 " + seconds_text(*len) + " 秒");
  }
  bool shorter = c.has_word({"shorter"}) || c.has({"短一点", "短些", "缩短", "更短"});
  bool longer = c.has_word({"longer"}) || c.has({"长一点", "长些", "加长", "更长"});
  if (!len && !shorter && !longer) return std::nullopt;
  if (!photos || t.d.tracks[*photos].segments.empty()) return no_photos(t, c);
  int64_t total = t.d.duration_ms();
  int64_t target = len ? *len : static_cast<int64_t>(std::llround(total * (shorter ? 0.75 : 1.25)));
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
constexpr Handler kHandlers[] = {handle_style,  handle_music,  handle_title, handle_text,   handle_transitions,
                                 handle_motion, handle_aspect, handle_order, handle_length, handle_pacing};

std::string joined(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

}  // namespace

std::string agent_capabilities(const std::string& sample) {
  if (has_cjk(sample))
    return "我能做的：做成幻灯片/宣传片/集锦；时长（“30秒”、“短一点”、“每张照片3秒”）；画面（竖屏、方形、4:5）；"
           "转场（加转场、去掉转场、转场快一点）；动效（不要动效、缓慢推近）；节奏（慢一点、快一点）；"
           "标题（标题改为 "
           "城市之梦、去掉标题）；文字（在结尾加上“立即购买”）；音乐（添加背景音乐、音乐音量30%、音乐淡出、不要音乐）；"
           "顺序（把第3张照片移到开头、倒序）。";
  return "I can: make it a slideshow, promo or highlight reel; set the length (\"30 seconds\", \"make it shorter\", "
         "\"3 seconds per photo\"); change the shape (vertical / 9:16 / for TikTok, square, Instagram 4:5, 16:9); "
         "transitions (\"use slide transitions\", \"no transitions\", \"faster fades\"); motion (\"no Ken Burns\", "
         "\"zoom in slowly\"); pacing (\"slower\", \"faster\"); titles and text (\"add the title 'Summer in Lisbon'\", "
         "\"put 'Shop now' at the end\", \"remove the title\"); music (\"add background music\" with a file, "
         "\"music at 30%\", \"fade out the music\", \"no music\"); order (\"move photo 3 to the start\", \"reverse the "
         "order\").";
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
  AgentReply reply;
  const Draft before = draft;
  Turn turn{draft, files};
  std::vector<std::string> done, not_understood;
  for (const Clause& c : clauses_of(instruction)) {
    Said said;
    for (Handler h : kHandlers)
      if ((said = h(turn, c))) break;
    if (said)
      done.push_back(*said);
    else
      not_understood.push_back(c.raw);
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

}  // namespace reel::draft
