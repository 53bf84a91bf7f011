#include "engine/photo/decoder.h"

#include <jpeglib.h>  // after <cstdio>: it uses FILE without including it
#include <libheif/heif.h>
#include <png.h>
#include <webp/decode.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <numeric>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <vector>

#include "engine/av/handles.h"
#include "engine/photo/jpeg_errors.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace reel::engine {

namespace {

/// Applies EXIF orientation 1..8 so the picture is upright.
cv::Mat apply_orientation(cv::Mat m, int orientation) {
  cv::Mat out;
  switch (orientation) {
    case 2:
      cv::flip(m, out, 1);
      return out;
    case 3:
      cv::rotate(m, out, cv::ROTATE_180);
      return out;
    case 4:
      cv::flip(m, out, 0);
      return out;
    case 5:
      cv::transpose(m, out);
      return out;  // mirror + rotate 270 cw == transpose
    case 6:
      cv::rotate(m, out, cv::ROTATE_90_CLOCKWISE);
      return out;
    case 7:
      cv::rotate(m, out, cv::ROTATE_90_CLOCKWISE);
      cv::flip(out, out, 0);
      return out;
    case 8:
      cv::rotate(m, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      return out;
    default:
      return m;
  }
}

/// Any depth and channel count to 8-bit BGR; alpha is composited over `bg`.
cv::Mat to_bgr8(cv::Mat m, draft::Color bg) {
  if (m.depth() == CV_16U) {
    cv::Mat t;
    m.convertTo(t, CV_8U, 1.0 / 257.0);
    m = t;
  } else if (m.depth() != CV_8U) {
    cv::Mat t;
    m.convertTo(t, CV_8U, m.depth() == CV_32F || m.depth() == CV_64F ? 255.0 : 1.0);
    m = t;
  }
  cv::Mat out;
  switch (m.channels()) {
    case 1:
      cv::cvtColor(m, out, cv::COLOR_GRAY2BGR);
      return out;
    case 3:
      return m;
    case 2: {  // grey + alpha
      std::vector<cv::Mat> ch;
      cv::split(m, ch);
      cv::Mat bgra;
      cv::merge(std::vector<cv::Mat>{ch[0], ch[0], ch[0], ch[1]}, bgra);
      m = bgra;
      [[fallthrough]];
    }
    case 4: {
      out.create(m.rows, m.cols, CV_8UC3);
      const int bb = bg.b, bgc = bg.g, br = bg.r;
      for (int y = 0; y < m.rows; ++y) {
        const uint8_t* s = m.ptr<uint8_t>(y);
        uint8_t* d = out.ptr<uint8_t>(y);
        for (int x = 0; x < m.cols; ++x, s += 4, d += 3) {
          int a = s[3], ia = 255 - a;
          d[0] = uint8_t((s[0] * a + bb * ia + 127) / 255);
          d[1] = uint8_t((s[1] * a + bgc * ia + 127) / 255);
          d[2] = uint8_t((s[2] * a + br * ia + 127) / 255);
        }
      }
      return out;
    }
    default:
      throw DecodeError("the image has an unusual channel count");
  }
}

cv::Mat decode_heif(const std::string& path, draft::Color bg) {
  std::unique_ptr<heif_context, void (*)(heif_context*)> ctx(heif_context_alloc(), heif_context_free);
  heif_error err = heif_context_read_from_file(ctx.get(), path.c_str(), nullptr);
  if (err.code != heif_error_Ok) throw DecodeError(std::string("the HEIF is corrupt (") + err.message + ")");
  heif_image_handle* raw_handle = nullptr;
  err = heif_context_get_primary_image_handle(ctx.get(), &raw_handle);
  if (err.code != heif_error_Ok) throw DecodeError(std::string("the HEIF has no image (") + err.message + ")");
  std::unique_ptr<heif_image_handle, void (*)(const heif_image_handle*)> handle(raw_handle, heif_image_handle_release);
  bool alpha = heif_image_handle_has_alpha_channel(handle.get());
  heif_image* raw_img = nullptr;
  // Default decoding options apply the container's rotation (irot) and mirror (imir).
  err = heif_decode_image(handle.get(), &raw_img, heif_colorspace_RGB,
                          alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, nullptr);
  if (err.code != heif_error_Ok) throw DecodeError(std::string("the HEIF image data is corrupt (") + err.message + ")");
  std::unique_ptr<heif_image, void (*)(const heif_image*)> img(raw_img, heif_image_release);
  int stride = 0;
  const uint8_t* data = heif_image_get_plane_readonly(img.get(), heif_channel_interleaved, &stride);
  int w = heif_image_get_width(img.get(), heif_channel_interleaved);
  int h = heif_image_get_height(img.get(), heif_channel_interleaved);
  if (!data || w <= 0 || h <= 0) throw DecodeError("the HEIF image data is corrupt");
  cv::Mat rgb(h, w, alpha ? CV_8UC4 : CV_8UC3, const_cast<uint8_t*>(data), size_t(stride));
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, alpha ? cv::COLOR_RGBA2BGRA : cv::COLOR_RGB2BGR);
  return to_bgr8(bgr, bg);
}

/// BMP and TIFF through libavcodec's decoders (already linked for clips), so the engine needs
/// no OpenCV codec module: linking that one loads GDAL, GDCM and Poppler into every reel
/// process (about 15 MB of memory and a tenth of a second at start). 8-bit BGR, or BGRA when
/// the picture has alpha (composited by to_bgr8); EXIF is ours.
cv::Mat decode_with_libav(const std::string& path, PhotoFormat format) {
  const std::string corrupt = std::string("the ") + format_name(format) + " image data is corrupt or truncated";
  int err = 0;
  av::InputPtr in = av::open_input(path, err);
  if (!in || avformat_find_stream_info(in.get(), nullptr) < 0) throw DecodeError(corrupt);
  const AVCodec* codec = nullptr;
  const int stream = av_find_best_stream(in.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (stream < 0 || !codec) throw DecodeError(corrupt);
  av::CodecContextPtr dec(avcodec_alloc_context3(codec));
  if (!dec) throw std::bad_alloc();
  if (avcodec_parameters_to_context(dec.get(), in->streams[stream]->codecpar) < 0 ||
      avcodec_open2(dec.get(), codec, nullptr) < 0)
    throw DecodeError(corrupt);
  av::PacketPtr pkt = av::alloc_packet();
  av::FramePtr frame = av::alloc_frame();
  bool got = false;
  while (!got && av_read_frame(in.get(), pkt.get()) >= 0) {
    if (pkt->stream_index == stream && avcodec_send_packet(dec.get(), pkt.get()) >= 0)
      got = avcodec_receive_frame(dec.get(), frame.get()) >= 0;
    av_packet_unref(pkt.get());
  }
  if (!got && avcodec_send_packet(dec.get(), nullptr) >= 0) got = avcodec_receive_frame(dec.get(), frame.get()) >= 0;
  if (!got || frame->width <= 0 || frame->height <= 0) throw DecodeError(corrupt);
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(AVPixelFormat(frame->format));
  const bool alpha = desc && (desc->flags & AV_PIX_FMT_FLAG_ALPHA);
  cv::Mat out(frame->height, frame->width, alpha ? CV_8UC4 : CV_8UC3);
  av::SwsPtr sws(sws_getContext(frame->width, frame->height, AVPixelFormat(frame->format), frame->width, frame->height,
                                alpha ? AV_PIX_FMT_BGRA : AV_PIX_FMT_BGR24, SWS_POINT, nullptr, nullptr, nullptr));
  if (!sws) throw DecodeError(corrupt);
  uint8_t* dst[1] = {out.data};
  const int dst_stride[1] = {int(out.step)};
  sws_scale(sws.get(), frame->data, frame->linesize, 0, frame->height, dst, dst_stride);
  return out;
}

/// True when a WebP of w x h is scaled to `want` while it decodes (smaller both ways).
bool webp_scales(int w, int h, cv::Size want) {
  return want.width > 0 && want.height > 0 && want.width < w && want.height < h;
}

/// A WebP decoded for the rows `rows` of its picture: the source rows [top, bottom) and the
/// rows of the whole scaled picture they make (see decoded_rows).
struct WebpCrop {
  int top = 0, bottom = 0;
  RowSpan rows;
};

/// The crop of a w x h WebP, scaled to `want`, that makes at least the rows `asked`; none when
/// that is every row. The source rows that scale onto whole rows are the multiples of
/// h / gcd(h, scaled height) (libwebp's rescaler then starts in step with the whole
/// picture's); twice that when needed for even rows on both sides (libwebp crops from an even
/// row; the picture's chroma is halved).
std::optional<WebpCrop> webp_crop(int w, int h, cv::Size want, RowSpan asked) {
  const int scaled = webp_scales(w, h, want) ? want.height : h;
  const int g = std::gcd(h, scaled);
  int step_src = h / g, step_out = scaled / g;
  if (step_src % 2 || step_out % 2) step_src *= 2, step_out *= 2;
  const int first = std::clamp(asked.first, 0, scaled), end = std::clamp(asked.end, first, scaled);
  WebpCrop c;
  c.rows.first = first / step_out * step_out;
  c.top = c.rows.first / step_out * step_src;
  c.rows.end = std::min(scaled, (end + step_out - 1) / step_out * step_out);
  c.bottom = c.rows.end == scaled ? h : c.rows.end / step_out * step_src;
  if (c.rows.first == 0 && c.rows.end == scaled) return std::nullopt;
  if (c.rows.end <= c.rows.first) return std::nullopt;
  return c;
}

/// WebP through libwebp, scaled while decoding when smaller than the original, fed from the
/// file in 256 kB pieces (the compressed file is never held whole either); with `crop`, only
/// its rows.
cv::Mat decode_webp(const std::string& path, cv::Size want, draft::Color bg, std::optional<WebpCrop> crop = {}) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> head(64 * 1024);
  in.read(reinterpret_cast<char*>(head.data()), std::streamsize(head.size()));
  head.resize(size_t(in.gcount()));
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) throw DecodeError("the WebP decoder cannot start");
  if (WebPGetFeatures(head.data(), head.size(), &config.input) != VP8_STATUS_OK)
    throw DecodeError("the WebP image data is corrupt or truncated (the decoder gave up)");
  const bool alpha = config.input.has_alpha;
  int w = config.input.width, h = config.input.height;
  if (crop) {
    config.options.use_cropping = 1;
    config.options.crop_left = 0;
    config.options.crop_top = crop->top;
    config.options.crop_width = w;
    config.options.crop_height = crop->bottom - crop->top;
  }
  if (webp_scales(w, h, want)) {
    config.options.use_scaling = 1;
    config.options.scaled_width = want.width;
    config.options.scaled_height = crop ? crop->rows.end - crop->rows.first : want.height;
    // Shrunk to half or less, the in-loop deblocking and the smooth chroma upsampling do not
    // survive the downscale: skip them (a third of the decode time).
    if (want.width * 2 <= w && want.height * 2 <= h) {
      config.options.bypass_filtering = 1;
      config.options.no_fancy_upsampling = 1;
    }
    w = want.width;
    h = config.options.scaled_height;
  } else if (crop) {
    h = crop->bottom - crop->top;
  }
  cv::Mat m(h, w, alpha ? CV_8UC4 : CV_8UC3);
  config.output.colorspace = alpha ? MODE_BGRA : MODE_BGR;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = m.data;
  config.output.u.RGBA.stride = int(m.step[0]);
  config.output.u.RGBA.size = m.total() * m.elemSize();
  std::unique_ptr<WebPIDecoder, void (*)(WebPIDecoder*)> idec(WebPIDecode(nullptr, 0, &config), WebPIDelete);
  if (!idec) throw DecodeError("the WebP decoder cannot start");
  VP8StatusCode st = WebPIAppend(idec.get(), head.data(), head.size());
  std::vector<uint8_t> piece(256 * 1024);
  while (st == VP8_STATUS_SUSPENDED && in) {
    in.read(reinterpret_cast<char*>(piece.data()), std::streamsize(piece.size()));
    if (in.gcount() <= 0) break;
    st = WebPIAppend(idec.get(), piece.data(), size_t(in.gcount()));
  }
  idec.reset();
  WebPFreeDecBuffer(&config.output);
  if (st != VP8_STATUS_OK) throw DecodeError("the WebP image data is corrupt or truncated (the decoder gave up)");
  return to_bgr8(m, bg);
}

