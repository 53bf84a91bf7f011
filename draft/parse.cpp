#include "draft/parse.h"

#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <unordered_set>
#include <vector>

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
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
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
        throw DraftError(
            std::string(origin), where(position_of(text, i)),
            "the number " + printable(literal.substr(0, 40)) + " is too large; numbers in a draft must fit a double");
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

// "/t/0/sg/1" style pointer of a path of keys and indices (RFC 6901 escaping).
std::string pointer_of(const std::vector<std::string>& path) {
  std::string p;
  for (const std::string& part : path) {
    p += '/';
    for (char c : part) p += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  }
  return p;
}

// Builds the ordered JSON in one pass, in time linear in the input: keys are appended to an
// object without the ordered map's linear look-up, and checked against a hash set of that
// object's keys — a key that appears twice is refused with its pointer (the JSON standard
// leaves it open; reel would keep only one of the two, and fmt would lose the other).
class Builder : public nlohmann::json_sax<Json> {
 public:
  Builder(std::string_view text, std::string origin) : text_(text), origin_(std::move(origin)) {}
  Json take() { return std::move(root_); }

  bool null() override { return put(Json()); }
  bool boolean(bool v) override { return put(Json(v)); }
  bool number_integer(number_integer_t v) override { return put(Json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return put(Json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return put(Json(v)); }
  bool string(string_t& v) override { return put(Json(std::move(v))); }
  bool binary(binary_t& v) override { return put(Json::binary(std::move(v))); }
  bool start_object(std::size_t) override { return open(Json::object()); }
  bool start_array(std::size_t) override { return open(Json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    Frame& f = frames_.back();
    if (!f.keys.insert(k).second) {
      path_.push_back(k);
      throw DraftError(origin_, pointer_of(path_),
                       "this key appears twice in its object; a key may appear once (keep the one you mean)");
    }
    auto& members = static_cast<Json::object_t::Container&>(f.value->get_ref<Json::object_t&>());
    members.emplace_back(k, Json());
    next_ = &members.back().second;
    next_key_ = k;
    return true;
  }
  bool parse_error(std::size_t byte, const std::string&, const nlohmann::detail::exception& e) override {
    const size_t at = byte == 0 ? 0 : byte - 1;
    std::string msg = parser_message(e.what());
    if (msg.find("unexpected end of input") != std::string::npos) msg += " (the draft looks truncated)";
    throw DraftError(origin_, where(position_of(text_, at)), "not valid JSON: " + msg);
  }

 private:
  struct Frame {
    Json* value;
    std::unordered_set<std::string> keys;  // objects only
  };

  // Where the next value goes: the key just read, the next element of an array, or the root.
  Json* slot() {
    if (frames_.empty()) return &root_;
    Json* parent = frames_.back().value;
    if (parent->is_object()) return next_;
    auto& items = parent->get_ref<Json::array_t&>();
    items.emplace_back();
    return &items.back();
  }
  bool put(Json v) {
    *slot() = std::move(v);
    return true;
  }
  bool open(Json empty) {
    const bool in_array = !frames_.empty() && frames_.back().value->is_array();
    Json* at = slot();
    *at = std::move(empty);
    if (!frames_.empty()) path_.push_back(in_array ? std::to_string(frames_.back().value->size() - 1) : next_key_);
    frames_.push_back(Frame{at, {}});
    return true;
  }
  bool close() {
    frames_.pop_back();
    if (!path_.empty() && !frames_.empty()) path_.pop_back();
    return true;
  }

  std::string_view text_;
  std::string origin_;
  Json root_;
  std::vector<Frame> frames_;
  std::vector<std::string> path_;  // keys and indices from the root to the open container
  Json* next_ = nullptr;
  std::string next_key_;
};

// Reads at most `cap` bytes: one more than the limit tells "too large" from "at the limit".
std::string read_capped(FILE* f, size_t cap) {
  std::string text;
  char buf[1 << 16];
  size_t n;
  while (text.size() < cap && (n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  return text;
}

// What a file that is not text is, from its first bytes ("an MP4 video", "a JPEG photo"):
// a draft's name on another kind of file is told as that, not as JSON that "looks truncated"
// at its first NUL. Empty for text.
std::string binary_kind(std::string_view text) {
  auto at = [&](size_t offset, std::string_view magic) {
    return text.size() >= offset + magic.size() && text.substr(offset, magic.size()) == magic;
  };
  if (at(4, "ftyp"))
    return at(8, "heic") || at(8, "heix") || at(8, "mif1") || at(8, "avif") ? "a HEIF or AVIF picture"
           : at(8, "M4A ")                                                  ? "an M4A sound"
                                                                            : "an MP4 or QuickTime video";
  if (at(0, "\xFF\xD8\xFF")) return "a JPEG photo";
  if (at(0, "\x89PNG")) return "a PNG picture";
  if (at(0, "RIFF") && at(8, "WEBP")) return "a WebP picture";
  if (at(0, "RIFF") && at(8, "WAVE")) return "a WAV sound";
  if (at(0, "ID3") || (text.size() > 1 && uint8_t(text[0]) == 0xFF && (uint8_t(text[1]) & 0xE0) == 0xE0))
    return "an MP3 sound";
  if (at(0, "OggS")) return "an Ogg sound or video";
  if (at(0, "fLaC")) return "a FLAC sound";
  if (at(0, "\x1A\x45\xDF\xA3")) return "a Matroska or WebM video";
  if (at(0, "GIF8")) return "a GIF picture";
  if (at(0, "PK\x03\x04")) return "a ZIP archive";
  if (at(0, "%PDF")) return "a PDF document";
  if (text.substr(0, 4096).find('\0') != std::string_view::npos) return "binary data";
  return "";
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
  if (const std::string kind = binary_kind(text); !kind.empty())
    throw DraftError(from, "", "is " + kind + ", not a draft (JSON text); give the draft's .json file");
  prescan(text, origin, limits.max_depth);
  Builder builder(text, from);
  Json::sax_parse(text, &builder);
  return builder.take();
}

std::optional<Json> try_parse_json(std::string_view text, const ParseLimits& limits) {
  try {
    return parse_json(text, "", limits);
  } catch (const DraftError&) {
    return std::nullopt;
  }
}

Json read_json_file(const std::string& path, const ParseLimits& limits) {
  if (path == "-") return parse_json(read_capped(stdin, limits.max_bytes + 1), "<stdin>", limits);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw DraftError(path, "", std::string("cannot read the draft: ") + std::strerror(errno) + "; check the path");
  if (S_ISDIR(st.st_mode)) throw DraftError(path, "", "is a folder; give the draft's .json file");
  // A FIFO would block with no writer, a device (/dev/zero) never end: only files are read
  // by name ("-" reads standard input, capped).
  if (!S_ISREG(st.st_mode))
    throw DraftError(path, "",
                     std::string("is ") + (S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)" : "a device or socket") +
                         ", not a file; give the draft's .json file, or '-' to read standard input");
  if (static_cast<uint64_t>(st.st_size) > limits.max_bytes)
    throw DraftError(path, "",
                     "the file is " + std::to_string(st.st_size >> 20) + " MB; a draft may be at most " +
                         std::to_string(limits.max_bytes >> 20) + " MB (is this the right file?)");
  std::string text;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DraftError(path, "", std::string("cannot open the draft: ") + std::strerror(errno));
  text.resize(static_cast<size_t>(st.st_size));
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return parse_json(text, path, limits);
}

std::string write_json(const Json& json, bool pretty) {
  return json.dump(pretty ? 2 : -1, ' ', false, Json::error_handler_t::strict);
}

}  // namespace reel::draft
