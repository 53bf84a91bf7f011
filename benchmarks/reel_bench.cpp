// reel_bench: the pieces benchmarks/run.sh times separately.
//   reel_bench frames DRAFT.json OUT.yuv [final|preview]   compose every frame (no encoding)
//                                                          and write them as raw yuv420p
//   reel_bench floor IN.yuv W H FPS_NUM FPS_DEN OUT.mp4 X264_PRESET CRF
//                                                          the encode floor: encode frames that
//                                                          are already made, with the render's
//                                                          own encoder and MP4 writer
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "draft/parse.h"
#include "engine/encoder_h264.h"
#include "engine/muxer_mp4.h"
#include "engine/pipeline.h"
#include "engine/render.h"
#include "engine/render_plan.h"
#include "engine/source_cache.h"

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

}  // namespace

int main(int argc, char** argv) {
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);  // the same allocator set-up as reel (cli/process.cpp)
  try {
    std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "frames" && argc >= 4) return frames(argv[2], argv[3], argc > 4 ? argv[4] : "final");
    if (cmd == "floor" && argc >= 10)
      return floor(argv[2], std::stoi(argv[3]), std::stoi(argv[4]), std::stoll(argv[5]), std::stoll(argv[6]), argv[7],
                   argv[8], std::stoi(argv[9]));
  } catch (const std::exception& e) {
    std::cerr << "reel_bench: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: reel_bench frames DRAFT OUT.yuv [final|preview]\n"
               "       reel_bench floor IN.yuv W H FPS_NUM FPS_DEN OUT.mp4 X264_PRESET CRF\n";
  return 2;
}
