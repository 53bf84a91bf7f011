// render, preview, still, storyboard: the local engine's commands.
#include <chrono>
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
#include "cli/watch.h"
#include "draft/diff.h"
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
  bool watch = false;
  bool draw_focus = false;  // storyboard --focus
  MediaArgs media;
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
  sub->add_option("--progress", a.progress, "progress display: auto (a bar on a terminal), json, none")
      ->check(CLI::IsMember({"auto", "json", "none"}));
  sub->add_flag("--watch", a.watch,
                "keep running: render again whenever the draft or a file it names changes (only what "
                "changed is rendered), replacing the output whole each time; Ctrl-C ends it");
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
    o.width = w;
    o.height = h;
  }
  if (!a.fps.empty()) {
    auto r = draft::fps_from_text(a.fps);
    if (!r || r->value() < 1 || r->value() > 240)
      throw UsageError("--fps takes a rate from 1 to 240, e.g. 30 or 30000/1001");
    o.fps = *r;
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

// The cues of an .srt or .vtt file as one more text track of the draft being rendered (the
// draft file itself is not changed).
void add_subtitles(DraftInput& in, const std::string& path) {
  const std::string text = base::read_input_file(path, 8 << 20, "a subtitles file (.srt or .vtt)");
  draft::add_subtitle_track(in.loaded.draft, draft::parse_subtitles(text, path));
}

// What every render command starts with: the draft loaded (nullopt when it has errors, which
// are printed), its subtitles added, the options made, and the output checked before any work:
// writable, and none of the files the command reads.
struct Job {
  DraftInput in;
  engine::RenderOptions options;
};
std::optional<Job> prepare(const RenderArgs& a) {
  auto in = read_usable_draft(a.draft);
  if (!in) return std::nullopt;
  if (!a.subtitles.empty()) add_subtitles(*in, a.subtitles);
  require_writable_output(a.out);
  Job job{std::move(*in), {}};
  job.options = options_from(a, job.in);
  MediaArgs media = a.media;
  media.quiet = a.progress == "none";
  resolve_remote_media(
      job.in.loaded.draft, a.draft, media, [&] { return uploads_of_pulled_draft(a.draft); }, job.options);
  std::vector<std::string> inputs = engine::local_inputs(job.in.loaded.draft, job.options);
  inputs.push_back(a.draft);
  inputs.push_back(a.subtitles);
  require_not_an_input(a.out, inputs);
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
  auto job = prepare(a);
  if (!job) return kExitBadInput;
  auto result = render_job(a, *job, preview);
  if (progress_mode(a.progress) != ProgressMode::Json) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", result.seconds);
    std::cerr << "reel: wrote " << a.out << " (" << result.width << "x" << result.height << ", " << result.frames
              << " frames at " << draft::to_string(result.fps) << " fps, " << secs << " s" << reuse_text(result)
              << ")\n";
  }
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
    bool stopped = false;
    const int code = run_reporting_errors([&] {
      auto job = prepare(a);
      const bool was_failed = last_failed;
      last_failed = !job;
      if (!job) {
        std::cerr << "reel: " << clock_text() << " " << a.out << " is left as it was; waiting for the next change\n";
        return kExitBadInput;
      }
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
      return kExitOk;
    });
    if (code == kExitInternal) return code;
    if (stopped || interrupted().load()) break;
    watch.watch(watched);
    changed_files = watch.wait(std::chrono::milliseconds(200), interrupted());
    if (changed_files.empty()) break;  // Ctrl-C
  }
  std::cerr << "reel: stopped watching; " << a.out << " is the last good render\n";
  return kExitOk;
}

int run_still(const RenderArgs& a) {
  auto job = prepare(a);
  if (!job) return kExitBadInput;
  engine::render_still(job->in.loaded.draft, int64_t(std::llround(a.at_s * 1000)), a.out, job->options);
  return kExitOk;
}

int run_storyboard(const RenderArgs& a) {
  auto job = prepare(a);
  if (!job) return kExitBadInput;
  engine::render_storyboard(job->in.loaded.draft, a.out, job->options, a.draw_focus);
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
  render->add_option("-o,--output", render_args->out, "the MP4 to write")->required();
  render
      ->add_option("--preset", render_args->preset,
                   "final (" + preset_text(engine::Preset::Final) + ") or preview (" +
                       preset_text(engine::Preset::Preview) + ")")
      ->check(CLI::IsMember({"final", "preview"}));
  commands.add(render, [render_args] {
    return render_args->watch ? watch_render(*render_args, false) : run_render(*render_args, false);
  });

  auto preview_args = std::make_shared<RenderArgs>();
  auto* preview = app.add_subcommand("preview", "Render a quick preview: " + preset_text(engine::Preset::Preview));
  add_common(preview, *preview_args);
  add_encode(preview, *preview_args);
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
