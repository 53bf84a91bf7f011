#pragma once
// The local editing agent: plain words in English or Chinese -> edits of a draft.
// Deterministic and pure (no I/O): the same draft and words give the same result.
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

/// Applies `instruction` to `draft`. `files` are media given with the instruction (a music
/// file for "add background music"), as they should be written in the draft.
AgentReply apply_instruction(Draft& draft, const std::string& instruction, const std::vector<std::string>& files = {});

/// The short list of what the agent understands, in the language of `sample` (Chinese when it
/// has CJK characters).
std::string agent_capabilities(const std::string& sample = "");

/// The difference between two drafts' timeline summaries, on one line:
/// "1. Video: 5 photos (0-20s → 0-30s); + 2. BGM: song (0-30s, 35%)". Empty when equal.
std::string summary_diff(const Draft& before, const Draft& after);

}  // namespace reel::draft
