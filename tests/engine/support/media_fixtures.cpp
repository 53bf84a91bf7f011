#include "tests/engine/support/media_fixtures.h"

#include <libheif/heif.h>
#include <unistd.h>

#include <cstring>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <stdexcept>

#include "engine/av/handles.h"
extern "C" {
#include <libavutil/pixdesc.h>
}
#include "engine/av/yuv_image.h"

namespace reel::test {

cv::Mat detailed_photo(int w, int h, uint32_t seed) {
  cv::Mat m(h, w, CV_8UC3);
  std::mt19937 rng(seed);
  cv::Mat noise(h / 4 + 1, w / 4 + 1, CV_8UC3);
  // Its own generator: cv::randu's global one would make the picture depend on the tests run before.
  cv::RNG(seed).fill(noise, cv::RNG::UNIFORM, 0, 255);
  cv::resize(noise, noise, cv::Size(w, h), 0, 0, cv::INTER_CUBIC);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      auto& p = m.at<cv::Vec3b>(y, x);
      const auto& n = noise.at<cv::Vec3b>(y, x);
      double gx = double(x) / w, gy = double(y) / h;
      double stripes = 40 * std::sin(x * 0.21 + y * 0.07) * std::sin(y * 0.13);
      p[0] = cv::saturate_cast<uint8_t>(60 + 120 * gx + stripes * 0.5 + (n[0] - 128) * 0.5);
      p[1] = cv::saturate_cast<uint8_t>(50 + 150 * gy + stripes + (n[1] - 128) * 0.5);
      p[2] = cv::saturate_cast<uint8_t>(200 - 120 * gx * gy + stripes * 0.7 + (n[2] - 128) * 0.5);
    }
  // A few hard-edged shapes.
  for (int i = 0; i < 12; ++i) {
    cv::Point c(int(rng() % uint32_t(w)), int(rng() % uint32_t(h)));
    cv::circle(m, c, int(rng() % uint32_t(std::max(2, w / 10))) + 3, cv::Scalar(rng() % 255, rng() % 255, rng() % 255),
               cv::FILLED, cv::LINE_AA);
  }
  return m;
}

cv::Mat quadrant_photo(int w, int h) {
  cv::Mat m(h, w, CV_8UC3);
  m(cv::Rect(0, 0, w / 2, h / 2)).setTo(cv::Scalar(0, 0, 255));
  m(cv::Rect(w / 2, 0, w - w / 2, h / 2)).setTo(cv::Scalar(0, 255, 0));
  m(cv::Rect(0, h / 2, w / 2, h - h / 2)).setTo(cv::Scalar(255, 0, 0));
  m(cv::Rect(w / 2, h / 2, w - w / 2, h - h / 2)).setTo(cv::Scalar(255, 255, 255));
  return m;
}

cv::Mat flat_photo(int w, int h, cv::Scalar bgr) { return cv::Mat(h, w, CV_8UC3, bgr); }

void write_image(const std::string& path, const cv::Mat& m) {
  std::vector<int> params{cv::IMWRITE_JPEG_QUALITY, 95};
  if (!cv::imwrite(path, m, params)) throw std::runtime_error("cannot write " + path);
}

cv::Mat stored_for_orientation(const cv::Mat& disp, int o) {
  const int Wd = disp.cols, Hd = disp.rows;
  const bool swap = o >= 5;
  cv::Mat stored(swap ? Wd : Hd, swap ? Hd : Wd, disp.type());
  for (int r = 0; r < stored.rows; ++r)
    for (int c = 0; c < stored.cols; ++c) {
      int x = c, y = r;
      switch (o) {
        case 2:
          x = Wd - 1 - c;
          y = r;
          break;
        case 3:
          x = Wd - 1 - c;
          y = Hd - 1 - r;
          break;
        case 4:
          x = c;
          y = Hd - 1 - r;
          break;
        case 5:
          x = r;
          y = c;
          break;
        case 6:
          x = Wd - 1 - r;
          y = c;
          break;
        case 7:
          x = Wd - 1 - r;
          y = Hd - 1 - c;
          break;
        case 8:
          x = r;
          y = Hd - 1 - c;
          break;
        default:
          break;
      }
      stored.at<cv::Vec3b>(r, c) = disp.at<cv::Vec3b>(y, x);
    }
  return stored;
}

