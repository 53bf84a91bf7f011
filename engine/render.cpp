// render_to_file, check_sources, render_still, render_storyboard: the engine's entry points.
#include "engine/render.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "base/files.h"
#include "draft/problem.h"
#include "draft/time.h"
#include "engine/audio/mix.h"
#include "engine/compose/chunks.h"
#include "engine/compose/pipeline.h"
#include "engine/compose/source_cache.h"
#include "engine/errors.h"
#include "engine/output/aac_encoder.h"
#include "engine/output/chunk_store.h"
#include "engine/output/h264_encoder.h"
#include "engine/output/mp4_muxer.h"
#include "engine/output/png_writer.h"
#include "engine/output/storyboard.h"
#include "engine/photo/focus.h"
#include "engine/photo/framing.h"
#include "engine/photo/proxy_cache.h"
#include "engine/plan/render_plan.h"
#include "engine/text/fonts.h"
#include "engine/text/layer.h"

namespace reel::engine {

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
  const PresetDefaults defaults = preset_defaults(o.preset);
  s.crf = o.crf.value_or(defaults.crf);
  s.preset = o.x264_preset.value_or(defaults.x264_preset);
  return s;
}

// The sound of frames [frame_begin, frame_end): every audio source is opened and checked here,
// before anything is encoded, and one MediaError lists all the bad ones.
std::unique_ptr<AudioMix> make_audio(const draft::Draft& draft, const Plan& plan, const RenderOptions& o) {
  const SourceResolver resolve = resolver_for(o);
  const int64_t end = draft::samples_before_frame(plan.frame_end, plan.fps, AudioMix::kRate);
  auto mix = std::make_unique<AudioMix>(sound_placements(draft), end, resolve, o.limits);
  mix->seek(draft::samples_before_frame(plan.frame_begin, plan.fps, AudioMix::kRate));
  if (o.notice)
    for (const auto& n : mix->notices()) o.notice(n);
  return mix;
}

}  // namespace

std::vector<std::string> local_inputs(const draft::Draft& draft, const RenderOptions& options) {
  const SourceResolver resolve = resolver_for(options);
  std::vector<std::string> files;
  auto add = [&](const std::string& reference) {
    if (reference.empty() || reference.rfind("http://", 0) == 0 || reference.rfind("https://", 0) == 0) return;
    try {
      files.push_back(resolve(reference));
    } catch (const std::exception&) {
      // Reported by the render itself, with its segment.
    }
  };
  for (const draft::Track& track : draft.tracks)
    for (const draft::Segment& s : track.segments) {
      add(s.source);
      if (names_font_file(s.text.style.font)) add(s.text.style.font);
    }
  return files;
}

RenderShape render_shape(const draft::Draft& draft, const RenderOptions& options) {
  const Plan canvas = plan_canvas(draft, options);
  return {canvas.width, canvas.height, canvas.fps, canvas.frame_end - canvas.frame_begin};
}

void check_sources(const draft::Draft& draft, const RenderOptions& options) {
  Plan plan = make_plan(draft, options);
  check_plan_sources(plan, options.limits);
  make_audio(draft, plan, options);
}

namespace {

// Composes and encodes chunks [first, last) of `chunks`, which follow each other, into the
// store: one pipeline run over their frames, an encoder per chunk.
void render_chunk_run(const Plan& plan, const std::vector<Chunk>& chunks, size_t first, size_t last,
                      const H264Settings& settings, const ChunkStore& store, TextLayer& text,
                      const RenderOptions& options, const ProxyCache* proxies, const std::function<void()>& frame_done,
                      const std::atomic<bool>* cancel) {
  Plan run = plan;
  run.frame_begin = chunks[first].begin;
  run.frame_end = chunks[last - 1].end;
  const int threads = resolve_threads(options.threads);
  // Preview decodes dominate (photos far larger than the canvas): two loaders there; one for
  // final, where memory is the tighter budget.
  const int loaders = threads > 1 ? (options.preset == Preset::Preview ? 2 : 1) : 0;
  // Preview: far enough ahead for both loaders to have a photo each (its photos are small).
  const double ahead_s = options.preset == Preset::Preview ? 6 : 2;
  // Each clip keeps the pipeline's window of frames in flight (see run_pipeline) prepared.
  SourceCache cache(run, int64_t(ahead_s * plan.fps.value()) + 2 * threads + 4, loaders, 2 * threads + 4, proxies);
  FramePool pool(plan.width, plan.height);
  std::unique_ptr<ChunkWriter> writer;
  // One encoder at a time: draining a chunk's encoder on its own thread while the next one
  // starts was measured (benchmarks/iterate.sh) to save under 2 % of the wall time of a first
  // render and to cost a second encoder's memory (1080p final: 309 -> 500 MB peak).
  size_t current = first;
  run_pipeline(
      run, cache, pool, threads,
      [&](int64_t n, av::FramePtr f) {
        const Chunk& c = chunks[current];
        if (!writer) writer = std::make_unique<ChunkWriter>(store, c, settings);
        writer->add(f.get(), n - c.begin);
        if (n + 1 == c.end) {
          writer->finish();
          writer.reset();
          ++current;
        }
        frame_done();
      },
      cancel, &text);
  if (cancel && cancel->load()) throw Cancelled();
}

}  // namespace

