#pragma once
// The node's HTTP answers, internal to cloud/node/: the protocol's two envelopes
// ({"code", "message", "data"} and the render proxy's {"success", "data", "error"}), request
// bodies read with a cap, and files served with Range support.
#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>

#include "draft/json.h"

namespace reel::cloud::node {

using httplib::ContentReader;
using httplib::Request;
using httplib::Response;

void reply(Response& res, int status, const Json& body);
/// {"code": 0, "message": "ok", "data": data}.
void ok(Response& res, const Json& data);
/// {"code": code, "message": message, "data": null} with HTTP `status`.
void fail(Response& res, int status, int code, const std::string& message);
/// {"success": true, "data": data}.
void proxy_ok(Response& res, const Json& data);
/// {"success": false, "data": null, "error": error} with HTTP `status`.
void proxy_fail(Response& res, int status, const std::string& error);

/// Reads a request body of at most `cap` bytes; none when it is longer (then stops reading).
std::optional<std::string> read_body(const ContentReader& reader, int64_t cap);
/// Reads a JSON object body of at most `cap` bytes; else answers 413 or 400 (in the proxy's
/// envelope when `proxy`) and returns none.
std::optional<Json> json_body(const ContentReader& reader, Response& res, int64_t cap, bool proxy);
/// Reads and drops a body (a multipart one part by part), so the connection stays usable.
void drain_body(const Request& req, const ContentReader& reader);
/// Serves the file at `path` (Range requests included); 404 when it is not there.
void serve_file(Response& res, const std::string& path, const std::string& type);

}  // namespace reel::cloud::node
