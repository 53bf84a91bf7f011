#pragma once
// Rendered chunks kept between renders, and the join that makes them one MP4. A chunk is an
// MP4 of H.264 that starts with an IDR frame and refers to nothing outside itself (each one
// has its own encoder, with the render's settings), so chunks join by stream copy; the sound
// of a render is encoded whole, once, and kept the same way. Entries are named by their key
// and carry it in their comment tag; they are written under a temporary name and renamed, so
// a reader sees a whole entry or none, and a damaged or foreign one is rendered again.
#include "engine/internal.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/compose/chunks.h"
#include "engine/output/h264_encoder.h"
#include "engine/output/mp4_muxer.h"

namespace reel::engine {

class ChunkStore {
 public:
  /// `dir` empty: a private temporary folder, removed with the store (a render that keeps
  /// nothing); so is a `dir` that cannot be made or written. `budget_bytes`: what the folder
  /// may hold; least recently used entries go first.
  ChunkStore(std::string dir, int64_t budget_bytes);
  ~ChunkStore();
  ChunkStore(const ChunkStore&) = delete;
  ChunkStore& operator=(const ChunkStore&) = delete;

  const std::string& dir() const { return dir_; }
  std::string video_path(const std::string& key) const;
  std::string audio_path(const std::string& key) const;
  /// Whether a whole chunk of `frames` frames of width x height is kept under `key` (the key
  /// names the encoder, its headers included). A hit is touched: the most recently used.
  bool has_video(const std::string& key, int64_t frames, int width, int height) const;
  /// Whether sound is kept under `key`.
  bool has_audio(const std::string& key) const;
  /// Keeps the folder within its budget, never removing the video under `in_use_keys` (this
  /// render's) and never below their bytes.
  void trim(const std::vector<std::string>& in_use_keys) const;
  /// Keeps the chunk folder `dir` within `budget_bytes` now; returns the bytes removed.
  static int64_t trim_folder(const std::string& dir, int64_t budget_bytes);
  /// Bytes of the entries under these keys.
  int64_t bytes_of(const std::vector<std::string>& video_keys) const;

 private:
  std::string dir_;
  int64_t budget_;
  bool temporary_;
};

/// Encodes one chunk's frames, in order, into its entry of the store.
class ChunkWriter {
 public:
  ChunkWriter(const ChunkStore& store, const Chunk& chunk, const H264Settings& settings);
  ~ChunkWriter();
  /// Frame `index` of the chunk (0 first).
  void add(AVFrame* frame, int64_t index);
  /// Drains the encoder, finishes the MP4 and puts it in place.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class AudioMix;

/// Encodes the rest of `mix` to AAC, whole, into the store's entry for `key`. Throws
/// Cancelled when *cancel becomes true (nothing is kept then).
void store_sound(const ChunkStore& store, const std::string& key, AudioMix& mix, const std::atomic<bool>* cancel);

/// One MP4 of H.264 frames to copy into a join: the file, the comment tag it must carry (its
/// key), where its first frame goes on the render's clock and how many frames it holds.
struct JoinPiece {
  std::string path, key;
  int64_t first_frame = 0, frames = 0;
};

/// Writes `pieces`' frames, in order, and the sound at `audio_path` (carrying `audio_key`;
/// empty: none) to one MP4 at `path` (messages name `name`) by stream copy: piece i's
/// timestamps moved by its first frame less `frame_begin`, the sound interleaved by time.
/// `comment`, when not empty, is the file's comment tag; `faststart` as Mp4Muxer's. Throws
/// EngineError when a piece has gone or changed, or holds another number of frames.
void join_pieces(const std::vector<JoinPiece>& pieces, const std::string& audio_path, const std::string& audio_key,
                 int64_t frame_begin, draft::Rational fps, const std::string& path, const std::string& name,
                 const std::string& comment = {}, bool faststart = true);

/// The kept chunks, in order, and the kept sound (`audio_key`; empty: none) joined into one MP4
/// (see join_pieces). Throws EngineError when an entry has gone (another render trimmed the
/// folder).
void join_chunks(const ChunkStore& store, const std::vector<Chunk>& chunks, const std::string& audio_key,
                 int64_t frame_begin, draft::Rational fps, const std::string& path, const std::string& name,
                 const std::string& comment = {}, bool faststart = true);

/// The comment tag of the MP4 at `path` and its one video stream's frame count; nullopt when it
/// is not an MP4 with exactly one video stream.
struct TaggedVideo {
  std::string comment;
  int64_t frames = 0;
  int width = 0, height = 0;
};
std::optional<TaggedVideo> read_tagged_video(const std::string& path);

/// The comment tag of the MP4 at `path` when it holds exactly one AAC stream with frames (a
/// kept sound, or a sound part); nullopt otherwise.
std::optional<std::string> read_sound_tag(const std::string& path);

}  // namespace reel::engine
