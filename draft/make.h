#pragma once
// `reel make`: a draft built from a handful of photos or clips, a style and optional music.
// Pure: what the files are (size, capture time, alpha, music beats) is measured by the
// engine and passed in, so the choices here are tested without any media.
#include <optional>
#include <string>
#include <vector>

#include "draft/json.h"
#include "draft/model.h"
#include "draft/styles.h"

namespace reel::draft {

/// One photo or clip as `reel make` found it.
struct MediaItem {
  std::string reference;               // as it goes in the draft ("photos/a.jpg")
  int width = 0, height = 0;           // upright, after EXIF orientation
  std::optional<int64_t> captured_at;  // EXIF capture time, seconds since the epoch
  bool is_clip = false;
  int64_t clip_ms = 0;     // a clip's length
  bool has_alpha = false;  // a PNG with transparency (a logo)
};

struct MakeRequest {
  Style style = Style::Slideshow;
  std::vector<MediaItem> media;
  std::string music;                         // reference of the music file; empty: none
  int64_t music_ms = 0;                      // its length
  std::vector<int64_t> beats_ms;             // beat times in the music, ascending
  std::string title;                         // --title, or the prompt's first quoted text
  std::string tagline;                       // the prompt's second quoted text
  std::string aspect = "16:9";               // 16:9, 9:16, 1:1, 4:5
  std::optional<int64_t> duration_ms;        // --duration
  double pace = 1.0;                         // photo length against the style's (0.6: faster)
  std::optional<TransitionType> transition;  // instead of the style's; None: straight cuts
  /// The video ends with the song: photo lengths follow it (cut on its beats, a few photos a
  /// beat when there are many); the song loops, crossfaded, only when the photos cannot fit.
  bool fit_music = false;
  int fps = 30;
};

/// How long the fade from black at the start and to black at the end lasts (picture and music).
inline constexpr int64_t kEndsFadeMs = 1000;
/// The shortest a photo may show in `reel make`.
inline constexpr int64_t kMinPhotoMs = 500;

/// The draft, in short keys. Throws std::invalid_argument with a plain sentence when the
/// request cannot make a video (no media, a duration too short for the photos given).
Json make_draft(const MakeRequest& request);

/// Photos in capture-time order where they have one (earliest first), the rest after them by
/// file name; a logo (file named logo*, or a PNG with transparency) goes last.
std::vector<MediaItem> ordered_media(const std::vector<MediaItem>& media);
bool is_logo(const MediaItem& item);

/// Cut times for `count` segments over `total_ms`, each moved to the nearest beat while the
/// cuts stay in order and at least `min_gap_ms` apart. Returns count + 1 times (0 and the end
/// included).
std::vector<int64_t> cuts_on_beats(size_t count, int64_t total_ms, const std::vector<int64_t>& beats_ms,
                                   int64_t min_gap_ms);

}  // namespace reel::draft
