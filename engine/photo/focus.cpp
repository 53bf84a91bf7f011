#include "engine/photo/focus.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <sstream>

#include "base/files.h"
#include "engine/clip/decoder.h"
#include "engine/errors.h"
#include "engine/photo/decoder.h"
#include "engine/photo/face_scan.h"
#include "engine/photo/framing.h"
#include "engine/photo/proxy_cache.h"

namespace reel::engine {

namespace fs = std::filesystem;
using draft::FocusBox;

namespace {

// Where opencv-data puts the cascades on Debian, and where a build of OpenCV from source does;
// REEL_CASCADE_DIR, when set, instead (a folder holding haarcascades/, or the
// cascade files themselves).
std::vector<fs::path> cascade_folders() {
  if (const char* env = std::getenv("REEL_CASCADE_DIR"); env && *env) return {fs::path(env)};
  return {"/usr/share/opencv4", "/usr/local/share/opencv4", "/usr/share/opencv"};
}

fs::path find_cascade(const char* kind, const char* name) {
  std::error_code ec;
  for (const fs::path& dir : cascade_folders())
    for (const fs::path& p : {dir / kind / name, dir / name})
      if (fs::is_regular_file(p, ec)) return p;
  return {};
}

/// Where the cascade files are, found once per process; `problem` says which is missing.
struct CascadeFiles {
  fs::path frontal, frontal_check, profile;
  std::string problem;
};

std::string detection_off(const char* name, const std::string& why) {
  return std::string("face detection is off: OpenCV's face cascade ") + name + why +
         "; install Debian's opencv-data package (or set REEL_CASCADE_DIR to a folder holding the cascades). "
         "Framing follows saliency until then";
}

std::string scanner_off(const std::string& why) {
  return "face detection is off: reel's face scanner " + why +
         "; build reel again (make build), or put the file beside the reel program or name it in "
         "REEL_FACE_SCAN_MODULE. Framing follows saliency until then";
}

const CascadeFiles& cascade_files() {
  static const CascadeFiles files = [] {
    CascadeFiles f;
    // Haar finds and a second Haar cascade confirms: Debian's LBP cascades were tried first
    // (lbpcascade_frontalface_improved to find, profileface for turned heads) and, at these
    // picture sizes, missed the faces under 7% of the picture and the turned head of the test
    // set; as the coarse pass before Haar (lbpcascade_frontalface) they cost as much as Haar's
    // own coarse pass and missed the turned head too (tests/engine/photo/focus_test.cpp,
    // benchmarks/focus.sh).
    const std::pair<fs::path*, const char*> wants[] = {{&f.frontal, "haarcascade_frontalface_alt2.xml"},
                                                       {&f.frontal_check, "haarcascade_frontalface_default.xml"},
                                                       {&f.profile, "haarcascade_profileface.xml"}};
    for (const auto& [path, name] : wants) {
      *path = find_cascade("haarcascades", name);
      if (path->empty()) {
        f.problem = detection_off(name, " was not found in " + cascade_folders().front().string());
        break;
      }
    }
    // The scanner that runs them is there (opened by the first search, not now).
    if (f.problem.empty())
      if (const std::string missing = face_scan_module_missing(); !missing.empty()) f.problem = scanner_off(missing);
    return f;
  }();
  return files;
}

/// Why the cascades found could not be read (empty until a load fails; it stays then).
std::mutex load_problem_mu;
std::string load_problem;

/// The cascades. A cascade keeps the picture it works on inside itself (its integral images at
/// every scale: about 10 MB after the scans of a photo), so one detection at a time (`busy`);
/// the profile cascade is loaded twice so that a picture and its mirror image are scanned side
/// by side.
struct Cascades {
  std::unique_ptr<CascadeScanner> frontal, frontal_check, profile, profile_mirrored;
  std::string problem;  // empty when all loaded
  std::mutex busy;

