#pragma once
// The draft's song measured by the engine (its length and beats) for the local agent's "cut
// on the beat" and "fit the video to the song": what `reel chat` and `reel mcp`'s edit_draft
// hand draft::AgentContext::measure_music.
#include <optional>
#include <string>

#include "draft/agent.h"
#include "engine/types.h"

namespace reel::cli {

/// Measures the music source `source` (as written in the draft) through `options`' resolver
/// (remote media already fetched into the cache by resolve_remote_media), or against its
/// base_dir when it has none. Nothing when it cannot be measured; `why` then says why.
std::optional<draft::MusicFacts> measure_music(const engine::RenderOptions& options, const std::string& source,
                                               std::string* why = nullptr);

}  // namespace reel::cli
