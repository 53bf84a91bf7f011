#include "engine/audio/decoder.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include "base/files.h"
#include "draft/time.h"
#include "engine/errors.h"

namespace reel::engine {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFormats = "(mp3, wav, m4a, ogg, opus or flac)";

[[noreturn]] void fail(const AudioSourceRef& ref, std::string problem, std::string advice) {
  throw MediaError({MediaIssue{ref.pointer, ref.reference, std::move(problem), std::move(advice)}});
}

std::string seconds(int64_t samples48) { return draft::seconds_text(samples48 / 48) + " s"; }

std::string head_bytes(const std::string& path, size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string b(n, '\0');
  in.read(b.data(), std::streamsize(n));
  b.resize(size_t(std::max<std::streamsize>(in.gcount(), 0)));
  return b;
}

bool has_at(const std::string& head, size_t pos, const char* magic) {
  const size_t n = std::strlen(magic);
  return head.size() >= pos + n && head.compare(pos, n, magic) == 0;
}

/// True when the file starts like an audio container (so a failure to open it means damage,
/// not a wrong kind of file).
bool looks_like_audio_container(const std::string& head) {
  auto at = [&](size_t pos, const char* magic) { return has_at(head, pos, magic); };
  const auto b0 = head.empty() ? 0 : static_cast<unsigned char>(head[0]);
  const auto b1 = head.size() < 2 ? 0 : static_cast<unsigned char>(head[1]);
  return at(0, "OggS") || at(0, "fLaC") || at(0, "ID3") || at(0, "RIFF") || at(4, "ftyp") ||
         (b0 == 0xFF && (b1 & 0xE0) == 0xE0);  // an MPEG audio frame header
}

/// For RIFF/WAVE: the data chunk's declared size against the bytes that follow it (libavformat
/// quietly plays what is there). Returns {declared, present} bytes, or {0, 0}.
std::pair<int64_t, int64_t> wav_data_sizes(const std::string& path, int64_t file_bytes) {
  const std::string h = head_bytes(path, 4096);
  if (!has_at(h, 0, "RIFF") || !has_at(h, 8, "WAVE")) return {0, 0};
  auto u32 = [&](size_t p) {
    return int64_t(uint8_t(h[p])) | int64_t(uint8_t(h[p + 1])) << 8 | int64_t(uint8_t(h[p + 2])) << 16 |
           int64_t(uint8_t(h[p + 3])) << 24;
  };
  for (size_t p = 12; p + 8 <= h.size();) {
    const int64_t size = u32(p + 4);
    if (h.compare(p, 4, "data") == 0) {
      if (size == 0 || size == 0xFFFFFFFF) return {0, 0};  // streamed WAV: size unknown
      return {size, file_bytes - int64_t(p + 8)};
    }
    p += 8 + size_t(size + (size & 1));
  }
  return {0, 0};
}

/// True when the first bytes are printable text (ASCII or UTF-8): a text file, an HTML error
/// page or JSON saved under an audio name. Every audio container starts with binary bytes.
bool looks_like_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char buf[1024];
  in.read(buf, sizeof buf);
  const std::streamsize n = in.gcount();
  if (n <= 0) return false;
  for (std::streamsize i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(buf[i]);
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return false;
    if (c == 0x7f) return false;
  }
  return true;
}

