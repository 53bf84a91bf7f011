#pragma once
// The one use the engine makes of OpenCV's objdetect: Haar cascades, loaded and run. It lives in
// a shared module of its own (libreel_face_scan.so), opened the first time a subject search
// needs faces, so a render that searches for none never maps objdetect and what it pulls in
// (dnn, protobuf, calib3d, features2d, flann: 4.4 MB of RSS from their load alone, which no
// dlclose takes back). The module is never closed: the scanners' code stays valid.
#include "engine/internal.h"

#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace reel::engine {

/// One cascade, loaded. Like OpenCV's CascadeClassifier it keeps the picture it scans inside
/// itself: one scan at a time.
class CascadeScanner {
 public:
  virtual ~CascadeScanner() = default;
  /// detectMultiScale: the objects of at least `min` (and at most `max`, when given) in `grey`,
  /// scanned at sizes `step` apart, each kept when `neighbours` overlapping hits agree.
  virtual std::vector<cv::Rect> scan(const cv::Mat& grey, double step, int neighbours, cv::Size min,
                                     cv::Size max = {}) = 0;
};

/// What the module gives: a cascade loaded from its file, or null when it cannot be read.
struct FaceScanModule {
  std::unique_ptr<CascadeScanner> (*load)(const std::string& path);
};

/// The module, opened on the first call (and kept): null with `*problem` saying why when it
/// cannot be found or opened.
const FaceScanModule* face_scan_module(std::string* problem);

/// Empty when the module's file is there (it is opened by the first search, not now); else
/// "libreel_face_scan.so was not found (looked for …)". It is looked for beside the program,
/// then where this build made it; only at REEL_FACE_SCAN_MODULE's file when that is set.
std::string face_scan_module_missing();

}  // namespace reel::engine

/// The module's one entry point (looked up by name after dlopen).
extern "C" const reel::engine::FaceScanModule* reel_face_scan_module();
