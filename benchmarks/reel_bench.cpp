// reel_bench: the pieces benchmarks/run.sh times separately.
//   reel_bench frames DRAFT.json OUT.yuv [final|preview]   compose every frame (no encoding)
//                                                          and write them as raw yuv420p
//   reel_bench floor IN.yuv W H FPS_NUM FPS_DEN OUT.mp4 X264_PRESET CRF
//                                                          the encode floor: encode frames that
//                                                          are already made, with the render's
//                                                          own encoder and MP4 writer
//   reel_bench warp [W H [N [KIND]]]                       time the Ken Burns warp alone: N
//                                                          frames (Y + U + V) from a detailed
//                                                          1.15x source, one thread; KIND:
//                                                          kenburns, slide or zoomout (all)
//   reel_bench focus PHOTO...                              a photo's focus: the decode for it
//                                                          and the detector, each timed, CPU
//                                                          and wall, per photo
#include <sys/prctl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "draft/parse.h"
#include "engine/compose/pipeline.h"
#include "engine/compose/resample.h"
#include "engine/compose/source_cache.h"
#include "engine/output/h264_encoder.h"
#include "engine/output/mp4_muxer.h"
#include "engine/photo/decoder.h"
#include "engine/photo/focus.h"
#include "engine/photo/probe.h"
#include "engine/plan/render_plan.h"
#include "engine/process_memory.h"
#include "engine/render.h"

using namespace reel;

namespace {

int frames(const std::string& draft_path, const std::string& out, const std::string& preset) {
  auto loaded = draft::load_draft(draft::read_json_file(draft_path));
  engine::RenderOptions o;
  o.preset = preset == "preview" ? engine::Preset::Preview : engine::Preset::Final;
  o.base_dir = std::filesystem::absolute(draft_path).parent_path().string();
  engine::Plan plan = engine::make_plan(loaded.draft, o);
  int threads = engine::resolve_threads(0);
  engine::SourceCache cache(plan,
                            int64_t((o.preset == engine::Preset::Preview ? 8 : 2) * plan.fps.value()) + 2 * threads + 4,
                            threads > 1 ? (o.preset == engine::Preset::Preview ? 2 : 1) : 0);
  engine::FramePool pool(plan.width, plan.height);
  std::FILE* f = out == "-" ? nullptr : std::fopen(out.c_str(), "wb");
  auto t0 = std::chrono::steady_clock::now();
  engine::run_pipeline(
      plan, cache, pool, threads,
      [&](int64_t, engine::av::FramePtr frame) {
        if (!f) return;
        for (int p = 0; p < 3; ++p) {
          int w = p ? plan.width / 2 : plan.width, h = p ? plan.height / 2 : plan.height;
          for (int y = 0; y < h; ++y) std::fwrite(frame->data[p] + y * frame->linesize[p], 1, size_t(w), f);
        }
      },
      nullptr);
  if (f) std::fclose(f);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%d %d %lld %lld %lld %.3f\n", plan.width, plan.height, (long long)plan.fps.num, (long long)plan.fps.den,
              (long long)(plan.frame_end - plan.frame_begin), s);
  return 0;
}

int floor(const std::string& in, int w, int h, int64_t num, int64_t den, const std::string& out,
          const std::string& preset, int crf) {
  engine::H264Settings s;
  s.width = w;
  s.height = h;
  s.fps = draft::make_rational(num, den);
  s.preset = preset;
  s.crf = crf;
  engine::H264Encoder enc(s);
  engine::Mp4Muxer mux(out);
  int video = mux.add_stream(enc.context());
  mux.start();
  auto sink = [&](AVPacket* p) { mux.write(p, video, enc.time_base()); };
  engine::FramePool pool(w, h);
  std::FILE* f = std::fopen(in.c_str(), "rb");
  if (!f) return 1;
  for (int64_t n = 0;; ++n) {
    engine::av::FramePtr frame = pool.get();
    bool ok = true;
    for (int p = 0; p < 3 && ok; ++p) {
      int pw = p ? w / 2 : w, ph = p ? h / 2 : h;
      for (int y = 0; y < ph && ok; ++y)
        ok = std::fread(frame->data[p] + y * frame->linesize[p], 1, size_t(pw), f) == size_t(pw);
    }
    if (!ok) break;
    frame->pts = n;
    enc.encode(frame.get(), sink);
  }
  std::fclose(f);
  enc.encode(nullptr, sink);
  mux.finish();
  return 0;
}