/// Containers whose seek lands on an exact, known sample (their timestamps are sample
/// counts). mp3 and raw ADTS seek by byte position estimates, so they are read from the start.
bool seeks_exactly(const char* demuxer) {
  for (const char* name : {"wav", "w64", "flac", "ogg", "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "aiff", "caf"}) {
    if (std::strcmp(demuxer, name) == 0) return true;
  }
  return false;
}

struct Opened {
  av::InputPtr fmt;
  av::CodecContextPtr dec;
  int stream = -1;
};

/// Opens the container and the decoder of its best audio stream; the messages say why not.
/// With `may_be_silent`, a file with no audio stream gives an empty Opened.
Opened open_audio(const std::string& path, const AudioSourceRef& ref, bool may_be_silent = false) {
  Opened o;
  int ret = 0;
  o.fmt = av::open_input(path, ret);
  if (!o.fmt) {
    const std::string head = head_bytes(path, 16);
    if (has_at(head, 4, "ftyp")) {
      fail(ref, "the file is truncated or damaged: FFmpeg cannot find its index (" + av::error_text(ret) + ")",
           "download or export it again");
    }
    if (looks_like_audio_container(head)) {
      fail(ref, "the file is truncated or damaged: FFmpeg cannot read it (" + av::error_text(ret) + ")",
           "download or export it again");
    }
    fail(ref, "FFmpeg cannot read it as audio (" + av::error_text(ret) + ")",
         std::string("replace it with an audio file ") + kFormats);
  }
  AVFormatContext* raw = o.fmt.get();
  ret = avformat_find_stream_info(raw, nullptr);
  if (ret < 0) {
    fail(ref, "FFmpeg cannot read its streams (" + av::error_text(ret) + ")",
         std::string("export it again as an audio file ") + kFormats);
  }
  const AVCodec* codec = nullptr;
  o.stream = av_find_best_stream(raw, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
  if (o.stream == AVERROR_STREAM_NOT_FOUND && may_be_silent) return Opened{};
  if (o.stream == AVERROR_STREAM_NOT_FOUND) {
    fail(ref, "it has no audio stream (a silent video or a picture)",
         "choose a file with sound in it, or remove the segment");
  }
  if (o.stream < 0 || !codec) {
    const AVStream* st = nullptr;
    for (unsigned i = 0; i < raw->nb_streams; ++i)
      if (raw->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) st = raw->streams[i];
    std::string name = st ? avcodec_get_name(st->codecpar->codec_id) : "unknown";
    fail(ref, "its audio codec (" + name + ") cannot be decoded by this FFmpeg",
         std::string("convert it to an audio file ") + kFormats);
  }
  const AVStream* st = raw->streams[o.stream];
  o.dec.reset(avcodec_alloc_context3(codec));
  if (!o.dec) throw std::bad_alloc();
  av::check(avcodec_parameters_to_context(o.dec.get(), st->codecpar), "copying the audio stream's parameters");
  o.dec->pkt_timebase = st->time_base;
  ret = avcodec_open2(o.dec.get(), codec, nullptr);
  if (ret < 0 || o.dec->sample_rate <= 0 || o.dec->ch_layout.nb_channels <= 0) {
    fail(ref,
         "its audio stream cannot be opened (" + (ret < 0 ? av::error_text(ret) : "no sample rate or channels") + ")",
         "export it again or replace it");
  }
  return o;
}

}  // namespace

AudioSourceInfo probe_audio(const std::string& path, const AudioSourceRef& ref, const MediaLimits& limits,
                            bool may_be_silent) {
  std::error_code ec;
  if (const std::string kind = base::special_file_kind(path); !kind.empty())
    fail(ref, "is " + kind + ", not an audio file", "point it at the audio file itself");
  if (!fs::is_regular_file(path, ec)) {
    fail(ref, "the file does not exist", "check the path (a relative path is read from the draft's folder)");
  }
  const auto bytes = static_cast<int64_t>(fs::file_size(path, ec));
  if (ec) fail(ref, "the file cannot be read (" + ec.message() + ")", "check its permissions");
  if (bytes == 0) fail(ref, "the file is empty (0 bytes)", "replace it with the audio file itself");
  if (bytes > limits.max_file_bytes) {
    fail(ref,
         "the file is " + std::to_string(bytes >> 20) + " MB, over the limit of " +
             std::to_string(limits.max_file_bytes >> 20) + " MB",
         "use a shorter or compressed file (m4a or mp3)");
  }
  if (looks_like_text(path)) {
    const std::string ext = fs::path(path).extension().string();
    fail(ref, "it is a text file, not audio" + (ext.empty() ? std::string() : " (despite its " + ext + " name)"),
         std::string("replace it with the audio file itself ") + kFormats);
  }

  Opened o = open_audio(path, ref, may_be_silent);
  if (!o.fmt) return AudioSourceInfo{};  // a clip without sound
  AVFormatContext* fmt = o.fmt.get();
  const AVStream* st = fmt->streams[o.stream];
  const AVRational tb = st->time_base;
  AudioSourceInfo info;
  info.sample_rate = o.dec->sample_rate;
  info.channels = o.dec->ch_layout.nb_channels;
  info.codec = avcodec_get_name(o.dec->codec_id);
  info.container = fmt->iformat->name;
  info.exact_seek = seeks_exactly(fmt->iformat->name);

  // Read every packet (no decoding: fast) to learn where the sound really ends, and decode
  // the first ones to prove the codec accepts the data.
  av::PacketPtr pkt = av::alloc_packet();
  av::FramePtr frame = av::alloc_frame();
  int64_t first_pts = AV_NOPTS_VALUE, end_pts = AV_NOPTS_VALUE, running = 0;
  int64_t decoded = 0, first_frame_pts = AV_NOPTS_VALUE;
  int decode_tries = 0, read_error = 0;
  for (;;) {
    int ret = av_read_frame(fmt, pkt.get());
    if (ret == AVERROR_EOF) break;
    if (ret < 0) {
      read_error = ret;
      break;
    }
    if (pkt->stream_index == o.stream) {
      int64_t pts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : running;
      if (first_pts == AV_NOPTS_VALUE) first_pts = pts;
      running = pts + std::max<int64_t>(pkt->duration, 0);
      end_pts = end_pts == AV_NOPTS_VALUE ? running : std::max(end_pts, running);
      if (decoded == 0 && decode_tries < 64) {
        ++decode_tries;
        if (avcodec_send_packet(o.dec.get(), pkt.get()) >= 0) {
          while (avcodec_receive_frame(o.dec.get(), frame.get()) >= 0) {
            if (decoded == 0) first_frame_pts = frame->best_effort_timestamp;
            decoded += frame->nb_samples;
            av_frame_unref(frame.get());
          }
        }
      }
    }
    av_packet_unref(pkt.get());
  }
  if (decoded == 0 && decode_tries > 0 && decode_tries < 64) {  // short file: drain the decoder
    avcodec_send_packet(o.dec.get(), nullptr);
    while (avcodec_receive_frame(o.dec.get(), frame.get()) >= 0) {
      if (decoded == 0) first_frame_pts = frame->best_effort_timestamp;
      decoded += frame->nb_samples;
      av_frame_unref(frame.get());
    }
  }
  if (first_pts == AV_NOPTS_VALUE || end_pts <= first_pts) {
    fail(ref, "no sound can be read from its audio stream (the file is damaged, or holds no audio)",
         "export it again or replace it");
  }
  if (decoded == 0) {
    fail(ref, "the file is damaged: none of its sound can be decoded", "export it again or replace it");
  }
  const int64_t have = av_rescale_q(end_pts - first_pts, tb, AVRational{1, kAudioRate});
  // The length the header declares (not when it is only an estimate from the bit rate).
  int64_t declared = 0;
  if (st->duration != AV_NOPTS_VALUE && st->duration > 0) {
    declared = av_rescale_q(st->duration, tb, AVRational{1, kAudioRate});
  } else if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0 &&
             fmt->duration_estimation_method != AVFMT_DURATION_FROM_BITRATE) {
    declared = av_rescale(fmt->duration, kAudioRate, AV_TIME_BASE);
  }
  if (fmt->duration_estimation_method == AVFMT_DURATION_FROM_BITRATE && st->duration == AV_NOPTS_VALUE) declared = 0;
  // WAV: libavformat quietly plays what is there; the data chunk says what should be.
  if (auto [declared_bytes, present_bytes] = wav_data_sizes(path, bytes);
      present_bytes < declared_bytes && st->codecpar->block_align > 0) {
    declared = av_rescale(declared_bytes / st->codecpar->block_align, kAudioRate, info.sample_rate);
  }
  const int64_t slack = std::max<int64_t>(kAudioRate / 10, declared / 100);  // 100 ms or 1 %
  if (declared > 0 && have + slack < declared) {
    fail(ref,
         "the file is truncated or damaged: only " + seconds(have) + " of its " + seconds(declared) + " can be read",
         "download or export it again");
  }
  if (read_error != 0) {
    fail(ref, "the file is damaged after " + seconds(have) + " (" + av::error_text(read_error) + ")",
         "download or export it again");
  }
  // Sample 0 is the first decoded sample (after the encoder delay the decoder drops).
  info.origin_pts = first_frame_pts != AV_NOPTS_VALUE ? first_frame_pts : first_pts;
  const int64_t end_from_origin = av_rescale_q(end_pts - info.origin_pts, tb, AVRational{1, kAudioRate});
  info.length = std::min(have, end_from_origin);
  // The header's length trims the codec's padding of the last frame (AAC in MP4 declares it).
  if (declared > 0) info.length = std::min(info.length, declared);
  return info;
}

