#include "engine/av/frame_pool.h"

#include <new>

namespace reel::engine {

FramePool::FramePool(int width, int height) : width_(width), height_(height) {
  auto align = [](int v) { return (v + 63) & ~63; };
  linesize_[0] = align(width);
  linesize_[1] = linesize_[2] = align(width / 2);
  offset_[0] = 0;
  offset_[1] = size_t(linesize_[0]) * size_t(height);
  offset_[2] = offset_[1] + size_t(linesize_[1]) * size_t(height / 2);
  size_t total = offset_[2] + size_t(linesize_[2]) * size_t(height / 2) + 64;
  // Zeroed once: the padding right of each row is never drawn, and x264 reads some of it.
  pool_.reset(av_buffer_pool_init(total, av_buffer_allocz));
  if (!pool_) throw std::bad_alloc();
}

av::FramePtr FramePool::get() {
  av::FramePtr f = av::alloc_frame();
  f->buf[0] = av_buffer_pool_get(pool_.get());
  if (!f->buf[0]) throw std::bad_alloc();
  f->format = AV_PIX_FMT_YUV420P;
  f->width = width_;
  f->height = height_;
  for (int i = 0; i < 3; ++i) {
    f->data[i] = f->buf[0]->data + offset_[i];
    f->linesize[i] = linesize_[i];
  }
  f->color_primaries = AVCOL_PRI_BT709;
  f->color_trc = AVCOL_TRC_BT709;
  f->colorspace = AVCOL_SPC_BT709;
  f->color_range = AVCOL_RANGE_MPEG;
  f->sample_aspect_ratio = AVRational{1, 1};
  return f;
}

YuvView view_of(const AVFrame* f) {
  YuvView v;
  for (int i = 0; i < 3; ++i) {
    int w = i == 0 ? f->width : f->width / 2, h = i == 0 ? f->height : f->height / 2;
    v.plane[i] = PlaneView{f->data[i], f->linesize[i], w, h};
  }
  return v;
}

}  // namespace reel::engine
