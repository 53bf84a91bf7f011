#pragma once
// The frames a render composes into and encodes from: pooled yuv420p AVFrames, and the YUV
// view of their planes that the compositor draws on.
#include "engine/internal.h"

#include "engine/av/handles.h"
#include "engine/av/yuv_image.h"

namespace reel::engine {

/// Frames for the encoder: yuv420p AVFrames whose planes come from one AVBufferPool, so a
/// frame costs no allocation once the pool is warm. Thread-safe.
class FramePool {
 public:
  FramePool(int width, int height);
  av::FramePtr get();

 private:
  int width_, height_;
  int linesize_[3];
  size_t offset_[3];
  av::BufferPoolPtr pool_;
};

/// The YUV view of a yuv420p AVFrame's planes.
YuvView view_of(const AVFrame* f);

}  // namespace reel::engine