AudioDecoder::AudioDecoder(const std::string& path, const AudioSourceRef& ref, const AudioSourceInfo& info)
    : path_(path), ref_(ref), info_(info), pkt_(av::alloc_packet()), frame_(av::alloc_frame()) {
  Opened o = open_audio(path, ref);
  fmt_ = std::move(o.fmt);
  dec_ = std::move(o.dec);
  stream_ = o.stream;
  tb_ = fmt_->streams[stream_]->time_base;
  reset_resampler();
  origin_pts_ = info.origin_pts;
  target_src_ = 0;
  skip_before_pts_ = INT64_MIN;
}

AudioDecoder::~AudioDecoder() = default;

void AudioDecoder::reset_resampler() {
  AVChannelLayout in_layout;
  if (dec_->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
    av_channel_layout_default(&in_layout, dec_->ch_layout.nb_channels);
  } else {
    av::check(av_channel_layout_copy(&in_layout, &dec_->ch_layout), "copying the channel layout");
  }
  AVChannelLayout out_layout = AV_CHANNEL_LAYOUT_STEREO;
  SwrContext* raw = nullptr;
  int ret = swr_alloc_set_opts2(&raw, &out_layout, AV_SAMPLE_FMT_FLT, kAudioRate, &in_layout, dec_->sample_fmt,
                                dec_->sample_rate, 0, nullptr);
  swr_.reset(raw);
  const bool mono = in_layout.nb_channels == 1;
  av_channel_layout_uninit(&in_layout);
  av::check(ret, "setting up the audio resampler");
  if (mono) {
    // Mono plays at full level on both sides, as in any player (swresample's default pans
    // it at -3 dB).
    const double matrix[2] = {1.0, 1.0};
    av::check(swr_set_matrix(swr_.get(), matrix, 1), "setting the mono to stereo matrix");
  }
  av::check(swr_init(swr_.get()), "starting the audio resampler");
  buf_.clear();
  buf_pos_ = 0;
  swr_drained_ = false;
}

