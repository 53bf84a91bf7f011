#pragma once
// A render cut into chunks: stretches of frames rendered, encoded and kept as units, so that
// an edit renders again only the chunks it reaches (Kdenlive's timeline preview keeps chunks
// the same way). The cuts follow the draft's own boundaries; each chunk's key names
// everything that decides its pixels and its bits. Pure: reads no media, only file identities.
#include "engine/internal.h"

#include <cstdint>
#include <string>
#include <vector>

#include "engine/plan/render_plan.h"
#include "engine/text/layer.h"

namespace reel::engine {

/// Changes whenever the engine would compose different pixels for the same draft (a change of
/// the warp, the framing, a transition, the text drawing): every kept chunk is then stale.
inline constexpr int kPixelRevision = 2;  // 2: blur keeps its photo whole under Ken Burns

struct Chunk {
  int64_t begin = 0, end = 0;  // frames [begin, end) of the draft's clock
  std::string key;             // everything that decides the chunk's pixels and bits
  std::vector<int> items;      // the plan's items on screen in it
  int64_t frames() const { return end - begin; }
};

/// The key of a kept entry described by `description`: two 64-bit hashes of it, so no two
/// entries a person makes share one.
std::string entry_key(const std::string& description);

/// How long chunks are, in seconds of the timeline.
struct ChunkLengths {
  double longest_s = 4;      // longer stretches are split in equal parts
  double shortest_s = 0.25;  // shorter ones join the stretch before them
};

/// The chunks of plan's frames [frame_begin, frame_end). The timeline [0, total_frames) is cut
/// at every item's first and last visible frame, the edges of every transition and the start
/// and end of every text; stretches shorter than shortest_s join the one before, longer ones
/// are split equally. A --from/--to range takes the chunks inside it whole and the ones at its
/// edges cut (keyed by their own frames). `encoding` names the encoder's settings and build
/// (see encoder_identity): part of every key.
std::vector<Chunk> plan_chunks(const Plan& plan, const TextLayer& text, const std::string& encoding,
                               const ChunkLengths& lengths = {});

}  // namespace reel::engine
