#include "draft/words.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace reel::draft {

std::string lower_ascii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string s) {
  const char* space = " \t\r\n.!?。！？：:";
  while (!s.empty() && std::strchr(space, s.back())) s.pop_back();
  size_t a = 0;
  while (a < s.size() && std::strchr(space, s[a])) ++a;
  return s.substr(a);
}

std::string title_named_in(const std::string& text, size_t* cut) {
  const std::string low = lower_ascii(text);
  size_t at = std::string::npos, after = 0;
  for (const char* start : {"a title ", "the title ", "title "})
    if (at == std::string::npos && low.rfind(start, 0) == 0) at = 0, after = std::strlen(start);
  for (const char* link : {" with a title ", " with the title ", " with title ", " titled ", " called "})
    if (size_t found = low.find(link); at == std::string::npos && found != std::string::npos && found > 0)
      at = found, after = found + std::strlen(link);
  if (at == std::string::npos ||
      has_any_word(low.substr(0, at), {"title", "caption", "text", "photo", "picture", "image", "file", "song", "music",
                                       "track", "audio", "sound"}))
    return "";
  if (cut) *cut = at;
  return trim(text.substr(after));
}

bool has_any(std::string_view text, std::initializer_list<const char*> words) {
  for (const char* w : words)
    if (text.find(w) != std::string_view::npos) return true;
  return false;
}

bool has_any_word(std::string_view text, std::initializer_list<const char*> words) {
  auto is_word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (const char* w : words) {
    std::string_view word(w);
    for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
      size_t end = at + word.size();
      if ((at == 0 || !is_word_char(text[at - 1])) && (end >= text.size() || !is_word_char(text[end]))) return true;
    }
  }
  return false;
}

std::vector<std::string> split_at_any(std::string_view text, std::initializer_list<const char*> separators) {
  std::vector<std::string> parts{""};
  for (size_t i = 0; i < text.size();) {
    bool split = false;
    for (const char* sep : separators) {
      size_t n = std::strlen(sep);
      if (lower_ascii(std::string(text.substr(i, n))) == sep) {
        parts.push_back("");
        i += n;
        split = true;
        break;
      }
    }
    if (!split) parts.back() += text[i++];
  }
  return parts;
}

bool has_cjk(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0xE3 && c <= 0xE9) return true;  // lead bytes of the CJK blocks in UTF-8
  return false;
}

namespace {

// The Chinese digit at `at` (each is 3 bytes in UTF-8), or -1.
int chinese_digit(std::string_view t, size_t at) {
  static const char* digits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  for (int d = 0; d < 10; ++d)
    if (t.compare(at, 3, digits[d]) == 0) return d;
  if (t.compare(at, 3, "两") == 0) return 2;
  return -1;
}

// A Chinese numeral up to 99 starting at `at` ("三", "十五", "二十", "二十五"); its value and
// the bytes it takes, or {-1, 0}.
std::pair<int, size_t> chinese_number(std::string_view t, size_t at) {
  const bool ten_first = t.compare(at, 3, "十") == 0;
  int first = ten_first ? 1 : chinese_digit(t, at);
  if (first < 0) return {-1, 0};
  size_t used = ten_first ? 0 : 3;
  if (t.compare(at + used, 3, "十") == 0) {
    used += 3;
    int ones = chinese_digit(t, at + used);
    if (ones > 0) used += 3;
    return {first * 10 + std::max(ones, 0), used};
  }
  return {first, used};
}

}  // namespace

std::vector<double> numbers_in(std::string_view text) {
  std::vector<double> out;
  static const char* words[] = {"zero",     "one",     "two",     "three",     "four",     "five",     "six",
                                "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
                                "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};
  static const char* ordinals[] = {"",           "first",      "second",     "third",     "fourth",    "fifth",
                                   "sixth",      "seventh",    "eighth",     "ninth",     "tenth",     "eleventh",
                                   "twelfth",    "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                                   "eighteenth", "nineteenth", "twentieth"};
  auto is_alpha = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isdigit(c)) {
      size_t j = i;
      while (j < text.size() &&
             (std::isdigit(static_cast<unsigned char>(text[j])) ||
              (text[j] == '.' && j + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[j + 1])))))
        ++j;
      out.push_back(std::strtod(std::string(text.substr(i, j - i)).c_str(), nullptr));
      i = j;
      // "2nd", "3rd", "4th" read as their number.
      continue;
    }
    if (is_alpha(text[i]) && (i == 0 || !is_alpha(text[i - 1]))) {
      size_t j = i;
      while (j < text.size() && is_alpha(text[j])) ++j;
      std::string_view w = text.substr(i, j - i);
      for (int n = 0; n <= 20; ++n)
        if (w == words[n] || (n > 0 && w == ordinals[n])) {
          out.push_back(n);
          break;
        }
      i = j;
      continue;
    }
    if (c >= 0xE0) {
      auto [n, used] = chinese_number(text, i);
      if (n >= 0) {
        out.push_back(n);
        i += used;
        continue;
      }
    }
    ++i;
  }
  return out;
}

