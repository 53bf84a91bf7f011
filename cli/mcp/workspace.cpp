#include "cli/mcp/workspace.h"

#include <filesystem>
#include <stdexcept>

#include "base/files.h"
#include "base/hash.h"
#include "cli/cmd_cache.h"
#include "cli/mcp/tool.h"
#include "cli/media_sources.h"
#include "cloud/client/media_cache.h"
#include "draft/parse.h"

namespace reel::cli::mcp {

namespace fs = std::filesystem;

std::string draft_hash(const std::string& bytes) { return base::hash_hex(bytes); }

namespace {

// Whether `path` (canonical as far as it exists) is `root` or lies under it.
bool lies_inside(const fs::path& path, const fs::path& root) {
  auto r = root.begin(), p = path.begin();
  for (; r != root.end(); ++r, ++p)
    if (p == path.end() || *p != *r) return false;
  return true;
}

// Symlinks resolved as far as the path exists, the rest normalised ("." and ".." too).
fs::path resolved(const fs::path& p) {
  std::error_code ec;
  fs::path out = fs::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : out;
}

}  // namespace

Workspace::Workspace(const std::string& root) {
  std::error_code ec;
  const fs::path canonical = fs::canonical(root.empty() ? "." : root, ec);
  if (ec || !fs::is_directory(canonical))
    throw base::Error(base::Fault::Usage,
                      "--root " + root + ": there is no such folder; give the folder of the drafts");
  root_ = canonical.string();
}

std::string Workspace::inside(const std::string& given, const std::string& what) const {
  if (given.empty()) throw ToolError(what + " is an empty path; name a file inside " + root_);
  if (given.find('\0') != std::string::npos) throw ToolError(what + " holds a NUL character");
  fs::path p(given);
  if (p.is_relative()) p = fs::path(root_) / p;
  const fs::path r = resolved(p);
  if (!lies_inside(r, root_))
    throw ToolError(what + " " + given + " is outside the folder this server may use (" + root_ +
                    (r != p.lexically_normal() ? "; it leads to " + r.string() : std::string()) +
                    "); name a file inside it, or start `reel mcp --root` on a folder that holds it");
  return r.string();
}

ToolDraft Workspace::load(const Json& args) const {
  const bool by_path = args.contains("draft") && !args["draft"].is_null();
  const bool inline_draft = args.contains("draft_json") && !args["draft_json"].is_null();
  if (by_path == inline_draft)
    throw ToolError(by_path ? "give the draft once: either draft (a path) or draft_json (the draft itself), not both"
                            : "name the draft: draft (a path relative to " + root_ +
                                  ") or draft_json (the draft's JSON object)");
  ToolDraft d;
  if (by_path) {
    const std::string given = string_arg(args, "draft");
    d.path = inside(given, "the draft");
    d.name = given;
    d.base_dir = fs::path(d.path).parent_path().string();
    d.text = base::read_input_file(d.path, draft::ParseLimits{}.max_bytes, "a draft");
    d.loaded = draft::load_draft(draft::parse_json(d.text, given));
  } else {
    const Json& j = args["draft_json"];
    if (!j.is_object()) throw ToolError("draft_json is the draft itself: a JSON object with its tracks");
    d.name = "inline draft";
    d.base_dir = root_;
    d.text = draft::write_json(j, false);
    d.loaded = draft::load_draft(j);
  }
  d.hash = draft_hash(d.text);
  return d;
}

ToolDraft Workspace::load_usable(const Json& args) const {
  ToolDraft d = load(args);
  if (d.loaded.ok()) return d;
  std::string lines;
  for (const auto& p : d.loaded.problems)
    if (p.severity != draft::Severity::Notice) lines += d.name + ": " + p.line() + "\n";
  throw ToolError(lines + "the draft has errors; fix them first (validate_draft lists them with their fixes)");
}

std::string Workspace::output_path(const Json& args, const ToolDraft& d, const std::string& suffix) const {
  const std::string given = string_arg(args, "output");
  if (!given.empty()) return inside(given, "the output");
  if (d.path.empty()) return (fs::path(root_) / ("draft" + suffix)).string();
  const fs::path p(d.path);
  return (p.parent_path() / (p.stem().string() + suffix)).string();
}

engine::RenderOptions Workspace::render_options(const ToolDraft& d, engine::Preset preset, bool offline) const {
  engine::RenderOptions o;
  o.preset = preset;
  o.base_dir = d.base_dir;
  use_cache_folders(o);
  MediaArgs media;
  media.offline = offline;
  media.quiet = true;
  resolve_remote_media(
      d.loaded.draft, d.path.empty() ? "draft.json" : d.path, media,
      [&] { return d.path.empty() ? SessionUploads{} : uploads_of_pulled_draft(d.path); }, o);
  // Local files the draft names must lie inside the root; remote ones come from the cache.
  o.resolve_source = [through = o.resolve_source, base = d.base_dir, root = root_](const std::string& ref) {
    const std::string local = cloud::local_path_of(ref, base);
    if (!local.empty() && !lies_inside(resolved(local), root))
      throw std::runtime_error(ref + " is outside the folder this server may use (" + root +
                               "); copy it inside, or start `reel mcp --root` on a folder that holds it");
    if (through) return through(ref);
    return local;
  };
  return o;
}

std::string string_arg(const Json& args, const char* name, const std::string& fallback) {
  const auto it = args.find(name);
  if (it == args.end() || it->is_null()) return fallback;
  if (!it->is_string()) throw ToolError(std::string(name) + " is a string");
  return it->get<std::string>();
}

std::optional<double> number_arg(const Json& args, const char* name, double lo, double hi) {
  const auto it = args.find(name);
  if (it == args.end() || it->is_null()) return std::nullopt;
  if (!it->is_number() || !(it->get<double>() >= lo && it->get<double>() <= hi)) {
    char range[96];
    std::snprintf(range, sizeof range, "%g to %g", lo, hi);
    throw ToolError(std::string(name) + " is a number from " + range);
  }
  return it->get<double>();
}

bool bool_arg(const Json& args, const char* name, bool fallback) {
  const auto it = args.find(name);
  if (it == args.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) throw ToolError(std::string(name) + " is true or false");
  return it->get<bool>();
}

}  // namespace reel::cli::mcp
