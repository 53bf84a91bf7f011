// get_frame, review_frames, focus: looking at a draft without playing it. Frames are
// composed by the engine exactly as a render composes them (before H.264) and returned as
// image content.
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <set>

#include "base/files.h"
#include "cli/focus_json.h"
#include "cli/mcp/schemas.h"
#include "cli/mcp/tools.h"
#include "draft/time.h"
#include "engine/errors.h"
#include "engine/render.h"

namespace reel::cli::mcp {

namespace fs = std::filesystem;

namespace {

/// Inline images stay under this (base64 text): assistants refuse larger ones.
constexpr size_t kMaxInlineImage = size_t(3.5 * 1024 * 1024);

size_t base64_size(size_t bytes) { return 4 * ((bytes + 2) / 3); }

Json image_block(const std::string& bytes, const std::string& mime) {
  return {{"type", "image"}, {"data", engine::base64_of(bytes)}, {"mimeType", mime}};
}

int even(double v) { return std::max(2, int(std::lround(v / 2)) * 2); }

// Options for stills `width` wide (the draft's shape kept), narrower when a tall draft's
// height would pass `most` too; media checked against the root.
engine::RenderOptions still_options(const Workspace& ws, const ToolDraft& d, int width, int most) {
  engine::RenderOptions o = ws.render_options(d, engine::Preset::Final);
  const draft::Canvas& c = d.loaded.draft.canvas;
  const double w = std::min(double(width), double(most) * c.width / c.height);
  o.width = even(w);
  o.height = std::min(most, even(w * c.height / c.width));
  return o;
}

int width_arg(const Json& args, int fallback, int most) {
  const auto w = number_arg(args, "width", 16, most);
  if (w && std::floor(*w) != *w) throw ToolError("width is a whole number of pixels");
  return w ? int(*w) : fallback;
}

struct Shot {
  engine::StillPicture picture;
  std::string mime;
};

// A frame as an image that fits inline: PNG when asked or when it fits, else JPEG (quality
// lowered until it fits). `format`: "auto", "png" or "jpeg".
Shot shoot(const draft::Draft& d, int64_t frame, const engine::RenderOptions& o, const std::string& format) {
  if (format == "jpeg")
    return {engine::render_still_picture(d, frame, o, engine::PictureFormat::Jpeg, 90), "image/jpeg"};
  Shot s{engine::render_still_picture(d, frame, o, engine::PictureFormat::Png), "image/png"};
  if (base64_size(s.picture.bytes.size()) <= kMaxInlineImage) return s;
  if (format == "png")
    throw ToolError("the PNG of frame " + std::to_string(frame) + " is " +
                    std::to_string(s.picture.bytes.size() >> 10) +
                    " KiB, more than an inline image may be (3.5 MiB as base64); ask for a smaller width or format "
                    "jpeg");
  for (int quality : {90, 75, 60, 40}) {
    s = {engine::render_still_picture(d, frame, o, engine::PictureFormat::Jpeg, quality), "image/jpeg"};
    if (base64_size(s.picture.bytes.size()) <= kMaxInlineImage) return s;
  }
  throw ToolError("frame " + std::to_string(frame) +
                  " does not fit an inline image even as a JPEG; ask for a smaller width");
}

// The frame shown at `ms` on the render's clock: floor(ms / 1000 * fps), as the cloud's tool counts.
int64_t frame_at(int64_t ms, draft::Rational fps) {
  return int64_t((__int128(ms) * fps.num) / (__int128(1000) * fps.den));
}

// The time of frame n in whole ms, rounded up: the first ms that shows it.
int64_t time_of(int64_t n, draft::Rational fps) {
  const __int128 a = __int128(n) * 1000 * fps.den;
  return int64_t((a + fps.num - 1) / fps.num);
}

// A frame's facts, as frame_schema_properties describes them.
Json shot_json(const Shot& s, draft::Rational fps) {
  return {{"frame", s.picture.frame},
          {"time_ms", time_of(s.picture.frame, fps)},
          {"width", s.picture.width},
          {"height", s.picture.height},
          {"mime", s.mime},
          {"bytes", s.picture.bytes.size()},
          {"pixel_hash", s.picture.pixel_hash}};
}

Json frame_schema_properties() {
  return {{"frame", integer_schema("the frame's index from 0 on the draft's clock")},
          {"time_ms", integer_schema("the first millisecond that shows it")},
          {"width", integer_schema("pixels")},
          {"height", integer_schema("pixels")},
          {"mime", enum_schema({"image/png", "image/jpeg"}, "the image's type")},
          {"bytes", integer_schema("the image's size")},
          {"pixel_hash",
           {{"type", "string"},
            {"pattern", "^[0-9a-f]{16}$"},
            {"description", "a hash of the frame's pixels: the same draft and frame give the same hash"}}}};
}

ToolResult get_frame(const Workspace& ws, const Json& args) {
  const auto started = std::chrono::steady_clock::now();
  ToolDraft d = ws.load_usable(args);
  constexpr int kMostPixels = 3840;  // either side
  const int width = width_arg(args, 960, kMostPixels);
  const std::string format = string_arg(args, "format", "auto");
  if (format != "auto" && format != "png" && format != "jpeg") throw ToolError("format is auto, png or jpeg");
  const auto ms = number_arg(args, "ms", 0, 1e10);  // as long as a draft may be
  const auto index = number_arg(args, "frame", 0, 1e9);
  if (ms && index) throw ToolError("give ms or frame, not both");
  engine::RenderOptions o = still_options(ws, d, width, kMostPixels);
  const engine::RenderShape shape = engine::render_shape(d.loaded.draft, o);
  if (shape.frames <= 0) throw ToolError("the draft has no frames: it is empty");
  int64_t frame = 0;
  if (index) {
    if (std::floor(*index) != *index) throw ToolError("frame is a whole number, from 0");
    frame = int64_t(*index);
    if (frame >= shape.frames)
      throw ToolError("frame " + std::to_string(frame) + " is past the end of the draft: it has " +
                      std::to_string(shape.frames) + " frames (0 to " + std::to_string(shape.frames - 1) + ")");
  } else {
    const int64_t at = ms ? int64_t(std::floor(*ms)) : 0;
    frame = frame_at(at, shape.fps);
    if (frame >= shape.frames)
      throw ToolError("ms " + std::to_string(at) + " is past the end of the draft (" +
                      draft::seconds_text(d.loaded.draft.duration_ms()) + " s long); give a time from 0 to " +
                      std::to_string(time_of(shape.frames - 1, shape.fps)) + " ms");
  }
  Shot s = shoot(d.loaded.draft, frame, o, format);
  const double elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  Json out = with_properties(shot_json(s, shape.fps), {{"fps", draft::to_string(shape.fps)},
                                                       {"frames", shape.frames},
                                                       {"milliseconds", std::round(elapsed * 10) / 10},
                                                       {"hash", d.hash}});
  ToolResult r = structured_result(out);
  r.content.push_back(image_block(s.picture.bytes, s.mime));
  return r;
}

// Times worth a look: each video segment's midpoint and each transition's middle (the cut it
// is centred on), at most `most`, spread over the timeline when there are more. A draft with
// no photo or clip shows its text: each text's middle, else the middle of the whole.
struct Moment {
  int64_t ms;
  std::string why;
};
std::vector<Moment> moments(const draft::Draft& d, size_t most) {
  std::vector<Moment> all;
  for (const draft::Track& t : d.tracks) {
    if (t.kind != draft::TrackKind::Video) continue;
    for (const draft::Segment& s : t.segments) {
      if (s.duration_ms <= 0) continue;
      all.push_back({s.start_ms + s.duration_ms / 2, "the middle of " + s.pointer});
      if (s.video.transition && s.video.transition->type != draft::TransitionType::None && &s != &t.segments.front())
        all.push_back({s.start_ms, std::string("the middle of the ") + draft::to_string(s.video.transition->type) +
                                       " transition into " + s.pointer});
    }
  }
  const bool no_pictures = all.empty();
  for (const draft::Track& t : d.tracks)
    for (const draft::Segment& s : t.segments)
      if (no_pictures && t.kind == draft::TrackKind::Text && s.duration_ms > 0)
        all.push_back({s.start_ms + s.duration_ms / 2, "the middle of " + s.pointer});
  if (all.empty() && d.duration_ms() > 0) all.push_back({d.duration_ms() / 2, "the middle of the video"});
  std::stable_sort(all.begin(), all.end(), [](const Moment& a, const Moment& b) { return a.ms < b.ms; });
  if (all.size() <= most) return all;
  // One is the middle one; more run from the first to the last.
  if (most == 1) return {all[all.size() / 2]};
  std::vector<Moment> picked;
  for (size_t i = 0; i < most; ++i) picked.push_back(all[i * (all.size() - 1) / (most - 1)]);
  return picked;
}

ToolResult review_frames(const Workspace& ws, const Json& args, const ToolCall& call) {
  ToolDraft d = ws.load_usable(args);
  const std::string mode = string_arg(args, "mode", "frames");
  if (mode != "frames" && mode != "storyboard") throw ToolError("mode is frames or storyboard");
  constexpr int kMostPixels = 1280;  // either side
  const int width = width_arg(args, 480, kMostPixels);
  const auto most_arg = number_arg(args, "max_frames", 1, 12);
  const size_t most = most_arg ? size_t(*most_arg) : 12;
  engine::RenderOptions o = still_options(ws, d, width, kMostPixels);
  ToolResult r;
  if (mode == "storyboard") {
    engine::RenderOptions board = ws.render_options(d, engine::Preset::Final);
    std::string pattern = (fs::temp_directory_path() / "reel-mcp-board-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw base::FileError(base::Access::Write, pattern, errno);
    const fs::path dir = pattern;
    const std::string png = (dir / "storyboard.png").string();
    std::string bytes;
    try {
      engine::render_storyboard(d.loaded.draft, png, board);
      bytes = base::read_input_file(png, 64 << 20, "a storyboard");
    } catch (...) {
      std::error_code ec;
      fs::remove_all(dir, ec);
      throw;
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (base64_size(bytes.size()) > kMaxInlineImage)
      throw ToolError("the storyboard is larger than an inline image may be (3.5 MiB); use mode frames");
    r = structured_result({{"mode", "storyboard"},
                           {"frames", Json::array()},
                           {"storyboard", {{"mime", "image/png"}, {"bytes", bytes.size()}}},
                           {"hash", d.hash}});
    r.content.push_back(image_block(bytes, "image/png"));
    return r;
  }
  const engine::RenderShape shape = engine::render_shape(d.loaded.draft, o);
  Json frames = Json::array();
  std::set<int64_t> seen;
  const std::vector<Moment> picked = moments(d.loaded.draft, most);
  size_t done = 0;
  for (const Moment& m : picked) {
    if (call.cancelled()) throw engine::Cancelled();
    const int64_t frame = std::min(frame_at(m.ms, shape.fps), shape.frames - 1);
    if (frame < 0 || !seen.insert(frame).second) continue;
    Shot s = shoot(d.loaded.draft, frame, o, "jpeg");
    frames.push_back(with_properties(shot_json(s, shape.fps), {{"why", m.why}}));
    r.content.push_back({{"type", "text"},
                         {"text", "frame " + std::to_string(frame) + " at " +
                                      draft::seconds_text(time_of(frame, shape.fps)) + " s: " + m.why}});
    r.content.push_back(image_block(s.picture.bytes, s.mime));
    call.progress(double(++done), double(picked.size()), "frame " + std::to_string(frame));
  }
  ToolResult out = structured_result({{"mode", "frames"}, {"frames", frames}, {"hash", d.hash}});
  out.content = r.content;
  return out;
}

ToolResult focus(const Workspace& ws, const Json& args) {
  ToolDraft d = ws.load_usable(args);
  engine::RenderOptions o = ws.render_options(d, engine::Preset::Final);
  std::vector<std::string> notes;
  o.notice = [&notes](const std::string& msg) { notes.push_back(msg); };
  const auto found = engine::find_focus(d.loaded.draft, o);
  return structured_result({{"segments", focus_list_json(found)}, {"notes", notes}, {"hash", d.hash}});
}

}  // namespace

void add_frame_tools(ToolCatalog& tools, const Workspace& ws) {
  const Workspace* w = &ws;
  Json frame_properties = frame_schema_properties();
  Json get_frame_out = object_schema(
      with_properties(frame_properties, {{"fps", string_schema("the draft's frame rate")},
                                         {"frames", integer_schema("the draft's frame count")},
                                         {"milliseconds", number_schema("how long the frame took to make")},
                                         {"hash", hash_schema()}}),
      {"frame", "time_ms", "width", "height", "mime", "bytes", "pixel_hash", "fps", "frames", "hash"});
  tools.push_back(
      {"get_frame", "Look at one frame",
       "Renders one frame of a draft on this machine, exactly as the video shows it, and returns it as an image "
       "(PNG; JPEG when a PNG would be too large to send inline). Name the frame by time (ms) or by zero-based "
       "index (frame = floor(ms / 1000 * fps), as the cloud counts); default: the first frame. The result also "
       "gives the frame index, its time and a hash of its pixels (the same draft and frame always give the "
       "same hash: compare before and after an edit).",
       object_schema(with_properties(
           draft_properties(),
           {{"ms", {{"type", "number"}, {"minimum", 0}, {"description", "the time on the timeline, in milliseconds"}}},
            {"frame", {{"type", "integer"}, {"minimum", 0}, {"description", "the frame's zero-based index"}}},
            {"width",
             {{"type", "integer"},
              {"minimum", 16},
              {"maximum", 3840},
              {"description",
               "image width (default 960); a tall draft's image is narrower so that no side passes 3840"}}},
            {"format", enum_schema({"auto", "png", "jpeg"}, "image format (default auto: PNG unless too large)")}})),
       get_frame_out, true, [w](const Json& a, const ToolCall&) { return get_frame(*w, a); }});
  Json review_frame = object_schema(with_properties(frame_properties, {{"why", string_schema("why this frame")}}),
                                    {"frame", "time_ms", "width", "height", "mime", "bytes", "pixel_hash", "why"});
  tools.push_back(
      {"review_frames", "Look over the whole video",
       "A bounded set of representative frames (at most 12): the middle of each photo or clip and the middle of "
       "each transition, as images with their times; or, with mode storyboard, the whole timeline as one "
       "contact-sheet image (a thumbnail per segment, its times and transition, a lane per track).",
       object_schema(with_properties(
           draft_properties(),
           {{"mode", enum_schema({"frames", "storyboard"}, "frames (default) or one storyboard image")},
            {"max_frames", {{"type", "integer"}, {"minimum", 1}, {"maximum", 12}, {"description", "at most (12)"}}},
            {"width",
             {{"type", "integer"},
              {"minimum", 16},
              {"maximum", 1280},
              {"description", "each frame's width (480); narrower for a tall draft, no side past 1280"}}}})),
       object_schema(
           {{"mode", enum_schema({"frames", "storyboard"}, "what was made")},
            {"frames", {{"type", "array"}, {"items", review_frame}}},
            {"storyboard", object_schema({{"mime", string_schema("image/png")}, {"bytes", integer_schema("its size")}},
                                         {"mime", "bytes"})},
            {"hash", hash_schema()}},
           {"mode", "frames", "hash"}),
       true, [w](const Json& a, const ToolCall& c) { return review_frames(*w, a, c); }});
  Json box = object_schema({{"x", number_schema("left, 0..1 of the photo")},
                            {"y", number_schema("top, 0..1")},
                            {"w", number_schema("width, 0..1")},
                            {"h", number_schema("height, 0..1")}},
                           {"x", "y", "w", "h"});
  Json segment = object_schema({{"path", string_schema("the segment's JSON Pointer")},
                                {"source", string_schema("its photo or clip as written")},
                                {"from", enum_schema({"draft", "faces", "saliency"},
                                                     "how it is known: the draft's m.focus, faces found, or the "
                                                     "most salient region")},
                                {"focus", box},
                                {"faces", {{"type", "array"}, {"items", box}}}},
                               {"path", "source", "from", "focus", "faces"});
  tools.push_back({"focus", "Where each photo's or clip's subject is",
                   "The focus box of each video segment (0..1 of the upright photo or clip): the draft's m.focus "
                   "when it has one, else found here (faces, else the most salient region; a clip where its "
                   "segment starts). Framing and Ken Burns moves "
                   "aim at it; write a box into m.focus with edit_draft to move it.",
                   object_schema(draft_properties()),
                   object_schema({{"segments", {{"type", "array"}, {"items", segment}}},
                                  {"notes", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                                  {"hash", hash_schema()}},
                                 {"segments", "notes", "hash"}),
                   true, [w](const Json& a, const ToolCall&) { return focus(*w, a); }});
}

}  // namespace reel::cli::mcp
