#include "cli/process.h"

#include <iostream>

#include "cli/exit_codes.h"
#include "draft/problem.h"

namespace reel::cli {

ProcessSetup::ProcessSetup() {}
ProcessSetup::~ProcessSetup() {}

int run_reporting_errors(const Runner& run) {
  try {
    return run();
  } catch (const draft::DraftError& e) {
    std::cerr << "reel: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "reel: internal error: " << e.what()
              << "\n(this is a bug in reel; please report it with the command you ran)\n";
    return kExitInternal;
  }
}

}  // namespace reel::cli
