#pragma once
// The three kinds of video people ask for, as numbers: pacing, transitions, motion, music.
// Shared by `reel make` (building a draft) and the local agent (restyling one).
#include <optional>
#include <string_view>

#include "draft/model.h"

namespace reel::draft {

enum class Style { Slideshow, Promo, Highlight };

struct StyleSpec {
  const char* name;
  int64_t photo_ms;            // how long each photo shows
  TransitionType transition;   // between photos
  int64_t transition_ms;
  const char* ken_burns;       // a preset name
  double music_volume;         // background music, linear
  int64_t music_fade_in_ms, music_fade_out_ms;
};

const StyleSpec& style_spec(Style s);
std::optional<Style> style_from_name(std::string_view name);

}  // namespace reel::draft
