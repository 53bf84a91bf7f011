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

void png_append(png_structp png, png_bytep data, png_size_t size) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), size);
}
void png_no_flush(png_structp) {}

/// The PNG of `bgr` into `f`, or appended to `bytes` when `f` is null. False with `message`
/// set when libpng gives up. Holds nothing with a destructor: libpng's errors longjmp back here.
bool write_png_rows(std::FILE* f, std::string* bytes, const cv::Mat& bgr, PngPacking packing, char (&message)[200]) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, message, png_write_fail, png_write_note);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  if (f)
    png_init_io(png, f);
  else
    png_set_write_fn(png, bytes, png_append, png_no_flush);
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
    const bool written = write_png_rows(f, nullptr, bgr, packing, message);
    int write_errno = errno;
    const bool closed = std::fclose(f) == 0;
    if (!closed && !write_errno) write_errno = errno;
    // A full disk or a refused write is the system's doing; anything else is libpng's.
    if ((!written || !closed) && write_errno) throw base::FileError(base::Access::Write, path, write_errno);
    if (!written || !closed) throw EngineError("cannot write " + path + ": " + message);
  }
  temp.commit();
}

std::string encode_png(const cv::Mat& bgr, PngPacking packing) {
  CV_Assert(bgr.type() == CV_8UC3);
  std::string bytes;
  // Stored rows and their framing (IDAT chunks, deflate blocks) in one allocation.
  const size_t raw = size_t(bgr.rows) * (size_t(bgr.cols) * 3 + 1);
  if (packing == PngPacking::Stored) bytes.reserve(raw + raw / 512 + 4096);
  char message[200] = "";
  if (!write_png_rows(nullptr, &bytes, bgr, packing, message))
    throw EngineError(std::string("cannot encode a PNG: ") + message);
  return bytes;
}

}  // namespace reel::engine
