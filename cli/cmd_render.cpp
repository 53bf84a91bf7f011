// render, preview, still, storyboard: the local engine's commands.
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>

#include "base/files.h"
#include "cli/cmd_cache.h"
#include "cli/commands.h"
#include "cli/draft_input.h"
#include "cli/exit_codes.h"
#include "cli/media_sources.h"
#include "cli/process.h"
#include "cli/progress.h"
#include "cli/render_timings.h"
#include "cli/watch.h"
#include "draft/diff.h"
#include "draft/json.h"
#include "draft/subtitles.h"
#include "draft/time.h"
#include "engine/errors.h"
#include "engine/render.h"

namespace reel::cli {

namespace {

struct RenderArgs {
  std::string draft;
  std::string out;
  std::string preset = "final";
  std::optional<double> from_s, to_s;
  std::string size;
  std::string fps;
  std::optional<int> crf;
  std::string x264_preset;
  int threads = 0;
  std::string progress = "auto";
  double max_file_mb = 200;
  double max_megapixels = 100;
  double at_s = 0;
  std::string subtitles;
  bool no_cache = false;
  std::optional<double> max_duration_s;
  std::string loudness;
  bool watch = false;
  bool timings = false;     // render, preview: where the time went, told after the render
  bool draw_focus = false;  // storyboard --focus
  MediaArgs media;
  std::string part;                 // render --part: "I/N", or "N" with I from the environment
  int parts = 0;                    // plan --chunks N
  bool json = false;                // plan --json
  std::vector<std::string> joined;  // join's parts
};

void add_common(CLI::App* sub, RenderArgs& a) {
  sub->add_option("--subtitles", a.subtitles, "add a caption track from a SubRip (.srt) or WebVTT (.vtt) file");
  sub->add_option("draft", a.draft, "the draft JSON file ('-' reads standard input)")->required();
  sub->add_option("--size", a.size, "output size WIDTHxHEIGHT (even numbers), e.g. 1280x720");
  sub->add_option("--threads", a.threads, "compose threads: 0 = all cores (default), 1 = serial")
      ->check(CLI::Range(0, kMaxThreads));
  sub->add_option("--max-file-mb", a.max_file_mb, "refuse media files larger than this (default 200)")
      ->check(CLI::Range(0.001, kMaxFileMb));
  sub->add_option("--max-megapixels", a.max_megapixels, "refuse images with more pixels than this (default 100)")
      ->check(CLI::Range(0.001, kMaxMegapixels));
  add_media_flags(sub, a.media);
  sub->add_flag("--no-cache", a.no_cache,
                "render everything afresh and keep nothing (otherwise large photos are kept decoded and "
                "framed, and the video in chunks of a few seconds, in the cache folder, so the next render "
                "of the draft or of an edit of it renders only what changed; see `reel cache`)");
}

// render and preview: --timings.
void add_timings(CLI::App* sub, RenderArgs& a) {
  sub->add_flag("--timings", a.timings,
                "after the render, tell where its time went: the wall time by step (start-up, plan, video, "
                "sound, join) and the CPU time by stage (decode, warp, text, audio, encode, ...)");
}

void add_encode(CLI::App* sub, RenderArgs& a) {
  sub->add_option("--from", a.from_s, "render from this time, in seconds")->check(CLI::Range(0.0, kMaxSeconds));
  sub->add_option("--to", a.to_s, "render up to this time, in seconds")->check(CLI::Range(0.0, kMaxSeconds));
  sub->add_option("--max-duration", a.max_duration_s,
                  "refuse to render more than this many seconds (default: no limit; a render longer than an "
                  "hour is announced with the size to expect)")
      ->check(CLI::Range(0.001, kMaxSeconds));
  sub->add_option("--fps", a.fps, "frames per second (30, 29.97, 30000/1001)");
  sub->add_option("--crf", a.crf, "x264 quality: lower is better and larger (0-51)")->check(CLI::Range(0, 51));
  sub->add_option("--x264-preset", a.x264_preset, "x264 speed preset")
      ->check(CLI::IsMember(
          {"ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"}));
  sub->add_option("--loudness", a.loudness,
                  "bring the sound to this integrated loudness in LUFS (-40 to -5), or off (default: the draft's "
                  "m.loudness, else -14, the social platforms' level; true peak at most -1 dBTP)");
  sub->add_option("--progress", a.progress, "progress display: auto (a bar on a terminal), json, none")
      ->check(CLI::IsMember({"auto", "json", "none"}));
  sub->add_flag("--watch", a.watch,
                "keep running: render again whenever the draft or a file it names changes (only what "
                "changed is rendered), replacing the output whole each time; Ctrl-C ends it");
}

// A --size of another shape than the draft's would lay every photo and text out again, not
// scale the video: refused, with the size of the draft's shape at the asked long side.
void check_size_shape(int w, int h, const draft::Canvas& canvas) {
  const int W = canvas.width, H = canvas.height;
  auto even = [](double v) { return std::max(2, int(std::lround(v / 2)) * 2); };
  if (even(double(w) * H / W) == h || even(double(h) * W / H) == w) return;
  const int long_side = std::max(w, h);
  const int sw = W >= H ? long_side : even(double(long_side) * W / H);
  const int sh = W >= H ? even(double(long_side) * H / W) : long_side;
  const std::string asked = std::to_string(w) + "x" + std::to_string(h);
  throw UsageError("--size " + asked + " is not the shape of the draft (" + std::to_string(W) + "x" +
                   std::to_string(H) + "); use --size " + std::to_string(sw) + "x" + std::to_string(sh) +
                   ", or change the draft's m.ar (or width and height) for another shape");
}

engine::RenderOptions options_from(const RenderArgs& a, const DraftInput& in) {
  engine::RenderOptions o;
  o.preset = a.preset == "preview" ? engine::Preset::Preview : engine::Preset::Final;
  if (!a.size.empty()) {
    std::smatch m;
    if (!std::regex_match(a.size, m, std::regex(R"((\d{1,5})x(\d{1,5}))")))
      throw UsageError("--size takes WIDTHxHEIGHT, e.g. 1280x720");
    int w = std::stoi(m[1]), h = std::stoi(m[2]);
    if (w < 16 || h < 16 || w > 8192 || h > 8192 || w % 2 || h % 2)
      throw UsageError("--size needs even numbers from 16 to 8192, e.g. 1280x720");
    check_size_shape(w, h, in.loaded.draft.canvas);
    o.width = w;
    o.height = h;
  }
  if (!a.fps.empty()) {
    auto r = draft::fps_from_text(a.fps);
    if (!r || r->value() < 1 || r->value() > 240)
      throw UsageError("--fps takes a rate from 1 to 240, e.g. 30 or 30000/1001");
    o.fps = *r;
  }
  if (a.loudness == "off") {
    o.loudness = draft::Loudness{false};
  } else if (!a.loudness.empty()) {
    char* end = nullptr;
    const double lufs = std::strtod(a.loudness.c_str(), &end);
    if (end == a.loudness.c_str() || *end != '\0' ||
        !(lufs >= draft::kMinLoudnessLufs && lufs <= draft::kMaxLoudnessLufs))
      throw UsageError("--loudness takes a target in LUFS from -40 to -5 (such as -14) or off, not " + a.loudness);
    o.loudness = draft::Loudness{true, lufs};
  }
  o.crf = a.crf;
  if (!a.x264_preset.empty()) o.x264_preset = a.x264_preset;
  if (a.from_s) o.from_ms = int64_t(std::llround(*a.from_s * 1000));
  if (a.to_s) o.to_ms = int64_t(std::llround(*a.to_s * 1000));
  if (o.from_ms && o.to_ms && *o.to_ms <= *o.from_ms) throw UsageError("--to must come after --from");
  o.threads = a.threads;
  o.base_dir = in.base_dir;
  o.limits.max_file_bytes = int64_t(a.max_file_mb * 1024 * 1024);
  o.limits.max_pixels = int64_t(a.max_megapixels * 1e6);
  o.notice = [](const std::string& msg) { std::cerr << "reel: note: " << msg << "\n"; };
  use_cache_folders(o, a.no_cache);
  return o;
}

// "; 3 chunks rendered, 42 kept": what an earlier render saved this one (nothing on a first render).
std::string reuse_text(const engine::RenderResult& r) {
  if (r.chunks_rendered == r.chunks) return {};
  return "; " + std::to_string(r.chunks_rendered) + " chunk" + (r.chunks_rendered == 1 ? "" : "s") + " rendered, " +
         std::to_string(r.chunks - r.chunks_rendered) + " kept";
}

// What every render command starts with: the draft loaded (nullopt when it has errors, which
// are printed), its subtitles added, the options made, and the output checked before any work:
// writable, and none of the files the command reads.
struct Job {
  DraftInput in;
  engine::RenderOptions options;
};
// A command with no output (plan) leaves `a.out` empty; `more_inputs` are read too (join's parts).
std::optional<Job> prepare(const RenderArgs& a, OutputKind kind, const std::vector<std::string>& more_inputs = {}) {
  auto in = read_usable_draft(a.draft);
  if (!in) return std::nullopt;
  if (!a.subtitles.empty())
    add_captions_from_file(in->loaded.draft, a.subtitles);  // for this render; the file is not changed
  if (!a.out.empty()) require_writable_output(a.out, kind);
  Job job{std::move(*in), {}};
  job.options = options_from(a, job.in);
  MediaArgs media = a.media;
  media.quiet = a.progress == "none";
  resolve_remote_media(
      job.in.loaded.draft, a.draft, media, [&] { return uploads_of_pulled_draft(a.draft); }, job.options);
  std::vector<std::string> inputs = engine::local_inputs(job.in.loaded.draft, job.options);
  inputs.push_back(a.draft);
  inputs.push_back(a.subtitles);
  inputs.insert(inputs.end(), more_inputs.begin(), more_inputs.end());
  if (!a.out.empty()) require_not_an_input(a.out, inputs);
  return job;
}

void name_default_output(RenderArgs& a, bool preview) {
  if (preview) a.preset = "preview";
  if (a.out.empty()) {
    std::filesystem::path p(a.draft == "-" ? "draft" : a.draft);
    a.out = p.stem().string() + (preview ? ".preview.mp4" : ".mp4");
  }
}

// One render of a prepared job; the result, or nothing in --progress json mode's silence.
engine::RenderResult render_job(const RenderArgs& a, const Job& job, bool preview) {
  const draft::Draft& d = job.in.loaded.draft;
  const engine::RenderOptions& o = job.options;
  if (o.from_ms && *o.from_ms >= d.duration_ms())
    throw UsageError("--from " + draft::seconds_text(*o.from_ms) + " s is at or past the end of the draft (" +
                     draft::seconds_text(d.duration_ms()) + " s); nothing would be rendered");
  return render_with_progress(d, a.out, o, progress_mode(a.progress), preview ? "preview" : "render", a.max_duration_s);
}

int run_render(RenderArgs a, bool preview) {
  name_default_output(a, preview);
  RenderTimings timings(a.timings);
  auto job = prepare(a, OutputKind::Video);
  if (!job) return kExitBadInput;
  timings.render_starts();
  auto result = render_job(a, *job, preview);
  if (progress_mode(a.progress) != ProgressMode::Json) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", result.seconds);
    std::cerr << "reel: wrote " << a.out << " (" << result.width << "x" << result.height << ", " << result.frames
              << " frames at " << draft::to_string(result.fps) << " fps, " << secs << " s" << reuse_text(result)
              << ")\n";
  }
  timings.tell(result);
  return kExitOk;
}

std::string clock_text() {
  const std::time_t now = std::time(nullptr);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", std::localtime(&now));
  return buf;
}

// --watch: render, then again after every change of the draft or of a file it names, until
// Ctrl-C. A draft that stops validating, or a render that fails, leaves the last output as it
// was; only a bug ends the watch.
int watch_render(RenderArgs a, bool preview) {
  if (a.draft == "-") throw UsageError("--watch needs a draft file to watch, not standard input");
  name_default_output(a, preview);
  FileWatch watch;
  std::optional<draft::Draft> last;
  std::vector<std::string> watched{a.draft, a.subtitles};
  std::vector<std::string> changed_files;
  bool last_failed = false;  // the last change left a draft with errors
  for (bool first = true;; first = false) {
    watch.watch(watched);
    bool stopped = false, prepared = false;
    RenderTimings timings(a.timings, ProcessClocks::now());
    const int code = run_reporting_errors([&] {
      auto job = prepare(a, OutputKind::Video);
      const bool was_failed = last_failed;
      if (!job) return kExitBadInput;
      prepared = true;
      watched = engine::local_inputs(job->in.loaded.draft, job->options);
      watched.push_back(a.draft);
      watched.push_back(a.subtitles);
      watch.watch(watched);  // before rendering: a change made while it runs is seen after it
      std::string what = first ? std::string("first render") : std::string();
      if (!first) {
        const std::filesystem::path draft_file = std::filesystem::absolute(a.draft).lexically_normal();
        for (const std::string& f : changed_files)
          if (std::filesystem::path(f) != draft_file)
            what += (what.empty() ? "" : ", ") + std::filesystem::path(f).filename().string() + " changed";
        if (last) {
          const draft::DraftChanges c = draft::diff_drafts(*last, job->in.loaded.draft);
          if (was_failed) what += (what.empty() ? "" : "; ") + a.draft + " is valid again";
          if (!c.empty() || what.empty()) what += (what.empty() ? "" : "; ") + draft::describe_changes(c);
        }
      }
      engine::RenderResult r;
      timings.render_starts();
      try {
        r = render_job(a, *job, preview);
      } catch (const engine::Cancelled&) {
        stopped = true;
        return kExitOk;
      }
      last = job->in.loaded.draft;
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.1f", r.seconds);
      std::cerr << "reel: " << clock_text() << " " << what << ": " << r.chunks_rendered << " of " << r.chunks
                << " chunk" << (r.chunks == 1 ? "" : "s") << " rendered, " << r.chunks - r.chunks_rendered << " kept, "
                << secs << " s; wrote " << a.out << "\n";
      timings.tell(r);
      return kExitOk;
    });
    if (code == kExitInternal) return code;
    if (stopped || interrupted().load()) break;
    // Whatever failed — a draft with errors or not JSON at all, a damaged photo — the output stays.
    if (code != kExitOk)
      std::cerr << "reel: " << clock_text() << " " << a.out << " is left as it was; waiting for the next change\n";
    last_failed = code != kExitOk && !prepared;  // the draft itself was the trouble
    watch.watch(watched);
    changed_files = watch.wait(std::chrono::milliseconds(200), interrupted());
    if (changed_files.empty()) break;  // Ctrl-C
  }
  std::cerr << "reel: stopped watching; " << a.out << " is the last good render\n";
  return kExitOk;
}

int run_still(const RenderArgs& a) {
  auto job = prepare(a, OutputKind::Picture);
  if (!job) return kExitBadInput;
  const int64_t at_ms = int64_t(std::llround(a.at_s * 1000));
  const draft::Draft& d = job->in.loaded.draft;
  if (at_ms >= d.duration_ms() && d.duration_ms() > 0) {
    // The last frame's own time: the latest --at that shows something.
    const engine::RenderShape shape = engine::render_shape(d, job->options);
    const int64_t last_ms = ((shape.frames - 1) * 1000 * shape.fps.den + shape.fps.num - 1) / shape.fps.num;
    throw base::Error(base::Fault::Input, "--at " + draft::seconds_text(at_ms) + " s is past the end of the draft (" +
                                              draft::seconds_text(d.duration_ms()) +
                                              " s long); give a time from 0 to " + draft::seconds_text(last_ms) + " s");
  }
  engine::render_still(d, at_ms, a.out, job->options);
  return kExitOk;
}

int run_storyboard(const RenderArgs& a) {
  auto job = prepare(a, OutputKind::Picture);
  if (!job) return kExitBadInput;
  engine::render_storyboard(job->in.loaded.draft, a.out, job->options, a.draw_focus);
  return kExitOk;
}

// The 1-based index of this worker's part from the scheduler that started it; nullopt when no
// scheduler's variable is set. Kubernetes Indexed Jobs and AWS Batch array jobs count from 0;
// a Slurm array counts from its --array's first number (SLURM_ARRAY_TASK_MIN).
std::optional<long> scheduler_index() {
  auto number = [](const char* name) -> std::optional<long> {
    const char* v = std::getenv(name);
    if (!v || !*v) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const long n = std::strtol(v, &end, 10);
    if (*end || errno || n < 0 || n > 1000000)
      throw UsageError(std::string(name) + "=" + v + " is not a task index (a whole number from 0)");
    return n;
  };
  if (auto k8s = number("JOB_COMPLETION_INDEX")) return *k8s + 1;
  if (auto slurm = number("SLURM_ARRAY_TASK_ID")) {
    const long first = number("SLURM_ARRAY_TASK_MIN").value_or(0);
    if (*slurm < first) throw UsageError("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN");
    return *slurm - first + 1;
  }
  if (auto batch = number("AWS_BATCH_JOB_ARRAY_INDEX")) return *batch + 1;
  return std::nullopt;
}

// --part "I/N" or "N": the part (1-based) and the number of parts.
std::pair<int, int> part_of_worker(const std::string& text) {
  std::smatch m;
  if (!std::regex_match(text, m, std::regex(R"((?:(\d{1,6})/)?(\d{1,6}))")))
    throw UsageError("--part takes I/N (part I of N, from 1) or N (the index from the scheduler), e.g. 2/4");
  const long parts = std::stol(m[2]);
  long index = 0;
  if (m[1].matched) {
    index = std::stol(m[1]);
  } else {
    const std::optional<long> from_env = scheduler_index();
    if (!from_env)
      throw UsageError("--part " + text +
                       " needs this worker's index: give --part I/N, or run it under a scheduler that sets "
                       "JOB_COMPLETION_INDEX (Kubernetes), SLURM_ARRAY_TASK_ID (Slurm) or "
                       "AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch)");
    index = *from_env;
  }
  if (parts < 1 || index < 1 || index > parts)
    throw UsageError("--part " + (m[1].matched ? text : std::to_string(index) + "/" + text) +
                     ": a part is I/N with 1 <= I <= N");
  return {int(index), int(parts)};
}

// --part sound: the whole timeline's sound, for the join to copy.
int run_sound_part(const RenderArgs& a) {
  RenderTimings timings(a.timings);
  auto job = prepare(a, OutputKind::Sound);
  if (!job) return kExitBadInput;
  timings.render_starts();
  const engine::RenderResult r = show_progress(
      progress_mode(a.progress), "sound", a.out, [&](const engine::ProgressFn&, const std::atomic<bool>* c) {
        return engine::render_sound_part(job->in.loaded.draft, a.out, job->options, c);
      });
  if (progress_mode(a.progress) != ProgressMode::Json) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", r.seconds);
    std::cerr << "reel: wrote " << a.out << " (the sound, " << secs << " s"
              << (r.sound_kept ? ", kept from before" : "") << "); join it with the video parts: `reel join " << a.draft
              << " PART... " << a.out << " -o OUT.mp4`\n";
  }
  timings.tell(r);
  return kExitOk;
}

