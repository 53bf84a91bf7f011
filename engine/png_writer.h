#pragma once
// Internal: writes a BGR picture as PNG under a temporary name, renamed when complete.
#include <opencv2/core.hpp>
#include <string>

namespace reel::engine {
void write_png(const std::string& path, const cv::Mat& bgr);
}  // namespace reel::engine
