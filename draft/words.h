#pragma once
// Matching the words people type (the local agent, chat routing): ASCII case folding and
// whole-word search that leaves UTF-8 (Chinese) untouched.
#include <initializer_list>
#include <string>
#include <string_view>

namespace reel::draft {

/// Lower-cases ASCII letters only; other bytes (UTF-8) stay as they are.
std::string lower_ascii(std::string s);
/// Any of `words` appears in `text` (plain substring; right for Chinese, which has no spaces).
bool has_any(std::string_view text, std::initializer_list<const char*> words);
/// Any of `words` appears in `text` as a whole word: "no" is not found in "now".
bool has_any_word(std::string_view text, std::initializer_list<const char*> words);

}  // namespace reel::draft
