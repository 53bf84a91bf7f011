#pragma once
// libx264 through libavcodec, yuv420p, BT.709 tagged. The one send/receive loop of
// the engine lives here (the benchmark's encode floor uses this same class).
#include "engine/internal.h"

#include <functional>
#include <string>

#include "draft/time.h"
#include "engine/av/handles.h"

namespace reel::engine {

/// x264 settings of a render.
struct H264Settings {
  int width = 1920, height = 1080;
  draft::Rational fps{30, 1};
  int crf = 20;
  std::string preset = "veryfast";
  int threads = 0;  // x264's own threads: 0 = its default for this machine (the bits depend on it)
};

/// What decides the bits an encoder with `s` makes besides its frames: the settings, the
/// libavcodec and libx264 builds, x264's thread count and the stream headers it writes (an
/// encoder is opened to see them). Part of every chunk's key.
std::string encoder_identity(const H264Settings& s);

/// About how much CPU one x264 thread spends per pixel of a frame with this preset (measured
/// here on slideshow frames): the weight of the encode in chunk_costs.
double encode_cost_ns_per_pixel(const std::string& x264_preset);

/// One H.264 encoder. Not thread-safe: one thread sends frames and receives packets.
class H264Encoder {
 public:
  explicit H264Encoder(const H264Settings& s);
  const AVCodecContext* context() const { return ctx_.get(); }
  AVRational time_base() const { return ctx_->time_base; }
  /// Sends `frame` (nullptr: flush) and passes every packet that comes out to `sink`; the
  /// packet is only valid during the call.
  void encode(const AVFrame* frame, const std::function<void(AVPacket*)>& sink);

 private:
  av::CodecContextPtr ctx_;
  av::PacketPtr pkt_;
};

}  // namespace reel::engine
