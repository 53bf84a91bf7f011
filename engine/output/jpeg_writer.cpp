#include "engine/output/jpeg_writer.h"

#include <cstdio>
#include <cstdlib>
// clang-format off
#include <jpeglib.h>  // after <cstdio>: it uses FILE without including it
// clang-format on
#include <csetjmp>

#include "engine/errors.h"

namespace reel::engine {

namespace {

struct JpegWriteErrors {
  jpeg_error_mgr mgr;  // first: libjpeg hands back a pointer to it
  std::jmp_buf back;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_write_fail(j_common_ptr c) {
  auto* e = reinterpret_cast<JpegWriteErrors*>(c->err);
  (*c->err->format_message)(c, e->message);
  std::longjmp(e->back, 1);
}

/// Compresses into `*out` (malloc'd by libjpeg). False with `errors.message` set on failure.
/// Holds nothing with a destructor: libjpeg's errors longjmp back here.
bool compress(const cv::Mat& bgr, int quality, unsigned char** out, unsigned long* size, JpegWriteErrors& errors) {
  jpeg_compress_struct c{};
  c.err = jpeg_std_error(&errors.mgr);
  errors.mgr.error_exit = jpeg_write_fail;
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
  JpegWriteErrors errors{};
  const bool done = compress(bgr, quality, &out, &size, errors);
  std::string bytes = done && out ? std::string(reinterpret_cast<const char*>(out), size) : std::string();
  std::free(out);
  if (!done) throw EngineError(std::string("cannot encode a JPEG: ") + errors.message);
  return bytes;
}

}  // namespace reel::engine
