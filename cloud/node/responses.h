#pragma once
// The node's HTTP answers, internal to cloud/node/: the protocol's two envelopes
// ({"code", "message", "data"} and the render proxy's {"success", "data", "error"}), request
// bodies read with a cap, and files served with Range support.
#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <semaphore>
#include <string>

#include "cloud/node/bodies.h"
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
/// Reads a JSON object body within `limits` through draft::parse_json (linear, depth-limited,
/// duplicate keys refused); else answers 413 (and closes the connection: the rest is unread)
/// or 400 with the parser's reason (in the proxy's envelope when `proxy`) and returns none.
/// Call it only after the request was authenticated.
/// A body over `large` bytes (by its Content-Length) is read only while it holds `gate`; when
/// none is free within `wait`, 503.
struct LargeBodyGate {
  std::counting_semaphore<64>& gate;
  int64_t large;
  std::chrono::milliseconds wait;
};
std::optional<Json> json_body(const ContentReader& reader, const Request& req, Response& res, const BodyLimits& limits,
                              bool proxy, const LargeBodyGate& gate);
/// The string at `key` of object `j`; empty when it is missing or not a string.
std::string string_field(const Json& j, const char* key);
/// Closes the connection after this answer, whose request body was not read (a refused
/// request): its bytes are never parsed, and never taken for the next request.
void close_unread(Response& res);
/// Reads and drops a body (a multipart one part by part), so the connection stays usable.
void drain_body(const Request& req, const ContentReader& reader);
/// Serves the file at `path` (one Range included; several are 416); 404 when it is not there.
void serve_file(const Request& req, Response& res, const std::string& path, const std::string& type);

}  // namespace reel::cloud::node
