// render_to_file, check_sources, render_still, render_storyboard: the engine's entry points.
#include "engine/render.h"

#include <png.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csetjmp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <opencv2/imgproc.hpp>

#include "draft/problem.h"
#include "draft/time.h"
#include "engine/audio_mix.h"
#include "engine/encoder_aac.h"
#include "engine/encoder_h264.h"
#include "engine/errors.h"
#include "engine/muxer_mp4.h"
#include "engine/photo_framing.h"
#include "engine/pipeline.h"
#include "engine/png_writer.h"
#include "engine/proxy_cache.h"
#include "engine/render_plan.h"
#include "engine/source_cache.h"
#include "engine/text_overlay.h"

namespace reel::engine {

namespace fs = std::filesystem;

namespace {

void notify(const RenderOptions& o, const Plan& plan) {
  if (!o.notice) return;
  for (const auto& n : plan.notices) o.notice(n);
}

// Photos and clips alike, every bad one reported at once; clips keep their probed facts.
void check_plan_sources(Plan& plan, const MediaLimits& limits) {
  std::vector<MediaIssue> issues;
  for (PlanItem& it : plan.items) {
    try {
      check_item(it, limits);
    } catch (const MediaError& e) {
      issues.insert(issues.end(), e.issues().begin(), e.issues().end());
    }
  }
  if (!issues.empty()) throw MediaError(std::move(issues));
}

/// Deletes the temporary file unless released (RAII: failures and cancels leave nothing).
class TempFile {
 public:
  explicit TempFile(const std::string& final_path) : final_(final_path) {
    static std::atomic<int> counter{0};
    fs::path p(final_path);
    path_ = (p.parent_path() / ("." + p.filename().string() + ".reel-" + std::to_string(getpid()) + "-" +
                                std::to_string(counter++) + ".tmp"))
                .string();
  }
  ~TempFile() {
    if (!committed_) {
      std::error_code ec;
      fs::remove(path_, ec);
    }
  }
  const std::string& path() const { return path_; }
  void commit() {
    std::error_code ec;
    fs::rename(path_, final_, ec);
    if (ec) throw EngineError("cannot move the finished video to " + final_ + ": " + ec.message());
    committed_ = true;
  }

