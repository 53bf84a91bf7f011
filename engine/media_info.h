#pragma once
// What `reel make` needs to know about each photo or clip it is given: its upright size, when
// it was taken, whether it has transparency (a logo), how long a clip runs. Headers and
// metadata only: nothing is decoded in full.
#include <cstdint>
#include <string>
#include <vector>

#include "draft/make.h"
#include "engine/types.h"

namespace reel::engine {

/// Describes one file. A clip (by extension: mp4 mov avi webm mkv gif ...) is probed through
/// FFmpeg, anything else as a photo. Throws MediaError naming `reference` when the file is
/// missing, empty, corrupt or not a picture.
draft::MediaItem describe_media(const std::string& path, const std::string& reference, const MediaLimits& limits = {});

/// The loudest sample (0..1, of either channel) in each of `buckets` equal slices of
/// `length_ms` of the sound of `path` from `from_ms` on: a waveform to draw (the studio's music
/// lane). Slices past the end of the source are 0. Throws MediaError naming `reference` when
/// the file is not usable sound.
std::vector<float> sound_peaks(const std::string& path, const std::string& reference, int64_t from_ms,
                               int64_t length_ms, int buckets, const MediaLimits& limits = {});

/// "2024:07:14 18:03:22" (EXIF) or "2024-07-14T18:03:22.000000Z" (MP4 creation_time) as seconds
/// since the epoch, read as UTC; empty when it is not such a time.
std::optional<int64_t> parse_capture_time(const std::string& text);

}  // namespace reel::engine
