#include "draft/prompt.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "draft/names.h"
#include "draft/words.h"

namespace reel::draft {

namespace {

// Quoted phrases in order ("…", “…”, '…', 「…」), and the text with them taken out.
std::vector<std::string> quoted_phrases(const std::string& text, std::string* rest) {
  static const std::pair<const char*, const char*> quotes[] = {{"\"", "\""}, {"“", "”"},   {"‘", "’"},
                                                               {"「", "」"}, {"『", "』"}, {"'", "'"}};
  std::vector<std::string> out;
  std::string left;
  for (size_t i = 0; i < text.size();) {
    bool matched = false;
    for (const auto& [open, close] : quotes) {
      size_t ol = std::strlen(open);
      if (text.compare(i, ol, open) != 0) continue;
      if (open[0] == '\'' && i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))) continue;  // don't
      size_t end = text.find(close, i + ol);
      if (end == std::string::npos) continue;
      out.push_back(text.substr(i + ol, end - i - ol));
      left += " ";
      i = end + std::strlen(close);
      matched = true;
      break;
    }
    if (!matched) left += text[i++];
  }
  if (rest) *rest = left;
  return out;
}

std::vector<std::string> pieces_of(const std::string& text) {
  std::vector<std::string> parts =
      split_at_any(text, {",", "，", ";", "；", "、", " and ", " with ", "。", "并且", "然后", "和"});
  std::vector<std::string> out;
  for (auto& p : parts) {
    size_t a = p.find_first_not_of(" \t.!?");
    size_t b = p.find_last_not_of(" \t.!?");
    if (a != std::string::npos) out.push_back(p.substr(a, b - a + 1));
  }
  return out;
}

std::string title_case(const std::string& words) {
  std::string out = words;
  bool start = true;
  for (auto& c : out) {
    if (start && std::isalpha(static_cast<unsigned char>(c))) c = static_cast<char>(std::toupper(c));
    start = c == ' ';
  }
  return out;
}

// "for our summer sale" -> "Summer Sale": what the video is for, as a title. Not a platform.
std::string topic_in(const std::string& piece) {
  std::string low = lower_ascii(piece);
  size_t at = low.find("for ");
  if (at == std::string::npos || (at > 0 && low[at - 1] != ' ')) return "";
  std::string topic = piece.substr(at + 4);
  std::string lt = lower_ascii(topic);
  for (const char* filler : {"our ", "my ", "the ", "a ", "an ", "your "})
    if (lt.rfind(filler, 0) == 0) {
      topic = topic.substr(std::strlen(filler));
      lt = lt.substr(std::strlen(filler));
    }
  if (topic.empty() || aspect_in_words(lt) || has_any(lt, {"second", "minute", "instagram", "youtube"}) ||
      length_in_words(lt))
    return "";
  size_t words = 1 + static_cast<size_t>(std::count(topic.begin(), topic.end(), ' '));
  if (words > 5) return "";
  return title_case(topic);
}

// A title named in the piece (title_named_in), of at most six words.
std::string named_title_in(const std::string& piece) {
  const std::string title = title_named_in(piece);
  const size_t words = 1 + static_cast<size_t>(std::count(title.begin(), title.end(), ' '));
  return words > 6 ? "" : title;
}

}  // namespace

