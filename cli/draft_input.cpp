#include "cli/draft_input.h"

#include <filesystem>
#include <iostream>

#include "base/files.h"
#include "draft/parse.h"
#include "draft/subtitles.h"

namespace reel::cli {

DraftInput read_draft_input(const std::string& path) {
  DraftInput in;
  in.path = path;
  namespace fs = std::filesystem;
  in.base_dir = path == "-" ? fs::current_path().string() : fs::absolute(fs::path(path)).parent_path().string();
  in.loaded = draft::load_draft(draft::read_json_file(path));
  return in;
}

void add_captions_from_file(draft::Draft& draft, const std::string& path) {
  const std::string text = base::read_input_file(path, 8 << 20, "a subtitles file (.srt or .vtt)");
  draft::add_caption_tracks(draft, draft::parse_subtitles(text, path));
}

bool report_problems(const DraftInput& input, bool notices) {
  const std::string name = input.path == "-" ? "<stdin>" : input.path;
  for (const auto& p : input.loaded.problems) {
    if (p.severity == draft::Severity::Notice && !notices) continue;
    std::cerr << name << ": " << p.line() << "\n";
  }
  return !input.loaded.ok();
}

std::optional<DraftInput> read_usable_draft(const std::string& path) {
  DraftInput in = read_draft_input(path);
  if (report_problems(in, false)) {
    std::cerr << "reel: the draft has errors; fix them first (`reel validate " << path << "` lists them)\n";
    return std::nullopt;
  }
  return in;
}

}  // namespace reel::cli
