#pragma once
// Where the subject of a photo is: faces through OpenCV's cascades (the ones Debian ships in
// opencv-data: one Haar cascade finds, another confirms; profiles), else visual saliency (the
// spectral residual of Hou and Zhang, 2007). Found on a small decode, once per photo or clip (kept
// beside the proxies), and used to aim every item's fit and Ken Burns path at it.
#include "engine/internal.h"

#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <utility>
#include <vector>

#include "draft/model.h"
#include "engine/plan/render_plan.h"

namespace reel::engine {

class ProxyCache;

/// What was found of a picture's subject, in 0..1 of the upright picture.
struct FoundFocus {
  enum class By { Faces, Saliency };
  draft::FocusBox focus;               // all faces (heads, with hair and chin), or the salient region
  std::vector<draft::FocusBox> faces;  // each head; empty when found by saliency
  By by = By::Saliency;
};

/// The long side of the picture the detector looks at (larger pictures are scaled down).
constexpr int kFocusDecodeSide = 1280;

/// Finds the subject of an upright 8-bit BGR picture of any size (scaled to
/// kFocusDecodeSide first when larger). Thread-safe; deterministic.
FoundFocus find_focus(const cv::Mat& bgr);

/// The faces alone (heads, 0..1 of the picture): find_focus's, for checking rendered frames.
std::vector<draft::FocusBox> find_faces(const cv::Mat& bgr);

/// Where `focus` (0..1 of the upright source of `item`) is on the canvas at frame n, in canvas
/// pixels (x, y, width, height; parts may lie outside the canvas).
cv::Rect2d focus_on_canvas(const Plan& plan, int item, int64_t n, const draft::FocusBox& focus);

/// Keeps the face cascades loaded while it lives. find_focus reads them (about 60 ms) when no
/// hold is alive and frees them when it ends, with the buffers their scans leave (about 10 MB,
/// which a render would otherwise carry into its encoding): a caller that finds many subjects
/// holds them across its searches.
class FaceCascadesHold {
 public:
  FaceCascadesHold();

 private:
  std::shared_ptr<const void> cascades_;
};

/// Empty when face detection works (as far as known: cascades that are there but cannot be
/// read are found out by the first search); else the sentence saying why it is off and what to do
/// ("OpenCV's face cascades were not found ... install opencv-data"); framing then follows
/// saliency alone.
std::string face_detection_problem();

/// Tells face_detection_problem() through a notice once, as soon as it is known: missing files
/// before any search, a scanner or cascade that cannot be read after the first.
class DetectionProblemNotice {
 public:
  explicit DetectionProblemNotice(NoticeFn notice) : notice_(std::move(notice)) {}
  /// Tells the problem if there is one now and it was not told yet.
  void tell();

 private:
  NoticeFn notice_;
  bool told_ = false;
};

/// The subject of `item`'s source (probed): for a photo, found on a decode of at most
/// kFocusDecodeSide; for a clip, on its pictures where the segment starts and a second later.
/// Read from `proxies` when found before, else found and kept there. Throws MediaError naming
/// the segment when the source cannot be decoded.
FoundFocus source_focus(const PlanItem& item, const ProxyCache* proxies);

/// Which items' subjects aim_at_subjects finds when the draft does not write them.
enum class SubjectsFound {
  Aimed,  // only where they move the picture: not explicit paths, not `blur`
  All,    // every item's (a storyboard that draws them)
};

/// Aims the Ken Burns path (and so the crop) of every item of `plan` whose source was
/// checked (check_item) at its subject: the focus written in the draft, else the one found
/// (source_focus), which is then kept in item.focus and item.faces. Explicit paths and `blur`
/// (whose photo is whole in every frame) keep their paths, and their subjects are found only
/// with SubjectsFound::All (finding one costs a decode of the photo and the detector's scans).
/// `only`: just these items (a still); else the items on screen in the plan's range
/// [frame_begin, frame_end). `notice` hears once when face detection is off.
void aim_at_subjects(Plan& plan, const ProxyCache* proxies, const NoticeFn& notice = {},
                     const std::vector<int>* only = nullptr, SubjectsFound found = SubjectsFound::Aimed);

}  // namespace reel::engine