RenderResult render_to_file(const draft::Draft& draft, const std::string& out_path, const RenderOptions& options,
                            const ProgressFn& progress, const std::atomic<bool>* cancel) {
  const auto t0 = std::chrono::steady_clock::now();
  Plan plan = make_plan(draft, options);
  check_plan_sources(plan, options.limits);
  if (plan.frame_end <= plan.frame_begin)
    throw draft::DraftError("draft", "/d",
                            "there is nothing to render: the draft (or the --from/--to range) has no frames");
  std::unique_ptr<ProxyCache> proxies = proxy_cache_for(options);
  aim_at_subjects(plan, proxies.get(), options.notice);
  notify(options, plan);
  std::unique_ptr<AudioMix> mix = make_audio(draft, plan, options);
  TextLayer text(draft, plan.width, plan.height, plan.fps, resolver_for(options));
  const H264Settings settings = encoder_settings(plan, options);
  const std::vector<Chunk> chunks = plan_chunks(plan, text, encoder_identity(settings));
  ChunkStore store(options.chunk_dir, options.chunk_budget_bytes);

  RenderResult result;
  result.chunks = int(chunks.size());
  std::vector<size_t> missing;
  for (size_t i = 0; i < chunks.size(); ++i)
    if (!store.has_video(chunks[i].key, chunks[i].frames(), plan.width, plan.height)) missing.push_back(i);

  // The sound, encoded whole on its own thread while the chunks render (or kept from before).
  std::string sound_key;
  std::future<void> sound;
  std::atomic<bool> stop_sound{false};  // the render failed or was cancelled: the sound too
  if (!mix->empty()) {
    sound_key = entry_key(
        describe_sound(sound_placements(draft), resolver_for(options), mix->position(), mix->total_samples()) + "aac|" +
        std::to_string(avcodec_version()));
    result.sound_kept = store.has_audio(sound_key);
    if (!result.sound_kept)
      sound = std::async(std::launch::async, [&] { store_sound(store, sound_key, *mix, &stop_sound); });
  }

  RenderProgress pr;
  pr.frames_total = plan.frame_end - plan.frame_begin;
  pr.frames_done = pr.frames_total;
  for (size_t i : missing) pr.frames_done -= chunks[i].frames();
  auto frame_done = [&] {
    ++pr.frames_done;
    ++result.frames_rendered;
    if (progress) {
      pr.seconds_elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      progress(pr);
    }
  };
  try {
    for (size_t m = 0; m < missing.size();) {
      size_t last = m + 1;  // chunks that follow each other render in one run
      while (last < missing.size() && missing[last] == missing[last - 1] + 1) ++last;
      render_chunk_run(plan, chunks, missing[m], missing[last - 1] + 1, settings, store, text, options, proxies.get(),
                       frame_done, cancel);
      m = last;
    }
  } catch (...) {
    stop_sound = true;
    if (sound.valid()) sound.wait();  // it holds references to this frame's locals
    throw;
  }
  if (sound.valid()) {
    while (sound.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready)
      if (cancel && cancel->load()) stop_sound = true;
    sound.get();
  }
  result.chunks_rendered = int(missing.size());
  if (proxies) {
    result.proxies_read = proxies->hits();
    result.proxies_written = proxies->stores();
  }

  base::AtomicFile temp(out_path);
  join_chunks(store, chunks, sound_key, plan.frame_begin, plan.fps, temp.temp_path(), out_path);
  temp.commit();
  std::vector<std::string> keys;
  for (const Chunk& c : chunks) keys.push_back(c.key);
  store.trim(store.bytes_of(keys));

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
  // Only the photos on screen at n are checked, aimed and decoded.
  std::vector<int> shown;
  for (const auto& s : plan.state_at(n))
    for (int i : {s.a, s.b})
      if (i >= 0) {
        check_item(plan.items[size_t(i)], options.limits);
        shown.push_back(i);
      }
  std::unique_ptr<ProxyCache> proxies = proxy_cache_for(options);
  aim_at_subjects(plan, proxies.get(), options.notice, &shown);
  notify(options, plan);
  SourceCache cache(plan, 0, 0, 8, proxies.get());
  YuvImage frame(plan.width, plan.height);
  ComposeScratch scratch;
  TextLayer text(draft, plan.width, plan.height, plan.fps, resolver_for(options));
  compose_frame(plan, n, cache, frame.view(), scratch, &text);
  write_png(png_path, yuv_to_bgr(frame.view()));
}

void render_storyboard(const draft::Draft& draft, const std::string& png_path, const RenderOptions& options,
                       bool draw_focus) {
  write_storyboard(draft, png_path, options, draw_focus);
}

std::vector<SegmentFocus> find_focus(const draft::Draft& draft, const RenderOptions& options) {
  Plan plan = make_plan(draft, options);
  check_plan_sources(plan, options.limits);
  std::unique_ptr<ProxyCache> proxies = proxy_cache_for(options);
  if (options.notice && !face_detection_problem().empty()) options.notice(face_detection_problem());
  std::vector<SegmentFocus> out;
  for (const PlanItem& item : plan.items) {
    SegmentFocus f;
    f.pointer = item.pointer;
    f.reference = item.reference;
    for (size_t t = 0; t < draft.tracks.size(); ++t)
      for (size_t s = 0; s < draft.tracks[t].segments.size(); ++s)
        if (draft.tracks[t].segments[s].pointer == item.pointer) {
          f.track = t;
          f.segment = s;
        }
    if (item.focus) {
      f.from = SegmentFocus::From::Written;
      f.focus = *item.focus;
    } else if (!item.is_clip) {
      const FoundFocus found = photo_focus(item, proxies.get());
      f.from = found.by == FoundFocus::By::Faces ? SegmentFocus::From::Faces : SegmentFocus::From::Saliency;
      f.focus = found.focus;
      f.faces = found.faces;
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace reel::engine
