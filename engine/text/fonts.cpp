#include "engine/text/fonts.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <fontconfig/fontconfig.h>
#include <hb-ft.h>
#include <hb.h>

#include <cmath>
#include <filesystem>

#include "engine/errors.h"

namespace reel::engine {

// The largest font file opened (Noto CJK's collections are about 20 MB).
constexpr std::uintmax_t kMaxFontFileBytes = 64u << 20;

bool names_font_file(const std::string& s) {
  auto ext = std::filesystem::path(s).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".ttf" || ext == ".otf" || ext == ".ttc" || ext == ".otc";
}

namespace {

// The file and face index fontconfig matches for `pattern`, optionally needing `cp`.
std::pair<std::string, int> match(FcConfig* fc, const std::string& pattern, bool bold, char32_t cp) {
  FcPattern* pat = FcNameParse(reinterpret_cast<const FcChar8*>(pattern.c_str()));
  if (!pat) return {};
  if (bold) FcPatternAddInteger(pat, FC_WEIGHT, FC_WEIGHT_BOLD);
  FcCharSet* cs = nullptr;
  if (cp) {
    cs = FcCharSetCreate();
    FcCharSetAddChar(cs, cp);
    FcPatternAddCharSet(pat, FC_CHARSET, cs);
  }
  FcConfigSubstitute(fc, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  std::pair<std::string, int> out;
  FcResult result;
  if (cp) {
    // Sorted by closeness; the first that really has the character wins.
    FcFontSet* set = FcFontSort(fc, pat, FcFalse, nullptr, &result);
    for (int i = 0; set && i < set->nfont; ++i) {
      FcCharSet* have = nullptr;
      FcChar8* file = nullptr;
      int index = 0;
      if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &have) == FcResultMatch && FcCharSetHasChar(have, cp) &&
          FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) == FcResultMatch) {
        FcPatternGetInteger(set->fonts[i], FC_INDEX, 0, &index);
        out = {reinterpret_cast<const char*>(file), index};
        break;
      }
    }
    if (set) FcFontSetDestroy(set);
  } else if (FcPattern* found = FcFontMatch(fc, pat, &result)) {
    FcChar8* file = nullptr;
    int index = 0;
    if (FcPatternGetString(found, FC_FILE, 0, &file) == FcResultMatch) {
      FcPatternGetInteger(found, FC_INDEX, 0, &index);
      out = {reinterpret_cast<const char*>(file), index};
    }
    FcPatternDestroy(found);
  }
  if (cs) FcCharSetDestroy(cs);
  FcPatternDestroy(pat);
  return out;
}

}  // namespace

double FontFace::set_pixel_size(int px) {
  if (color && FT_HAS_FIXED_SIZES(ft)) {
    FT_Select_Size(ft, 0);
    hb_ft_font_changed(hb);
    return strike_px > 0 ? static_cast<double>(px) / strike_px : 1.0;
  }
  FT_Set_Pixel_Sizes(ft, 0, static_cast<FT_UInt>(px));
  hb_ft_font_changed(hb);
  return 1.0;
}

bool FontFace::has_char(char32_t cp) const { return FT_Get_Char_Index(ft, cp) != 0; }

FontLibrary::FontLibrary() {
  if (FT_Init_FreeType(&ft_) != 0) throw EngineError("cannot start FreeType");
  fc_ = FcInitLoadConfigAndFonts();
  if (!fc_) {
    FT_Done_FreeType(ft_);
    throw EngineError("cannot load the fontconfig configuration");
  }
}

FontLibrary::~FontLibrary() {
  for (auto& [key, face] : faces_) {
    hb_font_destroy(face->hb);
    FT_Done_Face(face->ft);
  }
  FcConfigDestroy(fc_);
  FT_Done_FreeType(ft_);
}

FontFace* FontLibrary::open(const std::string& file, int index) {
  auto key = std::pair{file, index};
  if (auto it = faces_.find(key); it != faces_.end()) return it->second.get();
  FT_Face ft = nullptr;
  if (FT_New_Face(ft_, file.c_str(), index, &ft) != 0) return nullptr;
  auto face = std::make_unique<FontFace>();
  face->ft = ft;
  face->file = file;
  face->index = index;
  face->color = FT_HAS_COLOR(ft) && FT_HAS_FIXED_SIZES(ft);
  if (face->color)
    face->strike_px = ft->available_sizes[0].height;
  else
    FT_Set_Pixel_Sizes(ft, 0, 32);
  if (face->color) FT_Select_Size(ft, 0);
  face->hb = hb_ft_font_create_referenced(ft);
  FontFace* raw = face.get();
  faces_[key] = std::move(face);
  return raw;
}

FontFace* FontLibrary::face(const std::string& family_or_file, bool bold) {
  std::string key = family_or_file + (bold ? "#bold" : "");
  if (auto it = by_pattern_.find(key); it != by_pattern_.end()) return it->second;
  FontFace* f = nullptr;
  // A font file must be a file of a font's size: FreeType would wait forever on a FIFO and read
  // a device without end.
  std::error_code ec;
  const bool usable_file = names_font_file(family_or_file) && std::filesystem::is_regular_file(family_or_file, ec) &&
                           std::filesystem::file_size(family_or_file, ec) <= kMaxFontFileBytes && !ec;
  if (usable_file) {
    f = open(family_or_file, 0);
  } else {
    auto [file, index] = match(fc_, family_or_file.empty() ? "DejaVu Sans" : family_or_file, bold, 0);
    if (!file.empty()) f = open(file, index);
  }
  if (!f) {
    auto [file, index] = match(fc_, "sans-serif", bold, 0);
    if (!file.empty()) f = open(file, index);
  }
  if (!f)
    throw EngineError(
        "no font found for text (looked for \"" + family_or_file + "\" and sans-serif); install fonts-dejavu-core",
        base::Fault::Environment);
  by_pattern_[key] = f;
  return f;
}

FontFace* FontLibrary::face_for(char32_t cp, FontFace* preferred) {
  if (preferred->has_char(cp)) return preferred;
  if (auto it = fallback_.find(cp); it != fallback_.end()) return it->second ? it->second : preferred;
  FontFace* found = nullptr;
  auto [file, index] = match(fc_, "sans-serif", false, cp);
  if (!file.empty()) found = open(file, index);
  if (found && !found->has_char(cp)) found = nullptr;
  fallback_[cp] = found;
  return found ? found : preferred;
}

}  // namespace reel::engine
