#pragma once
// Video clips and animated GIFs as a sequence of upright BGR pictures, streamed and
// seek-accurate: the picture shown at any source time, decoded from the nearest keyframe
// before it, holding only the frames around the playhead. Rotation metadata of phone videos
// is applied; variable frame rates are read by timestamp, never by frame count.
#include "engine/internal.h"

#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "engine/av/handles.h"
#include "engine/plan/source_info.h"
#include "engine/types.h"

namespace reel::engine {

/// Checks a clip without decoding more than its first picture: it exists, is a video (not a
/// still image, text, or audio only), has a decodable video stream within the pixel limit,
/// and — for a GIF — more than one frame. `pointer` and `reference` name it in the MediaError.
ClipInfo probe_clip(const std::string& path, const std::string& pointer, const std::string& reference,
                    const MediaLimits& limits = {});

/// Decodes one clip. Not thread-safe: one owner at a time.
class ClipDecoder {
 public:
  ClipDecoder(const std::string& path, const std::string& pointer, const std::string& reference, const ClipInfo& info);
  ~ClipDecoder();
  ClipDecoder(const ClipDecoder&) = delete;
  ClipDecoder& operator=(const ClipDecoder&) = delete;

  const ClipInfo& info() const { return info_; }
  /// The upright picture on screen at `t_us` after the clip's first picture: the last one
  /// whose time is <= t. Before the start: the first; past the end: the last. Calls with
  /// growing times decode forward; a jump back or far ahead seeks.
  const cv::Mat& picture_at(int64_t t_us);
  /// The time of the picture picture_at returned last (us after the first): equal times mean
  /// the same picture.
  int64_t shown_time_us() const { return shown_us_; }

 private:
  bool decode_next();  // the next picture into next_ (false at the end)
  void seek_to(int64_t t_us);
  [[noreturn]] void damaged(int err) const;

  std::string path_, pointer_, reference_;
  ClipInfo info_;
  av::InputPtr fmt_;
  av::CodecContextPtr dec_;
  av::PacketPtr pkt_;
  av::FramePtr frame_;
  av::SwsPtr sws_;
  int stream_ = -1;
  AVRational tb_{1, 1};
  int64_t start_pts_ = 0;  // pts of the first picture
  bool eof_ = false, flushed_ = false;
  // The picture on screen and the one after it, with their times (us from the first).
  cv::Mat shown_, next_;
  int64_t shown_us_ = INT64_MIN, next_us_ = INT64_MIN;
  bool have_next_ = false;
};

}  // namespace reel::engine