 private:
  std::string final_, path_;
  bool committed_ = false;
};

int64_t frame_at_ms(const Plan& plan, int64_t ms) {
  // The frame on screen at `ms`: the last frame whose time is <= ms.
  __int128 a = __int128(ms) * plan.fps.num, b = __int128(1000) * plan.fps.den;
  return int64_t(a / b);
}

H264Settings encoder_settings(const Plan& plan, const RenderOptions& o) {
  H264Settings s;
  s.width = plan.width;
  s.height = plan.height;
  s.fps = plan.fps;
  bool preview = o.preset == Preset::Preview;
  s.crf = o.crf.value_or(preview ? 28 : 20);
  s.preset = o.x264_preset.value_or(preview ? "ultrafast" : "veryfast");
  return s;
}

// The sound of frames [frame_begin, frame_end): every audio source is opened and checked here,
// before anything is encoded, and one MediaError lists all the bad ones.
std::unique_ptr<AudioMix> make_audio(const draft::Draft& draft, const Plan& plan, const RenderOptions& o) {
  SourceResolver resolve = o.resolve_source;
  if (!resolve) resolve = [&o](const std::string& ref) { return default_resolve(ref, o.base_dir); };
  const int64_t end = draft::samples_before_frame(plan.frame_end, plan.fps, AudioMix::kRate);
  auto mix = std::make_unique<AudioMix>(sound_placements(draft), end, resolve, o.limits);
  mix->seek(draft::samples_before_frame(plan.frame_begin, plan.fps, AudioMix::kRate));
  if (o.notice)
    for (const auto& n : mix->notices()) o.notice(n);
  return mix;
}

}  // namespace

void check_sources(const draft::Draft& draft, const RenderOptions& options) {
  Plan plan = make_plan(draft, options);
  check_plan_sources(plan, options.limits);
  make_audio(draft, plan, options);
}

RenderResult render_to_file(const draft::Draft& draft, const std::string& out_path, const RenderOptions& options,
                            const ProgressFn& progress, const std::atomic<bool>* cancel) {
  const auto t0 = std::chrono::steady_clock::now();
  Plan plan = make_plan(draft, options);
  check_plan_sources(plan, options.limits);
  if (plan.frame_end <= plan.frame_begin)
    throw draft::DraftError("draft", "/d",
                            "there is nothing to render: the draft (or the --from/--to range) has no frames");
  notify(options, plan);
  std::unique_ptr<AudioMix> mix = make_audio(draft, plan, options);

  H264Encoder encoder(encoder_settings(plan, options));
  TempFile temp(out_path);
  RenderResult result;
  {
    Mp4Muxer muxer(temp.path());
    const int video = muxer.add_stream(encoder.context());
    // A draft with no sound gives a file with no audio stream.
    std::optional<AudioStreamWriter> audio;
    if (!mix->empty()) audio.emplace(*mix, muxer);
    muxer.start();
    auto sink = [&](AVPacket* p) { muxer.write(p, video, encoder.time_base()); };

    const int threads = resolve_threads(options.threads);
    // Preview decodes dominate (photos far larger than the canvas): two loaders there; one for
    // final, where memory is the tighter budget.
    const int loaders = threads > 1 ? (options.preset == Preset::Preview ? 2 : 1) : 0;
    // Preview: far enough ahead for both loaders to have a photo each (its photos are small).
    const double ahead_s = options.preset == Preset::Preview ? 6 : 2;
    // Each clip keeps the pipeline's window of frames in flight (see run_pipeline) prepared.
    std::unique_ptr<ProxyCache> proxies = proxy_cache_for(options);
    SourceCache cache(plan, int64_t(ahead_s * plan.fps.value()) + 2 * threads + 4, loaders, 2 * threads + 4,
                      proxies.get());
    FramePool pool(plan.width, plan.height);
    TextLayer text(draft, plan.width, plan.height, plan.fps, options.base_dir);
    RenderProgress pr;
    pr.frames_total = plan.frame_end - plan.frame_begin;
    run_pipeline(
        plan, cache, pool, threads,
        [&](int64_t n, av::FramePtr f) {
          f->pts = n - plan.frame_begin;
          encoder.encode(f.get(), sink);
          // The sound up to the next frame, so the muxer interleaves the two as they come.
          if (audio) audio->write_until(draft::samples_before_frame(n + 1, plan.fps, AudioMix::kRate));
          ++pr.frames_done;
          if (progress) {
            pr.seconds_elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            progress(pr);
          }
        },
        cancel, &text);
    encoder.encode(nullptr, sink);
    if (cancel && cancel->load()) throw Cancelled();
    if (audio) audio->finish();
    muxer.finish();
    if (proxies) {
      result.proxies_read = proxies->hits();
      result.proxies_written = proxies->stores();
    }
  }
  temp.commit();
  result.frames = plan.frame_end - plan.frame_begin;
  result.width = plan.width;
  result.height = plan.height;
  result.fps = plan.fps;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

void render_still(const draft::Draft& draft, int64_t at_ms, const std::string& png_path, const RenderOptions& options) {
  Plan plan = make_plan(draft, options);
  if (plan.total_frames <= 0)
    throw draft::DraftError("draft", "/d", "there is nothing to show: the draft has no frames");
  int64_t n = std::clamp<int64_t>(frame_at_ms(plan, std::max<int64_t>(0, at_ms)), 0, plan.total_frames - 1);
  // Only the photos on screen at n are checked and decoded.
  for (const auto& s : plan.state_at(n))
    for (int i : {s.a, s.b})
      if (i >= 0) check_item(plan.items[size_t(i)], options.limits);
  notify(options, plan);
  std::unique_ptr<ProxyCache> proxies = proxy_cache_for(options);
  SourceCache cache(plan, 0, 0, 8, proxies.get());
  YuvImage frame(plan.width, plan.height);
  ComposeScratch scratch;
  TextLayer text(draft, plan.width, plan.height, plan.fps, options.base_dir);
  compose_frame(plan, n, cache, frame.view(), scratch, &text);
  write_png(png_path, yuv_to_bgr(frame.view()));
}

namespace {

void png_write_fail(png_structp png, png_const_charp message) {
  std::snprintf(static_cast<char*>(png_get_error_ptr(png)), 200, "%s", message);
  png_longjmp(png, 1);
}
void png_write_note(png_structp, png_const_charp) {}

/// The PNG of `bgr` into `f`. False with `message` set when libpng gives up. Holds nothing
/// with a destructor: libpng's errors longjmp back here.
bool write_png_rows(std::FILE* f, const cv::Mat& bgr, char (&message)[200]) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, message, png_write_fail, png_write_note);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_init_io(png, f);
  png_set_IHDR(png, info, png_uint_32(bgr.cols), png_uint_32(bgr.rows), 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  // Fast over small: a 1080p still in about 0.1 s (zlib's default level takes 0.7 s).
  png_set_compression_level(png, 1);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
  png_set_bgr(png);
  png_write_info(png, info);
  for (int y = 0; y < bgr.rows; ++y) png_write_row(png, bgr.ptr(y));
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

// Through libpng rather than cv::imencode: the first imencode builds OpenCV's whole codec
// list (GDAL's drivers included, 10 MB), as the first imread would.
void write_png(const std::string& path, const cv::Mat& bgr) {
  CV_Assert(bgr.type() == CV_8UC3);
  TempFile temp(path);
  {
    std::FILE* f = std::fopen(temp.path().c_str(), "wb");
    if (!f) throw EngineError("cannot write " + path + ": " + std::strerror(errno));
    char message[200] = "";
    const bool written = write_png_rows(f, bgr, message);
    const int write_errno = errno;
    const bool closed = std::fclose(f) == 0;
    if (!written || !closed)
      throw EngineError("cannot write " + path + ": " + (message[0] ? message : std::strerror(write_errno)));
  }
  temp.commit();
}

}  // namespace reel::engine
