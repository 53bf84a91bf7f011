#include "cli/studio/cloud_agent.h"

#include "cli/cloud_flows.h"
#include "cloud/client/draft_media.h"
#include "draft/agent.h"
#include "draft/edit.h"
#include "draft/parse.h"
#include "draft/summary.h"

namespace reel::cli::studio {

using cloud::CloudError;

CloudAgent::CloudAgent(cloud::ClientOptions options) : options_(std::move(options)) {}
CloudAgent::~CloudAgent() = default;

draft::Draft CloudAgent::as_file_names(const draft::Draft& session) const {
  draft::Draft out = session;
  for (size_t t = 0; t < session.tracks.size(); ++t)
    for (size_t s = 0; s < session.tracks[t].segments.size(); ++s)
      if (auto it = reference_of_.find(session.tracks[t].segments[s].source); it != reference_of_.end())
        draft::set_segment_source(out, t, s, it->second);
  return out;
}

void CloudAgent::send_file(const DraftVersion& mine) {
  const draft::Draft& d = mine.input.loaded.draft;
  try {
    const draft::Draft sent = cloud::draft_for_cloud(*client_, d, mine.input.base_dir);
    for (size_t t = 0; t < d.tracks.size(); ++t)
      for (size_t s = 0; s < d.tracks[t].segments.size(); ++s)
        if (sent.tracks[t].segments[s].source != d.tracks[t].segments[s].source)
          reference_of_[sent.tracks[t].segments[s].source] = d.tracks[t].segments[s].source;
    // The protocol gives a session a draft one way only: the backend keeps the draft it is
    // asked to render. That render is not wanted, so it is cancelled at once.
    const std::string id = client_->submit_render(sent.json);
    try {
      client_->cancel_render(id);
    } catch (const CloudError&) {  // it may have ended already; the draft is the session's either way
    }
  } catch (const CloudError& e) {
    throw CloudError(e.kind(), std::string("giving the cloud session the draft first: ") + e.what(), e.http_status(),
                     e.backend_code());
  }
}

CloudTurn CloudAgent::turn(const DraftVersion& local, const std::string& words, const std::atomic<bool>* cancel) {
  std::lock_guard lock(mutex_);
  if (!client_) client_ = std::make_unique<cloud::Client>(options_);
  const draft::Draft& mine = local.input.loaded.draft;
  CloudTurn out;
  // The agent edits what the page shows: the file's draft, given to the session when the
  // session's differs (a new session; an edit, undo or redo made here since the last turn).
  const Json theirs = session_draft(client_->state());
  if (!theirs.is_object() || as_file_names(draft::load_draft(theirs).draft).json != mine.json) {
    send_file(local);
    out.sent_file = true;
  }
  cloud::AgentCallbacks said;
  said.on_text = [&](const std::string& text) { out.message += text; };
  const cloud::AgentTurn turn = client_->send_message(words, said, cloud::AgentStreamOptions{}, cancel);
  Json after;
  try {
    after = session_draft(client_->state());
  } catch (const CloudError& e) {
    // The words went out and may have run: this is no backend that "did not answer".
    throw CloudError(e.kind() == cloud::ErrorKind::Unreachable || e.kind() == cloud::ErrorKind::Timeout
                         ? cloud::ErrorKind::StreamDropped
                         : e.kind(),
                     std::string("the agent answered, but the session's draft could not be read after it: ") +
                         e.what() + " (the words were sent once and not again)",
                     e.http_status(), e.backend_code());
  }
  if (after.is_object()) out.draft = as_file_names(draft::load_draft(after).draft).json;
  if (!turn.has_text()) {
    // A turn may end without a word: what changed in the timeline says what it did.
    const std::string diff = out.draft ? draft::summary_diff(mine, draft::load_draft(*out.draft).draft) : "";
    out.message = diff.empty() ? "(no reply; the timeline is unchanged)" : "(no reply; the timeline changed) " + diff;
  }
  return out;
}

}  // namespace reel::cli::studio
