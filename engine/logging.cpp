#include "engine/logging.h"

#include <cstdio>

#include "engine/av/handles.h"

namespace reel::engine {

namespace {
void log_line(void* avcl, int level, const char* fmt, va_list vl) {
  if (level > av_log_get_level()) return;
  char line[1024];
  int print_prefix = 1;
  av_log_format_line(avcl, level, fmt, vl, line, sizeof line, &print_prefix);
  std::fprintf(stderr, "reel: ffmpeg: %s", line);
}
}  // namespace

void route_ffmpeg_log(bool verbose) {
  av_log_set_level(verbose ? AV_LOG_INFO : AV_LOG_ERROR);
  av_log_set_callback(log_line);
}

void restore_ffmpeg_log() {
  av_log_set_callback(av_log_default_callback);
  av_log_set_level(AV_LOG_INFO);
}

}  // namespace reel::engine
