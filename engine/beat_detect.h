#pragma once
// Where the beats of a piece of music fall, for cuts that land on them
// (`reel make --style highlight`). Onset strength from band energies, tempo from its
// autocorrelation, beats by the best-fitting comb, each refined to its onset.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/types.h"

namespace reel::engine {

struct BeatAnalysis {
  double bpm = 0;                 // 0 when no steady pulse was found
  std::vector<int64_t> beats_ms;  // ascending
  int64_t length_ms = 0;          // of the whole piece
};

/// Analyses the first `max_ms` of an audio file (decoded at 48 kHz, mixed to mono). Throws
/// MediaError (naming `reference`) when the file cannot be used.
BeatAnalysis detect_beats(const std::string& path, const std::string& reference, int64_t max_ms = 600000);

/// The same on samples already decoded: mono, 48 kHz.
BeatAnalysis detect_beats(const std::vector<float>& mono, int rate);

}  // namespace reel::engine
