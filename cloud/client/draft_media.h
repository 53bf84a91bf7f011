#pragma once
// A draft's media on its way to the cloud: which sources are local files, uploading them,
// and the draft with those sources replaced by their cdn_url — everything else in the JSON
// unchanged (edits go through draft/edit.h, which touches only the source it sets).
#include <string>
#include <vector>

#include "draft/model.h"

namespace reel::cloud {

class Client;

/// A segment whose source is a file on this machine.
struct LocalSource {
  size_t track = 0, segment = 0;
  std::string reference;  // as written in the draft
  std::string path;       // resolved against the draft's folder
};

/// Every local-file source of the draft (relative, absolute outside the sandbox, file://).
std::vector<LocalSource> local_sources(const draft::Draft& draft, const std::string& base_dir);

/// Uploads each distinct local file once and returns the draft with those sources replaced by
/// the cdn_urls. URLs and sandbox paths stay as written. Throws CloudError.
draft::Draft draft_for_cloud(Client& client, const draft::Draft& draft, const std::string& base_dir);

}  // namespace reel::cloud
