#pragma once
// Matching the words people type (the local agent, `reel make --prompt`, chat routing): ASCII
// case folding, whole-word search that leaves UTF-8 (Chinese) untouched, and the readings both
// the agent and the prompt share — numbers, lengths, aspect ratios, transitions.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "draft/model.h"

namespace reel::draft {

/// Lower-cases ASCII letters only; other bytes (UTF-8) stay as they are.
std::string lower_ascii(std::string s);
/// `s` without the spaces and sentence marks (. ! ? : and their CJK forms) at either end.
std::string trim(std::string s);
/// A title named in words: "… with a title Summer Trip", "… titled …", "a video called …", or
/// a part that starts "a title …", "the title …", "title …" (a sentence cut at " with "): the
/// words after, as written and trimmed, and in `*cut` where the naming starts (0 when the part
/// starts with it). Empty when there is none, or when the words before name a song, a caption,
/// a photo or a file (a song called X is a song, not a title).
std::string title_named_in(const std::string& text, size_t* cut = nullptr);
/// Any of `words` appears in `text` (plain substring; right for Chinese, which has no spaces).
bool has_any(std::string_view text, std::initializer_list<const char*> words);
/// Any of `words` appears in `text` as a whole word: "no" is not found in "now".
bool has_any_word(std::string_view text, std::initializer_list<const char*> words);
/// `text` cut at each of `separators` (matched with ASCII case folded; the first that matches
/// at a place wins, so list longer ones first), the separators left out; empty parts kept.
std::vector<std::string> split_at_any(std::string_view text, std::initializer_list<const char*> separators);
/// The text has CJK characters (it is Chinese, for the language of an answer).
bool has_cjk(std::string_view text);

/// The numbers in lower-cased text, in order: digits ("2", "1.5"), English words up to twenty
/// ("three"), English ordinals ("third", "2nd") and Chinese numerals up to 99 ("三", "十五",
/// "二十").
std::vector<double> numbers_in(std::string_view lower_text);
/// A length ("30 seconds", "30s", "1.5 min", "30秒", "十五秒", "半分钟", "一分钟"), in ms.
std::optional<int64_t> length_in_words(std::string_view lower_text);
/// The aspect ratio words ask for: "9:16" for vertical / TikTok / Reels / Shorts / 竖屏 / 抖音,
/// "4:5" for an Instagram post, "1:1" square, "4:3", "16:9" for landscape / YouTube / 横屏.
std::optional<std::string> aspect_in_words(std::string_view lower_text);
/// The transition words name ("zoom transitions" -> zoomin, "滑动" -> slideleft, an exact
/// name such as "wiperight"), or none.
std::optional<TransitionType> transition_in_words(std::string_view lower_text);

}  // namespace reel::draft
