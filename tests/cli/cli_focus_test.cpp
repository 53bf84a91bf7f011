// Focus end to end: `reel focus`, and the three cases of issue 13 through `reel make` — a
// subject at the side of a landscape photo in 9:16, a portrait selfie in 1:1, a portrait in
// blur with Ken Burns — checked in the decoded frames of the MP4 reel wrote: where each frame
// lies in the photo is found by matching the frame against the photo (not from reel's own
// geometry), the faces by the detector, the blur's photo by its detail.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "draft/json.h"
#include "draft/parse.h"
#include "engine/photo/focus.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "tests/engine/support/focus_scenes.h"
#include "tests/engine/support/media_fixtures.h"

namespace reel::test {
namespace {

namespace fs = std::filesystem;

RunResult reel(const std::vector<std::string>& args, const std::string& cwd) {
  return run_command(REEL_BINARY, args, "", cwd);
}

/// Where `part` matches `picture` best (normalised cross-correlation): the score and the place.
struct Match {
  double score = -2;
  cv::Rect at;
};
Match best_match(const cv::Mat& picture, const cv::Mat& part) {
  Match m;
  if (part.cols > picture.cols || part.rows > picture.rows) return m;
  cv::Mat score;
  cv::matchTemplate(picture, part, score, cv::TM_CCOEFF_NORMED);
  cv::Point at;
  cv::minMaxLoc(score, nullptr, &m.score, nullptr, &at);
  m.at = cv::Rect(at, part.size());
  return m;
}

/// Where a frame of a `cover` framing of `photo` lies in it: the window (photo pixels) whose
/// picture matches the frame best, over zooms 1..1.35 and every position.
cv::Rect2d window_of(const cv::Mat& frame, const cv::Mat& photo) {
  const double q = 0.25;  // matched at a quarter size: fast, and finer than the subject's margin
  cv::Mat small_photo;
  cv::resize(photo, small_photo, cv::Size(), q, q, cv::INTER_AREA);
  const double cover = std::max(double(frame.cols) / photo.cols, double(frame.rows) / photo.rows);
  double best = -2;
  cv::Rect2d where;
  for (double z = 1.0; z <= 1.35; z += 0.005) {
    const double w = frame.cols / (cover * z), h = frame.rows / (cover * z);
    cv::Mat t;
    cv::resize(frame, t, cv::Size(int(std::lround(w * q)), int(std::lround(h * q))), 0, 0, cv::INTER_AREA);
    const Match m = best_match(small_photo, t);
    if (m.score > best) {
      best = m.score;
      where = cv::Rect2d(m.at.x / q, m.at.y / q, m.at.width / q, m.at.height / q);
    }
  }
  EXPECT_GT(best, 0.9) << "the frame was found in the photo";
  return where;
}

cv::Rect2d subject_px(const Scene& s) {
  return {s.subject.x * s.photo.cols, s.subject.y * s.photo.rows, s.subject.w * s.photo.cols,
          s.subject.h * s.photo.rows};
}

bool holds(const cv::Rect2d& window, const cv::Rect2d& subject, double tol) {
  return subject.x >= window.x - tol && subject.y >= window.y - tol && subject.br().x <= window.br().x + tol &&
         subject.br().y <= window.br().y + tol;
}

struct Made {
  std::vector<cv::Mat> frames;  // BGR
  Json draft;
};

Made make(const TempDir& dir, const std::string& photo, const std::string& aspect) {
  RunResult r = reel(
      {"make", photo, "--aspect", aspect, "--preview", "--progress", "none", "--draft-out", "d.json", "-o", "out.mp4"},
      dir.path().string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Made m;
  m.draft = draft::read_json_file(dir.file("d.json"));
  // The frames outside the draft's fade from and to black (m.fi, m.fo), where the picture is
  // itself, to be found in the photo.
  const std::vector<std::vector<cv::Mat>> all = decode_yuv(dir.file("out.mp4"));
  const Json& meta = m.draft["m"];
  const double fps = meta.contains("fps") && meta["fps"].is_number() ? meta["fps"].get<double>() : 30;
  const auto frames_of_ms = [&](const char* key) {
    return meta.contains(key) ? size_t(std::ceil(meta[key].get<double>() * fps / 1000)) : size_t(0);
  };
  const size_t skip_in = frames_of_ms("fi"), skip_out = frames_of_ms("fo");
  for (size_t n = skip_in; n + skip_out < all.size(); ++n) m.frames.push_back(to_bgr(all[n]));
  return m;
}

TEST(FocusE2E, SubjectAtTheSideOfALandscapePhotoStaysInEveryFrameOf9x16) {
  REQUIRE_SKIMAGE_PHOTOS();
  // The cat at the right edge of a 1600x900 photo (the ladybug of the issue).
  const std::vector<Scene> scenes = focus_scenes();
  const Scene& cat = scenes[9];  // chelsea, top right
  ASSERT_EQ(cat.name.rfind("chelsea@1600x900", 0), 0u) << cat.name;
  TempDir dir;
  write_image(dir.file("cat.jpg"), cat.photo);
  const Made m = make(dir, "cat.jpg", "9:16");
  ASSERT_GE(m.frames.size(), 50u);
  EXPECT_TRUE(m.draft["t"][0]["sg"][0]["m"].contains("focus")) << "reel make writes the focus it found";
  const cv::Rect2d subject = subject_px(cat);
  int inside = 0, checked = 0;
  for (size_t n = 0; n < m.frames.size(); n += 6) {
    const cv::Rect2d w = window_of(m.frames[n], cat.photo);
    ++checked;
    inside += holds(w, subject, 8) ? 1 : 0;
    EXPECT_TRUE(holds(w, subject, 8)) << "frame " << n << " shows " << w << ", the cat's face is " << subject;
  }
  EXPECT_EQ(inside, checked);
}

TEST(FocusE2E, PortraitSelfieIn1x1KeepsTheEyesInEveryFrame) {
  REQUIRE_SKIMAGE_PHOTOS();
  const Scene selfie = portrait_selfie();
  TempDir dir;
  write_image(dir.file("selfie.jpg"), selfie.photo);
  const Made m = make(dir, "selfie.jpg", "1:1");
  ASSERT_GE(m.frames.size(), 50u);
  const cv::Rect2d face = subject_px(selfie);
  for (size_t n = 0; n < m.frames.size(); n += 6) {
    const cv::Rect2d w = window_of(m.frames[n], selfie.photo);
    EXPECT_TRUE(holds(w, face, 8)) << "frame " << n << " shows " << w << ", the face is " << face;
    // And the detector finds the face in the frame, whole.
    const std::vector<draft::FocusBox> faces = engine::find_faces(m.frames[n]);
    ASSERT_FALSE(faces.empty()) << "frame " << n;
    EXPECT_GT(faces[0].y, 0.0) << "frame " << n << ": the head is not cut at the top";
  }
}

TEST(FocusE2E, PortraitInBlurWithKenBurnsIsNeverCut) {
  REQUIRE_SKIMAGE_PHOTOS();
  const Scene selfie = portrait_selfie();
  TempDir dir;
  write_image(dir.file("selfie.jpg"), selfie.photo);
  // A portrait in 16:9: reel make frames it with blur and moves it (auto).
  const Made m = make(dir, "selfie.jpg", "16:9");
  ASSERT_GE(m.frames.size(), 50u);
  EXPECT_EQ(m.draft["t"][0]["sg"][0]["m"]["fit"], "blur");
  EXPECT_EQ(m.draft["t"][0]["sg"][0]["m"]["kb"], "auto");
  for (size_t n = 0; n < m.frames.size(); n += 6) {
    // The whole photo is in the frame at some size: matched as a whole (a cut photo does not
    // fit inside the frame at its size, and no part of it matches as well).
    cv::Mat frame;  // at half size: quick, and a cut of a few pixels still shows
    cv::resize(m.frames[n], frame, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
    Match best;
    for (int h = frame.rows * 3 / 4; h <= frame.rows; ++h) {
      cv::Mat t;
      cv::resize(selfie.photo, t, cv::Size(h * selfie.photo.cols / selfie.photo.rows, h), 0, 0, cv::INTER_AREA);
      const Match m = best_match(frame, t);
      if (m.score > best.score) best = m;
    }
    EXPECT_GT(best.score, 0.95) << "frame " << n << ": the whole photo shows (best match " << best.at << ")";
    EXPECT_GT(best.at.y, 0) << "frame " << n;
    EXPECT_LT(best.at.br().y, frame.rows) << "frame " << n;
  }
}

TEST(FocusCli, ShowsWritesAndKeepsTheFocusOfEveryPhoto) {
  REQUIRE_SKIMAGE_PHOTOS();
  const std::vector<Scene> scenes = focus_scenes();
  TempDir dir;
  write_image(dir.file("astronaut.jpg"), scenes[0].photo);
  write_image(dir.file("cat.jpg"), scenes[9].photo);
  Json d = slideshow_json(640, 360, 25, {"astronaut.jpg", "cat.jpg"}, 2000, {{"kb", "auto"}});
  d["t"][0]["sg"][1]["m"]["focus"] = {{"x", 0.5}, {"y", 0.25}, {"w", 0.25}, {"h", 0.5}};
  const std::string text = draft::write_json(d, true) + "\n";
  {
    std::FILE* f = std::fopen(dir.file("d.json").c_str(), "wb");
    std::fputs(text.c_str(), f);
    std::fclose(f);
  }
  RunResult shown = reel({"focus", "d.json"}, dir.path().string());
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("/t/0/sg/0: astronaut.jpg: x "), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("(1 face)"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("/t/0/sg/1: cat.jpg: x 0.500  y 0.250  w 0.250  h 0.500  (draft)"), std::string::npos)
      << shown.out;
  EXPECT_EQ(slurp(dir.file("d.json")), text) << "without --write the draft is not touched";

  RunResult json = reel({"focus", "d.json", "--json"}, dir.path().string());
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const Json list = Json::parse(json.out);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["from"], "faces");
  EXPECT_EQ(list[0]["faces"].size(), 1u);
  EXPECT_EQ(list[1]["from"], "draft");

  RunResult wrote = reel({"focus", "d.json", "--write"}, dir.path().string());
  ASSERT_EQ(wrote.exit_code, 0) << wrote.err;
  EXPECT_NE(wrote.err.find("wrote 1 focus box into d.json"), std::string::npos) << wrote.err;
  const Json after = draft::read_json_file(dir.file("d.json"));
  EXPECT_EQ(after["t"][0]["sg"][0]["m"]["focus"]["x"], list[0]["focus"]["x"]);
  EXPECT_EQ(after["t"][0]["sg"][1]["m"]["focus"], d["t"][0]["sg"][1]["m"]["focus"]) << "the written focus is kept";
  RunResult again = reel({"focus", "d.json", "--write"}, dir.path().string());
  EXPECT_NE(again.err.find("nothing to write: every segment's focus is already in the draft"), std::string::npos)
      << again.err;

  // The storyboard draws the boxes when asked: cyan for a focus the draft writes (both now).
  ASSERT_EQ(reel({"storyboard", "d.json", "-o", "plain.png"}, dir.path().string()).exit_code, 0);
  ASSERT_EQ(reel({"storyboard", "d.json", "-o", "boxes.png", "--focus"}, dir.path().string()).exit_code, 0);
  auto cyan = [&](const std::string& file) {
    cv::Mat m = cv::imread(dir.file(file), cv::IMREAD_COLOR), mask;
    cv::inRange(m, cv::Scalar(245, 210, 0), cv::Scalar(255, 230, 10), mask);
    return cv::countNonZero(mask);
  };
  EXPECT_EQ(cyan("plain.png"), 0);
  EXPECT_GT(cyan("boxes.png"), 100);
}

// d.json in `dir`: the astronaut (a face) with a move that is aimed at its subject.
void write_astronaut_draft(const TempDir& dir) {
  write_image(dir.file("astronaut.jpg"), focus_scenes()[0].photo);
  const Json d = slideshow_json(640, 360, 25, {"astronaut.jpg"}, 2000, {{"kb", "auto"}});
  std::FILE* f = std::fopen(dir.file("d.json").c_str(), "wb");
  std::fputs(draft::write_json(d, false).c_str(), f);
  std::fclose(f);
}

TEST(FocusCli, WithoutTheFaceCascadesSaysSoAndFollowsSaliency) {
  REQUIRE_SKIMAGE_PHOTOS();
  TempDir dir;
  write_astronaut_draft(dir);
  setenv("REEL_CASCADE_DIR", dir.file("no-cascades").c_str(), 1);
  RunResult r = reel({"focus", "d.json", "--no-cache"}, dir.path().string());
  unsetenv("REEL_CASCADE_DIR");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("reel: note: face detection is off: OpenCV's face cascade haarcascade_frontalface_alt2.xml "
                       "was not found in " +
                       dir.file("no-cascades") + "; install Debian's opencv-data package"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("(saliency)"), std::string::npos) << r.out;
}

// The cascades run in a module of their own (libreel_face_scan.so, opened by the first search):
// when it is missing or is not a module, the search says so and frames by saliency.
TEST(FocusCli, WithoutTheFaceScannerSaysSoAndFollowsSaliency) {
  REQUIRE_SKIMAGE_PHOTOS();
  TempDir dir;
  write_astronaut_draft(dir);
  const std::string advice =
      "; build reel again (make build), or put the file beside the reel program or name it in "
      "REEL_FACE_SCAN_MODULE. Framing follows saliency until then\n";

  setenv("REEL_FACE_SCAN_MODULE", dir.file("gone.so").c_str(), 1);
  RunResult r = reel({"focus", "d.json", "--no-cache"}, dir.path().string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err,
            "reel: note: face detection is off: reel's face scanner libreel_face_scan.so was not found "
            "(looked for " +
                dir.file("gone.so") + ")" + advice);
  EXPECT_NE(r.out.find("(saliency)"), std::string::npos) << r.out;

  std::ofstream(dir.file("text.so")) << "not a shared object\n";
  setenv("REEL_FACE_SCAN_MODULE", dir.file("text.so").c_str(), 1);
  r = reel({"focus", "d.json", "--no-cache"}, dir.path().string());
  unsetenv("REEL_FACE_SCAN_MODULE");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string opened =
      "reel: note: face detection is off: reel's face scanner " + dir.file("text.so") + " could not be opened (";
  EXPECT_EQ(r.err.rfind(opened, 0), 0u) << r.err;
  EXPECT_NE(r.err.find(")" + advice), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("(saliency)"), std::string::npos) << r.out;

  r = reel({"focus", "d.json", "--no-cache"}, dir.path().string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("face detection is off"), std::string::npos) << "found beside the program: " << r.err;
  EXPECT_NE(r.out.find("face"), std::string::npos) << "the astronaut's face: " << r.out;
}

}  // namespace
}  // namespace reel::test
