#include "engine/av/handles.h"

#include <cerrno>

#include "base/error.h"
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

int check_write(int ret, const std::string& path) {
  if (ret >= 0) return ret;
  switch (AVUNERROR(ret)) {
    case ENOSPC:
    case EDQUOT:
    case EACCES:
    case EPERM:
    case EROFS:
    case EISDIR:
    case ENOTDIR:
    case ENOENT:
    case EIO:
    case EMFILE:
    case ENFILE:
      throw base::FileError(base::Access::Write, path, AVUNERROR(ret));
    default:
      throw EngineError("cannot write " + path + ": " + error_text(ret));
  }
}

void CloseOutput::operator()(AVFormatContext* p) const noexcept {
  if (!p) return;
  if (p->pb && !(p->oformat->flags & AVFMT_NOFILE)) avio_closep(&p->pb);
  avformat_free_context(p);
}

InputPtr open_input(const std::string& path, int& error) {
  AVFormatContext* raw = nullptr;
  error = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (error < 0) return nullptr;  // libav frees the context when it fails
  return InputPtr(raw);
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
