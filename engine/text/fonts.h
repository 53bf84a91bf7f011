#pragma once
// Fonts for text tracks. Finds families through fontconfig (a private FcConfig, not
// the process-wide one), opens each font file once with FreeType, and picks a fallback font
// for any character the chosen one lacks. Not thread-safe: callers hold the owner's mutex.
#include "engine/internal.h"

#include <map>
#include <memory>
#include <string>
#include <utility>

struct FT_LibraryRec_;
struct FT_FaceRec_;
struct hb_font_t;
struct _FcConfig;

namespace reel::engine {

/// One opened font face. `color` faces (emoji) have fixed bitmap sizes and are scaled.
/// Whether a style's font names a file (.ttf .otf .ttc .otc) rather than a family.
bool names_font_file(const std::string& font);

struct FontFace {
  FT_FaceRec_* ft = nullptr;
  hb_font_t* hb = nullptr;
  std::string file;
  int index = 0;
  bool color = false;
  int strike_px = 0;  // for color faces: the pixel size of the selected bitmap strike
  /// Sets the pixel size used for shaping and rendering; returns the scale to apply to what
  /// the face produces (1 for scalable faces; target / strike size for bitmap faces).
  double set_pixel_size(int px);
  bool has_char(char32_t cp) const;
};

class FontLibrary {
 public:
  FontLibrary();
  ~FontLibrary();
  FontLibrary(const FontLibrary&) = delete;
  FontLibrary& operator=(const FontLibrary&) = delete;

  /// The face for `family_or_file`: a font file path (.ttf .otf .ttc), or a fontconfig family
  /// pattern ("DejaVu Sans", "Noto Sans CJK SC:bold"). Empty: the default sans-serif.
  /// Throws EngineError when no font at all can be found.
  FontFace* face(const std::string& family_or_file, bool bold);
  /// A face that has `cp`: `preferred` when it does, else the best fallback fontconfig knows;
  /// `preferred` again when no installed font has it (the glyph then shows as a box).
  FontFace* face_for(char32_t cp, FontFace* preferred);

 private:
  FontFace* open(const std::string& file, int index);
  FT_LibraryRec_* ft_ = nullptr;
  _FcConfig* fc_ = nullptr;
  std::map<std::pair<std::string, int>, std::unique_ptr<FontFace>> faces_;
  std::map<std::string, FontFace*> by_pattern_;
  std::map<char32_t, FontFace*> fallback_;
};

}  // namespace reel::engine
