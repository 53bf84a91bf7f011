#pragma once
// What the up-front checks learn of a photo or clip, without decoding it: plain data the plan
// carries for each item, so that preparing it later reads no header again. Filled in by
// photo/probe and clip/decoder.
#include "engine/internal.h"

#include <cstdint>
#include <string>

namespace reel::engine {

enum class PhotoFormat { Unknown, Jpeg, Png, Webp, Bmp, Tiff, Heif, Gif, Text, Empty };

const char* format_name(PhotoFormat f);

/// The header facts about one photo file. width/height are as stored; the displayed size
/// swaps them for orientations 5..8.
struct PhotoInfo {
  PhotoFormat format = PhotoFormat::Unknown;
  int64_t file_bytes = 0;
  int64_t width = 0, height = 0;
  int orientation = 1;   // EXIF orientation 1..8 (JPEG, TIFF); HEIF applies its own on decode
  bool complete = true;  // the file holds all the data its header promises
  std::string defect;    // when not usable: what is wrong ("the PNG data is truncated")
  int64_t display_width() const { return orientation >= 5 ? height : width; }
  int64_t display_height() const { return orientation >= 5 ? width : height; }
};

/// What the up-front probe learned about a clip. Plain data.
struct ClipInfo {
  int width = 0, height = 0;  // as shown, after rotation
  int rotation = 0;           // clockwise degrees to turn the stored picture: 0, 90, 180, 270
  int64_t duration_us = 0;    // from the first picture's start to the last picture's end
  bool has_audio = false;
  bool is_gif = false;
  std::string codec;  // "h264", "hevc", "vp9", "gif", ...
};

}  // namespace reel::engine
