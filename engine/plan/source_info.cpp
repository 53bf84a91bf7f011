#include "engine/plan/source_info.h"

namespace reel::engine {

const char* format_name(PhotoFormat f) {
  switch (f) {
    case PhotoFormat::Jpeg:
      return "JPEG";
    case PhotoFormat::Png:
      return "PNG";
    case PhotoFormat::Webp:
      return "WebP";
    case PhotoFormat::Bmp:
      return "BMP";
    case PhotoFormat::Tiff:
      return "TIFF";
    case PhotoFormat::Heif:
      return "HEIF";
    case PhotoFormat::Gif:
      return "GIF";
    case PhotoFormat::Text:
      return "text";
    case PhotoFormat::Empty:
      return "empty";
    case PhotoFormat::Unknown:
      break;
  }
  return "unknown";
}

}  // namespace reel::engine
