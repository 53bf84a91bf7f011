// render_to_file, check_sources, render_still, render_storyboard: the engine's entry points.
#include "engine/render.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <set>

#include "base/files.h"
#include "base/hash.h"
#include "draft/problem.h"
#include "draft/time.h"
#include "engine/audio/loudness.h"
#include "engine/audio/mix.h"
#include "engine/compose/chunks.h"
#include "engine/compose/pipeline.h"
#include "engine/compose/source_cache.h"
#include "engine/errors.h"
#include "engine/output/aac_encoder.h"
#include "engine/output/chunk_store.h"
#include "engine/output/h264_encoder.h"
#include "engine/output/jpeg_writer.h"
#include "engine/output/mp4_muxer.h"
#include "engine/output/png_writer.h"
#include "engine/output/storyboard.h"
#include "engine/photo/focus.h"
#include "engine/photo/framing.h"
#include "engine/photo/proxy_cache.h"
#include "engine/plan/ken_burns.h"
#include "engine/plan/render_plan.h"
#include "engine/text/fonts.h"
#include "engine/text/layer.h"
#include "engine/timings.h"

extern "C" {
#include <libavutil/base64.h>
}

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
  // One x264 thread per chunk: the cores go to chunks rendered side by side instead (see
  // render_missing), x264's serial drain at each chunk's end is gone, and a chunk's bits are
  // the same on every machine and over any number of lanes (a part rendered elsewhere joins a
  // local render). Two threads on slices of each frame were measured for the final instead:
  // a third less memory, but a quarter more CPU and far more wall time on a busy machine.
  s.threads = 1;
  return s;
}

// The sound of frames [frame_begin, frame_end): every audio source is opened and checked here,
// before anything is encoded, and one MediaError lists all the bad ones.
std::unique_ptr<AudioMix> make_audio(const draft::Draft& draft, const Plan& plan, const RenderOptions& o) {
  StageClock clock(Stage::Audio);
  const SourceResolver resolve = resolver_for(o);
  const int64_t end = draft::samples_before_frame(plan.frame_end, plan.fps, AudioMix::kRate);
  auto mix = std::make_unique<AudioMix>(sound_placements(draft), end, resolve, o.limits);
  mix->seek(draft::samples_before_frame(plan.frame_begin, plan.fps, AudioMix::kRate));
  if (o.notice)
    for (const auto& n : mix->notices()) o.notice(n);
  return mix;
}

