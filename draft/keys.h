#pragma once
// The short keys of the compact draft and their one long alias each.
#include <string_view>

#include "draft/json.h"

namespace reel::draft {

enum class Key { Tracks, TrackType, Segments, Duration, Metadata, Start, Source, SourceIn };

std::string_view short_name(Key k);
std::string_view long_name(Key k);

/// The spelling `obj` uses for `k`: the short or the long name, whichever is present; empty
/// when neither is. (Both present is reported by validation; the short one wins.)
std::string_view spelling_in(const Json& obj, Key k);

/// The value of `k` in `obj` under either spelling, or nullptr.
const Json* find_key(const Json& obj, Key k);
Json* find_key(Json& obj, Key k);

/// The key a known alias stands for: "t" and "tracks" are both Key::Tracks.
bool is_alias_of(std::string_view name, Key k);

}  // namespace reel::draft