/// JPEG and PNG go straight to libjpeg(-turbo) and libpng, not through cv::imread: the first
/// imread of a process builds OpenCV's whole codec list, GDAL's decoder included, which
/// registers every GDAL driver (about 10 MB of peak RSS that a render never uses).
///
/// Both libraries report errors by calling a function that must not return. Ours longjmp back
/// to a setjmp in one of the small "step" functions below. Those steps hold no object with a
/// destructor (only the reader structs passed in, which live in the caller), so the jump skips
/// no C++ clean-up; the callers own the buffers and the reader, whose destructor releases the
/// library state and the FILE* on every path.

// libjpeg's error manager: JpegErrors and jpeg_fail (photo/jpeg_errors.h).

/// Warnings (level -1: corrupt entropy data, premature end of the scan) are counted, never
/// printed: the picture renders with what decoded, as a photo viewer shows it. Trace messages
/// (level >= 0) are dropped.
void jpeg_note(j_common_ptr c, int level) {
  if (level < 0) ++c->err->num_warnings;
}

/// A progressive JPEG's scans are all read when decoding starts, each over the whole picture:
/// a crafted file with thousands of (repeated) scans would keep libjpeg busy for minutes.
/// Real photos have about 10; past kMaxJpegScans the decode stops with a message.
constexpr int kMaxJpegScans = 256;

