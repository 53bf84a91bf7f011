// reel make: photos or clips (and music) -> a draft in one of three styles -> an MP4.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>

#include "base/files.h"
#include "cli/cmd_cache.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/media_sources.h"
#include "cli/process.h"
#include "cli/progress.h"
#include "cloud/client/media_cache.h"
#include "draft/edit.h"
#include "draft/make.h"
#include "draft/parse.h"
#include "draft/summary.h"
#include "engine/beat_detect.h"
#include "engine/errors.h"
#include "engine/media_info.h"
#include "engine/render.h"

namespace reel::cli {

namespace {

namespace fs = std::filesystem;

struct MakeArgs {
  std::vector<std::string> media;
  std::string music, style = "slideshow", prompt, title, aspect = "16:9", duration, out = "video.mp4", draft_out;
  bool preview = false;
  std::string progress = "auto";
  MediaArgs remote;  // --offline, --allow-private-media, --media-budget, --api
};

// "30s", "30", "1m30s", "1.5m", "90s" -> ms.
int64_t parse_duration(const std::string& text) {
  std::smatch m;
  double seconds = -1;
  if (std::regex_match(text, m, std::regex(R"((\d{1,9}(?:\.\d+)?)\s*s?)")))
    seconds = std::stod(m[1]);
  else if (std::regex_match(text, m, std::regex(R"((\d{1,9}(?:\.\d+)?)\s*m(?:in)?(?:\s*(\d{1,9}(?:\.\d+)?)\s*s)?)")))
    seconds = std::stod(m[1]) * 60 + (m[2].matched ? std::stod(m[2]) : 0);
  if (seconds < 0) throw UsageError("--duration takes a length such as 30s, 45 or 1m30s, not \"" + text + "\"");
  if (seconds > kMaxSeconds)
    throw UsageError("--duration " + text + " is longer than reel makes (at most " +
                     std::to_string(int64_t(kMaxSeconds)) + " s)");
  return std::llround(seconds * 1000);
}

// How a file is named in the draft: relative to the folder the draft is written to.
std::string reference_for(const std::string& path, const fs::path& draft_dir) {
  std::error_code ec;
  fs::path rel = fs::relative(fs::absolute(path), draft_dir, ec);
  return ec || rel.empty() ? fs::absolute(path).string() : rel.generic_string();
}

// The local file of each http(s) argument (media and music), fetched through the media cache
// the renders use (its address policy, size limit and content check); every one that cannot be
// had is named at once. The draft keeps the URLs, so it previews and exports like a pulled one.
std::map<std::string, std::string> fetch_url_arguments(const MakeArgs& a) {
  std::vector<cloud::RemoteSource> urls;
  for (size_t i = 0; i < a.media.size(); ++i)
    if (cloud::is_http_url(a.media[i])) urls.push_back({"argument " + std::to_string(i + 1), a.media[i]});
  if (cloud::is_http_url(a.music)) urls.push_back({"--music", a.music});
  engine::RenderOptions o;
  std::map<std::string, std::string> local;
  for (const auto& item : resolve_remote_sources(
           urls, "DRAFT.json", a.remote, [] { return SessionUploads{}; }, o))
    local[item.source.reference] = item.path;
  return local;
}

int run_make(const MakeArgs& a) {
  draft::MakeRequest req;
  auto style = draft::style_from_name(a.style);
  if (!style) throw UsageError("--style is slideshow, promo or highlight");
  require_writable_output(a.out);
  std::vector<std::string> inputs;
  for (const std::string& m : a.media)
    if (!cloud::is_http_url(m)) inputs.push_back(m);
  if (!cloud::is_http_url(a.music)) inputs.push_back(a.music);
  require_not_an_input(a.out, inputs);
  if (!a.draft_out.empty()) {
    require_writable_output(a.draft_out);
    require_not_an_input(a.draft_out, inputs);
    if (fs::absolute(a.draft_out).lexically_normal() == fs::absolute(a.out).lexically_normal())
      throw UsageError("--draft-out and -o both name " + a.out + "; give the draft and the video a file each");
  }
  req.style = *style;
  req.aspect = a.aspect;
  req.title = a.title;
  req.prompt = a.prompt;
  if (!a.duration.empty()) req.duration_ms = parse_duration(a.duration);

  const fs::path draft_dir = a.draft_out.empty() ? fs::current_path() : fs::absolute(a.draft_out).parent_path();
  std::vector<engine::MediaIssue> issues;
  const std::map<std::string, std::string> fetched = fetch_url_arguments(a);
  auto local = [&](const std::string& arg) {
    auto it = fetched.find(arg);
    return it == fetched.end() ? arg : it->second;
  };
  auto reference = [&](const std::string& arg) { return fetched.count(arg) ? arg : reference_for(arg, draft_dir); };
  for (const auto& path : a.media) {
    try {
      req.media.push_back(engine::describe_media(local(path), reference(path)));
    } catch (const engine::MediaError& e) {
      issues.insert(issues.end(), e.issues().begin(), e.issues().end());
    }
  }
  if (!a.music.empty()) {
    try {
      engine::BeatAnalysis beats = engine::detect_beats(local(a.music), a.music);
      req.music = reference(a.music);
      req.music_ms = beats.length_ms;
      req.beats_ms = beats.beats_ms;
    } catch (const engine::MediaError& e) {
      issues.insert(issues.end(), e.issues().begin(), e.issues().end());
    }
  }
  if (!issues.empty()) throw engine::MediaError(std::move(issues));

  Json json;
  try {
    json = draft::make_draft(req);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  draft::LoadResult loaded = draft::load_draft(json);

  engine::RenderOptions o;
  o.preset = a.preview ? engine::Preset::Preview : engine::Preset::Final;
  o.base_dir = draft_dir.string();
  use_cache_folders(o);
  o.notice = [](const std::string& msg) { std::cerr << "reel: note: " << msg << "\n"; };
  // The URLs are cached by now: this finds them there and gives the engine their files.
  resolve_remote_media(
      loaded.draft, a.draft_out.empty() ? "DRAFT.json" : a.draft_out, a.remote, [] { return SessionUploads{}; }, o);
  // The subject of every photo, written as m.focus: the draft says where it is, so an edit,
  // another aspect or the cloud's render frames it the same, and a person can move it.
  for (const engine::SegmentFocus& f : engine::find_focus(loaded.draft, o))
    if (f.from == engine::SegmentFocus::From::Faces || f.from == engine::SegmentFocus::From::Saliency)
      draft::set_segment_focus(loaded.draft, f.track, f.segment, f.focus);
  if (!a.draft_out.empty()) base::write_file_atomically(a.draft_out, draft::write_json(loaded.draft.json, true) + "\n");
  std::cerr << "reel: " << draft::timeline_summary(loaded.draft) << "\n";
  auto result = render_with_progress(loaded.draft, a.out, o, progress_mode(a.progress), "make");
  std::cerr << "reel: wrote " << a.out << " (" << result.width << "x" << result.height << ", "
            << draft::seconds_text(loaded.draft.duration_ms()) << " s)"
            << (a.draft_out.empty() ? "" : "; the draft is in " + a.draft_out) << "\n";
  return kExitOk;
}

}  // namespace

void add_make_commands(CLI::App& app, Commands& commands) {
  auto a = std::make_shared<MakeArgs>();
  auto* sub = app.add_subcommand("make", "Make a video from photos or clips (and music) in one of three styles");
  sub->add_option("media", a->media,
                  "photos or clips, in any order (capture time orders them); http(s) addresses are "
                  "downloaded once into the media cache and kept as addresses in the draft")
      ->required();
  add_media_flags(sub, a->remote);
  sub->add_option("--music", a->music, "background music (mp3, wav, m4a, ogg, opus, flac)");
  sub->add_option("--style", a->style,
                  "slideshow (calm, 4 s a photo), promo (30 s, text, logo end card), highlight (fast, cut on the beat)")
      ->check(CLI::IsMember({"slideshow", "promo", "highlight"}));
  sub->add_option("--prompt", a->prompt, "words for the text overlays");
  sub->add_option("--title", a->title, "a title at the start");
  sub->add_option("--aspect", a->aspect, "16:9, 9:16, 1:1 or 4:5")
      ->check(CLI::IsMember({"16:9", "9:16", "1:1", "4:5"}));
  sub->add_option("--duration", a->duration, "the video's length, e.g. 30s or 1m30s");
  sub->add_option("-o,--output", a->out, "the MP4 to write (default video.mp4)");
  sub->add_option("--draft-out", a->draft_out, "also write the draft here, to edit, preview and export later");
  sub->add_flag("--preview", a->preview,
                "render with the preview preset (fast, long side " +
                    std::to_string(engine::preset_defaults(engine::Preset::Preview).long_side) + ")");
  sub->add_option("--progress", a->progress, "progress display: auto, json, none")
      ->check(CLI::IsMember({"auto", "json", "none"}));
  commands.add(sub, [a] { return run_make(*a); });
}

}  // namespace reel::cli
