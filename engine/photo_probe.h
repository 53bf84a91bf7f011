#pragma once
// Internal: what a photo file is, read from its header without decoding the pixels, so size
// limits (decompression bombs) are enforced before any large allocation.
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

/// Reads the header of `path`. Never throws for bad content (defect says what is wrong);
/// throws MediaError-free std::system_error only when the file cannot be opened.
PhotoInfo probe_photo(const std::string& path);

}  // namespace reel::engine