void jpeg_progress(j_common_ptr c) {
  if (!c->is_decompressor) return;
  if (reinterpret_cast<j_decompress_ptr>(c)->input_scan_number <= kMaxJpegScans) return;
  auto* e = reinterpret_cast<JpegErrors*>(c->err);
  std::snprintf(e->message, sizeof e->message, "more than %d progressive scans", kMaxJpegScans);
  std::longjmp(e->back, 1);
}

struct JpegReader {
  JpegErrors errors{};
  jpeg_progress_mgr progress{};
  jpeg_decompress_struct cinfo{};
  std::FILE* file = nullptr;
  JpegReader() = default;
  JpegReader(const JpegReader&) = delete;
  JpegReader& operator=(const JpegReader&) = delete;
  ~JpegReader() {
    jpeg_destroy_decompress(&cinfo);  // safe on a zeroed or half-made struct (it checks mem)
    if (file) std::fclose(file);
  }
};

/// Step 1: headers, output colour space and DCT scale (eighths, 1 to 8), start. False when
/// libjpeg gave up.
bool jpeg_begin(JpegReader& r, unsigned eighths) {
  r.cinfo.err = jpeg_std_error(&r.errors.mgr);
  r.errors.mgr.error_exit = jpeg_fail;
  r.errors.mgr.emit_message = jpeg_note;
  if (setjmp(r.errors.back)) return false;
  jpeg_create_decompress(&r.cinfo);
  r.progress.progress_monitor = jpeg_progress;
  r.cinfo.progress = &r.progress;
  jpeg_stdio_src(&r.cinfo, r.file);
  jpeg_read_header(&r.cinfo, TRUE);
  // Grey and YCbCr/RGB come out as BGR directly; CMYK and YCCK as CMYK, converted per row.
  r.cinfo.out_color_space = r.cinfo.num_components == 4 ? JCS_CMYK : JCS_EXT_BGR;
  r.cinfo.scale_num = eighths;
  r.cinfo.scale_denom = 8;
  jpeg_start_decompress(&r.cinfo);
  return true;
}