/// An owned 8-bit plane with detail at every scale: noise, fine stripes, edges and gradients.
struct Plane {
  std::vector<uint8_t> px;
  engine::PlaneView view;
  Plane(int w, int h, unsigned seed) : px(size_t(w) * size_t(h)) {
    view = {px.data(), w, w, h};
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> noise(-12, 12);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        double v = 128 + 60 * std::sin(x * 0.37 + y * 0.011) * std::cos(y * 0.23) + 0.02 * (x - y);
        v += ((x / 37 + y / 29) % 2) ? 25 : -25;  // hard edges
        v += noise(rng);
        px[size_t(y) * size_t(w) + size_t(x)] = uint8_t(std::clamp(v, 0.0, 255.0));
      }
  }
};

/// Times resample_plane on one frame's three planes for `n` frames of each kind of map the
/// compositor makes: Ken Burns (scale 0.85..1, sub-pixel offsets, inside the source), a slide
/// (the map reaches off the source: clamping) and a zoom out beyond 1.5x (the widened kernel).
int warp(int w, int h, int n, const std::string& only) {
  const double z = 1.15;
  const int sw = int(std::lround(w * z)) & ~1, sh = int(std::lround(h * z)) & ~1;
  Plane src[3] = {Plane(sw, sh, 1), Plane(sw / 2, sh / 2, 2), Plane(sw / 2, sh / 2, 3)};
  Plane dst[3] = {Plane(w, h, 4), Plane(w / 2, h / 2, 5), Plane(w / 2, h / 2, 6)};
  auto frame = [&](double a, double bx, double by) {
    engine::resample_plane(src[0].view, dst[0].view, a, bx, a, by);
    for (int p = 1; p < 3; ++p)  // chroma: the same map in half-size coordinates (as chroma_affine)
      engine::resample_plane(src[p].view, dst[p].view, a, (0.5 * a + bx - 0.5) / 2, a, (0.5 * a + by - 0.5) / 2);
  };
  struct Kind {
    const char* name;
    double a0, a1, reach;  // scale range; `reach`: how far past the source the offsets go (px)
  };
  const Kind kinds[] = {{"kenburns", 0.85, 1.0, 0}, {"slide", 0.87, 0.87, 0.6 * w}, {"zoomout", 1.8, 1.8, 0}};
  unsigned sum = 0;
  for (const Kind& k : kinds) {
    if (!only.empty() && only != k.name) continue;
    // Also the best of 10 slices of the run: the machine may be busy with other work.
    double total = 0, best = 1e30;
    auto t0 = std::chrono::steady_clock::now(), slice0 = t0;
    for (int i = 0; i < n; ++i) {
      double t = n > 1 ? double(i) / (n - 1) : 0;
      double a = k.a0 + (k.a1 - k.a0) * t;
      // Offsets: anywhere the canvas stays inside the source, plus `reach` to the left, with
      // an irrational-ish step so the sub-pixel phases vary.
      double room_x = sw - 1 - a * (w - 1), room_y = sh - 1 - a * (h - 1);
      double bx = std::fmod(i * 7.318, std::max(room_x, 1.0)) - k.reach * t;
      double by = std::fmod(i * 3.141, std::max(room_y, 1.0));
      if (room_x < 0) bx = room_x / 2 - k.reach * t;  // zoomed out: centred, edges clamped
      if (room_y < 0) by = room_y / 2;
      frame(a, bx, by);
      sum += dst[0].px[size_t(i) % dst[0].px.size()];
      const int per = std::max(n / 10, 1);
      if ((i + 1) % per == 0) {
        auto now = std::chrono::steady_clock::now();
        best = std::min(best, std::chrono::duration<double, std::milli>(now - slice0).count() / per);
        slice0 = now;
      }
    }
    total = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("warp %-8s %dx%d from %dx%d: %.3f ms/frame (%d frames), best tenth %.3f\n", k.name, w, h, sw, sh,
                total / n, n, best);
  }
  return sum == 0xffffffffu;  // keeps the work observable
}

