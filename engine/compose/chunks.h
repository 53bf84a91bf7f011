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
// 2: blur keeps its photo whole under Ken Burns; 3: JPEG also decoded at 3/8 of its size;
// 4: a cover never framed larger than its decode (the warp scales the rest); 5: JPEG and WebP
// decoded for the rows the Ken Burns path reaches.
inline constexpr int kPixelRevision = 5;

struct Chunk {
  int64_t begin = 0, end = 0;  // frames [begin, end) of the draft's clock
  std::string key;             // everything that decides the chunk's pixels and bits
  std::string portable_key;    // the same with files by their content alone: equal on any machine
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

/// What rendering each chunk costs, in estimated CPU seconds of one core: the encode of its
/// frames (`encode_ns_per_pixel`, see encode_cost_ns_per_pixel), their compose (a transition
/// warps two pictures) and the decode of every photo whose first visible frame it holds (by
/// its pixels and format) or every clip picture it shows. A model to share work out fairly,
/// not a prediction to the second.
std::vector<double> chunk_costs(const Plan& plan, const std::vector<Chunk>& chunks, double encode_ns_per_pixel);

/// Cuts `costs` (one per chunk, in order) into `parts` contiguous ranges of about equal total:
/// parts + 1 indices, the first 0 and the last costs.size(); no range is empty while there are
/// at least as many chunks as parts (parts is reduced to costs.size() otherwise).
std::vector<size_t> split_by_cost(const std::vector<double>& costs, size_t parts);

}  // namespace reel::engine
