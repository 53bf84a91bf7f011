#pragma once
// The fixed vocabularies of the draft (transition, preset, fit, easing, position names),
// the canvas shapes, and "did you mean" suggestions. Internal to draft/ and its users.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "draft/model.h"

namespace reel::draft {

constexpr int64_t kDefaultTransitionMs = 500;  // a transition given without d
constexpr int kMaxCanvasSide = 8192;
constexpr int kMaxFps = 240;

const std::vector<std::string>& ken_burns_preset_names();
const std::vector<std::string>& ease_names();
const std::vector<std::string>& fit_names();
const std::vector<std::string>& anchor_names();
const std::vector<std::string>& align_names();
const std::vector<std::string>& anim_in_names();
const std::vector<std::string>& anim_out_names();
const std::vector<std::string>& aspect_names();
const std::vector<std::string>& resolution_names();
const std::vector<std::string>& text_kind_names();

std::optional<KenBurnsPreset> ken_burns_preset_from_name(std::string_view name);
std::optional<Ease> ease_from_name(std::string_view name);
std::optional<Fit> fit_from_name(std::string_view name);
std::optional<Anchor> anchor_from_name(std::string_view name);
std::optional<Align> align_from_name(std::string_view name);
std::optional<TextAnimIn> anim_in_from_name(std::string_view name);
std::optional<TextAnimOut> anim_out_from_name(std::string_view name);

/// Width and height for an aspect ratio ("9:16") at a resolution named by its short side
/// ("1080p"): 9:16 at 1080p is 1080x1920. Both names must be valid.
std::pair<int, int> canvas_for_aspect(std::string_view aspect, std::string_view resolution);

/// The valid name closest to `given`: the draft's word for a name other editors use
/// ("crossfade" -> "fade", "upper-left" -> "top-left", "zoom" -> "in"), else the closest by edit
/// distance when close enough to be a typo.
std::optional<std::string> nearest_name(std::string_view given, const std::vector<std::string>& names);
/// `unknown transition "fadee"; did you mean "fade"?` or, with nothing close, the list.
std::string unknown_name_message(std::string_view what, std::string_view given, const std::vector<std::string>& names);

/// "red" -> "#FF0000": the hex spelling of a CSS colour name (the basic sixteen and a few
/// more), for the suggestion a draft's colour gets; empty for any other word.
std::optional<std::string> color_for_name(std::string_view name);

/// "35%" -> 35; empty when the text is not a plain non-negative percentage.
std::optional<double> percent_value(std::string_view text);

}  // namespace reel::draft
