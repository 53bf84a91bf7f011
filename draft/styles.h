#pragma once
// The three kinds of video people ask for, as numbers: pacing, transitions, motion, music.
// Shared by `reel make` (building a draft) and the local agent (restyling one).
#include <optional>
#include <string_view>

#include "draft/model.h"

namespace reel::draft {

enum class Style { Slideshow, Promo, Highlight };

struct StyleSpec {
  const char* name;           // "slideshow", "promo", "highlight"
  const char* label;          // as a sentence says it: "slideshow", "promo", "highlight reel"
  int64_t photo_ms;           // how long each photo shows
  TransitionType transition;  // between photos
  int64_t transition_ms;
  const char* ken_burns;  // a preset name
  double music_volume;    // background music, linear
  int64_t music_fade_in_ms, music_fade_out_ms;
};

const StyleSpec& style_spec(Style s);
std::optional<Style> style_from_name(std::string_view name);
/// The style that words ask for, in English or Chinese ("a slide show", "promotion", "宣传片",
/// "集锦"), or none. `lower_words` is lower-cased ASCII (lower_ascii, draft/words.h); a slideshow
/// is looked for first, then a promo, then a highlight reel.
std::optional<Style> style_in_words(std::string_view lower_words);

}  // namespace reel::draft