int run_part(const RenderArgs& a) {
  if (a.part == "sound") return run_sound_part(a);
  const auto [index, parts] = part_of_worker(a.part);
  RenderTimings timings(a.timings);
  auto job = prepare(a, OutputKind::Video);
  if (!job) return kExitBadInput;
  timings.render_starts();
  const std::string label = "part " + std::to_string(index) + "/" + std::to_string(parts);
  const engine::RenderResult r = show_progress(
      progress_mode(a.progress), label, a.out, [&](const engine::ProgressFn& p, const std::atomic<bool>* c) {
        return engine::render_part(job->in.loaded.draft, index, parts, a.out, job->options, p, c);
      });
  if (progress_mode(a.progress) != ProgressMode::Json) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", r.seconds);
    std::cerr << "reel: wrote " << a.out << " (" << label << ": " << r.frames << " frames, " << secs << " s"
              << reuse_text(r) << "); join the parts with `reel join " << a.draft << " PART... -o OUT.mp4`\n";
  }
  timings.tell(r);
  return kExitOk;
}

std::string seconds_of(int64_t frame, draft::Rational fps) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", double(frame) / fps.value());
  return buf;
}

int run_plan(const RenderArgs& a) {
  auto job = prepare(a, OutputKind::Video);
  if (!job) return kExitBadInput;
  const engine::PartPlan plan = engine::plan_parts(job->in.loaded.draft, a.parts, job->options);
  double total = 0, largest = 0;
  for (const engine::RenderPart& p : plan.parts) total += p.cost_s, largest = std::max(largest, p.cost_s);
  if (a.json) {
    Json parts = Json::array();
    for (const engine::RenderPart& p : plan.parts)
      parts.push_back({{"part", p.index},
                       {"frames", {p.frame_begin, p.frame_end}},
                       {"seconds", {double(p.frame_begin) / plan.fps.value(), double(p.frame_end) / plan.fps.value()}},
                       {"chunks", {p.first_chunk, p.end_chunk}},
                       {"cost_s", p.cost_s}});
    const Json out = {{"render", plan.render_key}, {"frames", plan.frames}, {"fps", draft::to_string(plan.fps)},
                      {"chunks", plan.chunks},     {"parts", parts},        {"cost_s", total}};
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << a.draft << ": " << plan.frames << " frames at " << draft::to_string(plan.fps) << " fps in "
            << plan.chunks << " chunks, cut into " << plan.parts.size() << " part"
            << (plan.parts.size() == 1 ? "" : "s");
  if (plan.parts.size() < size_t(a.parts)) std::cout << " (no more parts than chunks)";
  std::cout << "\n";
  char line[160];
  for (const engine::RenderPart& p : plan.parts) {
    std::snprintf(line, sizeof line, "  part %d/%zu: frames %lld-%lld (%s-%s s), chunks %zu-%zu, about %.1f CPU s\n",
                  p.index, plan.parts.size(), static_cast<long long>(p.frame_begin),
                  static_cast<long long>(p.frame_end - 1), seconds_of(p.frame_begin, plan.fps).c_str(),
                  seconds_of(p.frame_end, plan.fps).c_str(), p.first_chunk + 1, p.end_chunk, p.cost_s);
    std::cout << line;
  }
  std::snprintf(line, sizeof line, "  in all about %.1f CPU s; the largest part %.1f s (%.0f%% of the whole)\n", total,
                largest, total > 0 ? 100 * largest / total : 0);
  std::cout << line << "render part I on a worker with `reel render " << a.draft << " --part I/" << plan.parts.size()
            << " -o part-I.mp4` (the same flags on every worker) and the sound on one of them with `reel render "
            << a.draft << " --part sound -o sound.m4a`, then `reel join " << a.draft
            << " part-*.mp4 sound.m4a -o OUT.mp4` (without sound.m4a the join mixes the sound itself)\n";
  return kExitOk;
}

int run_join(const RenderArgs& a) {
  auto job = prepare(a, OutputKind::Video, a.joined);
  if (!job) return kExitBadInput;
  const engine::RenderResult r = show_progress(
      progress_mode(a.progress), "join", a.out, [&](const engine::ProgressFn&, const std::atomic<bool>* c) {
        return engine::join_parts(job->in.loaded.draft, a.joined, a.out, job->options, c);
      });
  if (progress_mode(a.progress) != ProgressMode::Json) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", r.seconds);
    const size_t video_parts = a.joined.size() - (r.sound_given ? 1 : 0);
    std::cerr << "reel: wrote " << a.out << " (" << r.width << "x" << r.height << ", " << r.frames << " frames at "
              << draft::to_string(r.fps) << " fps from " << video_parts << " part" << (video_parts == 1 ? "" : "s")
              << (r.sound_given ? " and the sound" : "") << ", " << secs << " s)\n";
  }
  return kExitOk;
}

}  // namespace

