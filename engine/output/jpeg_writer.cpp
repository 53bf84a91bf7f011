#include "engine/output/jpeg_writer.h"

#include <cstdlib>

#include "engine/errors.h"
#include "engine/photo/jpeg_errors.h"

namespace reel::engine {

namespace {

/// Compresses into `*out` (malloc'd by libjpeg). False with `errors.message` set on failure.
/// Holds nothing with a destructor: libjpeg's errors longjmp back here.
bool compress(const cv::Mat& bgr, int quality, unsigned char** out, unsigned long* size, JpegErrors& errors) {
  jpeg_compress_struct c{};
  c.err = jpeg_std_error(&errors.mgr);
  errors.mgr.error_exit = jpeg_fail;
  if (setjmp(errors.back)) {
    jpeg_destroy_compress(&c);
    return false;
  }
  jpeg_create_compress(&c);
  jpeg_mem_dest(&c, out, size);
  c.image_width = JDIMENSION(bgr.cols);
  c.image_height = JDIMENSION(bgr.rows);
  c.input_components = 3;
  c.in_color_space = JCS_EXT_BGR;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(bgr.ptr(int(c.next_scanline)));
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  return true;
}

}  // namespace

std::string encode_jpeg(const cv::Mat& bgr, int quality) {
  CV_Assert(bgr.type() == CV_8UC3);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  JpegErrors errors{};
  const bool done = compress(bgr, quality, &out, &size, errors);
  std::string bytes = done && out ? std::string(reinterpret_cast<const char*>(out), size) : std::string();
  std::free(out);
  if (!done) throw EngineError(std::string("cannot encode a JPEG: ") + errors.message);
  return bytes;
}

}  // namespace reel::engine