double cpu_seconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

// The cost of finding a photo's focus the way a render does (photo_focus without the cache):
// the decode at the detector's size, then faces and saliency. One line a photo, then the mean.
int focus(const std::vector<std::string>& photos) {
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  const engine::FaceCascadesHold cascades;  // read once for all the photos, as a render does: timed apart
  std::printf("cascades loaded in %.1f ms%s\n", std::chrono::duration<double, std::milli>(clock::now() - t0).count(),
              engine::face_detection_problem().empty() ? "" : (" (" + engine::face_detection_problem() + ")").c_str());
  std::printf("%-28s %10s %12s %12s %12s  %s\n", "photo", "size", "decode ms", "detect ms", "detect cpu", "found");
  double decode_sum = 0, detect_sum = 0, cpu_sum = 0;
  for (const std::string& path : photos) {
    const engine::PhotoInfo info = engine::probe_photo(path);
    const double s =
        std::min(1.0, double(engine::kFocusDecodeSide) / double(std::max(info.display_width(), info.display_height())));
    const cv::Size want(int(std::lround(info.display_width() * s)), int(std::lround(info.display_height() * s)));
    auto a = clock::now();
    const cv::Mat picture = engine::decode_photo(path, info, want, draft::Color{128, 128, 128, 255});
    auto b = clock::now();
    const double c0 = cpu_seconds();
    const engine::FoundFocus f = engine::find_focus(picture);
    const double cpu = (cpu_seconds() - c0) * 1000;
    auto c = clock::now();
    const double decode = std::chrono::duration<double, std::milli>(b - a).count();
    const double detect = std::chrono::duration<double, std::milli>(c - b).count();
    decode_sum += decode;
    detect_sum += detect;
    cpu_sum += cpu;
    char size[32];
    std::snprintf(size, sizeof size, "%lldx%lld", static_cast<long long>(info.display_width()),
                  static_cast<long long>(info.display_height()));
    std::printf(
        "%-28s %10s %12.1f %12.1f %12.1f  %s %.3f,%.3f %.3fx%.3f\n",
        std::filesystem::path(path).filename().string().c_str(), size, decode, detect, cpu,
        f.by == engine::FoundFocus::By::Faces ? (std::to_string(f.faces.size()) + " face(s)").c_str() : "saliency",
        f.focus.x, f.focus.y, f.focus.w, f.focus.h);
  }
  const double n = std::max<size_t>(1, photos.size());
  std::printf("mean of %zu: decode %.1f ms, detect %.1f ms (CPU %.1f ms)\n", photos.size(), decode_sum / n,
              detect_sum / n, cpu_sum / n);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // The same memory set-up as reel (cli/process.cpp): allocator threshold, no huge pages.
  engine::set_up_process_memory();
  prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
  try {
    std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "frames" && argc >= 4) return frames(argv[2], argv[3], argc > 4 ? argv[4] : "final");
    if (cmd == "warp")
      return warp(argc > 3 ? std::stoi(argv[2]) : 1920, argc > 3 ? std::stoi(argv[3]) : 1080,
                  argc > 4 ? std::stoi(argv[4]) : 200, argc > 5 ? argv[5] : "");
    if (cmd == "focus" && argc >= 3) return focus(std::vector<std::string>(argv + 2, argv + argc));
    if (cmd == "floor" && argc >= 10)
      return floor(argv[2], std::stoi(argv[3]), std::stoi(argv[4]), std::stoll(argv[5]), std::stoll(argv[6]), argv[7],
                   argv[8], std::stoi(argv[9]));
  } catch (const std::exception& e) {
    std::cerr << "reel_bench: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: reel_bench frames DRAFT OUT.yuv [final|preview]\n"
               "       reel_bench warp [W H [N [kenburns|slide|zoomout]]]\n"
               "       reel_bench floor IN.yuv W H FPS_NUM FPS_DEN OUT.mp4 X264_PRESET CRF\n"
               "       reel_bench focus PHOTO...\n";
  return 2;
}