// "long side 960, x264 ultrafast, CRF 28": a preset's numbers, from the one place they live.
std::string preset_text(engine::Preset preset) {
  const engine::PresetDefaults d = engine::preset_defaults(preset);
  const std::string size = d.long_side ? "long side " + std::to_string(d.long_side) : std::string("draft size");
  return size + ", x264 " + d.x264_preset + ", CRF " + std::to_string(d.crf);
}

void add_render_commands(CLI::App& app, Commands& commands) {
  auto render_args = std::make_shared<RenderArgs>();
  auto* render = app.add_subcommand("render", "Render a draft to an MP4 (H.264) on this machine");
  add_common(render, *render_args);
  add_encode(render, *render_args);
  add_timings(render, *render_args);
  render->add_option("-o,--output", render_args->out, "the MP4 to write")->required();
  render
      ->add_option("--preset", render_args->preset,
                   "final (" + preset_text(engine::Preset::Final) + ") or preview (" +
                       preset_text(engine::Preset::Preview) + ")")
      ->check(CLI::IsMember({"final", "preview"}));
  render->add_option("--part", render_args->part,
                     "render part I of N only (I/N, from 1; or N, the index taken from JOB_COMPLETION_INDEX, "
                     "SLURM_ARRAY_TASK_ID or AWS_BATCH_JOB_ARRAY_INDEX): its video, to join with `reel join`; "
                     "or `sound`: the whole timeline's sound, which the join then copies");
  commands.add(render, [render_args] {
    if (!render_args->part.empty()) {
      if (render_args->watch) throw UsageError("--part renders one part once; it does not --watch");
      return run_part(*render_args);
    }
    return render_args->watch ? watch_render(*render_args, false) : run_render(*render_args, false);
  });

  auto plan_args = std::make_shared<RenderArgs>();
  auto* plan = app.add_subcommand("plan", "Show how a render cuts into parts of about equal cost, for many workers");
  add_common(plan, *plan_args);
  add_encode(plan, *plan_args);
  plan->add_option("--chunks", plan_args->parts, "the number of parts (workers)")
      ->required()
      ->check(CLI::Range(1, 100000));
  plan->add_option("--preset", plan_args->preset, "final or preview, as the workers will render")
      ->check(CLI::IsMember({"final", "preview"}));
  plan->add_flag("--json", plan_args->json, "print the plan as JSON");
  commands.add(plan, [plan_args] { return run_plan(*plan_args); });

  auto join_args = std::make_shared<RenderArgs>();
  auto* join = app.add_subcommand("join", "Join the parts of a render (made with render --part) into one MP4");
  add_common(join, *join_args);
  add_encode(join, *join_args);
  join->add_option("parts", join_args->joined,
                   "the parts, each once, in any order (and the sound from render --part sound, if made)")
      ->required();
  join->add_option("-o,--output", join_args->out, "the MP4 to write")->required();
  join->add_option("--preset", join_args->preset, "final or preview, as the parts were rendered")
      ->check(CLI::IsMember({"final", "preview"}));
  commands.add(join, [join_args] { return run_join(*join_args); });

  auto preview_args = std::make_shared<RenderArgs>();
  auto* preview = app.add_subcommand("preview", "Render a quick preview: " + preset_text(engine::Preset::Preview));
  add_common(preview, *preview_args);
  add_encode(preview, *preview_args);
  add_timings(preview, *preview_args);
  preview->add_option("-o,--output", preview_args->out, "the MP4 to write (default: DRAFT.preview.mp4 here)");
  commands.add(preview, [preview_args] {
    return preview_args->watch ? watch_render(*preview_args, true) : run_render(*preview_args, true);
  });

  auto still_args = std::make_shared<RenderArgs>();
  auto* still = app.add_subcommand("still", "Write the frame shown at a time as a PNG, exactly as the render shows it");
  add_common(still, *still_args);
  still->add_option("--at", still_args->at_s, "the time, in seconds")->required()->check(CLI::Range(0.0, kMaxSeconds));
  still->add_option("-o,--output", still_args->out, "the PNG to write")->required();
  still->add_option("--preset", still_args->preset, "final or preview (size)")
      ->check(CLI::IsMember({"final", "preview"}));
  commands.add(still, [still_args] { return run_still(*still_args); });

  auto board_args = std::make_shared<RenderArgs>();
  auto* board = app.add_subcommand("storyboard", "Write one picture of the whole timeline as a PNG");
  add_common(board, *board_args);
  board->add_option("-o,--output", board_args->out, "the PNG to write")->required();
  board->add_flag("--focus", board_args->draw_focus,
                  "draw each photo's subject box as its thumbnail frames it (yellow: found by reel, cyan: the "
                  "draft's m.focus) and its faces");
  commands.add(board, [board_args] { return run_storyboard(*board_args); });
}

}  // namespace reel::cli
