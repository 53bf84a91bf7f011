#pragma once
// RAII owners for libav objects and the one AVERROR -> text helper.
// FFmpeg headers are included under engine/ only.
#include "engine/internal.h"

#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

namespace reel::engine::av {

/// Calls a libav free function that takes T** (av_frame_free, avcodec_free_context, ...).
template <auto Fn>
struct FreeP {
  template <class T>
  void operator()(T* p) const noexcept {
    if (p) Fn(&p);
  }
};
/// Calls a libav free function that takes T* (sws_freeContext, ...).
template <auto Fn>
struct Free {
  template <class T>
  void operator()(T* p) const noexcept {
    if (p) Fn(p);
  }
};

using FramePtr = std::unique_ptr<AVFrame, FreeP<av_frame_free>>;
using PacketPtr = std::unique_ptr<AVPacket, FreeP<av_packet_free>>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, FreeP<avcodec_free_context>>;
using SwsPtr = std::unique_ptr<SwsContext, Free<sws_freeContext>>;
using BufferPoolPtr = std::unique_ptr<AVBufferPool, FreeP<av_buffer_pool_uninit>>;
/// A demuxer: input contexts close with avformat_close_input.
using InputPtr = std::unique_ptr<AVFormatContext, FreeP<avformat_close_input>>;
/// A muxer: output contexts close their file first, then free the context.
struct CloseOutput {
  void operator()(AVFormatContext* p) const noexcept;
};
using OutputPtr = std::unique_ptr<AVFormatContext, CloseOutput>;

/// Opens `path` for demuxing: the one avformat_open_input of the engine. Returns null and
/// sets `error` (an AVERROR) when libav cannot open it; callers word the message.
InputPtr open_input(const std::string& path, int& error);

/// The text of an AVERROR code ("Invalid argument").
std::string error_text(int err);

/// Throws EngineError("<what>: <libav text>") when ret < 0; returns ret otherwise.
int check(int ret, const char* what);

/// For calls that write the file at `path`: a refusal by the system (no space, permission,
/// read-only disk) throws base::FileError naming `path`; any other failure EngineError.
/// Returns ret when it is not negative.
int check_write(int ret, const std::string& path);

FramePtr alloc_frame();
PacketPtr alloc_packet();

}  // namespace reel::engine::av
