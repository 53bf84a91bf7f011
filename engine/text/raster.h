#pragma once
// Text segments to pictures. Shapes with HarfBuzz (any script), orders mixed
// left-to-right and right-to-left text by the Unicode bidi algorithm (fribidi), falls back per
// character to a font that has it (CJK, emoji),
// wraps at max_width, and rasterises with FreeType into a premultiplied BGRA block with the
// style's box, shadow, stroke and fill. Thread-safe (one mutex; text changes rarely per frame).
#include "engine/internal.h"

#include <mutex>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "draft/model.h"
#include "engine/text/fonts.h"
#include "engine/types.h"

namespace reel::engine {

/// A rasterised text block: premultiplied BGRA, and where its top-left goes on the canvas.
struct TextRaster {
  cv::Mat bgra;
  int x = 0, y = 0;
};

class TextRenderer {
 public:
  /// A font file named in style.font (.ttf .otf .ttc .otc) is found through `resolve`, like
  /// any other source of the draft; empty: used as named. A family name goes to fontconfig.
  explicit TextRenderer(SourceResolver resolve = {});

  /// How many characters the `type` animation reveals one by one.
  int char_count(const draft::TextProps& props) const;

  /// A script of some text that no installed font has (its glyphs would draw as boxes), with
  /// a Debian package whose fonts have it.
  struct MissingScript {
    std::string script;   // "Thai", "Devanagari", "emoji"
    std::string package;  // "fonts-noto-core"
  };
  /// The scripts of `props.text` no installed font covers, each once, in order of appearance.
  std::vector<MissingScript> missing_scripts(const draft::TextProps& props);

  /// Lays out and draws `props` for a canvas of canvas_w x canvas_h. `visible_chars` < 0
  /// draws all; otherwise only the first that many characters (the layout does not move).
  TextRaster render(const draft::TextProps& props, int canvas_w, int canvas_h, int visible_chars = -1);

 private:
  std::string font_of(const draft::TextStyle& style) const;  // a font file resolved, or the family
  SourceResolver resolve_;
  std::mutex mu_;
  FontLibrary fonts_;  // guarded by mu_
};

/// UTF-8 -> code points (the draft's JSON parser already refused invalid UTF-8).
std::u32string utf8_to_u32(const std::string& s);

}  // namespace reel::engine
