#include "draft/parse.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sys/stat.h>

#include "draft/problem.h"

namespace reel::draft {

namespace {

struct TextPos {
  size_t line = 1, column = 1;
};

std::string where(TextPos p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }

// Line and column (in characters, not bytes) of byte offset `offset`.
TextPos position_of(std::string_view text, size_t offset) {
  TextPos p;
  offset = std::min(offset, text.size());
  for (size_t i = 0; i < offset; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

// Bytes that are not printable ASCII become \xNN so a message is always clean UTF-8.
std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
  return out;
}

// One linear pass before the real parser: refuses nesting deeper than the limit and numbers
// that do not fit a double, with their position. Strings are skipped; syntax is left to the
// parser, which reports it with a position of its own.
void prescan(std::string_view text, std::string_view origin, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth)
        throw DraftError(std::string(origin), where(position_of(text, i)),
                         "the JSON nests deeper than " + std::to_string(max_depth) +
                             " levels; a draft nests about 6 deep, so this is not a draft");
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t end = i;
      while (end < text.size() && std::strchr("0123456789+-.eE", text[end]) && text[end] != '\0') ++end;
      std::string literal(text.substr(i, end - i));
      double v = std::strtod(literal.c_str(), nullptr);
      if (!std::isfinite(v))
        throw DraftError(std::string(origin), where(position_of(text, i)),
                         "the number " + printable(literal.substr(0, 40)) +
                             " is too large; numbers in a draft must fit a double");
      i = end - 1;
    }
  }
}

// "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." ->
// "syntax error ..."
std::string parser_message(const std::string& what) {
  auto col = what.find("column ");
  auto colon = what.find(": ", col == std::string::npos ? 0 : col);
  std::string msg = colon == std::string::npos ? what : what.substr(colon + 2);
  return printable(msg);
}

// Reads at most `cap` bytes: one more than the limit tells "too large" from "at the limit".
std::string read_capped(FILE* f, size_t cap) {
  std::string text;
  char buf[1 << 16];
  size_t n;
  while (text.size() < cap && (n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  return text;
}

}  // namespace

Json parse_json(std::string_view text, std::string_view origin, const ParseLimits& limits) {
  const std::string from(origin);
  if (text.size() > limits.max_bytes)
    throw DraftError(from, "",
                     "the file is " + std::to_string(text.size() >> 20) + " MB; a draft may be at most " +
                         std::to_string(limits.max_bytes >> 20) + " MB (is this the right file?)");
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw DraftError(from, "", "the draft is empty; a draft is a JSON object such as {\"t\": []}");
  prescan(text, origin, limits.max_depth);
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    size_t at = e.byte == 0 ? 0 : e.byte - 1;
    std::string msg = parser_message(e.what());
    if (msg.find("unexpected end of input") != std::string::npos)
      msg += " (the draft looks truncated)";
    throw DraftError(from, where(position_of(text, at)), "not valid JSON: " + msg);
  }
}

Json read_json_file(const std::string& path, const ParseLimits& limits) {
  if (path == "-") return parse_json(read_capped(stdin, limits.max_bytes + 1), "<stdin>", limits);
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0)
    throw DraftError(path, "", std::string("cannot read the draft: ") + std::strerror(errno) +
                                   "; check the path");
  if (S_ISDIR(st.st_mode))
    throw DraftError(path, "", "is a folder; give the draft's .json file");
  if (!S_ISREG(st.st_mode)) {  // a pipe or device: its size is known only by reading
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) throw DraftError(path, "", std::string("cannot open the draft: ") + std::strerror(errno));
    return parse_json(read_capped(f.get(), limits.max_bytes + 1), path, limits);
  }
  if (static_cast<uint64_t>(st.st_size) > limits.max_bytes)
    throw DraftError(path, "",
                     "the file is " + std::to_string(st.st_size >> 20) + " MB; a draft may be at most " +
                         std::to_string(limits.max_bytes >> 20) + " MB (is this the right file?)");
  std::string text;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw DraftError(path, "", std::string("cannot open the draft: ") + std::strerror(errno));
  text.resize(static_cast<size_t>(st.st_size));
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return parse_json(text, path, limits);
}

std::string write_json(const Json& json, bool pretty) {
  return json.dump(pretty ? 2 : -1, ' ', false, Json::error_handler_t::strict);
}

}  // namespace reel::draft
