#pragma once
// Helpers shared by the draft tests: load from text, find problems by pointer.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "draft/model.h"
#include "draft/parse.h"

namespace reel::draft::test {

inline LoadResult load_text(const std::string& text) { return load_draft(parse_json(text, "test.json")); }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string seed_path() { return std::string(REEL_ASSETS_DIR) + "/examples/urban-dreams.json"; }

/// The problems at exactly `pointer`.
inline std::vector<Problem> at(const LoadResult& r, const std::string& pointer) {
  std::vector<Problem> out;
  for (const auto& p : r.problems)
    if (p.pointer == pointer) out.push_back(p);
  return out;
}

/// The one line of the problem at `pointer` with `severity`, or "" when there is none.
inline std::string line_at(const LoadResult& r, const std::string& pointer, Severity s = Severity::Error) {
  for (const auto& p : r.problems)
    if (p.pointer == pointer && p.severity == s) return p.line();
  return "";
}

/// A draft of one video track with the given segments JSON (a list).
inline std::string video_draft(const std::string& segments) { return R"({"t": [{"tt": 0, "sg": )" + segments + "}]}"; }

}  // namespace reel::draft::test