void AudioDecoder::seek(int64_t sample) {
  next_ = sample;
  target_src_ = av_rescale(sample, dec_->sample_rate, kAudioRate);
  // Decoders need some audio before the target to settle (mp3's bit reservoir, AAC's
  // overlap, Opus' 80 ms pre-roll): start half a second early and drop what comes before.
  const int64_t preroll = dec_->sample_rate / 2;
  const int64_t origin = origin_pts_;
  const int64_t from_src = std::max<int64_t>(0, target_src_ - preroll);
  const int64_t from_pts = origin + av_rescale_q(from_src, AVRational{1, dec_->sample_rate}, tb_);
  int ret;
  if (info_.exact_seek && from_src > 0) {
    ret = avformat_seek_file(fmt_.get(), stream_, INT64_MIN, from_pts, from_pts, 0);
  } else {
    // Approximate seekers: back to the start and skip packets undecoded up to the pre-roll
    // (reading packets is cheap; their timestamps are exact when read in order).
    ret = avformat_seek_file(fmt_.get(), stream_, INT64_MIN, origin, origin, 0);
  }
  if (ret < 0) damaged(ret, target_src_);
  avcodec_flush_buffers(dec_.get());
  skip_before_pts_ = from_src > 0 ? from_pts : INT64_MIN;
  started_ = false;
  input_done_ = decoder_done_ = false;
  reset_resampler();
}

void AudioDecoder::damaged(int err, int64_t at_src) const {
  const int64_t at48 = av_rescale(at_src, kAudioRate, std::max(1, dec_->sample_rate));
  fail(ref_, "the file is damaged at " + seconds(at48) + " (" + av::error_text(err) + ")",
       "export it again or replace it");
}

