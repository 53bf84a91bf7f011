// validate_draft, summarize_draft, edit_draft, undo_edit: the draft's own tools. They read
// and write the draft file (with its history beside it, as `reel chat` does) but no media,
// except the song when an instruction cuts on its beats.
#include <filesystem>
#include <mutex>
#include <tuple>

#include "cli/chat_router.h"
#include "cli/draft_history.h"
#include "cli/mcp/inline_history.h"
#include "cli/mcp/schemas.h"
#include "cli/mcp/tools.h"
#include "cli/music_facts.h"
#include "cli/process.h"
#include "cloud/client/media_cache.h"
#include "draft/agent.h"
#include "draft/diff.h"
#include "draft/edit.h"
#include "draft/parse.h"
#include "draft/summary.h"

namespace reel::cli::mcp {

namespace fs = std::filesystem;

namespace {

// Edits of one server are made one at a time: the hash check and the write belong together.
std::mutex g_edit_mutex;

// The draft with `edits` (a JSON Patch) applied, one edit after another as RFC 6902 says; an
// edit that cannot be applied is named by its place, op and path, in words without the JSON
// library's tags ("[json.exception.out_of_range.401] array index 9 is out of range").
Json patched_draft(const Json& draft, const Json& edits) {
  Json now = draft;
  for (size_t i = 0; i < edits.size(); ++i) {
    const Json& edit = edits[i];
    std::string what = "edit " + std::to_string(i + 1) + " of " + std::to_string(edits.size());
    if (!edit.is_object()) throw ToolError(what + " is not an object {\"op\": …, \"path\": …}; nothing was changed");
    std::string named;  // "replace /t/0/sg/1/d"
    for (const char* key : {"op", "path"})
      if (edit.contains(key) && edit[key].is_string())
        named += (named.empty() ? "" : " ") + edit[key].get<std::string>();
    if (!named.empty()) what += " (" + named + ")";
    try {
      now = now.patch(Json::array({edit}));
    } catch (const std::exception& e) {
      std::string why = e.what();
      if (why.starts_with("[json.exception.")) why = why.substr(why.find("] ") + 2);
      if (why.starts_with("unsuccessful")) why = "its test does not hold: the draft has another value there";
      throw ToolError(what + " cannot be applied: " + why + "; nothing was changed");
    }
  }
  return now;
}

Json problems_schema() {
  Json problem = object_schema(
      {{"path", string_schema("JSON Pointer of the problem in the draft (/t/0/sg/1/d); / for the whole")},
       {"severity", enum_schema({"error", "warning", "notice"}, "errors stop a render; the others do not")},
       {"message", string_schema("what is wrong and how to fix it")},
       {"position", string_schema("line:column, for text that is not JSON")}},
      {"path", "severity", "message"});
  return {{"type", "array"}, {"items", problem}};
}

ToolResult validate(const Workspace& ws, const Json& args) {
  Json out;
  Json problems = Json::array();
  try {
    ToolDraft d = ws.load(args);
    size_t n[3] = {0, 0, 0};
    for (const auto& p : d.loaded.problems) {
      ++n[static_cast<int>(p.severity)];
      problems.push_back(p.to_json());
    }
    out = {{"ok", d.loaded.ok()}, {"errors", n[0]},       {"warnings", n[1]},
           {"notices", n[2]},     {"problems", problems}, {"hash", d.hash}};
  } catch (const draft::DraftError& e) {
    // Not a draft at all: one problem with where the text stops being JSON (as `reel validate --json`).
    problems.push_back({{"path", "/"}, {"severity", "error"}, {"message", e.detail()}, {"position", e.where()}});
    out = {{"ok", false}, {"errors", 1}, {"warnings", 0}, {"notices", 0}, {"problems", problems}};
  }
  return structured_result(out);
}

Json summary_schema() {
  Json track = object_schema({{"index", integer_schema("the track's place in the draft's list, from 0")},
                              {"pointer", string_schema("the track's JSON Pointer (/t/1)")},
                              {"kind", string_schema("Video, BGM, Title, …")},
                              {"label", string_schema("what it holds (\"5 photos\", a title's words)")},
                              {"from_ms", integer_schema("where it starts on the timeline")},
                              {"to_ms", integer_schema("where it ends")},
                              {"segments", integer_schema("how many segments")},
                              {"volume_percent", integer_schema("an audio track's volume")}},
                             {"index", "pointer", "kind", "label", "from_ms", "to_ms", "segments"});
  return object_schema({{"summary", string_schema("the one-line timeline summary")},
                        {"title", string_schema("the draft's title")},
                        {"width", integer_schema("canvas width in pixels")},
                        {"height", integer_schema("canvas height in pixels")},
                        {"fps", string_schema("frame rate (30, 30000/1001)")},
                        {"duration_ms", integer_schema("the video's length")},
                        {"tracks", {{"type", "array"}, {"items", track}}},
                        {"errors", integer_schema("how many errors validate_draft would list")},
                        {"hash", hash_schema()}},
                       {"summary", "title", "width", "height", "fps", "duration_ms", "tracks", "errors", "hash"});
}

ToolResult summarize(const Workspace& ws, const Json& args) {
  ToolDraft d = ws.load(args);
  Json out = draft::summary_json(d.loaded.draft);
  size_t errors = 0;
  for (const auto& p : d.loaded.problems) errors += p.severity == draft::Severity::Error;
  out["errors"] = errors;
  out["hash"] = d.hash;
  return structured_result(out);
}

// Whether the file was written indented (keep it so: pretty stays pretty, one line stays one).
bool written_pretty(const std::string& text) {
  const size_t nl = text.find('\n');
  return nl != std::string::npos && nl + 1 < text.size();
}

Json changes_json(const draft::DraftChanges& c) {
  return {{"changed", c.changed}, {"added", c.added}, {"removed", c.removed}};
}

Json inline_draft_schema() {
  return {{"type", "object"},
          {"description",
           "the draft after the call, when it came inline (draft_json): send it back to edit on or to undo"}};
}

Json edit_schema() {
  Json pointers = {{"type", "array"}, {"items", {{"type", "string"}}}};
  return object_schema(
      {{"changed", boolean_schema("whether the draft file was rewritten")},
       {"understood", boolean_schema("whether the instruction (or every edit) was understood")},
       {"message", string_schema("what was done, in the timeline summary's words")},
       {"hash", hash_schema()},
       {"previous_hash", hash_schema()},
       {"changes", string_schema("the segments changed, added and removed by pointer, on one line")},
       {"pointers", object_schema({{"changed", pointers}, {"added", pointers}, {"removed", pointers}},
                                  {"changed", "added", "removed"})},
       {"summary", string_schema("the timeline summary after the edit")},
       {"undo_steps", integer_schema("how many edits undo_edit can take back")},
       {"draft_json", inline_draft_schema()}},
      {"changed", "understood", "message", "hash", "previous_hash", "changes", "pointers", "summary", "undo_steps"});
}

// Files named in an instruction, as the draft should name them: each inside the root and
// there, written relative to the draft's folder.
std::vector<std::string> instruction_files(const Workspace& ws, const ToolDraft& d, const std::string& words) {
  std::vector<std::string> files;
  for (const std::string& f : route_line(words).files) {
    if (cloud::is_http_url(f)) {
      files.push_back(f);
      continue;
    }
    const std::string path = ws.inside(f, "the file");
    std::error_code ec;
    if (const NamedFileProblem problem = named_file_problem(path); !problem.why.empty())
      throw ToolError(f + ": " + problem.why + "; nothing was changed — " + problem.advice);
    const fs::path rel = fs::relative(path, d.base_dir, ec);
    files.push_back(ec || rel.empty() ? path : rel.string());
  }
  return files;
}

// Where a draft's history lives: beside its file, or for an inline draft in the server's
// chains (found by the draft's hash). The caller holds g_edit_mutex.
class DraftKeeper {
 public:
  explicit DraftKeeper(const Workspace& ws) : ws_(ws) {}