std::optional<int64_t> length_in_words(std::string_view t) {
  if (has_any(t, {"半分钟"})) return 30000;
  // A number followed (maybe after a space) by a unit.
  auto is_alpha = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  for (size_t i = 0; i < t.size(); ++i) {
    double value = -1;
    size_t end = i;
    unsigned char c = static_cast<unsigned char>(t[i]);
    if (std::isdigit(c) && (i == 0 || !std::isdigit(static_cast<unsigned char>(t[i - 1])))) {
      while (end < t.size() && (std::isdigit(static_cast<unsigned char>(t[end])) || t[end] == '.')) ++end;
      value = std::strtod(std::string(t.substr(i, end - i)).c_str(), nullptr);
    } else if (c >= 0xE0) {
      auto [n, used] = chinese_number(t, i);
      if (n < 0) continue;
      value = n;
      end = i + used;
    } else if (is_alpha(t[i]) && (i == 0 || !is_alpha(t[i - 1]))) {
      auto nums = numbers_in(
          t.substr(i, t.find(' ', i) == std::string_view::npos ? std::string_view::npos : t.find(' ', i) - i));
      if (nums.size() != 1) continue;
      end = t.find(' ', i);
      if (end == std::string_view::npos) continue;
      value = nums[0];
    } else {
      continue;
    }
    size_t u = end;
    while (u < t.size() && (t[u] == ' ' || t[u] == '-')) ++u;
    std::string_view rest = t.substr(u);
    auto unit_is = [&](std::initializer_list<const char*> units) {
      for (const char* unit : units) {
        size_t n = std::strlen(unit);
        if (rest.compare(0, n, unit) == 0 && (n >= rest.size() || !is_alpha(rest[n]) || (unit[0] & 0x80))) return true;
      }
      return false;
    };
    if (unit_is({"seconds", "second", "secs", "sec", "s", "秒"})) return std::llround(value * 1000);
    if (unit_is({"minutes", "minute", "mins", "min", "m", "分钟", "分"})) return std::llround(value * 60000);
  }
  // "half a second", "a second longer", "a minute": a length without a number (but "a second
  // photo" is an ordinal).
  static const std::pair<const char*, int64_t> spoken[] = {
      {"half a second", 500}, {"half a minute", 30000}, {"a second", 1000}, {"a minute", 60000}};
  for (const auto& [words, ms] : spoken)
    for (size_t at = t.find(words); at != std::string_view::npos; at = t.find(words, at + 1)) {
      const size_t end = at + std::strlen(words);
      if (at > 0 && is_alpha(t[at - 1])) continue;
      if (end < t.size() && is_alpha(t[end])) continue;
      std::string_view next = t.substr(std::min(t.size(), end + 1));
      next = next.substr(0, next.find(' '));
      if (has_any_word(next, {"photo", "picture", "image", "slide", "clip", "shot", "one", "title", "text", "song",
                              "track", "time", "transition", "video", "version"}))
        continue;
      return ms;
    }
  return std::nullopt;
}

std::optional<std::string> aspect_in_words(std::string_view t) {
  if (has_any(t, {"9:16", "vertical", "portrait", "tiktok", "tik tok", "reels", "shorts", "stories", "竖屏", "竖版",
                  "抖音", "快手"}) ||
      has_any_word(t, {"story", "reel"}))
    return "9:16";
  if (has_any(t, {"4:5", "instagram", "ig post", "小红书"})) return "4:5";
  if (has_any(t, {"1:1", "square", "方形", "正方形", "方屏"})) return "1:1";
  if (has_any(t, {"4:3"})) return "4:3";
  if (has_any(t, {"16:9", "landscape", "horizontal", "widescreen", "youtube", "横屏", "横版", "宽屏"})) return "16:9";
  return std::nullopt;
}

std::optional<TransitionType> transition_in_words(std::string_view t) {
  // An exact name wins ("use wiperight transitions").
  for (const auto& name : transition_names())
    if (has_any_word(t, {name.c_str()})) return transition_from_name(name);
  static const std::pair<const char*, TransitionType> kinds[] = {
      {"slide", TransitionType::SlideLeft},   {"wipe", TransitionType::WipeLeft},
      {"dissolve", TransitionType::Dissolve}, {"zoom", TransitionType::ZoomIn},
      {"circle", TransitionType::CircleOpen}, {"radial", TransitionType::Radial},
      {"pixel", TransitionType::Pixelize},    {"black", TransitionType::FadeBlack},
      {"white", TransitionType::FadeWhite},   {"滑动", TransitionType::SlideLeft},
      {"擦除", TransitionType::WipeLeft},     {"溶解", TransitionType::Dissolve},
      {"缩放", TransitionType::ZoomIn},       {"推拉", TransitionType::ZoomIn},
      {"圆", TransitionType::CircleOpen},     {"黑", TransitionType::FadeBlack},
      {"白", TransitionType::FadeWhite},      {"fade", TransitionType::Fade},
      {"crossfade", TransitionType::Fade},    {"淡", TransitionType::Fade}};
  for (const auto& [word, kind] : kinds)
    if (has_any(t, {word})) return kind;
  return std::nullopt;
}

}  // namespace reel::draft