void AudioDecoder::take_frame(const AVFrame* f) {
  int64_t pts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
  const uint8_t* const* data = f->extended_data;
  int count = f->nb_samples;
  int offset = 0;
  if (!started_) {
    // Drop what lies before the exact target sample.
    const int64_t start_src =
        pts == AV_NOPTS_VALUE ? 0 : av_rescale_q(pts - origin_pts_, tb_, AVRational{1, dec_->sample_rate});
    const int64_t drop = target_src_ - start_src;
    if (drop >= count) return;
    if (drop > 0) offset = static_cast<int>(drop);
    // The stream itself starts later than the target (a timestamp gap in the file): the file
    // is silent there, so the gap is kept rather than closed up.
    if (drop < 0) av::check(swr_inject_silence(swr_.get(), static_cast<int>(-drop)), "keeping a gap in the audio");
    started_ = true;
  }
  const uint8_t* planes[AV_NUM_DATA_POINTERS] = {};
  const int bps = av_get_bytes_per_sample(static_cast<AVSampleFormat>(f->format));
  const bool planar = av_sample_fmt_is_planar(static_cast<AVSampleFormat>(f->format));
  const int nch = f->ch_layout.nb_channels;
  if (planar) {
    for (int c = 0; c < nch && c < AV_NUM_DATA_POINTERS; ++c) planes[c] = data[c] + size_t(offset) * bps;
  } else {
    planes[0] = data[0] + size_t(offset) * bps * nch;
  }
  const int in = count - offset;
  const int cap = swr_get_out_samples(swr_.get(), in);
  const size_t old = buf_.size();
  buf_.resize(old + size_t(std::max(cap, 0)) * kAudioChannels);
  uint8_t* out[1] = {reinterpret_cast<uint8_t*>(buf_.data() + old)};
  int got = swr_convert(swr_.get(), out, cap, planes, in);
  av::check(got, "resampling audio");
  buf_.resize(old + size_t(got) * kAudioChannels);
}

bool AudioDecoder::fill() {
  // Compact what was read already so the buffer stays a few packets long.
  if (buf_pos_ > 0) {
    buf_.erase(buf_.begin(), buf_.begin() + std::ptrdiff_t(buf_pos_ * kAudioChannels));
    buf_pos_ = 0;
  }
  // The one receive/send loop: EAGAIN and EOF are states, not errors.
  while (buf_.empty()) {
    if (decoder_done_) {
      if (swr_drained_) return false;
      swr_drained_ = true;
      const int cap = swr_get_out_samples(swr_.get(), 0);
      if (cap <= 0 || !started_) return false;
      buf_.resize(size_t(cap) * kAudioChannels);
      uint8_t* out[1] = {reinterpret_cast<uint8_t*>(buf_.data())};
      int got = av::check(swr_convert(swr_.get(), out, cap, nullptr, 0), "draining the audio resampler");
      buf_.resize(size_t(got) * kAudioChannels);
      return got > 0;
    }
    int ret = avcodec_receive_frame(dec_.get(), frame_.get());
    if (ret >= 0) {
      take_frame(frame_.get());
      av_frame_unref(frame_.get());
      continue;
    }
    if (ret == AVERROR_EOF) {
      decoder_done_ = true;
      continue;
    }
    if (ret != AVERROR(EAGAIN)) damaged(ret, last_src_);
    if (input_done_) {  // should not happen: the decoder was flushed and gave EAGAIN
      decoder_done_ = true;
      continue;
    }
    ret = av_read_frame(fmt_.get(), pkt_.get());
    if (ret == AVERROR_EOF) {
      input_done_ = true;
      av::check(avcodec_send_packet(dec_.get(), nullptr), "flushing the audio decoder");
      continue;
    }
    if (ret < 0) damaged(ret, last_src_);
    if (pkt_->stream_index != stream_ || (skip_before_pts_ != INT64_MIN && pkt_->pts != AV_NOPTS_VALUE &&
                                          pkt_->pts + pkt_->duration < skip_before_pts_)) {
      av_packet_unref(pkt_.get());
      continue;
    }
    if (pkt_->pts != AV_NOPTS_VALUE)
      last_src_ = std::max<int64_t>(0, av_rescale_q(pkt_->pts - origin_pts_, tb_, AVRational{1, dec_->sample_rate}));
    ret = avcodec_send_packet(dec_.get(), pkt_.get());
    av_packet_unref(pkt_.get());
    if (ret < 0 && ret != AVERROR(EAGAIN)) damaged(ret, last_src_);
  }
  return true;
}

int64_t AudioDecoder::read(float* out, int64_t frames) {
  frames = std::clamp<int64_t>(info_.length - next_, 0, frames);  // no padding past the end
  int64_t done = 0;
  while (done < frames) {
    size_t avail = buf_.size() / kAudioChannels - buf_pos_;
    if (avail == 0) {
      if (!fill()) break;
      continue;
    }
    const size_t n = std::min<size_t>(avail, size_t(frames - done));
    std::memcpy(out + done * kAudioChannels, buf_.data() + buf_pos_ * kAudioChannels,
                n * kAudioChannels * sizeof(float));
    buf_pos_ += n;
    done += n;
  }
  next_ += done;
  return done;
}

}  // namespace reel::engine
