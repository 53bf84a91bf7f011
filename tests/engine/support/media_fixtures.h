#pragma once
// Test media made by the tests themselves: synthetic photos, JPEGs with an EXIF orientation,
// drafts as JSON, and a libavformat probe/decoder for the rendered files.
#include <filesystem>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "draft/model.h"
#include "support/temp_dir.h"

namespace reel::test {

namespace fs = std::filesystem;

/// A detailed synthetic photo: smooth colour gradients, stripes and deterministic noise, so
/// both framing errors and sub-pixel motion show up.
cv::Mat detailed_photo(int width, int height, uint32_t seed = 1);
/// Four quadrants: top-left red, top-right green, bottom-left blue, bottom-right white.
cv::Mat quadrant_photo(int width, int height);
cv::Mat flat_photo(int width, int height, cv::Scalar bgr);

void write_image(const std::string& path, const cv::Mat& m);  // by extension, quality 95
/// Writes `stored` as a JPEG with an EXIF APP1 segment carrying `orientation` (1..8).
void write_jpeg_with_orientation(const std::string& path, const cv::Mat& stored, int orientation);
/// The stored pixels that display as `displayed` under EXIF orientation o, from the EXIF
/// definition of the tag (row 0 / column 0 sides), pixel by pixel.
cv::Mat stored_for_orientation(const cv::Mat& displayed, int o);

/// A draft of one video track of photos, each `ms` long, with optional transition and
/// Ken Burns JSON (raw segment "m" objects).
/// A HEIC of `bgr` written through libheif's HEVC encoder; with `captured` (EXIF's
/// "YYYY:MM:DD HH:MM:SS") an EXIF block with that DateTimeOriginal, laid out as phones write it
/// ("Exif\0\0" before the TIFF header). False when this libheif has no HEVC encoder.
bool write_heic(const std::string& path, const cv::Mat& bgr, const std::string& captured = "");

Json slideshow_json(int width, int height, int fps, const std::vector<std::string>& photos, int ms,
                    const Json& segment_meta = Json::object());
draft::Draft load(const Json& j);

/// What libavformat says about a video file.
struct VideoProbe {
  int width = 0, height = 0;
  double fps = 0;
  int64_t frames = 0;   // counted packets
  double duration = 0;  // seconds, from the container
  std::string codec, pix_fmt;
  int color_primaries = 0, color_trc = 0, colorspace = 0, color_range = 0;
  bool has_audio = false;
};
VideoProbe probe_video(const std::string& path);
/// Every decoded frame as planes of a yuv420p picture: [0] Y, [1] U, [2] V.
std::vector<std::vector<cv::Mat>> decode_yuv(const std::string& path);
/// BGR of a decoded frame (BT.709).
cv::Mat to_bgr(const std::vector<cv::Mat>& yuv);

double psnr(const cv::Mat& a, const cv::Mat& b);
/// BT.709 limited-range luma of a BGR picture, 8-bit: what an encoder's Y plane should hold.
cv::Mat luma709(const cv::Mat& bgr);

/// Sub-pixel phase correlation: the displacement d with b(x) = a(x - d), from the phase plane
/// of the normalised cross-power spectrum fitted at low frequencies, refined by shifting b
/// back until no shift is left (cv::phaseCorrelate's peak centroid pulls sub-pixel shifts
/// towards whole pixels by up to 0.2 px on these pictures, and a fixed window pulls towards
/// zero; both are gone here). a and b are CV_32F of the same size.
cv::Point2d measure_shift(const cv::Mat& a, const cv::Mat& b);

}  // namespace reel::test