PromptReading read_prompt(const std::string& prompt) {
  PromptReading r;
  std::string rest;
  std::vector<std::string> quoted = quoted_phrases(prompt, &rest);
  if (!quoted.empty()) r.title = quoted[0];
  if (quoted.size() > 1) r.tagline = quoted[1];
  const std::string low = lower_ascii(rest);
  const bool zh = has_cjk(prompt);

  r.style = style_in_words(low);
  if (r.style) r.understood.push_back(std::string("style: ") + style_spec(*r.style).label);

  r.aspect = aspect_in_words(low);
  static const std::pair<const char*, const char*> platforms[] = {{"youtube shorts", "YouTube Shorts"},
                                                                  {"tiktok", "TikTok"},
                                                                  {"tik tok", "TikTok"},
                                                                  {"reels", "Instagram Reels"},
                                                                  {"shorts", "YouTube Shorts"},
                                                                  {"instagram", "Instagram post"},
                                                                  {"youtube", "YouTube"},
                                                                  {"抖音", "抖音"},
                                                                  {"快手", "快手"},
                                                                  {"小红书", "小红书"}};
  for (const auto& [word, name] : platforms)
    if (has_any(low, {word})) {
      r.platform = name;
      break;
    }
  if (r.aspect) r.understood.push_back("shape: " + *r.aspect + (r.platform ? " (" + *r.platform + ")" : std::string()));

  r.duration_ms = length_in_words(low);
  if (r.duration_ms) r.understood.push_back("length: " + seconds_text(*r.duration_ms) + " s");

  if (has_any_word(low, {"fast", "quick", "snappy", "punchy", "energetic", "dynamic", "fast-paced"}) ||
      has_any(low, {"快节奏", "节奏快", "快速", "动感"}))
    r.pace = 0.6;
  else if (has_any_word(low, {"slow", "calm", "relaxed", "gentle", "leisurely", "slow-paced"}) ||
           has_any(low, {"慢节奏", "节奏慢", "舒缓", "缓慢", "慢"}))
    r.pace = 1.5;
  if (r.pace) r.understood.push_back(*r.pace < 1 ? "pace: fast" : "pace: slow");

  if (has_any(low, {"no transition", "without transition", "hard cut", "straight cut", "jump cut", "无转场", "不要转场",
                    "直接切"}))
    r.transition = TransitionType::None;
  else if (has_any(low, {"transition", "转场", "过渡"}) ||
           has_any_word(low, {"fades", "crossfades", "wipes", "slides"}))
    r.transition = transition_in_words(low).value_or(TransitionType::Fade);
  if (r.transition)
    r.understood.push_back(*r.transition == TransitionType::None
                               ? std::string("transitions: none (cuts)")
                               : std::string("transitions: ") + to_string(*r.transition));

  if (has_any_word(low, {"upbeat", "energetic", "happy", "party", "lively", "exciting", "fun", "cheerful"}) ||
      has_any(low, {"欢快", "动感", "激情", "热闹", "活泼"}))
    r.mood = MusicMood::Upbeat;
  else if (has_any_word(low, {"calm", "chill", "relaxing", "relaxed", "gentle", "soft", "peaceful", "romantic",
                              "emotional", "quiet", "mellow"}) ||
           has_any(low, {"舒缓", "安静", "温柔", "轻松", "浪漫", "抒情"}))
    r.mood = MusicMood::Calm;
  if (r.mood) r.understood.push_back(*r.mood == MusicMood::Upbeat ? "music: upbeat" : "music: calm");

  // What each part of the sentence gave; a part that gave nothing is said back.
  for (const std::string& piece : pieces_of(rest)) {
    std::string p = lower_ascii(piece);
    bool read = style_in_words(p) || aspect_in_words(p) || length_in_words(p) || transition_in_words(p) ||
                has_any(p, {"transition", "转场", "cut",   "fast",    "quick", "slow",  "calm", "upbeat", "energetic",
                            "music",      "song", "音乐",  "快",      "慢",    "video", "视频", "photos", "照片",
                            "make",       "做",   "title", "tagline", "标题",  "口号",  "标语", "片名"});
    if (r.title.empty()) {
      const std::string named = named_title_in(piece);
      if (!named.empty()) {
        r.title = named;
        r.understood.push_back("title: \"" + named + "\"");
        read = true;
      }
    }
    if (r.title.empty()) {
      std::string topic = topic_in(piece);
      if (!topic.empty()) {
        r.title = topic;
        r.understood.push_back("title: \"" + topic + "\" (from \"" + piece.substr(lower_ascii(piece).find("for ")) +
                               "\")");
        read = true;
      }
    }
    if (!read && piece.find_first_not_of(' ') != std::string::npos) r.not_understood.push_back(piece);
  }
  if (!quoted.empty()) {
    auto at = r.understood.begin();
    r.understood.insert(at, "title: \"" + r.title + "\"");
    if (!r.tagline.empty()) r.understood.insert(r.understood.begin() + 1, "tagline: \"" + r.tagline + "\"");
    for (size_t i = 2; i < quoted.size(); ++i)
      r.not_understood.push_back("\"" + quoted[i] + "\" (only a title and a tagline are used)");
  }
  (void)zh;
  return r;
}

size_t pick_song(const std::vector<SongChoice>& songs, const std::string& prompt, const PromptReading& reading) {
  const std::string low = lower_ascii(prompt);
  for (size_t i = 0; i < songs.size(); ++i) {
    std::string name = songs[i].reference;
    if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name = name.substr(slash + 1);
    if (auto dot = name.rfind('.'); dot != std::string::npos && dot > 0) name.resize(dot);
    name = lower_ascii(name);
    if (name.size() >= 3 && low.find(name) != std::string::npos) return i;
  }
  if (!reading.mood) return 0;
  size_t best = 0;
  for (size_t i = 1; i < songs.size(); ++i) {
    bool better = reading.mood == MusicMood::Upbeat ? songs[i].bpm > songs[best].bpm : songs[i].bpm < songs[best].bpm;
    if (songs[i].bpm > 0 && (songs[best].bpm <= 0 || better)) best = i;
  }
  return best;
}

}  // namespace reel::draft
