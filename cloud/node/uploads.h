#pragma once
// The node's uploads, internal to cloud/node/: files sent as multipart field `files` (streamed
// to disk, never held in memory) or fetched from {"urls": [...]}, each checked against the
// accepted types (4001) and the size cap (4002), kept under data_dir/files/<session>/ and served
// back at their cdn_url.
#include "cloud/node/responses.h"
#include "cloud/node/state.h"

namespace reel::cloud::node {

/// POST /api/upload-video/nemo_agent/me/<session>.
void handle_upload(NodeState& n, const Request& req, Response& res, const ContentReader& reader);
/// GET /files/<session>/<stored name>: an upload, served back at its cdn_url.
void handle_file(NodeState& n, const Request& req, Response& res);

}  // namespace reel::cloud::node
