// libreel_face_scan.so: OpenCV's CascadeClassifier behind engine/photo/face_scan.h, opened by
// the engine with dlopen when a subject search first needs faces.
#include <opencv2/objdetect.hpp>

#include "engine/photo/face_scan.h"

namespace reel::engine {
namespace {

class HaarScanner final : public CascadeScanner {
 public:
  bool load(const std::string& path) {
    try {
      return cascade_.load(path);
    } catch (const cv::Exception&) {
      return false;
    }
  }
  std::vector<cv::Rect> scan(const cv::Mat& grey, double step, int neighbours, cv::Size min, cv::Size max) override {
    std::vector<cv::Rect> found;
    cascade_.detectMultiScale(grey, found, step, neighbours, 0, min, max);
    return found;
  }

 private:
  cv::CascadeClassifier cascade_;
};

std::unique_ptr<CascadeScanner> load_cascade(const std::string& path) {
  auto scanner = std::make_unique<HaarScanner>();
  if (!scanner->load(path)) return nullptr;
  return scanner;
}

const FaceScanModule kModule{load_cascade};

}  // namespace
}  // namespace reel::engine

extern "C" const reel::engine::FaceScanModule* reel_face_scan_module() { return &reel::engine::kModule; }
