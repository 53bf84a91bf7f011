#pragma once
// What a downloaded video is, read from its MP4 boxes (no decoder: cloud/ links no media
// library): enough to refuse an HTML error page, a truncated file or a video of the wrong length
// before it is saved under the name the person asked for.
#include <cstdint>
#include <string>

namespace reel::cloud {

/// Throws CloudError(BadResponse) naming `what` unless the file at `path` is an MP4 with a
/// movie header (moov/mvhd) whose duration is within max(1 s, 5%) of `expected_ms` (not
/// checked when expected_ms <= 0).
void require_mp4(const std::string& path, int64_t expected_ms, const std::string& what);

}  // namespace reel::cloud
