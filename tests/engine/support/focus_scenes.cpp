#include "tests/engine/support/focus_scenes.h"

#include <cstdlib>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "support/run_command.h"

namespace reel::test {

const SkimagePhotos& skimage_photos() {
  static const SkimagePhotos photos = [] {
    SkimagePhotos p;
    const std::string dir = REEL_TEST_PHOTOS_DIR;
    RunResult r = run_command("bash", {std::string(REEL_SOURCE_DIR) + "/scripts/fetch_skimage_photos.sh", dir});
    if (r.exit_code == 0)
      p.dir = dir;
    else
      p.problem = r.err.empty() ? "the fetch script failed" : r.err.substr(0, r.err.find_last_not_of('\n') + 1);
    return p;
  }();
  return photos;
}

cv::Mat skimage_picture(const std::string& file) {
  cv::Mat m = cv::imread(skimage_photos().dir + "/" + file, cv::IMREAD_COLOR);
  if (m.empty()) throw std::runtime_error("cannot read test picture " + file);
  return m;
}

cv::Mat backdrop(int width, int height, uint32_t seed) {
  cv::Mat out(height, width, CV_8UC3);
  cv::RNG rng(seed);
  const double a = rng.uniform(60.0, 160.0), b = rng.uniform(60.0, 160.0), c = rng.uniform(60.0, 160.0);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double u = double(x) / width, v = double(y) / height;
      out.at<cv::Vec3b>(y, x) = cv::Vec3b(cv::saturate_cast<uchar>(a + 40 * u), cv::saturate_cast<uchar>(b + 30 * v),
                                          cv::saturate_cast<uchar>(c + 20 * (u - v)));
    }
  cv::Mat noise(height / 8, width / 8, CV_8UC3);
  rng.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(6));
  cv::Mat big;
  cv::resize(noise, big, out.size(), 0, 0, cv::INTER_CUBIC);
  cv::GaussianBlur(big, big, cv::Size(0, 0), 6);
  cv::add(out, big, out);
  return out;
}

cv::Rect annotated_subject(const std::string& file) {
  if (file == "astronaut.png") return {175, 70, 100, 118};  // her face, ear to ear, forehead to chin
  if (file == "camera.png") return {175, 95, 85, 105};      // his face in profile, ear to nose
  if (file == "chelsea.png") return {110, 70, 250, 210};    // the cat's eyes, nose and mouth
  if (file == "coffee.png") return {170, 15, 260, 315};     // the cup, saucer's middle and spoon
  if (file == "rocket.jpg") return {290, 120, 70, 295};     // the rocket, nose to pad
  return {};
}

bool has_face(const std::string& file) { return file == "astronaut.png" || file == "camera.png"; }

namespace {

Scene place(const std::string& file, int canvas_w, int canvas_h, double fx, double fy, uint32_t seed) {
  cv::Mat pic = skimage_picture(file);
  const double s = 400.0 / std::max(pic.cols, pic.rows);
  cv::Mat scaled;
  cv::resize(pic, scaled, cv::Size(int(pic.cols * s), int(pic.rows * s)), 0, 0, cv::INTER_AREA);
  Scene sc;
  sc.photo = backdrop(canvas_w, canvas_h, seed);
  const int x = int((canvas_w - scaled.cols) * fx), y = int((canvas_h - scaled.rows) * fy);
  scaled.copyTo(sc.photo(cv::Rect(x, y, scaled.cols, scaled.rows)));
  const cv::Rect a = annotated_subject(file);
  const cv::Rect2d box(x + a.x * s, y + a.y * s, a.width * s, a.height * s);
  sc.face = has_face(file);
  sc.subject = {box.x / canvas_w, box.y / canvas_h, box.width / canvas_w, box.height / canvas_h};
  sc.name = file.substr(0, file.find('.')) + "@" + std::to_string(canvas_w) + "x" + std::to_string(canvas_h) + "+" +
            std::to_string(x) + "," + std::to_string(y);
  return sc;
}

}  // namespace

std::vector<Scene> focus_scenes() {
  std::vector<Scene> out;
  uint32_t seed = 1;
  for (const char* file : {"astronaut.png", "camera.png", "chelsea.png", "coffee.png", "rocket.jpg"}) {
    out.push_back(place(file, 1600, 900, 0.02, 0.5, seed++));   // at the left edge
    out.push_back(place(file, 1600, 900, 0.97, 0.05, seed++));  // top right
    out.push_back(place(file, 900, 1600, 0.7, 0.03, seed++));   // portrait, at the top
    out.push_back(place(file, 900, 1600, 0.03, 0.96, seed++));  // portrait, bottom left
  }
  return out;
}

Scene portrait_selfie() {
  const cv::Mat pic = skimage_picture("astronaut.png");
  // Columns 90..474 and all 512 rows: 3:4, the head at the top.
  const cv::Rect crop(90, 0, 384, 512);
  Scene sc;
  cv::resize(pic(crop), sc.photo, cv::Size(768, 1024), 0, 0, cv::INTER_CUBIC);
  const cv::Rect face = annotated_subject("astronaut.png");
  sc.subject = {double(face.x - crop.x) / crop.width, double(face.y - crop.y) / crop.height,
                double(face.width) / crop.width, double(face.height) / crop.height};
  sc.face = true;
  sc.name = "selfie";
  return sc;
}

}  // namespace reel::test
