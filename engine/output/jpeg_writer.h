#pragma once
// Encodes a BGR picture as JPEG in memory (libjpeg-turbo), for frames handed on as images.
#include "engine/internal.h"

#include <opencv2/core.hpp>
#include <string>

namespace reel::engine {

/// `bgr` (8-bit, 3 channels) as a baseline JPEG of `quality` (1..100), 4:2:0. Throws
/// EngineError when libjpeg fails.
std::string encode_jpeg(const cv::Mat& bgr, int quality);

}  // namespace reel::engine
