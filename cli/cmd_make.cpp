// reel make: photos or clips (and music) -> a draft in one of three styles -> an MP4.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>

#include "base/files.h"
#include "cli/cmd_cache.h"
#include "cli/commands.h"
#include "cli/draft_history.h"
#include "cli/exit_codes.h"
#include "cli/make_draft.h"
#include "cli/media_sources.h"
#include "cli/process.h"
#include "cli/progress.h"
#include "cloud/client/media_cache.h"
#include "draft/edit.h"
#include "draft/make.h"
#include "draft/parse.h"
#include "draft/prompt.h"
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
  std::vector<std::string> music;  // one or more songs; the prompt's mood words pick one
  std::string style, prompt, title, aspect, duration, out = "video.mp4", draft_out;
  bool preview = false, draft_only = false, fit_music = false;
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
  // The folder is resolved, the file's own name kept: a link named trip.mp4 stays trip.mp4 in
  // the draft (its name says what it is), not the name of what it points to.
  const fs::path absolute = fs::absolute(path);
  fs::path rel = fs::relative(absolute.parent_path(), draft_dir, ec);
  if (ec || rel.empty()) return absolute.string();
  return (rel / absolute.filename()).lexically_normal().generic_string();
}

// The local file of each http(s) argument (media and music), fetched through the media cache
// the renders use (its address policy, size limit and content check); every one that cannot be
// had is named at once. The draft keeps the URLs, so it previews and exports like a pulled one.
std::map<std::string, std::string> fetch_url_arguments(const MakeArgs& a) {
  std::vector<cloud::RemoteSource> urls;
  for (size_t i = 0; i < a.media.size(); ++i)
    if (cloud::is_http_url(a.media[i])) urls.push_back({"argument " + std::to_string(i + 1), a.media[i]});
  for (const auto& song : a.music)
    if (cloud::is_http_url(song)) urls.push_back({"--music", song});
  engine::RenderOptions o;
  std::map<std::string, std::string> local;
  for (const auto& item : resolve_remote_sources(
           urls, "DRAFT.json", a.remote, [] { return SessionUploads{}; }, o))
    local[item.source.reference] = item.path;
  return local;
}

bool is_photo_or_clip(const fs::path& p) {
  std::string ext = p.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* e : {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".gif", ".bmp", ".tif", ".tiff", ".mp4",
                        ".mov", ".m4v", ".avi", ".webm", ".mkv"})
    if (ext == e) return true;
  return false;
}