// Every source of the render checked before anything is encoded — photos, clips and sounds —
// and every bad one in one MediaError; the mix, when they are all good.
std::unique_ptr<AudioMix> check_every_source(const draft::Draft& draft, Plan& plan, const RenderOptions& o) {
  std::vector<MediaIssue> issues;
  try {
    check_plan_sources(plan, o.limits);
  } catch (const MediaError& e) {
    issues = e.issues();
  }
  std::unique_ptr<AudioMix> mix;
  try {
    mix = make_audio(draft, plan, o);
  } catch (const MediaError& e) {
    const size_t pictures = issues.size();
    for (const MediaIssue& i : e.issues()) {  // a bad clip is told once, not again for its sound
      auto same = [&](const MediaIssue& p) { return p.pointer == i.pointer; };
      if (std::none_of(issues.begin(), issues.begin() + long(pictures), same)) issues.push_back(i);
    }
  }
  if (!issues.empty()) throw MediaError(std::move(issues));
  if (o.notice) {
    std::set<std::string> explicit_pans;  // segments whose from and to the draft gave itself
    for (const draft::Track& t : draft.tracks)
      for (const draft::Segment& s : t.segments)
        if (s.video.ken_burns.preset == draft::KenBurnsPreset::Explicit) explicit_pans.insert(s.pointer);
    for (const PlanItem& it : plan.items) {
      if (!explicit_pans.count(it.pointer)) continue;
      const int64_t w = it.is_clip ? it.clip.width : it.photo.display_width();
      const int64_t h = it.is_clip ? it.clip.height : it.photo.display_height();
      const std::string advice = stuck_pan_advice(it.kb, it.fit, w, h, plan.width, plan.height);
      if (!advice.empty()) o.notice(it.pointer + ": " + it.reference + ": " + advice);
    }
  }
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

int64_t trim_kept_chunks(const std::string& chunk_dir, int64_t budget_bytes) {
  return ChunkStore::trim_folder(chunk_dir, budget_bytes);
}

void check_sources(const draft::Draft& draft, const RenderOptions& options) {
  Plan plan = make_plan(draft, options);
  check_every_source(draft, plan, options);
}

namespace {

// Composes and encodes chunks [first, last) of `chunks`, which follow each other, into the
// store: one pipeline run over their frames with `threads` compose workers, an encoder per chunk.
void render_chunk_run(const Plan& plan, const std::vector<Chunk>& chunks, size_t first, size_t last, int threads,
                      const H264Settings& settings, const ChunkStore& store, TextLayer& text,
                      const RenderOptions& options, const ProxyCache* proxies, std::counting_semaphore<>& gate,
                      const std::function<void()>& frame_done, const std::atomic<bool>* cancel) {
  Plan run = plan;
  run.frame_begin = chunks[first].begin;
  run.frame_end = chunks[last - 1].end;
  const bool preview = options.preset == Preset::Preview;
  // Preview decodes dominate (photos far larger than the canvas): two loaders there, shared
  // by the lanes; one for final, where memory is the tighter budget.
  const int cores = resolve_threads(options.threads);
  const int lanes = std::max(1, cores / threads);
  const int loaders = cores > 1 ? std::max(1, (preview ? 2 : 1) / lanes) : 0;
  // Preview: far enough ahead for the loaders to have a photo each (its photos are small).
  const double ahead_s = preview ? 6 : 2;
  // Each clip keeps the pipeline's window of frames in flight (see run_pipeline) prepared.
  SourceCache cache(run, int64_t(ahead_s * plan.fps.value()) + 2 * threads + 4, loaders, 2 * threads + 4, proxies,
                    &gate);
  FramePool pool(plan.width, plan.height);
  std::unique_ptr<ChunkWriter> writer;
  size_t current = first;
  run_pipeline(
      run, cache, pool, threads,
      [&](int64_t n, av::FramePtr f) {
        const Chunk& c = chunks[current];
        StageClock clock(Stage::Encode);
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

// Renders the chunks `missing` (indices into `chunks`, ascending) into the store: dealt out in
// order to one lane per core, contiguous stretches of about equal cost (chunk_costs), each lane
// a thread with its own pipeline and one single-threaded encoder at a time. The first lane to
// fail stops the others and its error is rethrown; *cancel stops them all.
void render_missing(const Plan& plan, const std::vector<Chunk>& chunks, const std::vector<size_t>& missing,
                    const H264Settings& settings, const ChunkStore& store, TextLayer& text,
                    const RenderOptions& options, const ProxyCache* proxies, const std::function<void()>& frame_done,
                    const std::atomic<bool>* cancel) {
  const int cores = resolve_threads(options.threads);
  const size_t lanes = std::min(size_t(cores), missing.size());
  if (lanes == 0) return;
  const std::vector<double> all_costs = chunk_costs(plan, chunks, encode_cost_ns_per_pixel(settings.preset));
  std::vector<double> costs;
  for (size_t i : missing) costs.push_back(all_costs[i]);
  const std::vector<size_t> bounds = split_by_cost(costs, lanes);
  const int threads = std::max(1, cores / int(lanes));
  // Photos decoded at once across the lanes: as many as one pipeline's loaders (a 16 MP photo
  // decoded for a 1080p final holds about 50 MB while it decodes).
  std::counting_semaphore<> gate(options.preset == Preset::Preview ? 2 : 1);

  auto run_lane = [&](size_t lane, const std::atomic<bool>* stop) {
    for (size_t m = bounds[lane]; m < bounds[lane + 1];) {
      size_t last = m + 1;  // chunks that follow each other render in one run
      while (last < bounds[lane + 1] && missing[last] == missing[last - 1] + 1) ++last;
      render_chunk_run(plan, chunks, missing[m], missing[last - 1] + 1, threads, settings, store, text, options,
                       proxies, gate, frame_done, stop);
      m = last;
    }
  };
  if (lanes == 1) return run_lane(0, cancel);

  std::atomic<bool> stop{false};
  std::vector<std::future<void>> running;
  for (size_t lane = 0; lane < lanes; ++lane)
    running.push_back(std::async(std::launch::async, [&, lane] { run_lane(lane, &stop); }));
  std::exception_ptr failure;
  for (size_t done = 0; done < running.size();) {
    done = 0;
    for (auto& lane : running) {
      if (lane.valid() && lane.wait_for(std::chrono::milliseconds(20)) == std::future_status::ready) {
        try {
          lane.get();
        } catch (const Cancelled&) {
          // Stopped because another lane failed or the render was cancelled: said below.
        } catch (...) {
          if (!failure) failure = std::current_exception();
          stop = true;
        }
      }
      if (!lane.valid()) ++done;
    }
    if (cancel && cancel->load()) stop = true;
  }
  if (failure) std::rethrow_exception(failure);
  if (stop) throw Cancelled();
}

}  // namespace

namespace {

// What every chunked render starts from: the plan with its sources checked, the text, the
// encoder's settings, the chunks with their keys and the folder that keeps them.
struct ChunkedJob {
  Plan plan;
  std::unique_ptr<AudioMix> mix;  // every sound checked; the sound of the whole range
  std::unique_ptr<TextLayer> text;
  H264Settings settings;
  std::vector<Chunk> chunks;
  std::unique_ptr<ChunkStore> store;
};

// What a job is prepared for: the video (its chunks, aimed at the subjects), or the sound alone.
enum class JobScope { Video, SoundOnly };

ChunkedJob prepare_job(const draft::Draft& draft, const RenderOptions& options, JobScope scope = JobScope::Video) {
  StageClock clock(Stage::Plan);
  ChunkedJob job;
  job.plan = make_plan(draft, options);
  if (job.plan.frame_end <= job.plan.frame_begin)
    throw draft::DraftError("draft", "/d",
                            "there is nothing to render: the draft (or the --from/--to range) has no frames");
  job.mix = check_every_source(draft, job.plan, options);
  if (scope == JobScope::SoundOnly) {
    job.store = std::make_unique<ChunkStore>(options.chunk_dir, options.chunk_budget_bytes);
    return job;
  }
  {
    // Where each photo's subject is (written in the draft, else found and kept with the
    // proxies) decides its Ken Burns path, so it comes before the chunks' keys.
    std::unique_ptr<ProxyCache> proxies = proxy_cache_for(options);
    StageClock subjects(Stage::Subjects, StageCpu::Process);  // it runs alone; OpenCV's threads help
    aim_at_subjects(job.plan, proxies.get(), options.notice);
  }
  notify(options, job.plan);
  {
    StageClock text(Stage::Text);
    job.text = std::make_unique<TextLayer>(draft, job.plan.width, job.plan.height, job.plan.fps, resolver_for(options));
  }
  if (options.notice)
    for (const std::string& n : job.text->missing_font_notices()) options.notice(n);
  job.settings = encoder_settings(job.plan, options);
  job.chunks = plan_chunks(job.plan, *job.text, encoder_identity(job.settings));
  job.store = std::make_unique<ChunkStore>(options.chunk_dir, options.chunk_budget_bytes);
  return job;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Renders the chunks [first, end) of the job that are not kept yet; progress counts the frames
// of that range (kept ones done from the start).
void render_video(const ChunkedJob& job, size_t first, size_t end, const RenderOptions& options,
                  const ProgressFn& progress, const std::atomic<bool>* cancel, std::chrono::steady_clock::time_point t0,
                  RenderResult& result) {
  const Plan& plan = job.plan;
  std::vector<size_t> missing;
  RenderProgress pr;
  for (size_t i = first; i < end; ++i) {
    pr.frames_total += job.chunks[i].frames();
    if (!job.store->has_video(job.chunks[i].key, job.chunks[i].frames(), plan.width, plan.height))
      missing.push_back(i);
    else
      pr.frames_done += job.chunks[i].frames();
  }
  std::mutex progress_mu;  // lanes finish frames side by side
  auto frame_done = [&] {
    std::lock_guard lock(progress_mu);
    ++pr.frames_done;
    ++result.frames_rendered;
    if (progress) {
      pr.seconds_elapsed = seconds_since(t0);
      progress(pr);
    }
  };
  if (progress && pr.frames_done > 0) {  // the kept frames are done at once (all of them, often)
    pr.seconds_elapsed = seconds_since(t0);
    progress(pr);
  }
  std::unique_ptr<ProxyCache> proxies = proxy_cache_for(options);
  render_missing(plan, job.chunks, missing, job.settings, *job.store, *job.text, options, proxies.get(), frame_done,
                 cancel);
  result.chunks = int(end - first);
  result.chunks_rendered = int(missing.size());
  if (proxies) {
    result.proxies_read = proxies->hits();
    result.proxies_written = proxies->stores();
  }
}

// The key of a render's sound (what decides its samples and their encoding); "" for none.
std::string sound_key(const draft::Draft& draft, const AudioMix& mix, const RenderOptions& options) {
  if (mix.empty()) return "";
  return entry_key(describe_sound(sound_placements(draft), resolver_for(options), mix.position(), mix.total_samples(),
                                  options.loudness.value_or(draft.loudness)) +
                   "aac|" + std::to_string(avcodec_version()));
}

// The sound of the whole render, kept in the store or encoded on its own thread while the
// video renders; wait() rethrows its failure. Destroying it stops an unfinished encode.
class SoundJob {
 public:
  SoundJob(const draft::Draft& draft, ChunkedJob& job, const RenderOptions& options)
      : mix_(std::move(job.mix)), notice_(options.notice) {
    key_ = sound_key(draft, *mix_, options);
    if (key_.empty()) return;
    const draft::Loudness loudness = options.loudness.value_or(draft.loudness);
    const ChunkStore& store = *job.store;
    kept_ = store.has_audio(key_);
    if (!kept_)
      encoding_ = std::async(std::launch::async, [this, &store, loudness] {
        StageClock clock(Stage::Audio);
        // A measuring pass (or a few) over the mix, then the mix encoded with the gain found.
        if (loudness.normalise) loudness_notice_ = normalise_loudness(*mix_, loudness.lufs, &stop_).notice;
        store_sound(store, key_, *mix_, &stop_);
      });
  }
  ~SoundJob() {
    stop_ = true;
    if (encoding_.valid()) encoding_.wait();  // it holds references to this object
  }
  SoundJob(const SoundJob&) = delete;
  SoundJob& operator=(const SoundJob&) = delete;
  /// Waits for the encode; a cancel noticed meanwhile stops it (and throws Cancelled).
  void wait(const std::atomic<bool>* cancel) {
    if (!encoding_.valid()) return;
    while (encoding_.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready)
      if (cancel && cancel->load()) stop_ = true;
    encoding_.get();
    if (!loudness_notice_.empty() && notice_) notice_(loudness_notice_);
  }
  const std::string& key() const { return key_; }  // empty: the render has no sound
  bool kept() const { return kept_; }

 private:
  std::unique_ptr<AudioMix> mix_;
  NoticeFn notice_;
  std::string key_;
  bool kept_ = false;
  std::atomic<bool> stop_{false};  // the render failed or was cancelled: the sound too
  std::string loudness_notice_;    // written by the encode's thread, read after it ended
  std::future<void> encoding_;
};

void fill_shape(const Plan& plan, int64_t frames, std::chrono::steady_clock::time_point t0, RenderResult& result) {
  result.frames = frames;
  result.width = plan.width;
  result.height = plan.height;
  result.fps = plan.fps;
  result.seconds = seconds_since(t0);
}

void trim_store(const ChunkedJob& job) {
  std::vector<std::string> keys;
  for (const Chunk& c : job.chunks) keys.push_back(c.key);
  job.store->trim(keys);
}

// What names the video of a whole render: every chunk's portable key in order, so a part
// belongs to it exactly when it was cut from the same draft, range and encoder, with files of the
// same content wherever they lie (a render node renders its uploaded copies).
std::string render_key(const ChunkedJob& job) {
  std::string all;
  for (const Chunk& c : job.chunks) all += c.portable_key + "\n";
  return entry_key("reel-render\n" + all);
}

std::vector<RenderPart> cut_parts(const ChunkedJob& job, int parts) {
  const std::vector<double> costs = chunk_costs(job.plan, job.chunks, encode_cost_ns_per_pixel(job.settings.preset));
  const std::vector<size_t> bounds = split_by_cost(costs, size_t(std::max(1, parts)));
  std::vector<RenderPart> out;
  for (size_t k = 0; k + 1 < bounds.size(); ++k) {
    RenderPart p;
    p.index = int(k) + 1;
    p.first_chunk = bounds[k];
    p.end_chunk = bounds[k + 1];
    p.frame_begin = job.chunks[p.first_chunk].begin;
    p.frame_end = job.chunks[p.end_chunk - 1].end;
    for (size_t i = p.first_chunk; i < p.end_chunk; ++i) p.cost_s += costs[i];
    out.push_back(p);
  }
  return out;
}

std::string part_tag(const std::string& render, const RenderPart& p, int parts) {
  return "reel-part|render=" + render + "|part=" + std::to_string(p.index) + "/" + std::to_string(parts) +
         "|frames=" + std::to_string(p.frame_begin) + "," + std::to_string(p.frame_end);
}

const RenderPart& part_of(const std::vector<RenderPart>& cut, int index, int parts, const ChunkedJob& job) {
  if (parts < 1 || index < 1 || index > parts)
    throw EngineError(
        "a part is I/N with 1 <= I <= N (asked for " + std::to_string(index) + "/" + std::to_string(parts) + ")",
        base::Fault::Input);
  if (size_t(parts) > job.chunks.size())
    throw EngineError("this render has " + std::to_string(job.chunks.size()) + " chunks, so at most " +
                          std::to_string(job.chunks.size()) + " parts (asked for " + std::to_string(parts) + ")",
                      base::Fault::Input);
  return cut[size_t(index - 1)];
}

}  // namespace

RenderResult render_to_file(const draft::Draft& draft, const std::string& out_path, const RenderOptions& options,
                            const ProgressFn& progress, const std::atomic<bool>* cancel) {
  const auto t0 = std::chrono::steady_clock::now();
  ChunkedJob job = prepare_job(draft, options);
  RenderResult result;
  result.planned_s = seconds_since(t0);
  SoundJob sound(draft, job, options);
  result.sound_kept = sound.kept();
  render_video(job, 0, job.chunks.size(), options, progress, cancel, t0, result);
  result.video_s = seconds_since(t0);
  sound.wait(cancel);
  result.sound_s = seconds_since(t0);

  base::AtomicFile temp(out_path);
  join_chunks(*job.store, job.chunks, sound.key(), job.plan.frame_begin, job.plan.fps, temp.temp_path(), out_path);
  temp.commit();
  trim_store(job);
  fill_shape(job.plan, job.plan.frame_end - job.plan.frame_begin, t0, result);
  return result;
}

PartPlan plan_parts(const draft::Draft& draft, int parts, const RenderOptions& options) {
  ChunkedJob job = prepare_job(draft, options);
  PartPlan plan;
  plan.frames = job.plan.frame_end - job.plan.frame_begin;
  plan.fps = job.plan.fps;
  plan.chunks = int(job.chunks.size());
  plan.render_key = render_key(job);
  plan.has_sound = !job.mix->empty();
  plan.parts = cut_parts(job, parts);
  return plan;
}

RenderResult render_part(const draft::Draft& draft, int index, int parts, const std::string& out_path,
                         const RenderOptions& options, const ProgressFn& progress, const std::atomic<bool>* cancel) {
  const auto t0 = std::chrono::steady_clock::now();
  ChunkedJob job = prepare_job(draft, options);
  const std::vector<RenderPart> cut = cut_parts(job, parts);
  const RenderPart& part = part_of(cut, index, parts, job);
  RenderResult result;
  result.planned_s = seconds_since(t0);
  render_video(job, part.first_chunk, part.end_chunk, options, progress, cancel, t0, result);
  result.video_s = result.sound_s = seconds_since(t0);
  const std::vector<Chunk> mine(job.chunks.begin() + long(part.first_chunk), job.chunks.begin() + long(part.end_chunk));
  base::AtomicFile temp(out_path);
  // No +faststart: a part is read by `reel join` only, and one cut short then has no index
  // at all, so it cannot pass for whole.
  join_chunks(*job.store, mine, "", part.frame_begin, job.plan.fps, temp.temp_path(), out_path,
              part_tag(render_key(job), part, parts), false);
  temp.commit();
  trim_store(job);
  fill_shape(job.plan, part.frame_end - part.frame_begin, t0, result);
  return result;
}

RenderResult join_parts(const draft::Draft& draft, const std::vector<std::string>& part_paths,
                        const std::string& out_path, const RenderOptions& options, const std::atomic<bool>* cancel) {
  const auto t0 = std::chrono::steady_clock::now();
  if (part_paths.empty()) throw EngineError("name the parts to join", base::Fault::Input);
  ChunkedJob job = prepare_job(draft, options);
  const std::string render = render_key(job);
  const std::string how = " (make it with `reel render DRAFT --part I/N` from this draft and these settings)";

  // Every part is read and checked before anything is written.
  struct Found {
    std::string path;
    int index = 0, parts = 0;
    int64_t frames = 0;
    std::string tag;
  };
  std::vector<Found> found;
  const std::string sound = sound_key(draft, *job.mix, options);
  std::string sound_part;  // the sound made by `reel render --part sound`, when given
  for (const std::string& path : part_paths) {
    const std::optional<TaggedVideo> video = read_tagged_video(path);
    if (!video) {
      if (const std::optional<std::string> tag = read_sound_tag(path)) {
        if (sound.empty())
          throw EngineError(path + " is a sound, but this draft has no sound; join its video parts alone",
                            base::Fault::Input);
        if (*tag != sound)
          throw EngineError(path + " is the sound of another render: another draft, music, range or loudness" +
                                std::string(" (make it with `reel render DRAFT --part sound` from this draft and "
                                            "these settings)"),
                            base::Fault::Input);
        if (!sound_part.empty())
          throw EngineError(sound_part + " and " + path + " are both the sound; name it once", base::Fault::Input);
        sound_part = path;
        continue;
      }
      throw EngineError(path +
                            " cannot be read as an MP4 with one video stream: it is cut short, damaged or not a part "
                            "of a reel render" +
                            how,
                        base::Fault::Input);
    }
    Found f{path, 0, 0, video->frames, video->comment};
    const std::string head = "reel-part|render=";
    char rest[64] = {};
    if (video->comment.rfind(head, 0) != 0 ||
        std::sscanf(video->comment.c_str() + std::min(video->comment.size(), head.size() + render.size()),
                    "|part=%d/%d|frames=%63s", &f.index, &f.parts, rest) != 3)
      throw EngineError(path + " is not a part of a reel render (it has no part tag)" + how, base::Fault::Input);
    if (video->comment.compare(head.size(), render.size(), render) != 0)
      throw EngineError(path +
                            " is a part of another render: another draft, range or encoder setting (size, fps, "
                            "preset, crf)" +
                            how,
                        base::Fault::Input);
    found.push_back(f);
  }
  if (found.empty()) throw EngineError("name the video parts to join beside the sound" + how, base::Fault::Input);
  const int parts = found[0].parts;
  std::vector<const Found*> by_index(size_t(std::max(1, parts)) + 1, nullptr);
  for (const Found& f : found) {
    if (f.parts != parts)
      throw EngineError(f.path + " is part " + std::to_string(f.index) + " of " + std::to_string(f.parts) + " but " +
                            found[0].path + " is a part of " + std::to_string(parts) + "; join parts of one cut",
                        base::Fault::Input);
    if (f.index < 1 || f.index > parts)
      throw EngineError(f.path + " has a part number out of its range" + how, base::Fault::Input);
    if (by_index[size_t(f.index)])
      throw EngineError(by_index[size_t(f.index)]->path + " and " + f.path + " are both part " +
                            std::to_string(f.index) + " of " + std::to_string(parts) + "; name each part once",
                        base::Fault::Input);
    by_index[size_t(f.index)] = &f;
  }
  std::string absent;
  for (int i = 1; i <= parts; ++i)
    if (!by_index[size_t(i)]) absent += (absent.empty() ? "" : ", ") + std::to_string(i);
  if (!absent.empty())
    throw EngineError("part" + std::string(absent.find(',') == std::string::npos ? " " : "s ") + absent + " of " +
                          std::to_string(parts) + (absent.find(',') == std::string::npos ? " is" : " are") +
                          " missing: render " + (absent.find(',') == std::string::npos ? "it" : "each") +
                          " with `reel render DRAFT --part I/" + std::to_string(parts) + "` and join them all",
                      base::Fault::Input);
  const std::vector<RenderPart> cut = cut_parts(job, parts);
  if (cut.size() != size_t(parts))
    throw EngineError("these parts were cut from another plan" + how, base::Fault::Input);
  std::vector<JoinPiece> pieces;
  for (const RenderPart& p : cut) {
    const Found& f = *by_index[size_t(p.index)];
    if (f.tag != part_tag(render, p, parts))
      throw EngineError(f.path + " was cut from another plan" + how, base::Fault::Input);
    if (f.frames != p.frame_end - p.frame_begin)
      throw EngineError(f.path + " is damaged: it holds " + std::to_string(f.frames) + " frames instead of " +
                            std::to_string(p.frame_end - p.frame_begin) + "; render it again",
                        base::Fault::Input);
    pieces.push_back({f.path, f.tag, p.frame_begin, f.frames});
  }

  RenderResult result;
  result.chunks = int(job.chunks.size());
  result.sound_given = !sound_part.empty();
  std::string sound_path = sound_part;
  std::optional<SoundJob> mixed;  // the sound mixed here when no sound part was given
  if (sound_path.empty()) {
    mixed.emplace(draft, job, options);
    result.sound_kept = mixed->kept();
    mixed->wait(cancel);
    if (!sound.empty()) sound_path = job.store->audio_path(sound);
  }
  if (cancel && cancel->load()) throw Cancelled();
  base::AtomicFile temp(out_path);
  join_pieces(pieces, sound_path, sound, job.plan.frame_begin, job.plan.fps, temp.temp_path(), out_path);
  temp.commit();
  fill_shape(job.plan, job.plan.frame_end - job.plan.frame_begin, t0, result);
  return result;
}

RenderResult render_sound_part(const draft::Draft& draft, const std::string& out_path, const RenderOptions& options,
                               const std::atomic<bool>* cancel) {
  const auto t0 = std::chrono::steady_clock::now();
  ChunkedJob job = prepare_job(draft, options, JobScope::SoundOnly);
  RenderResult result;
  result.planned_s = result.video_s = seconds_since(t0);
  SoundJob sound(draft, job, options);
  if (sound.key().empty())
    throw EngineError("this draft has no sound (no music, voice or clip with sound): join its video parts alone",
                      base::Fault::Input);
  result.sound_kept = sound.kept();
  sound.wait(cancel);
  result.sound_s = seconds_since(t0);
  if (cancel && cancel->load()) throw Cancelled();
  base::AtomicFile temp(out_path);
  std::error_code ec;
  fs::copy_file(job.store->audio_path(sound.key()), temp.temp_path(), fs::copy_options::overwrite_existing, ec);
  if (ec) throw base::FileError(base::Access::Write, out_path, ec.value(), "write the sound");
  temp.commit();
  fill_shape(job.plan, 0, t0, result);
  return result;
}

struct StillMaker::State {
  State(const draft::Draft& d, const RenderOptions& o, bool stored, int held)
      : draft(d),
        options(o),
        plan(make_plan(draft, options)),
        proxies(proxy_cache_for(options)),
        text(draft, plan.width, plan.height, plan.fps, resolver_for(options)),
        frame(plan.width, plan.height),
        packing(stored ? PngPacking::Stored : PngPacking::Small),
        held_photos(held) {}
  const draft::Draft draft;  // the text layer and the plan refer to it
  const RenderOptions options;
  Plan plan;
  std::unique_ptr<ProxyCache> proxies;
  std::unique_ptr<SourceCache> photos;  // what earlier stills prepared
  TextLayer text;
  YuvImage frame;
  ComposeScratch scratch;
  std::set<int> ready;  // items checked and aimed at their subject
  bool noticed = false;
  const PngPacking packing;
  const int held_photos;
};

StillMaker::StillMaker(const draft::Draft& draft, const RenderOptions& options, bool stored_png, int held_photos)
    : state_(std::make_unique<State>(draft, options, stored_png, held_photos)) {
  if (state_->plan.total_frames <= 0)
    throw draft::DraftError("draft", "/d", "there is nothing to show: the draft has no frames");
}

StillMaker::~StillMaker() = default;

void StillMaker::compose(int64_t n) {
  State& st = *state_;
  Plan& plan = st.plan;
  // Only the items on screen at n are checked and aimed at their subject, each once.
  std::vector<int> fresh;
  bool clip = false;
  for (const auto& s : plan.state_at(n))
    for (int i : {s.a, s.b})
      if (i >= 0) {
        clip |= plan.items[size_t(i)].is_clip;
        if (st.ready.count(i)) continue;
        check_item(plan.items[size_t(i)], st.options.limits);
        fresh.push_back(i);
      }
  if (!fresh.empty()) {
    // A photo prepared before its aim would be framed wrongly: the cache starts afresh.
    if (st.photos && st.photos->held() > 0) st.photos.reset();
    aim_at_subjects(plan, st.proxies.get(), st.options.notice, &fresh);
    st.ready.insert(fresh.begin(), fresh.end());
  }
  if (!st.noticed) notify(st.options, plan), st.noticed = true;
  if (st.photos && st.photos->held() >= st.held_photos) st.photos.reset();
  // A clip's pictures follow its decoder forwards: a still of one gets a cache of its own.
  std::unique_ptr<SourceCache> own;
  if (clip) own = std::make_unique<SourceCache>(plan, 0, 0, 8, st.proxies.get());
  if (!clip && !st.photos) st.photos = std::make_unique<SourceCache>(plan, 0, 0, 8, st.proxies.get());
  compose_frame(plan, n, clip ? *own : *st.photos, st.frame.view(), st.scratch, &st.text);
}

void StillMaker::write(int64_t at_ms, const std::string& png_path) {
  compose_at_ms(at_ms);
  write_png(png_path, yuv_to_bgr(state_->frame.view()), state_->packing);
}

std::string StillMaker::png(int64_t at_ms) {
  compose_at_ms(at_ms);
  return encode_png(yuv_to_bgr(state_->frame.view()), state_->packing);
}

void StillMaker::compose_at_ms(int64_t at_ms) {
  const Plan& plan = state_->plan;
  compose(std::clamp<int64_t>(frame_at_ms(plan, std::max<int64_t>(0, at_ms)), 0, plan.total_frames - 1));
}

StillPicture StillMaker::picture(int64_t frame, PictureFormat format, int jpeg_quality) {
  const int64_t total = state_->plan.total_frames;
  if (frame < 0 || frame >= total)
    throw base::Error(base::Fault::Input, "frame " + std::to_string(frame) + " is outside the draft: it has " +
                                              std::to_string(total) + " frames (0 to " + std::to_string(total - 1) +
                                              ")");
  compose(frame);
  const cv::Mat bgr = yuv_to_bgr(state_->frame.view());
  StillPicture p;
  p.frame = frame;
  p.width = bgr.cols;
  p.height = bgr.rows;
  base::Hash64 hash;
  hash.add(std::to_string(bgr.cols) + "x" + std::to_string(bgr.rows));
  for (int y = 0; y < bgr.rows; ++y)
    hash.add(std::string_view(reinterpret_cast<const char*>(bgr.ptr(y)), size_t(bgr.cols) * 3));
  p.pixel_hash = hash.hex();
  p.bytes = format == PictureFormat::Jpeg ? encode_jpeg(bgr, jpeg_quality) : encode_png(bgr);
  return p;
}

void render_still(const draft::Draft& draft, int64_t at_ms, const std::string& png_path, const RenderOptions& options) {
  StillMaker(draft, options).write(at_ms, png_path);
}

StillPicture render_still_picture(const draft::Draft& draft, int64_t frame, const RenderOptions& options,
                                  PictureFormat format, int jpeg_quality) {
  return StillMaker(draft, options).picture(frame, format, jpeg_quality);
}

void render_storyboard(const draft::Draft& draft, const std::string& png_path, const RenderOptions& options,
                       bool draw_focus) {
  write_storyboard(draft, png_path, options, draw_focus);
}

std::vector<SegmentFocus> find_focus(const draft::Draft& draft, const RenderOptions& options) {
  Plan plan = make_plan(draft, options);
  check_plan_sources(plan, options.limits);
  std::unique_ptr<ProxyCache> proxies = proxy_cache_for(options);
  DetectionProblemNotice problem(options.notice);
  problem.tell();
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
    } else {
      const FoundFocus found = source_focus(item, proxies.get());
      problem.tell();
      f.from = found.by == FoundFocus::By::Faces ? SegmentFocus::From::Faces : SegmentFocus::From::Saliency;
      f.focus = found.focus;
      f.faces = found.faces;
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::string base64_of(const std::string& bytes) {
  if (bytes.size() > size_t(INT_MAX / 4 * 3 - 3)) throw EngineError("a picture too large to send as base64");
  std::string out(size_t(AV_BASE64_SIZE(bytes.size())), '\0');
  if (!av_base64_encode(out.data(), int(out.size()), reinterpret_cast<const uint8_t*>(bytes.data()), int(bytes.size())))
    throw EngineError("libavutil could not encode a picture as base64");
  out.resize(out.size() - 1);  // its terminating NUL
  return out;
}

}  // namespace reel::engine
