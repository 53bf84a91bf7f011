#include "engine/output/chunk_store.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>

#include "base/cache_folder.h"
#include "base/files.h"
#include "engine/audio/mix.h"
#include "engine/errors.h"
#include "engine/output/aac_encoder.h"
#include "engine/timings.h"

namespace reel::engine {

namespace fs = std::filesystem;

namespace {

constexpr const char* kVideoSuffix = ".chunk.mp4";
constexpr const char* kAudioSuffix = ".sound.m4a";

bool is_entry(const std::string& name) {
  auto ends = [&](const char* s) {
    const size_t n = std::strlen(s);
    return name.size() > n && name.compare(name.size() - n, n, s) == 0;
  };
  return ends(kVideoSuffix) || ends(kAudioSuffix);
}

std::string comment_of(const AVFormatContext* in) {
  const AVDictionaryEntry* e = av_dict_get(in->metadata, "comment", nullptr, 0);
  return e ? e->value : "";
}

// The entry at `path` when it is one of ours for `key` with one stream of `type`; else null.
av::InputPtr open_entry(const std::string& path, const std::string& key, AVMediaType type) {
  int error = 0;
  av::InputPtr in = av::open_input(path, error);
  if (!in || in->nb_streams != 1 || in->streams[0]->codecpar->codec_type != type || comment_of(in.get()) != key)
    return nullptr;
  return in;
}

}  // namespace

ChunkStore::ChunkStore(std::string dir, int64_t budget_bytes)
    : dir_(std::move(dir)), budget_(budget_bytes), temporary_(dir_.empty()) {
  if (!temporary_) {
    // A cache folder that cannot be made or written costs the reuse, never the render.
    try {
      base::ensure_folder(dir_);
      if (::access(dir_.c_str(), W_OK | X_OK) == 0) return;
    } catch (const base::Error&) {
    }
    temporary_ = true;
  }
  std::string pattern = (fs::temp_directory_path() / "reel-chunks-XXXXXX").string();
  if (!::mkdtemp(pattern.data()))
    throw base::FileError(base::Access::Write, fs::temp_directory_path().string(), errno,
                          "make a folder for the render's chunks");
  dir_ = pattern;
}

ChunkStore::~ChunkStore() {
  if (!temporary_) return;
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string ChunkStore::video_path(const std::string& key) const { return dir_ + "/" + key + kVideoSuffix; }
std::string ChunkStore::audio_path(const std::string& key) const { return dir_ + "/" + key + kAudioSuffix; }

bool ChunkStore::has_video(const std::string& key, int64_t frames, int width, int height) const {
  const std::string path = video_path(key);
  av::InputPtr in = open_entry(path, key, AVMEDIA_TYPE_VIDEO);
  if (!in) return false;
  const AVStream* st = in->streams[0];
  const bool whole = st->codecpar->codec_id == AV_CODEC_ID_H264 && st->codecpar->width == width &&
                     st->codecpar->height == height && st->nb_frames == frames;
  if (whole) base::mark_used(path);
  return whole;
}

std::optional<std::string> read_sound_tag(const std::string& path) {
  int error = 0;
  av::InputPtr in = av::open_input(path, error);
  if (!in || in->nb_streams != 1 || in->streams[0]->codecpar->codec_type != AVMEDIA_TYPE_AUDIO ||
      in->streams[0]->codecpar->codec_id != AV_CODEC_ID_AAC || in->streams[0]->nb_frames <= 0)
    return std::nullopt;
  return comment_of(in.get());
}

bool ChunkStore::has_audio(const std::string& key) const {
  const std::string path = audio_path(key);
  if (read_sound_tag(path) != key) return false;
  base::mark_used(path);
  return true;
}

int64_t ChunkStore::bytes_of(const std::vector<std::string>& video_keys) const {
  int64_t bytes = 0;
  for (const std::string& key : video_keys) {
    std::error_code ec;
    const auto size = fs::file_size(video_path(key), ec);
    if (!ec) bytes += int64_t(size);
  }
  return bytes;
}

void ChunkStore::trim(const std::vector<std::string>& in_use_keys) const {
  if (temporary_) return;
  // A render larger than the budget keeps its own; its entries are kept by name, not by their
  // time of use (the join reads them all within one tick of the file clock).
  const int64_t in_use_bytes = bytes_of(in_use_keys);
  const int64_t budget = std::max(budget_, in_use_bytes);
  std::vector<std::string> keep;
  for (const std::string& key : in_use_keys) keep.push_back(video_path(key));
  base::trim_folder(dir_, budget, budget - (budget - in_use_bytes) / 10, is_entry, keep);
}

int64_t ChunkStore::trim_folder(const std::string& dir, int64_t budget_bytes) {
  return base::trim_folder(dir, budget_bytes, budget_bytes, is_entry);
}

struct ChunkWriter::Impl {
  Impl(const ChunkStore& store, const Chunk& c, const H264Settings& s)
      : file(store.video_path(c.key)), encoder(s), muxer(file.temp_path(), file.path(), false) {
    stream = muxer.add_stream(encoder.context());
    muxer.set_comment(c.key);
    muxer.start();
  }
  void write(AVPacket* p) { muxer.write(p, stream, encoder.time_base()); }
  base::AtomicFile file;
  H264Encoder encoder;
  Mp4Muxer muxer;
  int stream = 0;
};

ChunkWriter::ChunkWriter(const ChunkStore& store, const Chunk& chunk, const H264Settings& settings)
    : impl_(std::make_unique<Impl>(store, chunk, settings)) {}

ChunkWriter::~ChunkWriter() = default;

void ChunkWriter::add(AVFrame* frame, int64_t index) {
  frame->pts = index;
  impl_->encoder.encode(frame, [this](AVPacket* p) { impl_->write(p); });
}

void ChunkWriter::finish() {
  impl_->encoder.encode(nullptr, [this](AVPacket* p) { impl_->write(p); });
  impl_->muxer.finish();
  impl_->file.commit();
}

void store_sound(const ChunkStore& store, const std::string& key, AudioMix& mix, const std::atomic<bool>* cancel) {
  base::AtomicFile file(store.audio_path(key));
  Mp4Muxer muxer(file.temp_path(), file.path(), false);
  AudioStreamWriter writer(mix, muxer);
  muxer.set_comment(key);
  muxer.start();
  // A second of sound at a time, so a cancel is noticed.
  for (int64_t before = -1; mix.position() < mix.total_samples() && mix.position() != before;) {
    if (cancel && cancel->load()) throw Cancelled();
    before = mix.position();
    writer.write_until(before + AudioMix::kRate);
  }
  writer.finish();
  muxer.finish();
  file.commit();
}

namespace {

av::InputPtr open_kept(const std::string& path, const std::string& key, AVMediaType type) {
  av::InputPtr in = open_entry(path, key, type);
  if (!in)
    throw EngineError(path +
                      " went away or changed while it was being joined (another reel trimming the cache?); "
                      "run the command again");
  return in;
}

}  // namespace

void join_pieces(const std::vector<JoinPiece>& pieces, const std::string& audio_path, const std::string& audio_key,
                 int64_t frame_begin, draft::Rational fps, const std::string& path, const std::string& name,
                 const std::string& comment, bool faststart) {
  StageClock clock(Stage::Join);
  if (pieces.empty()) throw EngineError("a render with no chunks to join");
  const AVRational frame_tb{int(fps.den), int(fps.num)};
  Mp4Muxer muxer(path, name, faststart);
  av::InputPtr video = open_kept(pieces[0].path, pieces[0].key, AVMEDIA_TYPE_VIDEO);
  const int video_out = muxer.add_stream(video->streams[0]->codecpar, frame_tb);
  av::InputPtr audio;
  int audio_out = -1;
  AVRational audio_tb{1, 1};
  if (!audio_key.empty()) {
    audio = open_kept(audio_path, audio_key, AVMEDIA_TYPE_AUDIO);
    audio_tb = audio->streams[0]->time_base;
    audio_out = muxer.add_stream(audio->streams[0]->codecpar, audio_tb);
  }
  if (!comment.empty()) muxer.set_comment(comment);
  muxer.start();

  av::PacketPtr pkt = av::alloc_packet(), sound = av::alloc_packet();
  bool sound_waiting = false, sound_done = !audio;
  // The sound up to `seconds`, so the two streams interleave as they would in one render.
  auto write_sound_until = [&](double seconds) {
    while (!sound_done) {
      if (!sound_waiting) {
        if (av_read_frame(audio.get(), sound.get()) < 0) {
          sound_done = true;
          return;
        }
        sound_waiting = true;
      }
      if (double(sound->dts) * av_q2d(audio_tb) > seconds) return;
      muxer.write(sound.get(), audio_out, audio_tb);
      sound_waiting = false;
    }
  };

  for (size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0) video = open_kept(pieces[i].path, pieces[i].key, AVMEDIA_TYPE_VIDEO);
    const AVRational tb = video->streams[0]->time_base;
    const int64_t offset = pieces[i].first_frame - frame_begin;
    int64_t packets = 0;
    for (;;) {
      const int ret = av_read_frame(video.get(), pkt.get());
      if (ret == AVERROR_EOF) break;
      av::check(ret, ("reading " + pieces[i].path).c_str());
      // A piece's own timestamps start at 0 in frames of its time base.
      av_packet_rescale_ts(pkt.get(), tb, frame_tb);
      pkt->pts += offset;
      pkt->dts += offset;
      pkt->pos = -1;
      write_sound_until(double(pkt->dts) * av_q2d(frame_tb));
      muxer.write(pkt.get(), video_out, frame_tb);
      ++packets;
    }
    if (packets != pieces[i].frames)
      throw EngineError(pieces[i].path + " is cut short or damaged: it holds " + std::to_string(packets) +
                            " frames instead of " + std::to_string(pieces[i].frames) + "; render it again",
                        base::Fault::Input);
  }
  write_sound_until(std::numeric_limits<double>::infinity());
  muxer.finish();
}

void join_chunks(const ChunkStore& store, const std::vector<Chunk>& chunks, const std::string& audio_key,
                 int64_t frame_begin, draft::Rational fps, const std::string& path, const std::string& name,
                 const std::string& comment, bool faststart) {
  std::vector<JoinPiece> pieces;
  for (const Chunk& c : chunks) pieces.push_back({store.video_path(c.key), c.key, c.begin, c.frames()});
  join_pieces(pieces, audio_key.empty() ? "" : store.audio_path(audio_key), audio_key, frame_begin, fps, path, name,
              comment, faststart);
}

std::optional<TaggedVideo> read_tagged_video(const std::string& path) {
  int error = 0;
  av::InputPtr in = av::open_input(path, error);
  if (!in || !std::strstr(in->iformat->name, "mp4") || in->nb_streams != 1 ||
      in->streams[0]->codecpar->codec_type != AVMEDIA_TYPE_VIDEO)
    return std::nullopt;
  const AVStream* st = in->streams[0];
  return TaggedVideo{comment_of(in.get()), st->nb_frames, st->codecpar->width, st->codecpar->height};
}

}  // namespace reel::engine
