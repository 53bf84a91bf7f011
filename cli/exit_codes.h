#pragma once

namespace reel::cli {

/// What `reel` returns. Tools may rely on these numbers; docs/cli.md lists them.
enum ExitCode : int {
  kExitOk = 0,
  kExitBadInput = 1,   // a bad draft or bad media; or a draft with errors from `validate`
  kExitUsage = 2,      // wrong flags or arguments
  kExitCancelled = 3,  // Ctrl-C or SIGTERM
  kExitInternal = 4,   // a bug in reel: please report it
  kExitCloud = 5,      // the cloud refused or failed and no fallback was allowed
  kExitSystem = 6,     // the system refused: no space left, permission denied, read-only disk
};

}  // namespace reel::cli