void write_jpeg_with_orientation(const std::string& path, const cv::Mat& stored, int orientation) {
  std::vector<uint8_t> jpg;
  cv::imencode(".jpg", stored, jpg, {cv::IMWRITE_JPEG_QUALITY, 95});
  // APP1: "Exif\0\0" + little-endian TIFF header + one IFD entry (0x0112 SHORT = orientation).
  std::vector<uint8_t> tiff = {'I',  'I',  42, 0, 8, 0, 0, 0,  // header, IFD at 8
                               1,    0,                        // one entry
                               0x12, 0x01, 3,  0, 1, 0, 0, 0, uint8_t(orientation),
                               0,    0,    0,  0, 0, 0, 0};  // no next IFD
  std::vector<uint8_t> app1 = {'E', 'x', 'i', 'f', 0, 0};
  app1.insert(app1.end(), tiff.begin(), tiff.end());
  size_t len = app1.size() + 2;
  std::vector<uint8_t> seg = {0xFF, 0xE1, uint8_t(len >> 8), uint8_t(len & 0xFF)};
  seg.insert(seg.end(), app1.begin(), app1.end());
  // OpenCV writes SOI then APP0 (JFIF); put APP1 right after SOI.
  jpg.insert(jpg.begin() + 2, seg.begin(), seg.end());
  FILE* f = std::fopen(path.c_str(), "wb");
  std::fwrite(jpg.data(), 1, jpg.size(), f);
  std::fclose(f);
}

bool write_heic(const std::string& path, const cv::Mat& bgr, const std::string& captured) {
  if (!heif_have_encoder_for_format(heif_compression_HEVC)) return false;
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  heif_context* ctx = heif_context_alloc();
  heif_encoder* enc = nullptr;
  heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &enc);
  heif_image* img = nullptr;
  heif_image_create(rgb.cols, rgb.rows, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &img);
  heif_image_add_plane(img, heif_channel_interleaved, rgb.cols, rgb.rows, 8);
  int stride = 0;
  uint8_t* p = heif_image_get_plane(img, heif_channel_interleaved, &stride);
  for (int y = 0; y < rgb.rows; ++y) std::memcpy(p + y * stride, rgb.ptr(y), size_t(rgb.cols) * 3);
  heif_image_handle* handle = nullptr;
  heif_context_encode_image(ctx, img, enc, nullptr, &handle);
  if (!captured.empty()) {
    // "Exif\0\0", a little-endian TIFF header, IFD0 with one entry pointing to the EXIF IFD
    // (at 26), which holds DateTimeOriginal (0x9003, ASCII, 20 bytes at 44).
    std::vector<uint8_t> exif = {'E', 'x', 'i',  'f',  0, 0, 'I', 'I', 42, 0, 8,  0, 0, 0,  //
                                 1,   0,   0x69, 0x87, 4, 0, 1,   0,   0,  0, 26, 0, 0, 0, 0, 0, 0, 0,
                                 1,   0,   0x03, 0x90, 2, 0, 20,  0,   0,  0, 44, 0, 0, 0, 0, 0, 0, 0};
    std::string text = captured;
    text.resize(20, '\0');
    exif.insert(exif.end(), text.begin(), text.end());
    heif_context_add_exif_metadata(ctx, handle, exif.data(), int(exif.size()));
  }
  const bool ok = heif_context_write_to_file(ctx, path.c_str()).code == heif_error_Ok;
  heif_image_handle_release(handle);
  heif_image_release(img);
  heif_encoder_release(enc);
  heif_context_free(ctx);
  return ok;
}

