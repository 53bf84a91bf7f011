#include "draft/words.h"

#include <cctype>

namespace reel::draft {

std::string lower_ascii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
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

}  // namespace reel::draft
