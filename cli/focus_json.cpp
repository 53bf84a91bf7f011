#include "cli/focus_json.h"

#include <cmath>

namespace reel::cli {

namespace {

// Four decimals: a ten-thousandth of the photo is finer than any framing needs.
double rounded(double v) { return std::round(v * 1e4) / 1e4; }

Json box_json(const draft::FocusBox& b) {
  return Json{{"x", rounded(b.x)}, {"y", rounded(b.y)}, {"w", rounded(b.w)}, {"h", rounded(b.h)}};
}

}  // namespace

const char* focus_source_name(engine::SegmentFocus::From f) {
  switch (f) {
    case engine::SegmentFocus::From::Written:
      return "draft";
    case engine::SegmentFocus::From::Faces:
      return "faces";
    case engine::SegmentFocus::From::Saliency:
      break;
  }
  return "saliency";
}

Json focus_list_json(const std::vector<engine::SegmentFocus>& found) {
  Json list = Json::array();
  for (const engine::SegmentFocus& f : found) {
    Json item{{"path", f.pointer}, {"source", f.reference}, {"from", focus_source_name(f.from)}};
    item["focus"] = box_json(f.focus);
    Json faces = Json::array();
    for (const draft::FocusBox& b : f.faces) faces.push_back(box_json(b));
    item["faces"] = faces;
    list.push_back(item);
  }
  return list;
}

}  // namespace reel::cli
