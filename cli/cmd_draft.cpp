// validate, summary, fmt: the draft's own commands. They need no media or network.
#include <iostream>
#include <memory>

#include "base/files.h"
#include "cli/commands.h"
#include "cli/draft_input.h"
#include "cli/exit_codes.h"
#include "cli/process.h"
#include "draft/parse.h"
#include "draft/subtitles.h"
#include "draft/summary.h"

namespace reel::cli {

namespace {

struct DraftArgs {
  std::string path;
  bool json = false;
  bool pretty = false;
  std::string out;
  std::string add;  // captions --add FILE
};

std::string counts_line(const std::vector<draft::Problem>& problems) {
  size_t n[3] = {0, 0, 0};
  for (const auto& p : problems) ++n[static_cast<int>(p.severity)];
  auto part = [](size_t k, const char* one, const char* many) {
    return std::to_string(k) + " " + (k == 1 ? one : many);
  };
  return part(n[0], "error", "errors") + ", " + part(n[1], "warning", "warnings") + ", " +
         part(n[2], "notice", "notices");
}

int run_validate(const DraftArgs& a) {
  DraftInput in;
  try {
    in = read_draft_input(a.path);
  } catch (const draft::DraftError& e) {
    if (!a.json) throw;
    Json list = Json::array();
    list.push_back({{"path", ""}, {"severity", "error"}, {"message", e.detail()}, {"position", e.where()}});
    std::cout << list.dump(2) << "\n";
    return kExitBadInput;
  }
  const auto& problems = in.loaded.problems;
  if (a.json) {
    Json list = Json::array();
    for (const auto& p : problems) list.push_back(p.to_json());
    std::cout << list.dump(2) << "\n";
  } else {
    for (const auto& p : problems) std::cout << p.line() << "\n";
    std::cerr << (a.path == "-" ? "<stdin>" : a.path) << ": " << counts_line(problems) << "\n";
  }
  return in.loaded.ok() ? kExitOk : kExitBadInput;
}

int run_summary(const DraftArgs& a) {
  DraftInput in = read_draft_input(a.path);
  if (a.json)
    std::cout << draft::summary_json(in.loaded.draft).dump(2) << "\n";
  else
    std::cout << draft::timeline_summary(in.loaded.draft) << "\n";
  if (!in.loaded.ok()) std::cerr << "reel: note: the draft has errors; `reel validate " << a.path << "` lists them\n";
  return kExitOk;
}

// Standard output for "" or "-", else the file, whole or not at all (checked first: writable,
// and not the draft it was made from).
void print_or_write(const std::string& out, OutputKind kind, const std::string& text, const std::string& draft_path) {
  if (out.empty() || out == "-") {
    std::cout << text;
    return;
  }
  require_writable_output(out, kind);
  require_not_an_input(out, {draft_path});
  base::write_file_atomically(out, text);
}

int run_fmt(const DraftArgs& a) {
  DraftInput in = read_draft_input(a.path);
  std::string text = draft::write_json(in.loaded.draft.json, a.pretty) + "\n";
  print_or_write(a.out, OutputKind::Draft, text, a.path);
  if (!in.loaded.ok())
    std::cerr << "reel: note: the draft was written as it is, but it has errors; `reel validate` lists them\n";
  return kExitOk;
}

int run_captions(const DraftArgs& a) {
  DraftInput in = read_draft_input(a.path);
  if (!a.add.empty() && (a.out.empty() || a.out == "-"))
    throw UsageError("captions --add writes a new draft: give it -o NEW.json (the draft itself is not changed)");
  if (!a.out.empty() && a.out != "-") {  // before any other answer: a bad -o is a usage error
    require_writable_output(a.out, a.add.empty() ? OutputKind::Subtitles : OutputKind::Draft);
    require_not_an_input(a.out,
                         a.add.empty() ? std::vector<std::string>{a.path} : std::vector<std::string>{a.path, a.add});
  }
  if (!a.add.empty()) {
    // The cues kept in the draft as caption tracks, so an export (local or cloud) keeps them.
    add_captions_from_file(in.loaded.draft, a.add);
    base::write_file_atomically(a.out, draft::write_json(in.loaded.draft.json, a.pretty) + "\n");
    std::cerr << "reel: wrote " << a.out << ": " << draft::timeline_summary(in.loaded.draft) << "\n";
    return kExitOk;
  }
  std::vector<draft::Cue> cues = draft::captions_of(in.loaded.draft);
  if (cues.empty()) {
    std::cerr << "reel: " << a.path
              << ": the draft has no caption tracks (text tracks whose m.kind is \"caption\" or \"subtitle\"); "
                 "titles are not written as captions. Add captions from a file with `reel captions "
              << a.path << " --add FILE.srt -o NEW.json`\n";
    return kExitBadInput;
  }
  bool vtt = a.out.size() > 4 && a.out.compare(a.out.size() - 4, 4, ".vtt") == 0;
  std::string text = vtt ? draft::write_vtt(cues) : draft::write_srt(cues);
  print_or_write(a.out, OutputKind::Subtitles, text, a.path);
  return kExitOk;
}

}  // namespace

void add_draft_commands(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<DraftArgs>();

  auto* validate = app.add_subcommand("validate", "Check a draft; print every problem as 'path: severity: message'");
  validate->add_option("draft", args->path, "the draft JSON file, or - for standard input")->required();
  validate->add_flag("--json", args->json, "print the problems as a JSON list");
  validate->footer("Exit status: 0 when the draft has no errors, 1 when it has, 2 on usage errors.");
  commands.add(validate, [args] { return run_validate(*args); });

  auto* summary = app.add_subcommand("summary", "Print the draft's one-line timeline summary");
  summary->add_option("draft", args->path, "the draft JSON file, or - for standard input")->required();
  summary->add_flag("--json", args->json, "print the tracks as data");
  commands.add(summary, [args] { return run_summary(*args); });

  auto* fmt = app.add_subcommand("fmt", "Read a draft and write it back through the model (lossless)");
  fmt->add_option("draft", args->path, "the draft JSON file, or - for standard input")->required();
  fmt->add_option("-o,--output", args->out, "write here (atomically) instead of standard output");
  fmt->add_flag("--pretty", args->pretty, "indent with two spaces (default: compact, one line)");
  commands.add(fmt, [args] { return run_fmt(*args); });

  auto* captions = app.add_subcommand(
      "captions", "Write the draft's caption tracks as SubRip or WebVTT, or add captions from one to the draft");
  captions->add_option("draft", args->path, "the draft JSON file, or - for standard input")->required();
  captions->add_option("-o,--output", args->out,
                       "OUT.srt or OUT.vtt (by extension; default: SubRip on standard output); with --add, the new "
                       "draft");
  captions->add_option("--add", args->add,
                       "an .srt or .vtt file whose cues become caption tracks of the draft written to -o "
                       "(overlapping cues stack)");
  captions->add_flag("--pretty", args->pretty, "with --add: indent the new draft");
  commands.add(captions, [args] { return run_captions(*args); });
}

}  // namespace reel::cli
