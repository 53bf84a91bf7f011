#pragma once
// The node's renders, internal to cloud/node/: submit (attribution, id, draft and media checked;
// a bounded queue), status in the protocol's new shape, cancel, the two ways to download a
// finished render, and the workers that run the queue through NodeOptions::render.
#include <string>

#include "cloud/node/responses.h"
#include "cloud/node/state.h"

namespace reel::cloud::node {

/// POST /api/render/proxy/lambda.
void handle_submit(NodeState& n, const Request& req, Response& res, const ContentReader& reader);
/// GET /api/render/proxy/lambda/<id>.
void handle_status(NodeState& n, const Request& req, Response& res);
/// POST /api/render/proxy/lambda/<id>/cancel.
void handle_cancel(NodeState& n, const Request& req, Response& res, const ContentReader& reader);
/// GET /api/render/proxy/<id>/download (with the token).
void handle_download(NodeState& n, const Request& req, Response& res);
/// GET /outputs/<key>/<id>.mp4 (the outputUrl: no token, the key is unguessable).
void handle_output(NodeState& n, const Request& req, Response& res);

/// One render worker: takes queued renders and runs them until the node stops.
void worker_loop(NodeState& n);
/// Marks every queued render failed (it never started) and empties the queue. Under `mutex`.
void fail_queued_locked(NodeState& n);
/// Marks every pending or processing render failed with `why`. Under the state's `mutex`.
void fail_unfinished_locked(NodeRecords& records, const std::string& why);

}  // namespace reel::cloud::node