  /// Writes an edited draft (a file keeps its history beside it; an inline one is recorded).
  void keep(const ToolDraft& before, const std::string& text) const {
    if (before.path.empty())
      inline_.record(before.text, text);
    else
      write_draft_keeping_history(before.path, text);
  }
  /// The draft one step back or forward, written when it is a file; none when there is none.
  std::optional<ToolDraft> step(const ToolDraft& d, draft::HistoryStep step) const {
    const auto text = d.path.empty() ? inline_.step(d.text, step) : step_draft_history(d.path, step);
    if (!text) return std::nullopt;
    ToolDraft now = d;
    now.text = *text;
    now.hash = draft_hash(now.text);
    now.loaded = draft::load_draft(draft::parse_json(now.text, d.name));
    return now;
  }
  std::pair<size_t, size_t> depth(const ToolDraft& d) const {
    return d.path.empty() ? inline_.depth(d.text) : history_depth(d.path);
  }
  const Workspace& workspace() const { return ws_; }

 private:
  const Workspace& ws_;
  mutable InlineHistories inline_;  // changed under g_edit_mutex only
};

// One step back (or forward) in the draft's history.
struct HistoryStepTaken {
  ToolDraft before, now;
  bool done = false;
  size_t undos = 0, redos = 0;
  std::string message;
};
HistoryStepTaken take_history_step(const DraftKeeper& keeper, ToolDraft before, bool redo) {
  HistoryStepTaken t;
  auto state = keeper.step(before, redo ? draft::HistoryStep::Redo : draft::HistoryStep::Undo);
  t.done = bool(state);
  t.now = state ? std::move(*state) : before;
  std::tie(t.undos, t.redos) = keeper.depth(t.now);
  t.message = !t.done ? (redo ? "nothing to redo" : "nothing to undo")
                      : std::string(redo ? "Redone" : "Undone") + " (" + std::to_string(t.undos) + " more to undo, " +
                            std::to_string(t.redos) + " to redo).";
  if (!t.done && before.path.empty())
    t.message +=
        ". An inline draft's history is the one its edits returned: send the draft_json the last "
        "edit_draft or undo_edit gave back.";
  const std::string diff = draft::summary_diff(before.loaded.draft, t.now.loaded.draft);
  if (!diff.empty()) t.message += " Timeline: " + diff;
  t.before = std::move(before);
  return t;
}

// An inline draft's result carries the draft itself: the caller has no file to read it from.
void add_inline_draft(Json& out, const ToolDraft& d) {
  if (d.path.empty()) out["draft_json"] = d.loaded.draft.json;
}

ToolResult edit(const DraftKeeper& keeper, const Json& args) {
  const Workspace& ws = keeper.workspace();
  const std::string expected = string_arg(args, "expected_hash");
  const bool by_path = args.contains("draft") && !args["draft"].is_null();
  if (by_path && expected.empty())
    throw ToolError(
        "edit_draft needs expected_hash: the hash of the draft as you last saw it (summarize_draft, "
        "validate_draft and every edit return it)");
  const std::string words = string_arg(args, "instruction");
  const bool has_edits = args.contains("edits") && !args["edits"].is_null();
  if (words.empty() == !has_edits)
    throw ToolError(words.empty() ? "say what to change: instruction (words) or edits (a JSON Patch list)"
                                  : "give instruction or edits, not both");
  std::lock_guard<std::mutex> lock(g_edit_mutex);
  ToolDraft d = ws.load(args);
  if (!expected.empty() && d.hash != expected)
    throw ToolError("the draft " + d.name + " changed since you read it (you saw " + expected + ", it is now " +
                    d.hash +
                    "); nothing was changed — read it again and make the edit on what it is now "
                    "(its current hash is " +
                    d.hash + ")");
  if (const auto step = draft::history_step_in(words); !has_edits && step != draft::HistoryStep::None) {
    // "undo", "撤销", "redo": the history's step, as `reel chat` takes it.
    const HistoryStepTaken t = take_history_step(keeper, d, step == draft::HistoryStep::Redo);
    const draft::DraftChanges c = draft::diff_drafts(t.before.loaded.draft, t.now.loaded.draft);
    Json out = {{"changed", t.done},
                {"understood", true},
                {"message", t.message},
                {"hash", t.now.hash},
                {"previous_hash", t.before.hash},
                {"changes", draft::describe_changes(c)},
                {"pointers", changes_json(c)},
                {"summary", draft::timeline_summary(t.now.loaded.draft)},
                {"undo_steps", t.undos}};
    add_inline_draft(out, t.now);
    return structured_result(out);
  }
  draft::Draft after = d.loaded.draft;
  std::string message;
  bool understood = true;
  if (has_edits) {
    const Json& patch = args["edits"];
    if (!patch.is_array() || patch.empty())
      throw ToolError(
          "edits is a JSON Patch (RFC 6902) list: [{\"op\":\"replace\",\"path\":\"/t/0/sg/1/d\",\"value\":3000}]");
    const Json patched = patched_draft(d.loaded.draft.json, patch);
    draft::LoadResult loaded = draft::load_draft(patched);
    if (!loaded.ok()) {
      std::string lines;
      for (const auto& p : loaded.problems)
        if (p.severity == draft::Severity::Error) lines += p.line() + "\n";
      throw ToolError(lines + "the edits would leave the draft with errors; nothing was changed");
    }
    after = loaded.draft;
    message = "Applied " + std::to_string(patch.size()) + " edit" + (patch.size() == 1 ? "" : "s") + ".";
    const std::string diff = draft::summary_diff(d.loaded.draft, after);
    if (!diff.empty()) message += " Timeline: " + diff;
  } else {
    draft::AgentContext context;
    context.files = instruction_files(ws, d, words);
    context.measure_music = [&](const std::string& source) {
      return measure_music(ws.render_options(d, engine::Preset::Final), source);
    };
    draft::AgentReply reply = draft::apply_instruction(after, words, context);
    understood = reply.understood;
    message = reply.message;
  }
  // A file keeps its layout (pretty stays pretty); an inline draft is its compact JSON.
  const std::string text = d.path.empty() ? draft::write_json(after.json, false)
                                          : draft::write_json(after.json, written_pretty(d.text)) + "\n";
  const bool changed = draft::write_json(after.json, false) != draft::write_json(d.loaded.draft.json, false);
  if (changed) keeper.keep(d, text);
  ToolDraft now = d;
  if (changed) {
    now.text = text;
    now.hash = draft_hash(text);
    now.loaded.draft = after;
  }
  const draft::DraftChanges c = draft::diff_drafts(d.loaded.draft, after);
  Json out = {{"changed", changed},
              {"understood", understood},
              {"message", message},
              {"hash", now.hash},
              {"previous_hash", d.hash},
              {"changes", draft::describe_changes(c)},
              {"pointers", changes_json(c)},
              {"summary", draft::timeline_summary(after)},
              {"undo_steps", keeper.depth(now).first}};
  add_inline_draft(out, now);
  return structured_result(out);
}

Json undo_schema() {
  return object_schema({{"done", boolean_schema("whether a step was taken back (or redone)")},
                        {"message", string_schema("what happened")},
                        {"hash", hash_schema()},
                        {"summary", string_schema("the timeline summary now")},
                        {"undo_steps", integer_schema("edits that can still be undone")},
                        {"redo_steps", integer_schema("undone edits that can be redone")},
                        {"draft_json", inline_draft_schema()}},
                       {"done", "message", "hash", "summary", "undo_steps", "redo_steps"});
}

ToolResult undo(const DraftKeeper& keeper, const Json& args) {
  const bool redo = bool_arg(args, "redo", false);
  std::lock_guard<std::mutex> lock(g_edit_mutex);
  const HistoryStepTaken t = take_history_step(keeper, keeper.workspace().load(args), redo);
  Json out = {{"done", t.done},        {"message", t.message},
              {"hash", t.now.hash},    {"summary", draft::timeline_summary(t.now.loaded.draft)},
              {"undo_steps", t.undos}, {"redo_steps", t.redos}};
  add_inline_draft(out, t.now);
  return structured_result(out);
}

}  // namespace

void add_draft_tools(ToolCatalog& tools, const Workspace& ws) {
  const Workspace* w = &ws;
  auto keeper = std::make_shared<const DraftKeeper>(ws);
  tools.push_back({"validate_draft", "Validate a draft",
                   "Checks a draft and lists every problem at once, each with its JSON Pointer, its severity "
                   "(error, warning, notice) and a sentence saying how to fix it. Errors stop a render; fix "
                   "them (edit_draft) before get_frame or render_preview. Also gives the draft's hash.",
                   object_schema(draft_properties()),
                   object_schema({{"ok", boolean_schema("no errors (warnings and notices allowed)")},
                                  {"errors", integer_schema("how many errors")},
                                  {"warnings", integer_schema("how many warnings")},
                                  {"notices", integer_schema("how many notices")},
                                  {"problems", problems_schema()},
                                  {"hash", hash_schema()}},
                                 {"ok", "errors", "warnings", "notices", "problems"}),
                   true, [w](const Json& a, const ToolCall&) { return validate(*w, a); }});
  tools.push_back({"summarize_draft", "Summarize a draft's timeline",
                   "The draft's one-line timeline summary (\"Timeline (3 tracks): 1. Video: 5 photos (0-20s) 2. "
                   "BGM: song (0-20s, 80%) …\") and its tracks as data: kind, label, times, segments, volume; "
                   "with the canvas, frame rate, length and the hash edit_draft needs.",
                   object_schema(draft_properties()), summary_schema(), true,
                   [w](const Json& a, const ToolCall&) { return summarize(*w, a); }});
  tools.push_back(
      {"edit_draft", "Edit a draft in words or by JSON Pointer",
       "Changes a draft file and says what changed in the timeline's words. Either an instruction in plain English "
       "or Chinese for the local editing agent (\"remove the third photo\", \"make it 15 seconds for TikTok\", "
       "\"make the title yellow\", \"cut on the beat\", \"删除第三张\"), or edits as a JSON Patch (RFC 6902) list "
       "on the draft's JSON. Pass expected_hash, the hash you last saw: when the file changed since, nothing is "
       "changed and the error gives its current hash. The state before goes into the draft's history "
       "(undo_edit). A draft passed inline (draft_json) comes back edited in the result's draft_json; send that "
       "to edit further or to undo_edit (the server keeps inline drafts' histories while it runs).",
       object_schema(with_properties(
           draft_properties(),
           {{"expected_hash", hash_schema()},
            {"instruction", string_schema("what to change, in plain words (English or Chinese)")},
            {"edits",
             {{"type", "array"},
              {"description",
               "JSON Patch operations on the draft's JSON: "
               "[{\"op\":\"replace\",\"path\":\"/t/0/sg/1/d\",\"value\":3000}]"},
              {"items", object_schema(
                            {{"op", enum_schema({"add", "remove", "replace", "move", "copy", "test"}, "the operation")},
                             {"path", string_schema("JSON Pointer")},
                             {"from", string_schema("JSON Pointer (move, copy)")},
                             {"value", {{"description", "the new value"}}}},
                            {"op", "path"})}}}})),
       edit_schema(), false, [keeper](const Json& a, const ToolCall&) { return edit(*keeper, a); }});
  tools.push_back({"undo_edit", "Undo (or redo) the last edit of a draft",
                   "Puts the draft file back exactly as it was before its last edit (byte for byte, from the "
                   "history reel keeps beside it: edit_draft, reel chat and reel make --draft-out all write it), "
                   "or with redo: true brings back what the last undo took away. For a draft passed inline "
                   "(draft_json, as the last edit_draft returned it) the result's draft_json is the draft before.",
                   object_schema(with_properties(draft_properties(),
                                                 {{"redo", boolean_schema("redo instead of undo (default false)")}})),
                   undo_schema(), false, [keeper](const Json& a, const ToolCall&) { return undo(*keeper, a); }});
}

ToolResult structured_result(Json structured, bool is_error) {
  ToolResult r;
  r.structured = std::move(structured);
  r.is_error = is_error;
  return r;
}

}  // namespace reel::cli::mcp
