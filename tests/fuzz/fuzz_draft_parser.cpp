// Fuzzes text -> JSON -> typed draft -> summary -> text. Any input must give a DraftError or a
// draft whose written form parses back to the same value; anything else aborts.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "draft/edit.h"
#include "draft/parse.h"
#include "draft/summary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace reel::draft;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  reel::Json json;
  try {
    json = parse_json(text, "fuzz");
  } catch (const DraftError&) {
    return 0;
  }
  LoadResult r = load_draft(json);
  (void)timeline_summary(r.draft);
  (void)summary_json(r.draft).dump();
  for (const auto& p : r.problems) (void)p.line();
  std::string written = write_json(r.draft.json, false);
  if (parse_json(written, "again") != json) std::abort();  // the round trip lost something
  if (!r.draft.tracks.empty() && !r.draft.tracks[0].segments.empty()) {
    try {
      set_segment_source(r.draft, 0, 0, "https://cdn.example/x.jpg");
      (void)timeline_summary(r.draft);
    } catch (const std::invalid_argument&) {  // a segment that is not an object: refused
    }
  }
  return 0;
}
