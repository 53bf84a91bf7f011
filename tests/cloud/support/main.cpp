// The cloud tests' main: curl's process-wide set-up once, as the CLI does in ProcessSetup.
#include <gtest/gtest.h>
#include <signal.h>

#include "cloud/client/http.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  signal(SIGPIPE, SIG_IGN);  // a dropped connection must not kill the test process
  reel::cloud::CurlGlobal curl;
  return RUN_ALL_TESTS();
}
