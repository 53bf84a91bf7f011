#include "engine/photo_decoder.h"

#include <libheif/heif.h>
#include <webp/decode.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

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

/// WebP through libwebp, scaled while decoding when smaller than the original, fed from the
/// file in 256 kB pieces (the compressed file is never held whole either).
cv::Mat decode_webp(const std::string& path, cv::Size want, draft::Color bg) {
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
  if (want.width > 0 && want.height > 0 && want.width < w && want.height < h) {
    config.options.use_scaling = 1;
    config.options.scaled_width = want.width;
    config.options.scaled_height = want.height;
    // Shrunk to half or less, the in-loop deblocking and the smooth chroma upsampling do not
    // survive the downscale: skip them (a third of the decode time).
    if (want.width * 2 <= w && want.height * 2 <= h) {
      config.options.bypass_filtering = 1;
      config.options.no_fancy_upsampling = 1;
    }
    w = want.width;
    h = want.height;
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

}  // namespace

cv::Mat decode_photo(const std::string& path, const PhotoInfo& info, cv::Size want, draft::Color bg) {
  const double min_scale = want.width > 0 && want.height > 0
                               ? std::max(double(want.width) / double(info.display_width()),
                                          double(want.height) / double(info.display_height()))
                               : 1.0;
  cv::Mat m;
  try {
    if (info.format == PhotoFormat::Heif) return decode_heif(path, bg);
    if (info.format == PhotoFormat::Webp) return decode_webp(path, want, bg);
    int flags = cv::IMREAD_UNCHANGED;  // keeps alpha and 16 bits; ignores EXIF (we apply it)
    if (info.format == PhotoFormat::Jpeg) {
      flags = cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION;
      // DCT-domain downscale: the largest 1/2^k that still gives about min_scale. "About": up
      // to 15% short is accepted (the prepared source is made for the deepest zoom, which
      // then shows 87% of the pixels it was made for; the full-size decode it saves is the
      // largest allocation of a render).
      const double need = min_scale * 0.85;
      if (need <= 1.0 / 8)
        flags = cv::IMREAD_REDUCED_COLOR_8 | cv::IMREAD_IGNORE_ORIENTATION;
      else if (need <= 1.0 / 4)
        flags = cv::IMREAD_REDUCED_COLOR_4 | cv::IMREAD_IGNORE_ORIENTATION;
      else if (need <= 1.0 / 2)
        flags = cv::IMREAD_REDUCED_COLOR_2 | cv::IMREAD_IGNORE_ORIENTATION;
    }
    m = cv::imread(path, flags);
  } catch (const cv::Exception& e) {
    throw DecodeError(std::string("the ") + format_name(info.format) + " image data is corrupt (" + e.err + ")");
  }
  if (m.empty())
    throw DecodeError(std::string("the ") + format_name(info.format) +
                      " image data is corrupt or truncated (the decoder gave up)");
  return apply_orientation(to_bgr8(m, bg), info.orientation);
}

}  // namespace reel::engine
