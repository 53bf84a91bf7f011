#pragma once
// The studio's chat with the cloud agent of the draft's session, as `reel chat` talks to it
// when connected: the file's draft becomes the session's first when the two differ, the words
// go to /run_sse, and the session's draft after the turn comes back with the file's own media
// references in place of the addresses their uploads got. docs/studio.md.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "cli/studio/draft_file.h"
#include "cloud/client/client.h"

namespace reel::cli::studio {

/// What one turn of the cloud agent gave.
struct CloudTurn {
  std::string message;        // the agent's words; what changed in the timeline when it said none
  std::optional<Json> draft;  // the session's draft after the turn, its uploads named as the file names them
  bool sent_file = false;     // the file's draft was given to the session before the words
};

/// Thread-safe: turns run one at a time, on one client (its token and session kept).
class CloudAgent {
 public:
  explicit CloudAgent(cloud::ClientOptions options);
  ~CloudAgent();
  const std::string& api() const { return options_.api; }
  /// Sends `words` to the agent of the session, about `local` (the file's version the page
  /// edits). Throws cloud::CloudError; ErrorKind::Unreachable and Timeout only before the
  /// words were sent (the backend did not answer: nothing reached the agent).
  CloudTurn turn(const DraftVersion& local, const std::string& words, const std::atomic<bool>* cancel);

 private:
  // The draft as the file would name it: each upload of the file's media by its reference.
  draft::Draft as_file_names(const draft::Draft& session) const;  // mutex_ held
  // Gives the session `mine` (its media uploaded) as its draft.
  void send_file(const DraftVersion& mine);  // mutex_ held

  const cloud::ClientOptions options_;
  std::mutex mutex_;  // one turn at a time; guards the two below
  std::unique_ptr<cloud::Client> client_;
  std::map<std::string, std::string> reference_of_;  // an upload's cdn_url -> the file's reference
};

}  // namespace reel::cli::studio