Json slideshow_json(int width, int height, int fps, const std::vector<std::string>& photos, int ms, const Json& meta) {
  Json sg = Json::array();
  for (size_t i = 0; i < photos.size(); ++i) {
    Json s = {{"s", int64_t(i) * ms}, {"d", ms}, {"src", photos[i]}};
    if (!meta.empty()) s["m"] = meta;
    sg.push_back(s);
  }
  return Json{{"m", {{"width", width}, {"height", height}, {"fps", fps}}},
              {"t", Json::array({{{"tt", 0}, {"sg", sg}}})}};
}

draft::Draft load(const Json& j) {
  auto r = draft::load_draft(j);
  if (!r.ok()) {
    std::string s;
    for (const auto& p : r.problems) s += p.line() + "\n";
    throw std::runtime_error("test draft has errors:\n" + s);
  }
  return r.draft;
}

namespace {
struct Input {
  AVFormatContext* ctx = nullptr;
  explicit Input(const std::string& path) {
    if (avformat_open_input(&ctx, path.c_str(), nullptr, nullptr) < 0) throw std::runtime_error("cannot open " + path);
    avformat_find_stream_info(ctx, nullptr);
  }
  ~Input() { avformat_close_input(&ctx); }
};
}  // namespace

VideoProbe probe_video(const std::string& path) {
  Input in(path);
  int vs = av_find_best_stream(in.ctx, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (vs < 0) throw std::runtime_error("no video stream in " + path);
  AVStream* st = in.ctx->streams[vs];
  VideoProbe p;
  p.width = st->codecpar->width;
  p.height = st->codecpar->height;
  p.fps = av_q2d(st->avg_frame_rate);
  p.duration = in.ctx->duration > 0 ? double(in.ctx->duration) / AV_TIME_BASE : 0;
  p.codec = avcodec_get_name(st->codecpar->codec_id);
  const char* pf = av_get_pix_fmt_name(AVPixelFormat(st->codecpar->format));
  p.pix_fmt = pf ? pf : "";
  p.color_primaries = st->codecpar->color_primaries;
  p.color_trc = st->codecpar->color_trc;
  p.colorspace = st->codecpar->color_space;
  p.color_range = st->codecpar->color_range;
  p.has_audio = av_find_best_stream(in.ctx, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0) >= 0;
  AVPacket* pkt = av_packet_alloc();
  while (av_read_frame(in.ctx, pkt) >= 0) {
    if (pkt->stream_index == vs) ++p.frames;
    av_packet_unref(pkt);
  }
  av_packet_free(&pkt);
  return p;
}

std::vector<std::vector<cv::Mat>> decode_yuv(const std::string& path) {
  Input in(path);
  int vs = av_find_best_stream(in.ctx, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  AVStream* st = in.ctx->streams[vs];
  const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
  engine::av::CodecContextPtr dec(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(dec.get(), st->codecpar);
  dec->thread_count = 1;
  if (avcodec_open2(dec.get(), codec, nullptr) < 0) throw std::runtime_error("cannot open decoder");
  std::vector<std::vector<cv::Mat>> frames;
  auto pkt = engine::av::alloc_packet();
  auto frame = engine::av::alloc_frame();
  auto drain = [&] {
    while (avcodec_receive_frame(dec.get(), frame.get()) >= 0) {
      std::vector<cv::Mat> planes;
      for (int i = 0; i < 3; ++i) {
        int w = i ? frame->width / 2 : frame->width, h = i ? frame->height / 2 : frame->height;
        planes.push_back(cv::Mat(h, w, CV_8U, frame->data[i], size_t(frame->linesize[i])).clone());
      }
      frames.push_back(std::move(planes));
      av_frame_unref(frame.get());
    }
  };
  while (av_read_frame(in.ctx, pkt.get()) >= 0) {
    if (pkt->stream_index == vs) {
      avcodec_send_packet(dec.get(), pkt.get());
      drain();
    }
    av_packet_unref(pkt.get());
  }
  avcodec_send_packet(dec.get(), nullptr);
  drain();
  return frames;
}

cv::Mat to_bgr(const std::vector<cv::Mat>& yuv) {
  engine::YuvView v;
  for (int i = 0; i < 3; ++i)
    v.plane[i] = engine::PlaneView{const_cast<uint8_t*>(yuv[size_t(i)].data), int(yuv[size_t(i)].step[0]),
                                   yuv[size_t(i)].cols, yuv[size_t(i)].rows};
  return engine::yuv_to_bgr(v);
}

double psnr(const cv::Mat& a, const cv::Mat& b) { return cv::PSNR(a, b); }

cv::Mat luma709(const cv::Mat& bgr) {
  cv::Mat out(bgr.rows, bgr.cols, CV_8U);
  for (int y = 0; y < bgr.rows; ++y)
    for (int x = 0; x < bgr.cols; ++x) {
      const auto& p = bgr.at<cv::Vec3b>(y, x);
      double l = 0.0722 * p[0] + 0.7152 * p[1] + 0.2126 * p[2];
      out.at<uint8_t>(y, x) = cv::saturate_cast<uint8_t>(16 + l * 219.0 / 255.0);
    }
  return out;
}

namespace {
cv::Point2d phase_plane(const cv::Mat& a32, const cv::Mat& b32, const cv::Mat& win) {
  cv::Mat A, B;
  cv::dft(a32.mul(win), A, cv::DFT_COMPLEX_OUTPUT);
  cv::dft(b32.mul(win), B, cv::DFT_COMPLEX_OUTPUT);
  const int W = a32.cols, H = a32.rows;
  double suu = 0, svv = 0, suv = 0, sup = 0, svp = 0;
  const int ku = std::max(2, W / 10), kv = std::max(2, H / 10);
  for (int y = -kv; y <= kv; ++y)
    for (int x = -ku; x <= ku; ++x) {
      if (x == 0 && y == 0) continue;
      int yy = (y + H) % H, xx = (x + W) % W;
      cv::Vec2f p = A.at<cv::Vec2f>(yy, xx), q = B.at<cv::Vec2f>(yy, xx);
      double re = q[0] * p[0] + q[1] * p[1], im = q[1] * p[0] - q[0] * p[1];
      double mag = std::hypot(re, im);
      if (mag < 1e-9) continue;
      double phi = std::atan2(im, re);  // = -(u dx + v dy)
      double u = 2 * M_PI * x / W, v = 2 * M_PI * y / H;
      suu += mag * u * u;
      svv += mag * v * v;
      suv += mag * u * v;
      sup += mag * u * phi;
      svp += mag * v * phi;
    }
  double det = suu * svv - suv * suv;
  return {-(sup * svv - svp * suv) / det, -(svp * suu - sup * suv) / det};
}
}  // namespace

cv::Point2d measure_shift(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat win;
  cv::createHanningWindow(win, a.size(), CV_32F);
  cv::Point2d d = phase_plane(a, b, win);
  for (int i = 0; i < 4; ++i) {
    cv::Mat back;
    cv::Matx23d M(1, 0, d.x, 0, 1, d.y);  // back(x) = b(x + d)
    cv::warpAffine(b, back, M, b.size(), cv::INTER_LANCZOS4 | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
    d += phase_plane(a, back, win);
  }
  return d;
}

}  // namespace reel::test

// LeakSanitizer: libx265, which libheif uses to write the tests' HEIC fixtures, keeps three
// 1168-byte blocks for the life of the process (allocated on its own threads, never freed by
// x265 itself). They are not the engine's; everything else is checked.
extern "C" const char* __lsan_default_suppressions() { return "leak:libx265.so\n"; }
