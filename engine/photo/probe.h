#pragma once
// What a photo file is, read from its header without decoding the pixels, so size
// limits (decompression bombs) are enforced before any large allocation.
#include "engine/internal.h"

#include <string>

#include "engine/plan/source_info.h"

namespace reel::engine {

/// Reads the header of `path`. Never throws for bad content (defect says what is wrong);
/// throws MediaError-free std::system_error only when the file cannot be opened.
PhotoInfo probe_photo(const std::string& path);

}  // namespace reel::engine