/// Adobe CMYK (what Photoshop writes and OpenCV assumed for every 4-channel JPEG) stores
/// inverted inks: a stored value v is 255 - ink, so a channel is about v * k / 255. The exact
/// integer form is the one OpenCV used, so such photos keep their colours to the unit.
void cmyk_row_to_bgr(const uint8_t* cmyk, uint8_t* bgr, JDIMENSION width) {
  for (JDIMENSION x = 0; x < width; ++x, cmyk += 4, bgr += 3) {
    const int k = cmyk[3];
    bgr[0] = uint8_t(k - (((255 - cmyk[2]) * k) >> 8));
    bgr[1] = uint8_t(k - (((255 - cmyk[1]) * k) >> 8));
    bgr[2] = uint8_t(k - (((255 - cmyk[0]) * k) >> 8));
  }
}

/// Step 2: the next `count` scanlines (or those left) into `out` (rows `step` apart), through
/// `cmyk_row` when the output is CMYK. False when libjpeg gave up.
bool jpeg_rows(JpegReader& r, uint8_t* out, size_t step, JDIMENSION count, uint8_t* cmyk_row) {
  if (setjmp(r.errors.back)) return false;
  const JDIMENSION first = r.cinfo.output_scanline,
                   end = first + std::min(count, r.cinfo.output_height - r.cinfo.output_scanline);
  while (r.cinfo.output_scanline < end) {
    uint8_t* dst = out + size_t(r.cinfo.output_scanline - first) * step;
    JSAMPROW row = cmyk_row ? cmyk_row : dst;
    if (jpeg_read_scanlines(&r.cinfo, &row, 1) != 1) {
      // Only a suspending data source stops like this; the stdio one pads instead.
      std::snprintf(r.errors.message, sizeof r.errors.message, "the decoder stopped early");
      return false;
    }
    if (cmyk_row) cmyk_row_to_bgr(cmyk_row, dst, r.cinfo.output_width);
  }
  // No jpeg_finish_decompress after the last: every pixel is out, and what follows the image
  // data (a stray marker, junk before EOI) cannot change it; jpeg_destroy_decompress releases
  // the rest.
  return true;
}

