#include "cli/terminal.h"

namespace reel::cli {

std::string terminal_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0x1B) {                              // ESC: skip the whole sequence
      if (i + 1 < s.size() && s[i + 1] == '[') {  // CSI: parameters, then one final byte @..~
        i += 2;
        while (i < s.size() && (static_cast<unsigned char>(s[i]) < 0x40 || static_cast<unsigned char>(s[i]) > 0x7E))
          ++i;
      } else if (i + 1 < s.size() && (s[i + 1] == ']' || s[i + 1] == 'P' || s[i + 1] == '_' || s[i + 1] == '^')) {
        // OSC, DCS, APC, PM: up to BEL or ST (ESC \)
        i += 2;
        while (i < s.size() && s[i] != '\a' && !(s[i] == 0x1B && i + 1 < s.size() && s[i + 1] == '\\')) ++i;
        if (i < s.size() && s[i] == 0x1B) ++i;
      } else {
        ++i;  // a two-byte sequence
      }
      continue;
    }
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) continue;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9F) {  // a C1 control, UTF-8 encoded
      ++i;
      continue;
    }
    out += static_cast<char>(c);
  }
  return out;
}

}  // namespace reel::cli
