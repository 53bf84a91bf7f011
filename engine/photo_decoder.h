#pragma once
// Internal: decodes a photo once, at about the size it is needed, upright, 8-bit BGR, with any
// alpha composited over the background colour. OpenCV types stay in engine-internal headers.
#include <opencv2/core.hpp>
#include <string>

#include "draft/model.h"
#include "engine/photo_probe.h"

namespace reel::engine {

/// Decodes `path` (already probed into `info`). `min_scale` is the smallest scale of the
/// displayed photo that is still needed (<= 1 lets JPEG decode at 1/2, 1/4 or 1/8 size in the
/// DCT domain). Throws MediaError-ready std::runtime_error text via DecodeError on failure.
cv::Mat decode_photo(const std::string& path, const PhotoInfo& info, double min_scale, draft::Color background);

/// Decoding failed: `what()` says why in plain words ("the PNG data is corrupt").
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace reel::engine