/// Skips the next `count` rows (libjpeg-turbo decodes only what the rows after them need).
/// False when libjpeg gave up.
bool jpeg_skip(JpegReader& r, JDIMENSION count) {
  if (setjmp(r.errors.back)) return false;
  jpeg_skip_scanlines(&r.cinfo, count);
  return true;
}

/// A JPEG being decoded at eighths/8 of its stored size (1 to 8), BGR, not yet oriented.
struct JpegDecode {
  JpegReader r;
  std::vector<uint8_t> cmyk;  // one row, when libjpeg gives CMYK

  JpegDecode(const std::string& path, unsigned eighths) {
    r.file = std::fopen(path.c_str(), "rb");
    if (!r.file) throw DecodeError(std::string("cannot be opened (") + std::strerror(errno) + ")");
    if (!jpeg_begin(r, eighths)) throw corrupt();
    if (r.cinfo.out_color_space == JCS_CMYK) cmyk.resize(size_t(r.cinfo.output_width) * 4);
  }
  DecodeError corrupt() const {
    return DecodeError(std::string("the JPEG image data is corrupt (") + r.errors.message + ")");
  }
  cv::Size size() const { return {int(r.cinfo.output_width), int(r.cinfo.output_height)}; }
  int left() const { return int(r.cinfo.output_height - r.cinfo.output_scanline); }
  /// The next `rows` rows into `out` (at least that many rows, CV_8UC3).
  void read(cv::Mat& out, int rows) {
    if (!jpeg_rows(r, out.data, out.step[0], JDIMENSION(rows), cmyk.empty() ? nullptr : cmyk.data())) throw corrupt();
  }
  void skip(int rows) {
    if (rows > 0 && !jpeg_skip(r, JDIMENSION(rows))) throw corrupt();
  }
};

cv::Mat decode_jpeg(const std::string& path, unsigned eighths) {
  JpegDecode d(path, eighths);
  cv::Mat m(d.size(), CV_8UC3);
  d.read(m, m.rows);
  return m;
}

/// The DCT-domain downscale for a JPEG shown at `min_scale` of its size: the smallest of 1/8,
/// 2/8, 3/8 and 4/8 that still gives it, or about it, else full size. "About": up to 15%
/// short (the prepared source is made for the deepest zoom, which then shows 87% of the
/// pixels it was made for; the decode is the largest allocation of a render: a 26 MP photo
/// for a 1080p final is 11 MB at 3/8, 20 MB at 1/2). 5/8 to 7/8 are no quicker than the
/// full-size decode in libjpeg-turbo (djpeg -scale on that photo: 5/8 0.17 s, 7/8 0.28 s, 8/8
/// 0.17 s).
unsigned jpeg_eighths(double min_scale, DecodeSize size) {
  const double need = min_scale * (size == DecodeSize::About ? 0.85 : 1.0);
  const unsigned eighths = unsigned(std::clamp(std::ceil(need * 8 - 1e-9), 1.0, 8.0));
  return eighths <= 4 ? eighths : 8;
}

/// The scale at which a photo is shown when `want` is its displayed size (1 when unknown).
double shown_scale(const PhotoInfo& info, cv::Size want) {
  return want.width > 0 && want.height > 0 ? std::max(double(want.width) / double(info.display_width()),
                                                      double(want.height) / double(info.display_height()))
                                           : 1.0;
}

struct PngReader {
  png_structp png = nullptr;
  png_infop info = nullptr;
  std::FILE* file = nullptr;
  char message[200] = {};
  PngReader() = default;
  PngReader(const PngReader&) = delete;
  PngReader& operator=(const PngReader&) = delete;
  ~PngReader() {
    if (png) png_destroy_read_struct(&png, &info, nullptr);
    if (file) std::fclose(file);
  }
};

