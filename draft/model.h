#pragma once
// The typed view of a draft (see docs/draft-format.md). A Draft owns the JSON it was read
// from; the typed fields are a projection of it, rebuilt by load_draft(). Edits go through
// draft/edit.h, which changes the JSON and rebuilds the view, so writing the draft back never
// drops or reorders anything the view does not know.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "draft/json.h"
#include "draft/problem.h"
#include "draft/time.h"

namespace reel::draft {

struct Color {
  uint8_t r = 0, g = 0, b = 0, a = 255;
  bool operator==(const Color&) const = default;
};
/// "#RRGGBB" or "#RRGGBBAA" (case-insensitive). Empty when malformed.
std::optional<Color> parse_color(std::string_view text);

struct Canvas {
  int width = 1920;
  int height = 1080;
  Rational fps{30, 1};
  Color background{0, 0, 0, 255};
};

enum class TrackKind { Video, Audio, Text, Other };
enum class Fit { Cover, Contain, Blur, Stretch };
enum class Ease { Linear, In, Out, InOut };

/// A Ken Burns key point: (x, y) is the point of the source kept at the frame centre, in
/// 0..1 of the source; zoom is over the fitted framing (>= 1).
struct FocusPoint {
  double x = 0.5, y = 0.5, zoom = 1.0;
  bool operator==(const FocusPoint&) const = default;
};

/// Where the subject of a photo or clip is: a box in 0..1 of the upright source (x, y its
/// top-left corner). Written as `m.focus`; without one the engine finds it (faces, saliency).
struct FocusBox {
  double x = 0, y = 0, w = 1, h = 1;
  bool operator==(const FocusBox&) const = default;
};

enum class KenBurnsPreset { None, In, Out, Left, Right, Up, Down, Auto, Explicit };

struct KenBurns {
  KenBurnsPreset preset = KenBurnsPreset::None;
  FocusPoint from, to;  // meaningful when preset == Explicit
  Ease ease = Ease::InOut;
};

enum class TransitionType {
  None,
  Fade,
  FadeBlack,
  FadeWhite,
  Dissolve,
  WipeLeft,
  WipeRight,
  WipeUp,
  WipeDown,
  SlideLeft,
  SlideRight,
  SlideUp,
  SlideDown,
  ZoomIn,
  CircleOpen,
  CircleClose,
  Radial,
  Pixelize
};

/// The transition into a segment from the one before it, centred on the cut.
struct Transition {
  TransitionType type = TransitionType::None;
  int64_t duration_ms = 0;
};

struct VideoProps {
  Fit fit = Fit::Cover;
  KenBurns ken_burns;
  std::optional<FocusBox> focus;  // m.focus: where the subject is; empty: found by the engine
  std::optional<Transition> transition;
  double volume = 1.0;  // a clip's own sound
  bool mute = false;
  bool loop = false;  // a clip shorter than its segment repeats instead of holding
};

struct AudioProps {
  double volume = 1.0;  // linear gain 0..4
  int64_t fade_in_ms = 0, fade_out_ms = 0;
  bool loop = false;
  bool duck = false;
};

enum class Anchor { TopLeft, Top, TopRight, Left, Center, Right, BottomLeft, Bottom, BottomRight };
enum class Align { Left, Center, Right };

struct TextPosition {
  std::optional<Anchor> anchor = Anchor::Center;  // empty: explicit x, y
  double x = 0.5, y = 0.5;                        // 0..1 of the canvas, with no anchor
};

struct TextStyle {
  std::string font;    // family name or file; empty: the default family
  double size = 0.06;  // fraction of canvas height
  Color color{255, 255, 255, 255};
  std::optional<Color> stroke, shadow, box;
  TextPosition position;
  std::optional<Align> align;  // empty: follows the anchor
  double max_width = 0.9;      // fraction of canvas width; longer lines wrap
};

enum class TextAnimIn { None, Fade, SlideUp, Pop, Type };
enum class TextAnimOut { None, Fade };

struct TextAnim {
  TextAnimIn in = TextAnimIn::None;
  TextAnimOut out = TextAnimOut::None;
  int64_t duration_ms = 500;
};

struct TextProps {
  std::string text;
  std::string kind;  // "title", "subtitle", "caption", "text" or empty
  TextStyle style;
  TextAnim anim;
};

/// A segment of any track. Which of video/audio/text applies follows the track's kind.
struct Segment {
  std::string pointer;  // JSON pointer of the segment in the draft, e.g. "/t/0/sg/2"
  std::string id;
  int64_t start_ms = 0;
  int64_t duration_ms = 0;
  std::string source;  // media reference as written; empty for text
  int64_t source_in_ms = 0;
  std::string name;  // m.name
  VideoProps video;
  AudioProps audio;
  TextProps text;
  int64_t end_ms() const { return start_ms + duration_ms; }
};

struct Track {
  std::string pointer;  // e.g. "/t/1"
  int64_t type = 0;     // the raw tt
  TrackKind kind = TrackKind::Video;
  std::string name;        // m.name
  std::string kind_label;  // m.kind, as written
  std::vector<Segment> segments;
};

/// `m.loudness`: the integrated loudness (EBU R128) the final mix is brought to, or off
/// (docs/audio.md). The range a draft may ask for is kMinLoudnessLufs..kMaxLoudnessLufs.
struct Loudness {
  bool normalise = true;
  double lufs = -14;  // the social platforms' level
  bool operator==(const Loudness&) const = default;
};
inline constexpr double kMinLoudnessLufs = -40, kMaxLoudnessLufs = -5;

/// A whole draft: the JSON it came from plus the typed view. Plain data; no I/O.
struct Draft {
  Json json;
  std::string title;
  Canvas canvas;
  Loudness loudness;
  std::optional<int64_t> declared_duration_ms;  // top-level d
  std::vector<Track> tracks;
  bool long_keys = false;  // the input spelled its top-level keys long ("tracks")

  /// Top-level d when given, else the latest segment end (0 when empty).
  int64_t duration_ms() const;
  /// At least one track has a segment.
  bool exportable() const;
};

/// Builds the typed view of `json` and checks it: every problem at once, each with its JSON
/// pointer. Type errors leave the field at its default. Never throws for a JSON value.
struct LoadResult {
  Draft draft;
  std::vector<Problem> problems;
  bool ok() const { return !has_errors(problems); }
};
LoadResult load_draft(Json json);

/// Names, as written in drafts and by the CLI.
const char* to_string(TrackKind k);
const char* to_string(Fit f);
const char* to_string(Ease e);
const char* to_string(KenBurnsPreset p);
const char* to_string(TransitionType t);
const char* to_string(Anchor a);
const char* to_string(Align a);
const char* to_string(TextAnimIn a);
const char* to_string(TextAnimOut a);

/// Every transition name a draft may use, in draft-format.md's order.
const std::vector<std::string>& transition_names();
std::optional<TransitionType> transition_from_name(std::string_view name);

}  // namespace reel::draft
