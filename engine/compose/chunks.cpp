#include "engine/compose/chunks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/files.h"
#include "base/hash.h"

namespace reel::engine {

namespace {

// Sorted, unique cut frames of the whole timeline, 0 and total_frames included.
std::vector<int64_t> timeline_cuts(const Plan& plan, const TextLayer& text) {
  std::vector<int64_t> cuts{0, plan.total_frames};
  for (const PlanItem& it : plan.items) {
    cuts.push_back(it.first_frame);
    cuts.push_back(it.end_frame);
    if (it.tr_type != draft::TransitionType::None && it.tr_end_us > it.tr_start_us) {
      cuts.push_back(plan.first_frame_at_us(it.tr_start_us));
      cuts.push_back(plan.first_frame_at_us(it.tr_end_us));
    }
  }
  for (const auto& [first, end] : text.frame_spans()) {
    cuts.push_back(first);
    cuts.push_back(end);
  }
  for (int64_t& c : cuts) c = std::clamp<int64_t>(c, 0, plan.total_frames);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  return cuts;
}

// Cuts closer than `shortest` frames to the cut before are dropped (the last cut stays).
std::vector<int64_t> merge_short(const std::vector<int64_t>& cuts, int64_t shortest) {
  std::vector<int64_t> kept;
  for (size_t i = 0; i < cuts.size(); ++i) {
    const bool last = i + 1 == cuts.size();
    if (!kept.empty() && !last && cuts[i] - kept.back() < shortest) continue;
    if (last && kept.size() > 1 && cuts[i] - kept.back() < shortest) kept.pop_back();
    kept.push_back(cuts[i]);
  }
  return kept;
}

// What decides the pixels of item i: every field of PlanItem but the messages' pointer and
// reference, with the file by its identity and the items it transitions with by their place.
// The draft's Ken Burns setting, the auto picks, the focus and the faces decide the pixels only
// through the resolved path (kb) and prep_scale, which are described.
std::string describe_item(const Plan& plan, int i, const std::string& identity) {
#if defined(__x86_64__) && defined(__GLIBCXX__)  // a reminder where the size is known
  static_assert(sizeof(PlanItem) == 544, "PlanItem changed: describe its new field here (it may change pixels)");
#endif
  const PlanItem& it = plan.items[size_t(i)];
  char buf[640];
  std::snprintf(buf, sizeof buf,
                "item|%d|track=%d|fit=%d|kb=%.17g,%.17g,%.17g>%.17g,%.17g,%.17g/%d|prep=%.17g|us=%lld,%lld,%lld,%lld|"
                "tr=%d:%lld,%lld|prev=%d|next=%d|frames=%lld,%lld|clip=%d|loop=%d|in=%lld|",
                i, it.track, int(it.fit), it.kb.from.x, it.kb.from.y, it.kb.from.zoom, it.kb.to.x, it.kb.to.y,
                it.kb.to.zoom, int(it.kb.ease), it.prep_scale, static_cast<long long>(it.start_us),
                static_cast<long long>(it.end_us), static_cast<long long>(it.vis_start_us),
                static_cast<long long>(it.vis_end_us), int(it.tr_type), static_cast<long long>(it.tr_start_us),
                static_cast<long long>(it.tr_end_us), it.prev, it.next, static_cast<long long>(it.first_frame),
                static_cast<long long>(it.end_frame), int(it.is_clip), int(it.loop), static_cast<long long>(it.in_us));
  return buf + identity + "\n";
}

// What names a file in a chunk's description: its identity on this machine (for the cache), or
// its content alone (for parts rendered elsewhere).
struct Identities {
  std::vector<std::string> local, content;
};

Chunk make_chunk(const Plan& plan, const TextLayer& text, const std::string& head, const Identities& identities,
                 int64_t begin, int64_t end) {
  Chunk c;
  c.begin = begin;
  c.end = end;
  char frames[64];
  std::snprintf(frames, sizeof frames, "frames=%lld,%lld\n", static_cast<long long>(begin),
                static_cast<long long>(end));
  std::string description = head + frames, portable = description;
  for (int i = 0; i < int(plan.items.size()); ++i) {
    const PlanItem& it = plan.items[size_t(i)];
    if (it.end_frame <= begin || it.first_frame >= end) continue;
    c.items.push_back(i);
    description += describe_item(plan, i, identities.local[size_t(i)]);
    portable += describe_item(plan, i, identities.content[size_t(i)]);
  }
  const std::string texts = text.describe(begin, end);
  c.key = entry_key(description + texts);
  c.portable_key = entry_key(portable + texts);
  return c;
}

}  // namespace

std::string entry_key(const std::string& description) {
  return base::hash_hex(description) + base::hash_hex("second\n" + description);
}

std::vector<Chunk> plan_chunks(const Plan& plan, const TextLayer& text, const std::string& encoding,
                               const ChunkLengths& lengths) {
  const double fps = plan.fps.value();
  const int64_t longest = std::max<int64_t>(1, int64_t(std::llround(lengths.longest_s * fps)));
  const int64_t shortest = std::max<int64_t>(1, int64_t(std::llround(lengths.shortest_s * fps)));
  const std::vector<int64_t> cuts = merge_short(timeline_cuts(plan, text), shortest);

  char head[256];
  std::snprintf(head, sizeof head, "reel-chunk|pixels=%d|canvas=%dx%d|fps=%lld/%lld|bg=%d,%d,%d|tracks=%d\n",
                kPixelRevision, plan.width, plan.height, static_cast<long long>(plan.fps.num),
                static_cast<long long>(plan.fps.den), plan.background_yuv.y, plan.background_yuv.u,
                plan.background_yuv.v, plan.track_count);
  std::string prefix = head + encoding + "\n";
  if (plan.fade_in_us > 0 || plan.fade_out_us > 0)  // only then, so other drafts keep their chunks
    prefix += "ends=" + std::to_string(plan.fade_in_us) + "," + std::to_string(plan.fade_out_us) + "," +
              std::to_string(plan.draft_end_us) + "\n";

  Identities identities{std::vector<std::string>(plan.items.size()), std::vector<std::string>(plan.items.size())};
  std::vector<bool> identified(plan.items.size(), false);
  std::vector<Chunk> chunks;
  for (size_t s = 0; s + 1 < cuts.size(); ++s) {
    const int64_t a = cuts[s], b = cuts[s + 1];
    if (b <= plan.frame_begin || a >= plan.frame_end) continue;
    const int64_t parts = (b - a + longest - 1) / longest;
    for (int64_t p = 0; p < parts; ++p) {
      const int64_t begin = a + (b - a) * p / parts, end = a + (b - a) * (p + 1) / parts;
      const int64_t from = std::max(begin, plan.frame_begin), to = std::min(end, plan.frame_end);
      if (to <= from) continue;
      for (size_t i = 0; i < plan.items.size(); ++i)
        if (!identified[i] && plan.items[i].end_frame > from && plan.items[i].first_frame < to) {
          identities.local[i] = base::file_identity(plan.items[i].path);
          identities.content[i] = base::content_identity(plan.items[i].path);
          identified[i] = true;
        }
      chunks.push_back(make_chunk(plan, text, prefix, identities, from, to));
    }
  }
  return chunks;
}

namespace {

// CPU per source pixel of a photo's decode at preview or final size, measured on this project's
// test photos (benchmarks/run.sh): JPEG decodes in the DCT domain at the size needed, the others
// decode whole.
double decode_ns_per_pixel(PhotoFormat format) { return format == PhotoFormat::Jpeg ? 4 : 13; }

constexpr double kComposeNsPerPixel = 0.6;  // the warp of one picture onto the canvas
constexpr double kClipDecodeNsPerPixel = 3;

}  // namespace

std::vector<double> chunk_costs(const Plan& plan, const std::vector<Chunk>& chunks, double encode_ns_per_pixel) {
  const double canvas = double(plan.width) * plan.height;
  std::vector<double> costs;
  costs.reserve(chunks.size());
  for (const Chunk& c : chunks) {
    double ns = double(c.frames()) * canvas * encode_ns_per_pixel;
    for (int i : c.items) {
      const PlanItem& it = plan.items[size_t(i)];
      const int64_t shown = std::min(c.end, it.end_frame) - std::max(c.begin, it.first_frame);
      ns += double(shown) * canvas * kComposeNsPerPixel;
      if (it.is_clip)
        ns += double(shown) * double(it.clip.width) * it.clip.height * kClipDecodeNsPerPixel;
      else if (it.first_frame >= c.begin && it.first_frame < c.end)
        ns += double(it.photo.width) * double(it.photo.height) * decode_ns_per_pixel(it.photo.format);
    }
    costs.push_back(ns * 1e-9);
  }
  return costs;
}

std::vector<size_t> split_by_cost(const std::vector<double>& costs, size_t parts) {
  parts = std::max<size_t>(1, std::min(parts, costs.size()));
  std::vector<double> before(costs.size() + 1, 0);  // before[i]: the cost of chunks [0, i)
  for (size_t i = 0; i < costs.size(); ++i) before[i + 1] = before[i] + std::max(0.0, costs[i]);
  std::vector<size_t> bounds{0};
  for (size_t k = 1; k < parts; ++k) {
    const double target = before.back() * double(k) / double(parts);
    // The boundary nearest the target, leaving at least one chunk to each range on both sides.
    size_t b = size_t(std::lower_bound(before.begin(), before.end(), target) - before.begin());
    if (b > 0 && target - before[b - 1] < before[b] - target) --b;
    b = std::clamp(b, bounds.back() + 1, costs.size() - (parts - k));
    bounds.push_back(b);
  }
  bounds.push_back(costs.size());
  return bounds;
}

}  // namespace reel::engine
