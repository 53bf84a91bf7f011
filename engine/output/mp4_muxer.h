#pragma once
// The MP4 writer. Streams are added from their encoders (H.264 video, AAC sound), packets
// are interleaved by libavformat, and the index is moved to the front (+faststart) when the
// file is finished.
#include "engine/internal.h"

#include <string>

#include "engine/av/handles.h"

namespace reel::engine {

/// Writes one MP4 file at `path`. Not thread-safe. Destroying it unfinished closes the file
/// without a trailer (the caller deletes the partial file). Messages name the file `name`
/// (the destination, when `path` is its temporary file); empty: `path`.
class Mp4Muxer {
 public:
  /// `faststart`: the index moved to the front when finished (for players that stream the
  /// file); off for files only reel reads back (chunks), which saves rewriting them.
  explicit Mp4Muxer(const std::string& path, const std::string& name = {}, bool faststart = true);
  ~Mp4Muxer();
  Mp4Muxer(const Mp4Muxer&) = delete;
  Mp4Muxer& operator=(const Mp4Muxer&) = delete;

  /// Adds a stream carrying `encoder`'s output; returns its index. Before start() only.
  int add_stream(const AVCodecContext* encoder);
  /// Adds a stream whose packets are copied from another file (`par`, in `time_base`).
  int add_stream(const AVCodecParameters* par, AVRational time_base);
  /// The file's comment tag (a kept chunk's key). Before start() only.
  void set_comment(const std::string& comment);
  void start();
  /// Writes a packet of stream `index` whose timestamps are in `time_base`.
  void write(AVPacket* packet, int index, AVRational time_base);
  /// Writes the trailer (and, with +faststart, moves the index to the front) and closes.
  void finish();

 private:
  std::string name_;
  bool faststart_;
  av::OutputPtr ctx_;
};

}  // namespace reel::engine
