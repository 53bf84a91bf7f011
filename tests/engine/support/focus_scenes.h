#pragma once
// Photos with a known subject, for the focus tests: Debian's python3-skimage pictures
// (fetched at test time by scripts/fetch_skimage_photos.sh into the build folder, never
// committed) placed on larger synthetic backdrops, off centre and at the edges, in landscape
// and portrait, so the true subject box is known.
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "draft/model.h"

namespace reel::test {

/// The folder holding astronaut.png, camera.png, chelsea.png, coffee.png and rocket.jpg, or
/// empty with `problem` saying why they could not be had (apt unreachable).
struct SkimagePhotos {
  std::string dir, problem;
};
const SkimagePhotos& skimage_photos();

/// Skips the test, saying why, when the pictures cannot be had.
#define REQUIRE_SKIMAGE_PHOTOS()                                                         \
  do {                                                                                   \
    if (::reel::test::skimage_photos().dir.empty())                                      \
      GTEST_SKIP() << "the python3-skimage test pictures could not be fetched ("         \
                   << ::reel::test::skimage_photos().problem                             \
                   << "); this test needs apt-get download to reach the Debian archive"; \
  } while (0)

/// One of the pictures, BGR.
cv::Mat skimage_picture(const std::string& file);

/// A smooth backdrop (gradients and faint blurred noise): nothing in it stands out.
cv::Mat backdrop(int width, int height, uint32_t seed);

/// A photo with a known subject. `subject`: 0..1 of the photo, the placed picture's subject
/// as annotated by hand (annotated_subject): a face, the cat's face, the cup, the rocket.
struct Scene {
  std::string name;
  cv::Mat photo;
  draft::FocusBox subject;
  bool face = false;
};

/// The subject of each picture, in its own pixels, annotated by hand: the face in
/// astronaut.png and camera.png, the cat's face, the cup, the rocket.
cv::Rect annotated_subject(const std::string& file);

/// The five pictures, each in four places: at the left edge and at the top right of a
/// 1600x900 landscape, at the top and the bottom left of a 900x1600 portrait; the picture's
/// long side 400 px.
std::vector<Scene> focus_scenes();

/// A portrait selfie: the astronaut's head and shoulders as a 3:4 portrait, face near the top.
Scene portrait_selfie();

}  // namespace reel::test