  explicit Cascades(const CascadeFiles& files) {
    std::string why;
    const FaceScanModule* module = face_scan_module(&why);
    if (!module) {
      problem = scanner_off(why);
      return;
    }
    const std::pair<std::unique_ptr<CascadeScanner>*, const fs::path*> wants[] = {
        {&frontal, &files.frontal},
        {&frontal_check, &files.frontal_check},
        {&profile, &files.profile},
        {&profile_mirrored, &files.profile}};
    for (const auto& [cascade, path] : wants) {
      *cascade = module->load(path->string());
      if (!*cascade) {
        problem = detection_off(path->filename().c_str(), " could not be read at " + path->string());
        return;
      }
    }
  }
};

/// The cascades while a search or a FaceCascadesHold has them (see focus.h).
std::shared_ptr<Cascades> held_cascades() {
  static std::mutex mu;
  static std::weak_ptr<Cascades> live;
  std::lock_guard<std::mutex> lock(mu);
  if (std::shared_ptr<Cascades> c = live.lock()) return c;
  auto c = std::make_shared<Cascades>(cascade_files());
  if (!c->problem.empty()) {
    std::lock_guard<std::mutex> l(load_problem_mu);
    load_problem = c->problem;
  }
  live = c;
  return c;
}

cv::Mat to_grey(const cv::Mat& bgr) {
  cv::Mat grey;
  if (bgr.channels() == 1)
    grey = bgr;
  else
    cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  return grey;
}

/// At most kFocusDecodeSide on its long side.
cv::Mat detector_size(const cv::Mat& picture) {
  const int side = std::max(picture.cols, picture.rows);
  if (side <= kFocusDecodeSide) return picture;
  const double s = double(kFocusDecodeSide) / side;
  cv::Mat out;
  cv::resize(picture, out,
             cv::Size(std::max(1, int(std::lround(picture.cols * s))), std::max(1, int(std::lround(picture.rows * s)))),
             0, 0, cv::INTER_AREA);
  return out;
}

double overlap(const cv::Rect& a, const cv::Rect& b) {
  const double inter = (a & b).area();
  return inter / std::max(1.0, double(std::min(a.area(), b.area())));
}

// The frontal scan, coarse to fine: sizes 1.4x apart, one neighbour enough, over the whole
// picture (a third of the windows of the fine scan), then sizes 1.1x apart and three neighbours
// (the scan the detector was measured with) only around what the coarse pass found.
constexpr double kCoarseStep = 1.4, kFineStep = 1.1;
constexpr int kCoarseNeighbours = 1, kFineNeighbours = 3, kFrontalMin = 24;

/// Cascade `find`'s faces of at least kFrontalMin px in `grey`, coarse to fine.
std::vector<cv::Rect> frontal_faces(CascadeScanner& find, const cv::Mat& grey) {
  std::vector<cv::Rect> faces;
  const std::vector<cv::Rect> candidates =
      find.scan(grey, kCoarseStep, kCoarseNeighbours, cv::Size(kFrontalMin, kFrontalMin));
  for (const cv::Rect& c : candidates) {
    bool seen = false;
    for (const cv::Rect& f : faces) seen = seen || (f & c).area() > c.area() / 2;
    if (seen) continue;
    const int pad = c.width / 2;
    const cv::Rect area =
        cv::Rect(c.x - pad, c.y - pad, c.width + 2 * pad, c.height + 2 * pad) & cv::Rect(0, 0, grey.cols, grey.rows);
    for (cv::Rect r :
         find.scan(grey(area), kFineStep, kFineNeighbours, cv::Size(kFrontalMin, kFrontalMin), area.size())) {
      r += area.tl();
      bool twice = false;
      for (const cv::Rect& f : faces) twice = twice || (f & r).area() > std::min(f.area(), r.area()) / 2;
      if (!twice) faces.push_back(r);
    }
  }
  return faces;
}

/// Cascade `find`'s faces in the picture; each kept when `check` finds a face in the area around it.
std::vector<cv::Rect> confirmed(CascadeScanner& find, CascadeScanner& check, const cv::Mat& grey) {
  std::vector<cv::Rect> out;
  const std::vector<cv::Rect> hits = frontal_faces(find, grey);
  for (const cv::Rect& h : hits) {
    const int pad = h.width / 3;
    const cv::Rect area =
        cv::Rect(h.x - pad, h.y - pad, h.width + 2 * pad, h.height + 2 * pad) & cv::Rect(0, 0, grey.cols, grey.rows);
    if (!check.scan(grey(area), 1.05, 2, cv::Size(h.width * 2 / 3, h.height * 2 / 3), area.size()).empty())
      out.push_back(h);
  }
  return out;
}

/// The head around a face box (hair above, chin below), in 0..1 of a picture cols x rows.
FocusBox head_of(const cv::Rect& f, int cols, int rows) {
  const double x0 = std::max(0.0, f.x - 0.3 * f.width), x1 = std::min(double(cols), f.x + 1.3 * f.width);
  const double y0 = std::max(0.0, f.y - 0.5 * f.height), y1 = std::min(double(rows), f.y + 1.3 * f.height);
  return {x0 / cols, y0 / rows, (x1 - x0) / cols, (y1 - y0) / rows};
}

/// `area` of `grey` at most `side` on its long side, evened out (what the cascades were trained on).
cv::Mat part_at(const cv::Mat& grey, const cv::Rect& area, int side, double* scale) {
  *scale = std::min(1.0, double(side) / std::max(area.width, area.height));
  cv::Mat part;
  cv::resize(
      grey(area), part,
      cv::Size(std::max(1, int(std::lround(area.width * *scale))), std::max(1, int(std::lround(area.height * *scale)))),
      0, 0, cv::INTER_AREA);
  cv::equalizeHist(part, part);
  return part;
}

// The picture sizes the cascades look at: frontal faces of at least 24 of 480 px (5% of the
// long side) over the whole picture, and of 24 of 480 px over the salient part, so the face of
// a subject placed small at the side is found too — that part looked at only when it brings
// faces at least 1.5x smaller than the whole picture's scan does; profiles (four neighbours,
// which keeps the false ones out) of at least 40 of 320 px (an eighth of the long side: the
// smaller sizes cost three quarters of the profile scan, and the turned heads of the test set
// are 45 px and more there) over the whole and over the salient part, only when no frontal
// face was found. A profile scan is not coarse to fine: the cascade finds the cameraman's
// turned head at only some of the sizes and places, and a coarse pass missed it.
constexpr int kWholeSide = 480, kSalientSide = 480, kWholeProfileSide = 320, kProfileSide = 320, kProfileMin = 40;
constexpr double kSalientFiner = 1.5;

std::vector<cv::Rect> face_rects(const cv::Mat& grey, const cv::Rect& salient) {
  if (grey.empty() || !face_detection_problem().empty()) return {};
  const std::shared_ptr<Cascades> held = held_cascades();
  Cascades& c = *held;
  if (!c.problem.empty()) return {};
  std::lock_guard<std::mutex> lock(c.busy);
  std::vector<cv::Rect> faces;
  auto add = [&](cv::Rect r, const cv::Rect& area, double s, bool mirrored, int cols) {
    if (mirrored) r.x = cols - r.x - r.width;
    const cv::Rect full(int(std::lround(area.x + r.x / s)), int(std::lround(area.y + r.y / s)),
                        int(std::lround(r.width / s)), int(std::lround(r.height / s)));
    for (const cv::Rect& f : faces)
      if (overlap(full, f) > 0.3) return;
    faces.push_back(full);
  };
  const cv::Rect whole(0, 0, grey.cols, grey.rows);
  std::vector<cv::Rect> areas = {whole};
  const double whole_scale = std::min(1.0, double(kWholeSide) / std::max(grey.cols, grey.rows));
  const double salient_scale =
      std::min(1.0, double(kSalientSide) / std::max(1, std::max(salient.width, salient.height)));
  if (salient.area() > 0 && salient.area() < whole.area() * 6 / 10 && salient_scale >= kSalientFiner * whole_scale)
    areas.push_back(salient);
  for (const cv::Rect& area : areas) {
    double s = 1;
    const cv::Mat part = part_at(grey, area, area == whole ? kWholeSide : kSalientSide, &s);
    for (const cv::Rect& r : confirmed(*c.frontal, *c.frontal_check, part)) add(r, area, s, false, part.cols);
  }
  if (faces.empty()) {
    for (const cv::Rect& area : areas) {
      double s = 1;
      const cv::Mat part = part_at(grey, area, area == whole ? kWholeProfileSide : kProfileSide, &s);
      // Heads turned either way: the mirror image on a second core (the profile scans are most
      // of the cost of a picture with no frontal face), or after the first when no thread can
      // be had (libstdc++ defers the task then).
      std::vector<cv::Rect> hits[2];
      auto mirrored_scan = std::async(std::launch::async | std::launch::deferred, [&] {
        cv::Mat mirrored;
        cv::flip(part, mirrored, 1);
        hits[1] = c.profile_mirrored->scan(mirrored, 1.1, 4, cv::Size(kProfileMin, kProfileMin));
      });
      hits[0] = c.profile->scan(part, 1.1, 4, cv::Size(kProfileMin, kProfileMin));
      mirrored_scan.get();
      for (bool flip : {false, true})
        for (const cv::Rect& r : hits[flip]) add(r, area, s, flip, part.cols);
    }
  }
  std::sort(faces.begin(), faces.end(),
            [](const cv::Rect& a, const cv::Rect& b) { return a.x != b.x ? a.x < b.x : a.y < b.y; });
  return faces;
}

/// The salient region by the spectral residual (Hou and Zhang, CVPR 2007): the log amplitude
/// spectrum minus its local mean, back with the original phase, squared and smoothed, on a
/// picture 64 wide. The region: the connected part above three times the mean saliency that
/// holds the most of it, joined by parts near it holding at least a third as much.
FocusBox salient_box(const cv::Mat& grey) {
  const int w = 64, h = std::clamp(int(std::lround(64.0 * grey.rows / std::max(1, grey.cols))), 8, 256);
  cv::Mat small, f;
  cv::resize(grey, small, cv::Size(w, h), 0, 0, cv::INTER_AREA);
  small.convertTo(f, CV_32F, 1.0 / 255);
  cv::Mat planes[] = {f, cv::Mat::zeros(f.size(), CV_32F)}, spectrum;
  cv::merge(planes, 2, spectrum);
  cv::dft(spectrum, spectrum);
  cv::split(spectrum, planes);
  cv::Mat amplitude, log_amplitude, mean_log, residual;
  cv::magnitude(planes[0], planes[1], amplitude);
  cv::log(amplitude + 1e-6f, log_amplitude);
  cv::blur(log_amplitude, mean_log, cv::Size(3, 3), cv::Point(-1, -1), cv::BORDER_REPLICATE);
  cv::exp(log_amplitude - mean_log, residual);
  // The phase kept: each component scaled by residual / amplitude.
  cv::Mat gain = residual / (amplitude + 1e-6f);
  planes[0] = planes[0].mul(gain);
  planes[1] = planes[1].mul(gain);
  cv::merge(planes, 2, spectrum);
  cv::idft(spectrum, spectrum, cv::DFT_SCALE);
  cv::split(spectrum, planes);
  cv::Mat saliency;
  cv::magnitude(planes[0], planes[1], saliency);
  saliency = saliency.mul(saliency);
  cv::GaussianBlur(saliency, saliency, cv::Size(0, 0), 2.5);
  const double mean = cv::mean(saliency)[0];
  if (!(mean > 0)) return {0.25, 0.25, 0.5, 0.5};
  cv::Mat mask = saliency > 3 * mean, labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8);
  std::vector<double> mass(size_t(std::max(n, 1)), 0.0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) mass[size_t(labels.at<int>(y, x))] += saliency.at<float>(y, x);
  int best = 0;
  for (int i = 1; i < n; ++i)
    if (best == 0 || mass[size_t(i)] > mass[size_t(best)]) best = i;
  if (best == 0) return {0.25, 0.25, 0.5, 0.5};  // nothing stands out: the middle
  auto rect_of = [&](int i) {
    return cv::Rect(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                    stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
  };
  cv::Rect box = rect_of(best);
  for (int i = 1; i < n; ++i) {
    if (i == best || mass[size_t(i)] < mass[size_t(best)] / 3) continue;
    const cv::Rect r = rect_of(i);
    const int gap = std::max(box.width, box.height) / 2;
    const cv::Rect near(box.x - gap, box.y - gap, box.width + 2 * gap, box.height + 2 * gap);
    if ((near & r).area() > 0) box |= r;
  }
  // With a margin of a tenth of its size around it: the map is coarse (64 px wide) and the
  // edges of a subject are less salient than its middle.
  const double mx = 0.1 * box.width, my = 0.1 * box.height;
  const double x0 = std::max(0.0, (box.x - mx) / w), y0 = std::max(0.0, (box.y - my) / h);
  const double x1 = std::min(1.0, (box.x + box.width + mx) / w), y1 = std::min(1.0, (box.y + box.height + my) / h);
  return {x0, y0, x1 - x0, y1 - y0};
}

FocusBox union_of(const std::vector<FocusBox>& boxes) {
  double x0 = 1, y0 = 1, x1 = 0, y1 = 0;
  for (const FocusBox& b : boxes) {
    x0 = std::min(x0, b.x);
    y0 = std::min(y0, b.y);
    x1 = std::max(x1, b.x + b.w);
    y1 = std::max(y1, b.y + b.h);
  }
  return {x0, y0, x1 - x0, y1 - y0};
}

// --- kept beside the proxies -----------------------------------------------------------------

// The version changes whenever the detector would find something else (3: a JPEG's picture
// for it decoded at 3/8 of its size where that is enough).
constexpr const char* kFocusVersion = "reel-focus-3|";

std::string focus_text(const FoundFocus& f) {
  std::ostringstream out;
  out.precision(17);
  out << (f.by == FoundFocus::By::Faces ? "faces" : "saliency") << ' ' << f.focus.x << ' ' << f.focus.y << ' '
      << f.focus.w << ' ' << f.focus.h << ' ' << f.faces.size();
  for (const FocusBox& b : f.faces) out << ' ' << b.x << ' ' << b.y << ' ' << b.w << ' ' << b.h;
  return out.str();
}

std::optional<FoundFocus> focus_from_text(const std::string& text) {
  std::istringstream in(text);
  FoundFocus f;
  std::string by;
  size_t faces = 0;
  if (!(in >> by >> f.focus.x >> f.focus.y >> f.focus.w >> f.focus.h >> faces) || faces > 1000) return std::nullopt;
  if (by != "faces" && by != "saliency") return std::nullopt;
  f.by = by == "faces" ? FoundFocus::By::Faces : FoundFocus::By::Saliency;
  for (size_t i = 0; i < faces; ++i) {
    FocusBox b;
    if (!(in >> b.x >> b.y >> b.w >> b.h)) return std::nullopt;
    f.faces.push_back(b);
  }
  return f;
}

}  // namespace

std::string face_detection_problem() {
  if (!cascade_files().problem.empty()) return cascade_files().problem;
  std::lock_guard<std::mutex> lock(load_problem_mu);
  return load_problem;
}

void DetectionProblemNotice::tell() {
  if (told_ || !notice_) return;
  const std::string problem = face_detection_problem();
  if (problem.empty()) return;
  notice_(problem);
  told_ = true;
}

std::vector<FocusBox> find_faces(const cv::Mat& bgr) { return find_focus(bgr).faces; }

FoundFocus find_focus(const cv::Mat& bgr) {
  FoundFocus f;
  const cv::Mat grey = to_grey(detector_size(bgr));
  f.focus = salient_box(grey);
  // The salient part with room around it, where a small face is looked for again.
  const double mx = 0.05 * f.focus.w, my = 0.05 * f.focus.h;
  const cv::Rect salient = cv::Rect(int((f.focus.x - mx) * grey.cols), int((f.focus.y - my) * grey.rows),
                                    int((f.focus.w + 2 * mx) * grey.cols), int((f.focus.h + 2 * my) * grey.rows)) &
                           cv::Rect(0, 0, grey.cols, grey.rows);
  for (const cv::Rect& r : face_rects(grey, salient)) f.faces.push_back(head_of(r, grey.cols, grey.rows));
  if (!f.faces.empty()) {
    f.by = FoundFocus::By::Faces;
    f.focus = union_of(f.faces);
  }
  return f;
}

namespace {

/// The cache key of what is found in `item`'s source, but for the detector's state ("" when it
/// cannot be kept): the detector's version, the file's identity and, for a clip, where the
/// segment starts in it.
std::string source_key(const PlanItem& item, const ProxyCache* proxies) {
  if (!proxies) return "";
  const std::string id = base::file_identity(item.path);
  if (id.empty()) return "";
  return kFocusVersion + id + (item.is_clip ? "|clip@" + std::to_string(item.in_us) : "");
}

/// What the detector's state adds to a key: findings made without faces are kept apart.
std::string detector_suffix() { return face_detection_problem().empty() ? "" : "|saliency-only"; }

FoundFocus photo_subject(const PlanItem& item) {
  const PhotoInfo& info = item.photo;
  const int64_t side = std::max<int64_t>(1, std::max(info.display_width(), info.display_height()));
  const double s = std::min(1.0, double(kFocusDecodeSide) / double(side));
  const cv::Size want(std::max(1, int(std::lround(info.display_width() * s))),
                      std::max(1, int(std::lround(info.display_height() * s))));
  cv::Mat picture;
  try {
    picture = decode_photo(item.path, info, want, draft::Color{128, 128, 128, 255});
  } catch (const DecodeError& e) {
    throw MediaError(
        {{item.pointer, item.reference, e.what(), "re-export or re-download the photo, or replace it in the draft"}});
  }
  return find_focus(picture);
}

// A clip is looked at where its segment starts and a second later (a subject that walks in):
// the picture with the most faces wins, else the first picture's salient region.
constexpr int64_t kClipLookAgainUs = 1'000'000;

FoundFocus clip_subject(const PlanItem& item) {
  ClipDecoder decoder(item.path, item.pointer, item.reference, item.clip);
  const int64_t start = std::clamp<int64_t>(item.in_us, 0, std::max<int64_t>(0, item.clip.duration_us - 1));
  FoundFocus best = find_focus(decoder.picture_at(start));
  if (start + kClipLookAgainUs < item.clip.duration_us) {
    const FoundFocus later = find_focus(decoder.picture_at(start + kClipLookAgainUs));
    if (later.faces.size() > best.faces.size()) best = later;
  }
  return best;
}

/// source_focus, with `held` keeping the cascades loaded from the first search on.
FoundFocus subject_of(const PlanItem& item, const ProxyCache* proxies, std::optional<FaceCascadesHold>& held) {
  const std::string key = source_key(item, proxies);
  if (!key.empty())
    if (std::optional<std::string> text = proxies->load_note(key + detector_suffix()))
      if (std::optional<FoundFocus> kept = focus_from_text(*text)) return *kept;
  if (!held) held.emplace();
  const FoundFocus found = item.is_clip ? clip_subject(item) : photo_subject(item);
  // The suffix asked again: cascades that could not be read are known only after the search.
  if (!key.empty()) proxies->store_note(key + detector_suffix(), focus_text(found));
  return found;
}

}  // namespace

FaceCascadesHold::FaceCascadesHold()
    : cascades_(face_detection_problem().empty() ? std::shared_ptr<const void>(held_cascades()) : nullptr) {}

FoundFocus source_focus(const PlanItem& item, const ProxyCache* proxies) {
  std::optional<FaceCascadesHold> held;
  return subject_of(item, proxies, held);
}

cv::Rect2d focus_on_canvas(const Plan& plan, int index, int64_t n, const FocusBox& focus) {
  const PlanItem& item = plan.items[size_t(index)];
  const SubjectView view = subject_view(plan, item, shown_size(item), focus, {});
  const draft::FocusPoint p = plan.focus_at(index, n);
  // The window of the framed picture the canvas shows (as ken_burns_affine places it).
  auto window_start = [](double c, double win) {
    return win >= 1 ? 0.5 - win / 2 : std::clamp(c, win / 2, 1 - win / 2) - win / 2;
  };
  const double w = view.view_w / p.zoom, h = view.view_h / p.zoom;
  const double x0 = window_start(p.x, w), y0 = window_start(p.y, h);
  return {(view.focus.x - x0) / w * plan.width, (view.focus.y - y0) / h * plan.height, view.focus.w / w * plan.width,
          view.focus.h / h * plan.height};
}

void aim_at_subjects(Plan& plan, const ProxyCache* proxies, const NoticeFn& notice, const std::vector<int>* only,
                     SubjectsFound which) {
  DetectionProblemNotice problem(notice);
  std::optional<FaceCascadesHold> held;  // let go when the last subject is found
  auto aim = [&](PlanItem& item) {
    const cv::Size shown = shown_size(item);
    if (shown.width <= 0 || shown.height <= 0 || item.focus_found) return;
    // blur shows the whole photo in every frame whatever the path (framing.cpp): nothing to aim.
    const bool aimed = item.kb_setting.preset != draft::KenBurnsPreset::Explicit && item.fit != draft::Fit::Blur;
    FocusBox focus;
    if (item.focus) {
      focus = *item.focus;
    } else if (!aimed && which == SubjectsFound::Aimed) {
      return;  // no pixel depends on it
    } else {
      problem.tell();
      const FoundFocus found = subject_of(item, proxies, held);
      problem.tell();
      focus = found.focus;
      item.faces = found.faces;
      item.focus = focus;
      item.focus_found = true;
    }
    if (!aimed) return;  // an explicit path is honoured as written
    const SubjectView view = subject_view(plan, item, shown, focus, item.faces);
    item.kb = aim_ken_burns(item.kb_setting, item.auto_pick, item.previous_pick, view);
    item.prep_scale = prep_scale_for(item.kb);
  };
  if (only) {
    for (int i : *only) aim(plan.items[size_t(i)]);
  } else {
    // A --from/--to range renders only its own frames (its chunks are cut at its edges): the
    // items off screen there keep their centred paths, their photos not decoded.
    for (PlanItem& item : plan.items)
      if (item.end_frame > plan.frame_begin && item.first_frame < plan.frame_end) aim(item);
  }
}

}  // namespace reel::engine
