#include "engine/output/png_writer.h"

#include <png.h>

#include <cerrno>
#include <csetjmp>
#include <cstdio>

#include "base/error.h"
#include "base/files.h"
#include "engine/errors.h"

namespace reel::engine {

namespace {

void png_write_fail(png_structp png, png_const_charp message) {
  std::snprintf(static_cast<char*>(png_get_error_ptr(png)), 200, "%s", message);
  png_longjmp(png, 1);
}
void png_write_note(png_structp, png_const_charp) {}

/// The PNG of `bgr` into `f`. False with `message` set when libpng gives up. Holds nothing
/// with a destructor: libpng's errors longjmp back here.
bool write_png_rows(std::FILE* f, const cv::Mat& bgr, PngPacking packing, char (&message)[200]) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, message, png_write_fail, png_write_note);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_init_io(png, f);
  png_set_IHDR(png, info, png_uint_32(bgr.cols), png_uint_32(bgr.rows), 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  // Fast over small: a 1080p still in about 0.1 s (zlib's default level takes 0.7 s).
  png_set_compression_level(png, packing == PngPacking::Stored ? 0 : 1);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, packing == PngPacking::Stored ? PNG_FILTER_NONE : PNG_FILTER_SUB);
  png_set_bgr(png);
  png_write_info(png, info);
  for (int y = 0; y < bgr.rows; ++y) png_write_row(png, bgr.ptr(y));
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

// Through libpng rather than cv::imencode: the first imencode builds OpenCV's whole codec
// list (GDAL's drivers included, 10 MB), as the first imread would.
void write_png(const std::string& path, const cv::Mat& bgr, PngPacking packing) {
  CV_Assert(bgr.type() == CV_8UC3);
  base::AtomicFile temp(path);
  {
    std::FILE* f = std::fopen(temp.temp_path().c_str(), "wb");
    if (!f) throw base::FileError(base::Access::Write, path, errno);
    char message[200] = "";
    errno = 0;
    const bool written = write_png_rows(f, bgr, packing, message);
    int write_errno = errno;
    const bool closed = std::fclose(f) == 0;
    if (!closed && !write_errno) write_errno = errno;
    // A full disk or a refused write is the system's doing; anything else is libpng's.
    if ((!written || !closed) && write_errno) throw base::FileError(base::Access::Write, path, write_errno);
    if (!written || !closed) throw EngineError("cannot write " + path + ": " + message);
  }
  temp.commit();
}

}  // namespace reel::engine
