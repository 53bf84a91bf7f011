// render_preview, render_final, export: videos written to files in the root, returned as
// resource links, with progress notifications and cancellation.
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "cli/bench.h"
#include "cli/cloud_flows.h"
#include "cli/mcp/schemas.h"
#include "cli/mcp/tools.h"
#include "cli/process.h"
#include "cloud/protocol/errors.h"
#include "draft/time.h"
#include "engine/errors.h"
#include "engine/render.h"

namespace reel::cli::mcp {

namespace fs = std::filesystem;

namespace {

// file:///abs/path with every byte but the unreserved ones and '/' percent-encoded.
std::string file_uri(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
      uri += char(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri;
}

Json resource_link(const std::string& path, int64_t bytes, const std::string& description) {
  return {{"type", "resource_link"}, {"uri", file_uri(path)}, {"name", fs::path(path).filename().string()},
          {"mimeType", "video/mp4"}, {"size", bytes},         {"description", description}};
}

// The draft's warnings as log messages, as `reel render` prints them on stderr.
void log_warnings(const ToolCall& call, const ToolDraft& d) {
  for (const auto& p : d.loaded.problems)
    if (p.severity == draft::Severity::Warning) call.log("warning", d.name + ": " + p.line());
}

// The result of a render or export stopped by notifications/cancelled: nothing was written.
ToolResult cancelled_result(const std::string& out) {
  ToolResult r = structured_result({{"cancelled", true}, {"output", out}}, true);
  r.content.push_back({{"type", "text"}, {"text", "reel: cancelled; no output was written"}});
  return r;
}

// Where the output goes, checked before any work: writable, and none of the draft's files.
std::string checked_output(const Workspace& ws, const Json& args, const ToolDraft& d, const std::string& suffix,
                           const engine::RenderOptions& o) {
  const std::string out = ws.output_path(args, d, suffix);
  require_writable_output(out, OutputKind::Video);
  std::vector<std::string> inputs = engine::local_inputs(d.loaded.draft, o);
  inputs.push_back(d.path);
  require_not_an_input(out, inputs);
  return out;
}

Json video_properties() {
  return {{"cancelled", boolean_schema("true when notifications/cancelled stopped it (nothing was written)")},
          {"output", string_schema("the MP4's path")},
          {"uri", {{"type", "string"}, {"format", "uri"}, {"description", "the MP4 as a file:// URI"}}},
          {"mime", string_schema("video/mp4")},
          {"bytes", integer_schema("the file's size")},
          {"duration_ms", integer_schema("the video's length")},
          {"frames", integer_schema("video frames")},
          {"width", integer_schema("pixels")},
          {"height", integer_schema("pixels")},
          {"fps", string_schema("frame rate")},
          {"seconds", number_schema("how long it took")}};
}

ToolResult render(const Workspace& ws, const Json& args, const ToolCall& call, engine::Preset preset) {
  ToolDraft d = ws.load_usable(args);
  log_warnings(call, d);
  engine::RenderOptions o = ws.render_options(d, preset);
  const std::string out = checked_output(ws, args, d, preset == engine::Preset::Preview ? ".preview.mp4" : ".mp4", o);
  engine::RenderResult r;
  try {
    r = engine::render_to_file(
        d.loaded.draft, out, o,
        [&](const engine::RenderProgress& p) {
          call.progress(double(p.frames_done), double(p.frames_total),
                        "frame " + std::to_string(p.frames_done) + " of " + std::to_string(p.frames_total));
        },
        call.cancel_flag());
  } catch (const engine::Cancelled&) {
    return cancelled_result(out);
  }
  std::error_code ec;
  const int64_t bytes = int64_t(fs::file_size(out, ec));
  const int64_t duration_ms = r.fps.num > 0 ? draft::frame_time_ms(r.frames, r.fps) : 0;
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1f", r.seconds);
  ToolResult result = structured_result({{"cancelled", false},
                                         {"output", out},
                                         {"uri", file_uri(out)},
                                         {"mime", "video/mp4"},
                                         {"bytes", bytes},
                                         {"duration_ms", duration_ms},
                                         {"frames", r.frames},
                                         {"width", r.width},
                                         {"height", r.height},
                                         {"fps", draft::to_string(r.fps)},
                                         {"seconds", std::round(r.seconds * 1000) / 1000},
                                         {"chunks", r.chunks},
                                         {"chunks_rendered", r.chunks_rendered}});
  result.content.push_back(resource_link(out, bytes,
                                         std::to_string(r.width) + "x" + std::to_string(r.height) + ", " +
                                             std::to_string(r.frames) + " frames, rendered here in " + secs + " s"));
  return result;
}

ToolResult export_video(const Workspace& ws, const Json& args, const ToolCall& call) {
  ToolDraft d = ws.load_usable(args);
  log_warnings(call, d);
  const std::string mode_name = string_arg(args, "mode", "auto");
  if (mode_name != "auto" && mode_name != "cloud" && mode_name != "local")
    throw ToolError("mode is auto, cloud or local");
  const ExportMode mode = mode_name == "cloud"   ? ExportMode::Cloud
                          : mode_name == "local" ? ExportMode::Local
                                                 : ExportMode::Auto;
  // Every local file the draft names must lie inside the root before any of it is uploaded.
  engine::RenderOptions plain;
  plain.base_dir = d.base_dir;
  for (const std::string& f : engine::local_inputs(d.loaded.draft, plain)) ws.inside(f, "the media file");
  engine::RenderOptions local = ws.render_options(d, engine::Preset::Final);
  const std::string out = checked_output(ws, args, d, ".mp4", local);
  CloudArgs cloud_args;
  cloud_args.project = ws.root();  // the root's session and pending jobs, as `reel export` run there
  const cloud::ClientOptions co = client_options(cloud_args);
  ExportHooks hooks;
  hooks.cancel = call.cancel_flag();
  hooks.progress = [&](double fraction, const std::string& what) {
    call.progress(std::round(fraction * 1000) / 10, 100, what);
  };
  hooks.local_options = [local] { return local; };
  ExportReport report;
  try {
    report = export_with_fallback(co, d.loaded.draft, d.base_dir, out, mode, hooks);
  } catch (const engine::Cancelled&) {
    return cancelled_result(out);
  } catch (const cloud::CloudError& e) {
    if (e.kind() == cloud::ErrorKind::Cancelled) return cancelled_result(out);
    throw;
  }
  Json s = {{"cancelled", false},
            {"output", out},
            {"uri", file_uri(out)},
            {"mime", "video/mp4"},
            {"bytes", report.bytes},
            {"where", report.from_cloud ? "cloud" : "local"},
            {"seconds", std::round(report.seconds * 1000) / 1000}};
  if (report.from_cloud) s["job_id"] = report.job_id;
  if (!report.fallback_reason.empty()) {
    s["fallback_reason"] = report.fallback_reason;
    call.log("warning", "the cloud did not make it (" + report.fallback_reason + "): rendered on this machine");
  }
  if (!report.from_cloud) {
    s["frames"] = report.local.frames;
    s["width"] = report.local.width;
    s["height"] = report.local.height;
    s["fps"] = draft::to_string(report.local.fps);
    s["duration_ms"] = report.local.fps.num > 0 ? draft::frame_time_ms(report.local.frames, report.local.fps) : 0;
  }
  ToolResult result = structured_result(s);
  result.content.push_back(resource_link(out, report.bytes,
                                         report.from_cloud ? "the cloud's render " + report.job_id
                                         : report.fallback_reason.empty()
                                             ? std::string("rendered on this machine")
                                             : "rendered on this machine: " + report.fallback_reason));
  return result;
}

ToolResult bench(const Workspace& ws, const Json& args, const ToolCall& call) {
  ToolDraft d = ws.load_usable(args);
  const auto runs = number_arg(args, "runs", 1, 5);
  if (runs && std::floor(*runs) != *runs) throw ToolError("runs is a whole number from 1 to 5");
  CloudArgs cloud_args;
  cloud_args.project = ws.root();
  const cloud::ClientOptions co = client_options(cloud_args);
  if (bool_arg(args, "cloud", true)) {
    // Every local file must lie inside the root before any of it is uploaded.
    engine::RenderOptions plain;
    plain.base_dir = d.base_dir;
    for (const std::string& f : engine::local_inputs(d.loaded.draft, plain)) ws.inside(f, "the media file");
  }
  std::string dir = (fs::temp_directory_path() / "reel-mcp-bench-XXXXXX").string();
  if (!::mkdtemp(dir.data())) throw base::FileError(base::Access::Write, dir, errno);
  BenchPlan plan;
  plan.runs = runs ? int(*runs) : 1;
  plan.dir = dir;
  plan.skip_cloud = !bool_arg(args, "cloud", true);
  plan.cancel = call.cancel_flag();
  plan.local_options = [&](engine::Preset p) { return ws.render_options(d, p); };
  plan.progress = [&](const std::string& what, int done, int total) { call.progress(done, total, what); };
  BenchFigures f;
  try {
    f = measure_bench(d.loaded.draft, d.base_dir, co, plan);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (call.cancelled()) return cancelled_result("");
    throw;
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  Json rows = Json::array();
  for (const BenchRow& r : f.rows) {
    Json row = {{"name", r.name}, {"runs", r.times.size()}};
    if (!r.times.empty()) {
      row["median_s"] = std::round(median(r.times) * 1000) / 1000;
      row["min_s"] = std::round(*std::min_element(r.times.begin(), r.times.end()) * 1000) / 1000;
      row["max_s"] = std::round(*std::max_element(r.times.begin(), r.times.end()) * 1000) / 1000;
    }
    rows.push_back(row);
  }
  const bool cloud_measured = !f.rows[2].times.empty();
  Json out = {{"cancelled", false}, {"renders", rows}, {"cloud_measured", cloud_measured}, {"api", co.api}};
  if (!f.cloud_error.empty()) out["cloud_error"] = f.cloud_error;
  if (cloud_measured) {
    out["ratio_local_final_to_cloud"] = median(f.rows[1].times) / median(f.rows[2].times);
    out["ratio_local_preview_to_cloud"] = median(f.rows[0].times) / median(f.rows[2].times);
    if (f.psnr_db) {
      out["identical_frames"] = std::isinf(*f.psnr_db);
      if (!std::isinf(*f.psnr_db)) out["psnr_db"] = std::round(*f.psnr_db * 100) / 100;
    }
  }
  return structured_result(out);
}

}  // namespace

void add_render_tools(ToolCatalog& tools, const Workspace& ws) {
  const Workspace* w = &ws;
  const Json output_arg = {{"output", string_schema("the MP4 to write, relative to the server's root (default: beside "
                                                    "the draft, DRAFT.preview.mp4 or DRAFT.mp4)")}};
  const Json render_out =
      object_schema(with_properties(video_properties(), {{"chunks", integer_schema("the render's chunks")},
                                                         {"chunks_rendered", integer_schema("of them rendered now; the "
                                                                                            "rest were kept from an "
                                                                                            "earlier render")}}),
                    {"cancelled", "output"});
  tools.push_back({"render_preview", "Render a quick preview MP4 here",
                   "Renders the draft on this machine to a small MP4 (long side 960, fast settings; same timing and "
                   "framing as the final) and returns a link to the file. Only what changed since the last render "
                   "is rendered again. Sends progress when the request has a progress token; "
                   "notifications/cancelled stops it and leaves no file. Costs no credits and needs no network.",
                   object_schema(with_properties(draft_properties(), output_arg)), render_out, false,
                   [w](const Json& a, const ToolCall& c) { return render(*w, a, c, engine::Preset::Preview); }});
  tools.push_back({"render_final", "Render the final MP4 here",
                   "Renders the draft on this machine at its full size (1080p H.264, AAC, ready to post) and returns "
                   "a link to the file; progress and cancellation as render_preview. Use export for the cloud's "
                   "render.",
                   object_schema(with_properties(draft_properties(), output_arg)), render_out, false,
                   [w](const Json& a, const ToolCall& c) { return render(*w, a, c, engine::Preset::Final); }});
  tools.push_back(
      {"export", "Export through the cloud (local fallback)",
       "Exports the final MP4 the way `reel export` does: the cloud render (local media uploaded first; it costs "
       "credits), and when the cloud is unreachable, out of credits or refuses, this machine's engine instead. "
       "mode local skips the cloud, mode cloud never falls back. Progress and cancellation as render_preview.",
       object_schema(with_properties(
           with_properties(draft_properties(), output_arg),
           {{"mode", enum_schema({"auto", "cloud", "local"}, "auto (default): the cloud, else here")}})),
       object_schema(
           with_properties(video_properties(), {{"where", enum_schema({"cloud", "local"}, "who rendered it")},
                                                {"job_id", string_schema("the cloud render's id")},
                                                {"fallback_reason", string_schema("why the cloud did not make it")}}),
           {"cancelled", "output"}),
       false, [w](const Json& a, const ToolCall& c) { return export_video(*w, a, c); }});
  Json row = object_schema({{"name", enum_schema({"local preview", "local final", "cloud final"}, "which render")},
                            {"runs", integer_schema("how many were timed (0: not measured)")},
                            {"median_s", number_schema("seconds")},
                            {"min_s", number_schema("seconds")},
                            {"max_s", number_schema("seconds")}},
                           {"name", "runs"});
  tools.push_back(
      {"bench", "Time local renders against the cloud's",
       "Renders the draft here (preview and final) and through the cloud (it costs credits; cloud: false skips "
       "it), times each (runs times, median, min, max), and measures the PSNR between the local and the cloud "
       "final (ffmpeg's psnr filter): how much faster or slower this machine is, and whether it looks the same. "
       "Nothing is kept.",
       object_schema(with_properties(
           draft_properties(),
           {{"runs", {{"type", "integer"}, {"minimum", 1}, {"maximum", 5}, {"description", "runs of each (1)"}}},
            {"cloud", boolean_schema("also render through the cloud (default true)")}})),
       object_schema({{"cancelled", boolean_schema("stopped by notifications/cancelled")},
                      {"renders", {{"type", "array"}, {"items", row}}},
                      {"cloud_measured", boolean_schema("whether the cloud render was timed")},
                      {"api", string_schema("the backend asked")},
                      {"cloud_error", string_schema("why the cloud was not measured")},
                      {"ratio_local_final_to_cloud", number_schema("local final time / cloud final time")},
                      {"ratio_local_preview_to_cloud", number_schema("local preview time / cloud final time")},
                      {"psnr_db", number_schema("PSNR of the local final against the cloud's, in dB")},
                      {"identical_frames", boolean_schema("the two finals have the same frames")}},
                     {"cancelled"}),
       false, [w](const Json& a, const ToolCall& c) { return bench(*w, a, c); }});
}

ToolCatalog reel_tools(const Workspace& ws) {
  ToolCatalog tools;
  add_draft_tools(tools, ws);
  add_frame_tools(tools, ws);
  add_render_tools(tools, ws);
  return tools;
}

}  // namespace reel::cli::mcp
