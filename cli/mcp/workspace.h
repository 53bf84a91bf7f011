#pragma once
// The folder `reel mcp --root DIR` serves: every draft, media file and output a tool names
// lies inside it (after symlinks), or the call is refused. Drafts come by path or inline.
#include <string>

#include "draft/json.h"
#include "draft/model.h"
#include "engine/types.h"

namespace reel::cli::mcp {

/// A draft a tool works on.
struct ToolDraft {
  std::string path;      // the file (absolute, inside the root); empty for an inline draft
  std::string name;      // as the caller named it ("trip.json", or "inline draft")
  std::string base_dir;  // where its relative media references resolve
  std::string text;      // the bytes it was read from (an inline draft: its compact JSON)
  std::string hash;      // draft_hash(text): what edit_draft compares
  draft::LoadResult loaded;
};

/// The hash of a draft's bytes: 16 hex digits (base::Hash64). The file changed since the
/// caller read it when its hash differs.
std::string draft_hash(const std::string& bytes);

class Workspace {
 public:
  /// `root` must be a folder; kept as its canonical path. Throws base::Error (Usage) when not.
  explicit Workspace(const std::string& root);
  const std::string& root() const { return root_; }

  /// `given` (relative to the root, or absolute) as an absolute path with its symlinks
  /// resolved — as far as it exists — when that lies inside the root; else ToolError naming it.
  /// `what` names it in the message ("the draft", "the output").
  std::string inside(const std::string& given, const std::string& what) const;

  /// The draft of a tool's arguments: "draft" (a path) or "draft_json" (the draft itself).
  /// Throws ToolError when neither or both are given, draft::DraftError when it is not JSON.
  ToolDraft load(const Json& arguments) const;
  /// load(), then refused (ToolError with every error line, as `reel render` prints them)
  /// when the draft has errors.
  ToolDraft load_usable(const Json& arguments) const;

  /// Where an output goes: `given` (inside the root), else beside the draft (in the root for
  /// an inline draft) with the draft's stem and `suffix` (".preview.mp4").
  std::string output_path(const Json& arguments, const ToolDraft& d, const std::string& suffix) const;

  /// Render options for `d`: the cache folders, remote media through the media cache (fetched
  /// now when missing; `offline`: only what is cached), and every local file the draft names
  /// checked to lie inside the root when the render reads it.
  engine::RenderOptions render_options(const ToolDraft& d, engine::Preset preset, bool offline = false) const;

 private:
  std::string root_;
};

/// Argument helpers: the value, or ToolError naming the argument and what it must be.
std::string string_arg(const Json& args, const char* name, const std::string& fallback = "");
std::optional<double> number_arg(const Json& args, const char* name, double lo, double hi);
bool bool_arg(const Json& args, const char* name, bool fallback);

}  // namespace reel::cli::mcp
