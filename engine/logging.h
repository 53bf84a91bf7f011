#pragma once
// Process-wide FFmpeg log routing. Call from the program's set-up only (cli/ProcessSetup):
// library code never changes process globals.
namespace reel::engine {

/// Routes FFmpeg's log to stderr as "reel: ffmpeg: ..." lines, errors only unless `verbose`.
void route_ffmpeg_log(bool verbose);
/// Puts FFmpeg's default log handling back.
void restore_ffmpeg_log();

}  // namespace reel::engine
