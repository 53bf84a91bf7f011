#pragma once
// `reel make --prompt` (and the first words of a session): the sentence a person wrote, read
// for the choices a video needs — length, shape, style, pace, transitions, the words on
// screen and the kind of music. Pure; what it read and what it could not are both kept, so
// the caller can say them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "draft/model.h"
#include "draft/styles.h"

namespace reel::draft {

enum class MusicMood { Upbeat, Calm };

struct PromptReading {
  std::optional<Style> style;
  std::optional<std::string> aspect;    // "9:16", "4:5", "1:1", "4:3", "16:9"
  std::optional<std::string> platform;  // "TikTok", "YouTube", ... as it was named
  std::optional<int64_t> duration_ms;
  std::optional<double> pace;                // how long each photo shows against the style's pace (0.6 fast, 1.5 slow)
  std::optional<TransitionType> transition;  // None: straight cuts
  std::string title, tagline;                // the quoted texts, in order (or the title from "for our X")
  std::optional<MusicMood> mood;
  std::vector<std::string> understood;      // each choice in words: "9:16 (TikTok)", "15 s", ...
  std::vector<std::string> not_understood;  // the parts of the sentence nothing was read from
};

/// Reads `prompt` (English or Chinese).
PromptReading read_prompt(const std::string& prompt);

/// A song `reel make` was given: its reference, and its tempo as measured (0: unknown).
struct SongChoice {
  std::string reference;
  double bpm = 0;
};
/// The song the words pick: one whose file name the prompt mentions, else by mood (the fastest
/// tempo for upbeat words, the slowest for calm ones), else the first. `songs` is not empty.
size_t pick_song(const std::vector<SongChoice>& songs, const std::string& prompt, const PromptReading& reading);

}  // namespace reel::draft
