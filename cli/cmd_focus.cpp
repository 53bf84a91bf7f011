// reel focus: where the subject of every video segment is (m.focus, or found by the engine),
// shown, and with --write written into the draft.
#include <cstdio>
#include <iostream>
#include <memory>

#include "base/files.h"
#include "cli/cmd_cache.h"
#include "cli/commands.h"
#include "cli/draft_input.h"
#include "cli/exit_codes.h"
#include "cli/focus_json.h"
#include "cli/media_sources.h"
#include "cli/process.h"
#include "draft/edit.h"
#include "draft/parse.h"
#include "engine/render.h"

namespace reel::cli {

namespace {

struct FocusArgs {
  std::string draft;
  bool write = false;
  bool json = false;
  bool no_cache = false;
  MediaArgs media;
};

std::string box_text(const draft::FocusBox& b) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "x %.3f  y %.3f  w %.3f  h %.3f", b.x, b.y, b.w, b.h);
  return buf;
}

int run_focus(const FocusArgs& a) {
  if (a.write && a.draft == "-") throw UsageError("--write needs a draft file, not standard input");
  std::optional<DraftInput> usable = read_usable_draft(a.draft);
  if (!usable) return kExitBadInput;
  DraftInput& in = *usable;
  engine::RenderOptions o;
  o.base_dir = in.base_dir;
  o.notice = [](const std::string& msg) { std::cerr << "reel: note: " << msg << "\n"; };
  use_cache_folders(o, a.no_cache);
  MediaArgs media = a.media;
  media.quiet = a.json;
  resolve_remote_media(
      in.loaded.draft, a.draft, media, [&] { return uploads_of_pulled_draft(a.draft); }, o);
  const std::vector<engine::SegmentFocus> found = engine::find_focus(in.loaded.draft, o);

  int written = 0;
  if (a.write) {
    draft::Draft edited = in.loaded.draft;
    for (const engine::SegmentFocus& f : found) {
      if (f.from != engine::SegmentFocus::From::Faces && f.from != engine::SegmentFocus::From::Saliency) continue;
      draft::set_segment_focus(edited, f.track, f.segment, f.focus);
      ++written;
    }
    if (written > 0) base::write_file_atomically(a.draft, draft::write_json(edited.json, true) + "\n");
  }
  if (a.json) {
    std::cout << focus_list_json(found).dump(2) << "\n";
  } else {
    for (const engine::SegmentFocus& f : found) {
      std::cout << f.pointer << ": " << f.reference << ": ";
      std::cout << box_text(f.focus) << "  (";
      if (f.from == engine::SegmentFocus::From::Faces)
        std::cout << f.faces.size() << (f.faces.size() == 1 ? " face" : " faces");
      else
        std::cout << focus_source_name(f.from);
      std::cout << ")\n";
    }
  }
  if (a.write)
    std::cerr << "reel: "
              << (written ? "wrote " + std::to_string(written) + " focus box" + (written == 1 ? "" : "es") + " into " +
                                a.draft
                          : std::string("nothing to write: every segment's focus is already in the draft"))
              << "\n";
  return kExitOk;
}

}  // namespace

void add_focus_commands(CLI::App& app, Commands& commands) {
  auto a = std::make_shared<FocusArgs>();
  auto* sub = app.add_subcommand("focus",
                                 "Show where the subject of each photo is (faces, else saliency), as "
                                 "framing and Ken Burns aim at it; --write keeps it in the draft as m.focus");
  sub->add_option("draft", a->draft, "the draft JSON file ('-' reads standard input)")->required();
  sub->add_flag("--write", a->write,
                "write the focus found into the draft (m.focus of each photo segment without one), in place, "
                "atomically; a focus the draft already has is kept");
  sub->add_flag("--json", a->json,
                "print a JSON list: path, source, from (draft, faces, saliency, none), focus, faces");
  sub->add_flag("--no-cache", a->no_cache, "find every focus afresh and keep nothing (else kept with the proxies)");
  add_media_flags(sub, a->media);
  commands.add(sub, [a] { return run_focus(*a); });
}

}  // namespace reel::cli
