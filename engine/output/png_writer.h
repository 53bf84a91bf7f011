#pragma once
// Writes a BGR picture as PNG under a temporary name, renamed when complete, or into memory.
#include "engine/internal.h"

#include <opencv2/core.hpp>
#include <string>

namespace reel::engine {

/// Writes `bgr` (8-bit, 3 channels) to `path` as PNG, whole or not at all. Throws
/// base::FileError when the system refuses the write, EngineError when libpng does.
void write_png(const std::string& path, const cv::Mat& bgr);

/// The same PNG in memory. Throws EngineError when libpng fails.
std::string encode_png(const cv::Mat& bgr);

}  // namespace reel::engine
