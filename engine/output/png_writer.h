#pragma once
// Writes a BGR picture as PNG under a temporary name, renamed when complete, or into memory.
#include "engine/internal.h"

#include <opencv2/core.hpp>
#include <string>

namespace reel::engine {

/// How a PNG's pixels are packed: small (zlib level 1, for files people keep) or stored
/// without compression (a few MB written in a millisecond, for a page on loopback).
enum class PngPacking { Small, Stored };

/// Writes `bgr` (8-bit, 3 channels) to `path` as PNG, whole or not at all. Throws
/// base::FileError when the system refuses the write, EngineError when libpng does.
void write_png(const std::string& path, const cv::Mat& bgr, PngPacking packing = PngPacking::Small);

/// The same PNG in memory. Throws EngineError when libpng fails.
std::string encode_png(const cv::Mat& bgr, PngPacking packing = PngPacking::Small);

}  // namespace reel::engine
