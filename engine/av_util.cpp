#include "engine/av_util.h"

#include "engine/errors.h"

namespace reel::engine::av {

std::string error_text(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  if (av_strerror(err, buf, sizeof buf) < 0) return "error " + std::to_string(err);
  return buf;
}

int check(int ret, const char* what) {
  if (ret < 0) throw EngineError(std::string(what) + ": " + error_text(ret));
  return ret;
}

FramePtr alloc_frame() {
  FramePtr f(av_frame_alloc());
  if (!f) throw std::bad_alloc();
  return f;
}

PacketPtr alloc_packet() {
  PacketPtr p(av_packet_alloc());
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace reel::engine::av
