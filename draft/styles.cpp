#include "draft/styles.h"

#include "draft/words.h"

namespace reel::draft {

const StyleSpec& style_spec(Style s) {
  // slideshow: calm, 4 s a photo, cross-dissolves, gentle varied motion;
  // promo: tighter cuts and punchier slides; highlight: fast, with zooms.
  static const StyleSpec specs[] = {
      {"slideshow", "slideshow", 4000, TransitionType::Fade, 1000, "auto", 0.8, 1500, 3000},
      {"promo", "promo", 2500, TransitionType::SlideLeft, 400, "in", 0.8, 500, 1500},
      {"highlight", "highlight reel", 2000, TransitionType::ZoomIn, 300, "auto", 0.9, 0, 1500},
  };
  return specs[static_cast<int>(s)];
}

std::optional<Style> style_from_name(std::string_view name) {
  if (name == "slideshow") return Style::Slideshow;
  if (name == "promo") return Style::Promo;
  if (name == "highlight") return Style::Highlight;
  return std::nullopt;
}

std::optional<Style> style_in_words(std::string_view lower_words) {
  if (has_any(lower_words, {"slideshow", "slide show", "幻灯片", "相册"})) return Style::Slideshow;
  if (has_any(lower_words, {"promo", "promotion", "advert", "宣传", "推广"})) return Style::Promo;
  if (has_any(lower_words, {"highlight", "集锦", "高光", "精彩"})) return Style::Highlight;
  return std::nullopt;
}

}  // namespace reel::draft
