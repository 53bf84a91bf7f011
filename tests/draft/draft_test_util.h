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

/// Five photos of 4 s (fades of 600 ms into 2..5), music over all 20 s at 35%, a title over 0-3 s:
/// the draft the agent's tests edit.
inline const char* kFivePhotos = R"({"m": {"title": "Trip", "width": 1920, "height": 1080}, "t": [
  {"tt": 0, "m": {"name": "trip"}, "sg": [
    {"s": 0, "d": 4000, "src": "p1.jpg"}, {"s": 4000, "d": 4000, "src": "p2.jpg", "m": {"tr": {"type": "fade", "d": 600}}},
    {"s": 8000, "d": 4000, "src": "p3.jpg", "m": {"tr": {"type": "fade", "d": 600}}},
    {"s": 12000, "d": 4000, "src": "p4.jpg", "m": {"tr": {"type": "fade", "d": 600}}},
    {"s": 16000, "d": 4000, "src": "p5.jpg", "m": {"tr": {"type": "fade", "d": 600}}}]},
  {"tt": 1, "sg": [{"s": 0, "d": 20000, "src": "song.mp3", "m": {"name": "Song", "vol": 0.35}}]},
  {"tt": 7, "m": {"kind": "title"}, "sg": [{"s": 0, "d": 3000, "m": {"text": "Trip"}}]}]})";

/// A draft of one video track with the given segments JSON (a list).
inline std::string video_draft(const std::string& segments) { return R"({"t": [{"tt": 0, "sg": )" + segments + "}]}"; }

}  // namespace reel::draft::test