void png_fail(png_structp png, png_const_charp msg) {
  auto* r = static_cast<PngReader*>(png_get_error_ptr(png));
  std::snprintf(r->message, sizeof r->message, "%s", msg);
  png_longjmp(png, 1);
}

/// libpng warns about damaged ancillary chunks (text, colour profiles) it then ignores; they
/// do not change the pixels, so they are not worth a line on stderr.
void png_note(png_structp, png_const_charp) {}

/// Step 1: header and transforms to 8-bit grey, grey+alpha, BGR or BGRA. False when libpng
/// gave up.
bool png_begin(PngReader& r) {
  if (setjmp(png_jmpbuf(r.png))) return false;
  png_init_io(r.png, r.file);
  png_read_info(r.png, r.info);
  const int type = png_get_color_type(r.png, r.info), depth = png_get_bit_depth(r.png, r.info);
  if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(r.png);
  if (type == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(r.png);
  if (png_get_valid(r.png, r.info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(r.png);
  // 16 -> 8 bits rounded (v / 257 to the nearest), which is what to_bgr8 did with the
  // 16-bit picture OpenCV returned, without holding that picture.
  if (depth == 16) png_set_scale_16(r.png);
  if (type & PNG_COLOR_MASK_COLOR) png_set_bgr(r.png);
  png_set_interlace_handling(r.png);  // Adam7: png_read_image runs the passes
  png_read_update_info(r.png, r.info);
  return true;
}

/// Step 2: the whole picture into `rows`. False when libpng gave up. No png_read_end, as
/// for JPEG: the chunks after the image data cannot change a pixel.
bool png_rows(PngReader& r, png_bytepp rows) {
  if (setjmp(png_jmpbuf(r.png))) return false;
  png_read_image(r.png, rows);
  return true;
}

/// PNG at full size (PNG has no reduced decode), 8-bit with 1 to 4 channels (BGR order).
cv::Mat decode_png(const std::string& path) {
  PngReader r;
  r.file = std::fopen(path.c_str(), "rb");
  if (!r.file) throw DecodeError(std::string("cannot be opened (") + std::strerror(errno) + ")");
  r.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, png_fail, png_note);
  if (r.png) r.info = png_create_info_struct(r.png);
  if (!r.png || !r.info) throw DecodeError("the PNG decoder cannot start");
  auto corrupt = [&] { return DecodeError(std::string("the PNG image data is corrupt (") + r.message + ")"); };
  if (!png_begin(r)) throw corrupt();
  const int channels = png_get_channels(r.png, r.info);
  const size_t rowbytes = png_get_rowbytes(r.png, r.info);
  cv::Mat m(int(png_get_image_height(r.png, r.info)), int(png_get_image_width(r.png, r.info)),
            CV_MAKETYPE(CV_8U, channels));
  if (png_get_bit_depth(r.png, r.info) != 8 || rowbytes != size_t(m.cols) * size_t(channels))
    throw DecodeError("the PNG has an unusual pixel layout");
  std::vector<png_bytep> rows(size_t(m.rows));
  for (int y = 0; y < m.rows; ++y) rows[size_t(y)] = m.ptr(y);
  if (!png_rows(r, rows.data())) throw corrupt();
  return m;
}

}  // namespace

cv::Mat decode_photo(const std::string& path, const PhotoInfo& info, cv::Size want, draft::Color bg, DecodeSize size) {
  cv::Mat m;
  try {
    if (info.format == PhotoFormat::Heif) return decode_heif(path, bg);
    if (info.format == PhotoFormat::Webp) return decode_webp(path, want, bg);
    if (info.format == PhotoFormat::Jpeg) {
      m = decode_jpeg(path, jpeg_eighths(shown_scale(info, want), size));
    } else if (info.format == PhotoFormat::Png) {
      m = decode_png(path);
    } else {
      m = decode_with_libav(path, info.format);  // BMP, TIFF (rare)
    }
  } catch (const cv::Exception& e) {
    throw DecodeError(std::string("the ") + format_name(info.format) + " image data is corrupt (" + e.err + ")");
  }
  if (m.empty())
    throw DecodeError(std::string("the ") + format_name(info.format) +
                      " image data is corrupt or truncated (the decoder gave up)");
  return apply_orientation(to_bgr8(m, bg), info.orientation);
}

cv::Size decoded_size(const PhotoInfo& info, cv::Size want, DecodeSize size) {
  const int w = int(info.display_width()), h = int(info.display_height());
  if (info.format == PhotoFormat::Jpeg) {
    // libjpeg's scaled size: each side times eighths/8, rounded up.
    const int64_t e = jpeg_eighths(shown_scale(info, want), size);
    return {int((w * e + 7) / 8), int((h * e + 7) / 8)};
  }
  if (info.format == PhotoFormat::Webp && webp_scales(w, h, want)) return want;
  return {w, h};
}

/// True for a JPEG that PhotoRows streams from libjpeg: stored upright.
bool streamed_jpeg(const PhotoInfo& info) {
  return info.format == PhotoFormat::Jpeg && (info.orientation < 2 || info.orientation > 8);
}

RowSpan decoded_rows(const PhotoInfo& info, cv::Size want, DecodeSize size, RowSpan asked) {
  const RowSpan all{0, decoded_size(info, want, size).height};
  if (streamed_jpeg(info)) {
    // Any rows: those above skipped (only what the next rows need is decoded), those below never read.
    const RowSpan rows{std::clamp(asked.first, 0, all.end) & ~1, std::min(all.end, (std::max(asked.end, 0) + 1) & ~1)};
    return rows.end > rows.first && rows != all ? rows : all;
  }
  if (info.format != PhotoFormat::Webp) return all;
  const std::optional<WebpCrop> crop = webp_crop(int(info.width), int(info.height), want, asked);
  return crop ? crop->rows : all;
}

struct PhotoRows::State {
  std::optional<JpegDecode> jpeg;  // streamed
  cv::Mat whole;                   // or decoded whole
  cv::Mat band;
  cv::Size size;
  int next_row = 0;
};

PhotoRows::PhotoRows(const std::string& path, const PhotoInfo& info, cv::Size want, draft::Color background,
                     DecodeSize size, std::optional<RowSpan> rows)
    : state_(std::make_unique<State>()) {
  if (rows && info.format == PhotoFormat::Webp) {
    if (std::optional<WebpCrop> crop = webp_crop(int(info.width), int(info.height), want, *rows)) {
      try {
        state_->whole = decode_webp(path, want, background, crop);
      } catch (const cv::Exception& e) {
        throw DecodeError(std::string("the WebP image data is corrupt (") + e.err + ")");
      }
      state_->size = state_->whole.size();
      return;
    }
  }
  // Upright as stored, and BGR (or CMYK, converted per row) straight from libjpeg: nothing
  // after the decode changes a row, so the rows can go on as they come.
  if (streamed_jpeg(info)) {
    state_->jpeg.emplace(path, jpeg_eighths(shown_scale(info, want), size));
    state_->size = state_->jpeg->size();
    if (rows) {
      const RowSpan span = decoded_rows(info, want, size, *rows);
      state_->jpeg->skip(span.first);
      state_->size.height = span.end - span.first;
    }
  } else {
    state_->whole = decode_photo(path, info, want, background, size);
    state_->size = state_->whole.size();
  }
}

PhotoRows::PhotoRows(cv::Mat picture) : state_(std::make_unique<State>()) {
  state_->whole = std::move(picture);
  state_->size = state_->whole.size();
}

PhotoRows::~PhotoRows() = default;

cv::Size PhotoRows::size() const { return state_->size; }

cv::Mat PhotoRows::next(int max_rows) {
  State& s = *state_;
  const int rows = std::min(max_rows, s.size.height - s.next_row);
  if (rows <= 0) return {};
  const int first = s.next_row;
  s.next_row += rows;
  if (!s.jpeg) return s.whole.rowRange(first, first + rows);
  if (s.band.rows < rows) s.band.create(rows, s.size.width, CV_8UC3);
  s.jpeg->read(s.band, rows);
  return s.band.rowRange(0, rows);
}

cv::Mat PhotoRows::rest() {
  State& s = *state_;
  const int rows = s.size.height - s.next_row;
  cv::Mat out;
  if (rows > 0 && s.jpeg) {
    out.create(rows, s.size.width, CV_8UC3);
    s.jpeg->read(out, rows);
  } else if (rows > 0) {
    out = s.next_row == 0 ? s.whole : s.whole.rowRange(s.next_row, s.size.height);
  }
  s.next_row = s.size.height;
  s.jpeg.reset();
  s.whole.release();
  s.band.release();
  return out;
}

}  // namespace reel::engine
