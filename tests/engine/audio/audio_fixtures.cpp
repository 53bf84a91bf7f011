#include "tests/engine/audio/audio_fixtures.h"

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <random>
#include <stdexcept>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/imgutils.h>
}

#include "base/files.h"
#include "engine/audio/decoder.h"
#include "engine/audio/mix.h"
#include "engine/av/handles.h"
#include "engine/output/aac_encoder.h"
#include "engine/output/mp4_muxer.h"

namespace reel::test {

namespace av = engine::av;

void write_m4a(engine::AudioMix& mix, const std::string& path) {
  base::AtomicFile file(path);
  {
    engine::Mp4Muxer mux(file.temp_path(), path);
    engine::AudioStreamWriter audio(mix, mux);
    mux.start();
    audio.finish();
    mux.finish();
  }
  file.commit();
}

Signal sine(double hz, double dbfs, int rate, int64_t from, double phase) {
  const double amp = std::pow(10.0, dbfs / 20.0);
  return [=](int64_t i, int) {
    if (i < from) return 0.0;
    return amp * std::sin(2.0 * M_PI * hz * double(i - from) / rate + phase);
  };
}

namespace {

struct OutputCloser {
  void operator()(AVFormatContext* f) const noexcept {
    if (!f) return;
    if (f->pb) avio_closep(&f->pb);
    avformat_free_context(f);
  }
};
using OutputPtr = std::unique_ptr<AVFormatContext, OutputCloser>;

const char* encoder_for(const std::string& ext) {
  if (ext == ".wav") return "pcm_s16le";
  if (ext == ".flac") return "flac";
  if (ext == ".mp3") return "libmp3lame";
  if (ext == ".m4a") return "aac";
  if (ext == ".ogg") return "libvorbis";
  if (ext == ".opus") return "libopus";
  throw std::runtime_error("no test encoder for " + ext);
}

void put(AVFrame* f, AVSampleFormat fmt, int i, int ch, int channels, double v) {
  v = std::clamp(v, -1.0, 1.0);
  const bool planar = av_sample_fmt_is_planar(fmt);
  const int idx = planar ? i : i * channels + ch;
  uint8_t* base = planar ? f->extended_data[ch] : f->extended_data[0];
  switch (av_get_packed_sample_fmt(fmt)) {
    case AV_SAMPLE_FMT_S16:
      reinterpret_cast<int16_t*>(base)[idx] = int16_t(std::lrint(v * 32767.0));
      break;
    case AV_SAMPLE_FMT_S32:
      reinterpret_cast<int32_t*>(base)[idx] = int32_t(std::llrint(v * 2147483647.0));
      break;
    case AV_SAMPLE_FMT_FLT:
      reinterpret_cast<float*>(base)[idx] = float(v);
      break;
    default:
      throw std::runtime_error("unexpected sample format");
  }
}

void drain(AVCodecContext* enc, AVFormatContext* fmt, AVStream* st, AVPacket* pkt) {
  for (;;) {
    int ret = avcodec_receive_packet(enc, pkt);
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;
    av::check(ret, "test encoder");
    av_packet_rescale_ts(pkt, enc->time_base, st->time_base);
    pkt->stream_index = st->index;
    av::check(av_interleaved_write_frame(fmt, pkt), "test mux");
  }
}

}  // namespace

void write_audio(const std::string& path, int rate, int channels, int64_t samples, const Signal& signal) {
  const std::string ext = fs::path(path).extension().string();
  const AVCodec* codec = avcodec_find_encoder_by_name(encoder_for(ext));
  if (!codec) throw std::runtime_error("missing encoder for " + ext);
  AVFormatContext* raw = nullptr;
  av::check(avformat_alloc_output_context2(&raw, nullptr, nullptr, path.c_str()), "test output");
  OutputPtr fmt(raw);
  av::CodecContextPtr enc(avcodec_alloc_context3(codec));
  AVSampleFormat sfmt = codec->sample_fmts ? codec->sample_fmts[0] : AV_SAMPLE_FMT_S16;
  enc->sample_fmt = sfmt;
  enc->sample_rate = rate;
  av_channel_layout_default(&enc->ch_layout, channels);
  enc->time_base = AVRational{1, rate};
  if (ext != ".wav" && ext != ".flac") enc->bit_rate = 192000;
  if (fmt->oformat->flags & AVFMT_GLOBALHEADER) enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  av::check(avcodec_open2(enc.get(), codec, nullptr), "opening test encoder");
  AVStream* st = avformat_new_stream(fmt.get(), nullptr);
  av::check(avcodec_parameters_from_context(st->codecpar, enc.get()), "test stream");
  st->time_base = enc->time_base;
  av::check(avio_open(&fmt->pb, path.c_str(), AVIO_FLAG_WRITE), "test file");
  av::check(avformat_write_header(fmt.get(), nullptr), "test header");
  const int frame = enc->frame_size > 0 ? enc->frame_size : 1024;
  auto f = av::alloc_frame();
  auto pkt = av::alloc_packet();
  for (int64_t at = 0; at < samples; at += frame) {
    const int n = int(std::min<int64_t>(frame, samples - at));
    av_frame_unref(f.get());
    f->nb_samples = (enc->frame_size > 0 && !(codec->capabilities & AV_CODEC_CAP_SMALL_LAST_FRAME) &&
                     !(codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE))
                        ? frame
                        : n;
    f->format = sfmt;
    f->sample_rate = rate;
    av_channel_layout_copy(&f->ch_layout, &enc->ch_layout);
    av::check(av_frame_get_buffer(f.get(), 0), "test frame");
    for (int i = 0; i < f->nb_samples; ++i)
      for (int c = 0; c < channels; ++c) put(f.get(), sfmt, i, c, channels, i < n ? signal(at + i, c) : 0.0);
    f->pts = at;
    av::check(avcodec_send_frame(enc.get(), f.get()), "test encode");
    drain(enc.get(), fmt.get(), st, pkt.get());
  }
  av::check(avcodec_send_frame(enc.get(), nullptr), "test flush");
  drain(enc.get(), fmt.get(), st, pkt.get());
  av::check(av_write_trailer(fmt.get()), "test trailer");
}

void write_silent_video(const std::string& path) {
  const AVCodec* codec = avcodec_find_encoder_by_name("ffv1");
  AVFormatContext* raw = nullptr;
  av::check(avformat_alloc_output_context2(&raw, nullptr, "matroska", path.c_str()), "test output");
  OutputPtr fmt(raw);
  av::CodecContextPtr enc(avcodec_alloc_context3(codec));
  enc->width = 64;
  enc->height = 64;
  enc->pix_fmt = AV_PIX_FMT_YUV420P;
  enc->time_base = AVRational{1, 25};
  if (fmt->oformat->flags & AVFMT_GLOBALHEADER) enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  av::check(avcodec_open2(enc.get(), codec, nullptr), "opening ffv1");
  AVStream* st = avformat_new_stream(fmt.get(), nullptr);
  av::check(avcodec_parameters_from_context(st->codecpar, enc.get()), "test stream");
  st->time_base = enc->time_base;
  av::check(avio_open(&fmt->pb, path.c_str(), AVIO_FLAG_WRITE), "test file");
  av::check(avformat_write_header(fmt.get(), nullptr), "test header");
  auto f = av::alloc_frame();
  auto pkt = av::alloc_packet();
  f->format = AV_PIX_FMT_YUV420P;
  f->width = f->height = 64;
  av::check(av_frame_get_buffer(f.get(), 0), "test frame");
  for (int p = 0; p < 3; ++p)
    for (int y = 0; y < (p ? 32 : 64); ++y) std::memset(f->data[p] + y * f->linesize[p], 128, p ? 32 : 64);
  f->pts = 0;
  av::check(avcodec_send_frame(enc.get(), f.get()), "test encode");
  av::check(avcodec_send_frame(enc.get(), nullptr), "test flush");
  drain(enc.get(), fmt.get(), st, pkt.get());
  av::check(av_write_trailer(fmt.get()), "test trailer");
}

std::vector<float> decode_48k(const std::string& path) {
  engine::AudioSourceRef ref{"/test", path};
  engine::AudioSourceInfo info = engine::probe_audio(path, ref);
  engine::AudioDecoder dec(path, ref, info);
  std::vector<float> out;
  std::vector<float> buf(8192 * 2);
  for (;;) {
    int64_t n = dec.read(buf.data(), 8192);
    if (n == 0) break;
    out.insert(out.end(), buf.begin(), buf.begin() + n * 2);
  }
  return out;
}

draft::Draft audio_draft(int64_t duration_ms, double fps, const Json& tracks) {
  Json j = {{"m", {{"fps", fps}, {"width", 320}, {"height", 180}}}, {"d", duration_ms}, {"t", tracks}};
  auto r = draft::load_draft(j);
  if (!r.ok()) {
    std::string s;
    for (const auto& p : r.problems) s += p.pointer + ": " + p.message + "\n";
    throw std::runtime_error("bad test draft: " + s);
  }
  return r.draft;
}

Json audio_track(const std::string& src, int64_t start_ms, int64_t duration_ms, const Json& meta, int64_t in_ms,
                 const std::string& kind) {
  Json seg = {{"s", start_ms}, {"d", duration_ms}, {"src", src}};
  if (in_ms) seg["in"] = in_ms;
  if (!meta.empty()) seg["m"] = meta;
  Json t = {{"tt", 1}, {"sg", Json::array({seg})}};
  if (!kind.empty()) t["m"] = {{"kind", kind}};
  return t;
}

std::vector<float> render_all(const draft::Draft& draft, const std::string& dir, int64_t* total) {
  engine::SourceResolver resolve = [dir](const std::string& ref) { return (fs::path(dir) / ref).string(); };
  engine::AudioMix mix(draft, resolve, draft.canvas.fps);
  if (total) *total = mix.total_samples();
  std::vector<float> out(size_t(mix.total_samples()) * 2);
  int64_t done = 0;
  while (done < mix.total_samples()) {
    // Odd block sizes on purpose: the result must not depend on them.
    done += mix.render(out.data() + done * 2, std::min<int64_t>(3001, mix.total_samples() - done));
  }
  return out;
}

double rms_db(const std::vector<float>& x, int64_t from, int64_t to, int ch) {
  double s = 0;
  for (int64_t i = from; i < to; ++i) s += double(x[size_t(i * 2 + ch)]) * x[size_t(i * 2 + ch)];
  return 10.0 * std::log10(s / double(to - from) + 1e-30);
}

double peak(const std::vector<float>& x, int64_t from, int64_t to) {
  if (to < 0) to = int64_t(x.size() / 2);
  double p = 0;
  for (int64_t i = from * 2; i < to * 2; ++i) p = std::max(p, double(std::fabs(x[size_t(i)])));
  return p;
}

double tone_db(const std::vector<float>& x, double hz, int64_t from, int64_t to, int ch) {
  double re = 0, im = 0;
  for (int64_t i = from; i < to; ++i) {
    const double ph = 2.0 * M_PI * hz * double(i) / 48000.0;
    re += x[size_t(i * 2 + ch)] * std::cos(ph);
    im += x[size_t(i * 2 + ch)] * std::sin(ph);
  }
  const double amp = 2.0 * std::sqrt(re * re + im * im) / double(to - from);
  return db(amp + 1e-30);
}

int64_t onset(const std::vector<float>& x, float threshold, int64_t from) {
  for (int64_t i = from; i < int64_t(x.size() / 2); ++i)
    if (std::fabs(x[size_t(i * 2)]) > threshold || std::fabs(x[size_t(i * 2 + 1)]) > threshold) return i;
  return -1;
}

double true_peak(const std::vector<float>& x, int64_t from, int64_t to) {
  constexpr int kHalf = 32, kUp = 8;
  double p = peak(x, from, to);
  for (int ch = 0; ch < 2; ++ch) {
    for (int64_t i = std::max<int64_t>(from, kHalf); i < to && i + kHalf < int64_t(x.size() / 2); ++i) {
      for (int ph = 1; ph < kUp; ++ph) {
        const double frac = double(ph) / kUp;
        double v = 0;
        for (int j = -kHalf + 1; j <= kHalf; ++j) {
          const double t = j - frac;
          const double w = 0.42 + 0.5 * std::cos(M_PI * t / kHalf) + 0.08 * std::cos(2 * M_PI * t / kHalf);
          v += x[size_t((i + j) * 2 + ch)] * std::sin(M_PI * t) / (M_PI * t) * w;
        }
        p = std::max(p, std::fabs(v));
      }
    }
  }
  return p;
}

}  // namespace reel::test
