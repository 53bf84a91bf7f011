// The main of the engine's render tests: the process set up as reel sets itself up
// (cli/ProcessSetup), so that what they render is what reel renders.
#include <gtest/gtest.h>

#include "engine/process_memory.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  reel::engine::set_up_process_memory();
  return RUN_ALL_TESTS();
}
