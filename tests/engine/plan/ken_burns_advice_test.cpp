// An explicit Ken Burns pan that cannot move is told, with the zoom that would let it move.
#include <gtest/gtest.h>

#include "engine/plan/ken_burns.h"

namespace reel::engine {
namespace {

KbPath pan(double x0, double x1, double zoom) {
  KbPath kb;
  kb.from = {x0, 0.5, zoom};
  kb.to = {x1, 0.5, zoom};
  return kb;
}

TEST(KenBurnsAdvice, APanAtZoomOneOverAPhotoOfTheFramesShapeIsToldWithTheZoomThatMoves) {
  EXPECT_EQ(stuck_pan_advice(pan(0.3, 0.7, 1), draft::Fit::Cover, 1600, 900, 1920, 1080),
            "the Ken Burns pan from x 0.30, y 0.50 to x 0.70, y 0.50 cannot move: at zoom 1 the fitted picture "
            "already fills the frame with no room around it; set z to 1.70 in from and to to let it move");
}

TEST(KenBurnsAdvice, TheAdvisedZoomMovesThePanAndPansThatMoveGetNoAdvice) {
  EXPECT_EQ(stuck_pan_advice(pan(0.3, 0.7, 1.7), draft::Fit::Cover, 1600, 900, 1920, 1080), "");
  EXPECT_EQ(stuck_pan_advice(pan(0.3, 0.7, 1), draft::Fit::Cover, 3200, 900, 1920, 1080), "")
      << "a panorama has room to pan at zoom 1";
  EXPECT_EQ(stuck_pan_advice(pan(0.5, 0.5, 1), draft::Fit::Cover, 1600, 900, 1920, 1080), "") << "not a pan";
  KbPath zoom = pan(0.5, 0.5, 1);
  zoom.to.zoom = 1.3;
  EXPECT_EQ(stuck_pan_advice(zoom, draft::Fit::Cover, 1600, 900, 1920, 1080), "");
}

TEST(KenBurnsAdvice, ContainAndBlurFramesAreCanvasShapedWhateverThePhoto) {
  EXPECT_NE(stuck_pan_advice(pan(0.2, 0.8, 1), draft::Fit::Contain, 3200, 900, 1920, 1080).find("the contain picture"),
            std::string::npos);
}

}  // namespace
}  // namespace reel::engine
