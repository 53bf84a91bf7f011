#pragma once
// Decodes a photo once, at about the size it is needed, upright, 8-bit BGR, with any
// alpha composited over the background colour. OpenCV types stay in engine-internal headers.
#include "engine/internal.h"

#include <opencv2/core.hpp>
#include <string>

#include "draft/model.h"
#include "engine/photo/probe.h"

namespace reel::engine {

/// How close to `want` a decode may come.
enum class DecodeSize {
  AtLeast,  // never smaller (what a detector looks at)
  About,    // up to 15% smaller (a prepared source, made for its deepest zoom)
};

/// Decodes `path` (already probed into `info`). `want` is the displayed size the caller will
/// use: JPEG decodes at the smallest of its 1/8, 2/8, 3/8 and 4/8 DCT-domain sizes that `size`
/// allows, else whole; WebP scales while it decodes (never holding the full-size picture); the
/// result may still need a final resize. Throws DecodeError on failure.
cv::Mat decode_photo(const std::string& path, const PhotoInfo& info, cv::Size want, draft::Color background,
                     DecodeSize size = DecodeSize::AtLeast);

/// Decoding failed: `what()` says why in plain words ("the PNG data is corrupt").
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace reel::engine
