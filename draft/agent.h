#pragma once
// The local editing agent: plain words in English or Chinese -> edits of a draft.
// Deterministic and pure (no I/O): the same draft, words and context give the same result.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "draft/model.h"

namespace reel::draft {

/// What the agent did with one instruction.
struct AgentReply {
  bool understood = false;  // at least one part of the instruction was understood
  bool changed = false;     // the draft changed
  /// One line for the person: what changed, then the timeline summary's difference; or what
  /// the agent can do when it did not understand.
  std::string message;
};

/// A song as the engine measured it (engine/beat_detect.h does, in the CLI).
struct MusicFacts {
  int64_t length_ms = 0;
  std::vector<int64_t> beats_ms;  // ascending
};

/// What the caller knows beside the words.
struct AgentContext {
  /// Media given with the instruction (a music file for "add background music", a logo), as
  /// they should be written in the draft. The caller checks that they exist.
  std::vector<std::string> files;
  /// Measures a music source of the draft (its reference as written) for "cut on the beat"
  /// and "fit the video to the song"; called only for those. Empty, or none returned: the
  /// agent says it cannot measure the song here.
  std::function<std::optional<MusicFacts>(const std::string& source)> measure_music;
};

/// Applies `instruction` to `draft`.
AgentReply apply_instruction(Draft& draft, const std::string& instruction, const AgentContext& context);
/// The same with only `files` known.
AgentReply apply_instruction(Draft& draft, const std::string& instruction, const std::vector<std::string>& files = {});

/// The first words of a conversation: read as a brief (`reel make --prompt`'s reader) as well as
/// an instruction, so a title the sentence gives ("a promo for our summer sale", a quoted
/// phrase, and a second one as the tagline) is added when the instruction added none.
AgentReply apply_first_words(Draft& draft, const std::string& words, const AgentContext& context);

/// The short list of what the agent understands, in the language of `sample` (Chinese when it
/// has CJK characters).
std::string agent_capabilities(const std::string& sample = "");

/// The difference between two drafts' timeline summaries, on one line:
/// "1. Video: 5 photos (0-20s → 0-30s); + 2. BGM: song (0-30s, 35%)". Empty when equal.
std::string summary_diff(const Draft& before, const Draft& after);

/// Keeps a photo track's transitions and the texts over it fitting after its timing changed:
/// no transition longer than half the shorter photo it joins, and every text on screen long
/// enough to read (1.5 s plus its animations, within the video). `photos` is the track index.
void keep_transitions_and_texts_fitting(Draft& draft, size_t photos);

}  // namespace reel::draft
