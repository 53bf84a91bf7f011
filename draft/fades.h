#pragma once
// The fade of the whole picture from the background at the start of a draft (`m.fi`) and back
// to it at the end (`m.fo`): what every video reel makes opens and closes with.
#include <cstdint>

#include "draft/model.h"

namespace reel::draft {

struct EndFades {
  int64_t in_ms = 0, out_ms = 0;
};
/// The draft's end fades, in ms; 0 where absent or not a valid length (load_draft says why).
EndFades end_fades(const Draft& draft);

}  // namespace reel::draft
