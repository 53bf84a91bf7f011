#pragma once
// Text -> JSON for drafts, hardened: size and nesting limits, UTF-8 checked, positions given
// as line:column. Throws DraftError; never crashes or recurses on hostile input.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "draft/json.h"

namespace reel::draft {

struct ParseLimits {
  size_t max_bytes = 16u << 20;  // a real draft is a few kB; 16 MB leaves room for huge ones
  int max_depth = 128;           // drafts nest about 6 deep
};

/// Parses `text` as one JSON value. `origin` names the file in messages ("-" for stdin).
Json parse_json(std::string_view text, std::string_view origin, const ParseLimits& limits = {});

/// parse_json for JSON that may be absent or damaged without it being the person's error (an
/// answer from the network, a record reel wrote): the value, or nullopt when it is not JSON
/// within the limits. The same hardened reader: linear, depth- and size-limited.
std::optional<Json> try_parse_json(std::string_view text, const ParseLimits& limits = {});

/// Reads a draft file (or standard input for "-") up to limits.max_bytes and parses it.
Json read_json_file(const std::string& path, const ParseLimits& limits = {});

/// Writes the draft JSON back: compact (one line) or pretty (two-space indent). UTF-8 as is.
std::string write_json(const Json& json, bool pretty);

}  // namespace reel::draft