// The arguments with each folder replaced by its photos and clips (not its subfolders; hidden
// files left out). Their order is decided later, by capture time.
std::vector<std::string> expand_folders(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const auto& arg : args) {
    std::error_code ec;
    if (cloud::is_http_url(arg) || !fs::is_directory(arg, ec)) {
      out.push_back(arg);
      continue;
    }
    std::vector<std::string> found;
    size_t skipped = 0;
    for (const auto& e : fs::directory_iterator(arg, ec)) {
      if (e.path().filename().string().rfind('.', 0) == 0 || !e.is_regular_file(ec)) continue;
      if (is_photo_or_clip(e.path()))
        found.push_back(e.path().string());
      else
        ++skipped;
    }
    if (ec) throw base::FileError(base::Access::Read, arg, ec, "read the folder");
    if (found.empty())
      throw UsageError(arg + ": the folder has no photos or clips (jpg, png, heic, webp, gif, mp4, mov, ...)");
    std::sort(found.begin(), found.end());
    std::cerr << "reel: " << arg << ": " << found.size() << " photos and clips"
              << (skipped ? " (" + std::to_string(skipped) + " other files left out)" : std::string()) << "\n";
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

int run_make(const MakeArgs& given) {
  MakeArgs a = given;
  a.media = expand_folders(a.media);
  draft::MakeRequest req;
  // The sentence first; a flag given says it more exactly and wins.
  const draft::PromptReading reading = draft::read_prompt(a.prompt);
  auto style = a.style.empty() ? reading.style.value_or(draft::Style::Slideshow) : draft::style_from_name(a.style);
  if (!style) throw UsageError("--style is slideshow, promo or highlight");
  if (a.draft_only && a.draft_out.empty())
    throw UsageError("--draft-only writes the draft and renders nothing: give --draft-out DRAFT.json");
  if (!a.draft_out.empty() && !a.draft_only &&
      fs::absolute(a.draft_out).lexically_normal() == fs::absolute(a.out).lexically_normal())
    throw UsageError("--draft-out and -o both name " + a.out + "; give the draft and the video a file each");
  if (!a.draft_only) require_writable_output(a.out, OutputKind::Video);
  std::vector<std::string> inputs;
  for (const std::string& m : a.media)
    if (!cloud::is_http_url(m)) inputs.push_back(m);
  for (const std::string& m : a.music)
    if (!cloud::is_http_url(m)) inputs.push_back(m);
  if (!a.draft_only) require_not_an_input(a.out, inputs);
  if (!a.draft_out.empty()) {
    require_writable_output(a.draft_out, OutputKind::Draft);
    require_not_an_input(a.draft_out, inputs);
  }
  if (a.fit_music && a.music.empty()) throw UsageError("--fit-music needs the song: give --music SONG");
  req.style = *style;
  req.aspect = !a.aspect.empty() ? a.aspect : reading.aspect.value_or("16:9");
  if (req.aspect == "4:3") req.aspect = "16:9";  // make builds the four shapes platforms take
  req.title = !a.title.empty() ? a.title : reading.title;
  req.tagline = reading.tagline;
  if (!a.prompt.empty() && reading.understood.empty() && reading.title.empty()) {
    req.tagline = a.prompt;  // nothing to read in it: the words to show
  }
  req.pace = reading.pace.value_or(1.0);
  req.transition = reading.transition;
  req.fit_music = a.fit_music;
  if (!a.duration.empty())
    req.duration_ms = parse_duration(a.duration);
  else if (reading.duration_ms && !a.fit_music)
    req.duration_ms = reading.duration_ms;
  if (!a.prompt.empty()) {
    std::cerr << "reel: from the prompt: ";
    if (reading.understood.empty()) std::cerr << "no choices (it becomes the words on screen)";
    for (size_t i = 0; i < reading.understood.size(); ++i) std::cerr << (i ? "; " : "") << reading.understood[i];
    std::cerr << "\n";
    if (!reading.not_understood.empty() && !reading.understood.empty()) {
      std::cerr << "reel: not understood in the prompt:";
      for (const auto& p : reading.not_understood) std::cerr << " \"" << p << "\"";
      std::cerr << " (say length, shape or platform, style, pace, transitions, \"title\" and \"tagline\" in quotes, "
                   "music mood)\n";
    }
    if (!a.style.empty() && reading.style && *reading.style != *style)
      std::cerr << "reel: --style " << a.style << " is used, not the prompt's "
                << draft::style_spec(*reading.style).label << "\n";
    if (!a.aspect.empty() && reading.aspect && *reading.aspect != a.aspect)
      std::cerr << "reel: --aspect " << a.aspect << " is used, not the prompt's " << *reading.aspect << "\n";
  }

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
      // Named as typed: a link's target ("../../dev/zero") is not what the person gave.
      for (engine::MediaIssue issue : e.issues()) {
        issue.file = path;
        issues.push_back(std::move(issue));
      }
    }
  }
  std::vector<engine::BeatAnalysis> songs;
  std::vector<draft::SongChoice> choices;
  for (const auto& song : a.music) {
    try {
      songs.push_back(engine::detect_beats(local(song), song));
      choices.push_back({reference(song), songs.back().bpm});
    } catch (const engine::MediaError& e) {
      issues.insert(issues.end(), e.issues().begin(), e.issues().end());
    }
  }
  if (!issues.empty()) throw engine::MediaError(std::move(issues));
  if (!songs.empty()) {
    size_t pick = draft::pick_song(choices, a.prompt, reading);
    req.music = choices[pick].reference;
    req.music_ms = songs[pick].length_ms;
    req.beats_ms = songs[pick].beats_ms;
    if (songs.size() > 1)
      std::cerr << "reel: music: " << a.music[pick]
                << (reading.mood
                        ? std::string(" (the ") + (*reading.mood == draft::MusicMood::Upbeat ? "fastest" : "calmest") +
                              " of the songs for the prompt's mood)"
                        : std::string(" (the first song; say upbeat or calm in --prompt to choose)"))
                << "\n";
  }

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
  if (!a.draft_out.empty()) write_draft_keeping_history(a.draft_out, draft::write_json(loaded.draft.json, true) + "\n");
  std::cerr << "reel: " << draft::timeline_summary(loaded.draft) << "\n";
  if (a.draft_only) {
    std::cerr << "reel: wrote the draft " << a.draft_out << " (nothing rendered: --draft-only)\n";
    return kExitOk;
  }
  auto result = render_with_progress(loaded.draft, a.out, o, progress_mode(a.progress), "make");
  std::cerr << "reel: wrote " << a.out << " (" << result.width << "x" << result.height << ", "
            << draft::seconds_text(loaded.draft.duration_ms()) << " s)"
            << (a.draft_out.empty() ? "" : "; the draft is in " + a.draft_out) << "\n";
  return kExitOk;
}

}  // namespace

int write_made_draft(const std::vector<std::string>& media, const std::string& draft_out) {
  MakeArgs a;
  a.media = media;
  a.draft_only = true;
  a.draft_out = draft_out;
  return run_make(a);
}

void add_make_commands(CLI::App& app, Commands& commands) {
  auto a = std::make_shared<MakeArgs>();
  auto* sub = app.add_subcommand("make", "Make a video from photos or clips (and music) in one of three styles");
  sub->add_option("media", a->media,
                  "photos, clips or folders of them, in any order (capture time orders them); http(s) addresses are "
                  "downloaded once into the media cache and kept as addresses in the draft")
      ->required();
  add_media_flags(sub, a->remote);
  sub->add_option("--music", a->music,
                  "background music (mp3, wav, m4a, ogg, opus, flac); give it more than once and the prompt's mood "
                  "words pick one");
  sub->add_flag("--fit-music", a->fit_music, "the video ends with the song: photo lengths follow it, cut on its beats");
  sub->add_flag("--draft-only", a->draft_only, "write the draft (--draft-out) and render nothing");
  sub->add_option("--style", a->style,
                  "slideshow (calm, 4 s a photo; the default), promo (30 s, text, logo end card), highlight (fast, cut "
                  "on the beat)")
      ->check(CLI::IsMember({"slideshow", "promo", "highlight"}));
  sub->add_option("--prompt", a->prompt,
                  "the video in words (English or 中文): length, platform or shape, style, pace, transitions, "
                  "\"title\" and \"tagline\" in quotes, music mood; flags win over it");
  sub->add_option("--title", a->title, "a title at the start");
  sub->add_option("--aspect", a->aspect, "16:9 (the default), 9:16, 1:1 or 4:5")
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
