#include "cli/music_facts.h"

#include <filesystem>

#include "engine/beat_detect.h"

namespace reel::cli {

std::optional<draft::MusicFacts> measure_music(const engine::RenderOptions& o, const std::string& source,
                                               std::string* why) {
  namespace fs = std::filesystem;
  try {
    const std::string ref = source.rfind("file://", 0) == 0 ? source.substr(7) : source;
    const std::string path = o.resolve_source              ? o.resolve_source(source)
                             : fs::path(ref).is_absolute() ? ref
                                                           : (fs::path(o.base_dir) / ref).lexically_normal().string();
    const engine::BeatAnalysis b = engine::detect_beats(path, source);
    return draft::MusicFacts{b.length_ms, b.beats_ms};
  } catch (const std::exception& e) {
    if (why) *why = e.what();
    return std::nullopt;
  }
}

}  // namespace reel::cli
