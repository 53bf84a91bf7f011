#include "draft/styles.h"

namespace reel::draft {

const StyleSpec& style_spec(Style s) {
  // slideshow: calm, 4 s a photo, cross-dissolves, gentle varied motion;
  // promo: tighter cuts and punchier slides; highlight: fast, with zooms.
  static const StyleSpec specs[] = {
      {"slideshow", 4000, TransitionType::Fade, 1000, "auto", 0.8, 1500, 3000},
      {"promo", 2500, TransitionType::SlideLeft, 400, "in", 0.8, 500, 1500},
      {"highlight", 2000, TransitionType::ZoomIn, 300, "auto", 0.9, 0, 1500},
  };
  return specs[static_cast<int>(s)];
}

std::optional<Style> style_from_name(std::string_view name) {
  if (name == "slideshow") return Style::Slideshow;
  if (name == "promo") return Style::Promo;
  if (name == "highlight") return Style::Highlight;
  return std::nullopt;
}

}  // namespace reel::draft
