#pragma once
// The backend's wire types: both envelope shapes ({"code", "message", "data"} and the render
// proxy's {"success", "data", "error"}), both render-status shapes, and the mapping of error
// codes and HTTP statuses to CloudError. Pure functions over JSON: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cloud/protocol/errors.h"
#include "draft/json.h"

namespace reel::cloud {

/// The backend's error codes (docs/cloud.md).
enum BackendCode : int {
  kCodeOk = 0,
  kCodeBadToken = 1001,
  kCodeSessionNotFound = 1002,
  kCodeNoCredits = 2001,
  kCodeUnsupportedType = 4001,
  kCodeTooLarge = 4002,
};

/// What a refusal needs to say a useful sentence.
struct ErrorContext {
  std::string what;          // "creating a session", "polling render render_1"
  bool anonymous = true;     // the token is an anonymous one
  std::string user_id;       // for the registration link
  std::string register_url;  // "https://.../register"
};

/// The error for backend `code` (non-zero) with the server's `message`.
CloudError error_for_code(int code, const std::string& message, int http_status, const ErrorContext& ctx);
/// The error for an HTTP status without a readable envelope.
CloudError error_for_status(long status, const std::string& body_hint, const ErrorContext& ctx);

/// Reads an answer of either envelope shape: returns `data` (or the whole object for a bare
/// answer), throws CloudError for `code != 0`, `success: false` or an HTTP error status.
/// The string at `key` of an object from the network (a number's text), or empty for anything
/// else: never throws, whatever shape a hostile answer has.
std::string string_at(const Json& j, const char* key);

Json unwrap_answer(long http_status, const std::string& body, const ErrorContext& ctx);

enum class RenderState { Pending, Processing, Completed, Failed, Cancelled, Unknown };
RenderState render_state_from(const std::string& status);
const char* to_string(RenderState s);

/// A render job's status, read from either shape.
struct RenderStatus {
  std::string id;
  RenderState state = RenderState::Unknown;
  std::string status_text;  // as the server wrote it
  int progress = 0;         // 0..100
  std::string output_url;   // outputUrl, or output.url in the older shape
  std::string error;
  int64_t created_at_ms = 0, completed_at_ms = 0;
};
/// `answer` is the whole JSON answer (not just data).
RenderStatus parse_render_status(const Json& answer);

/// One part of a render cut over several render nodes (reel export --nodes): part `index` of
/// `of`, from 1; `of` 0: the whole render. A submit body carries it as "part": {"index", "of"}.
struct PartRequest {
  int index = 0, of = 0;
};
/// The "part" of a submit body ({} when absent); nullopt with `why` when it is malformed.
std::optional<PartRequest> parse_part(const Json& submit_body, std::string& why);
/// {"index", "of"}, or null for the whole render.
Json to_json(const PartRequest& part);

/// A file the backend knows: the upload answer's files[] entries.
struct UploadedFile {
  std::string filename, file_type, cdn_url, hash;
  double duration = 0;
  int width = 0, height = 0;
  double fps = 0;
};
std::vector<UploadedFile> parse_uploaded_files(const Json& data);
Json to_json(const UploadedFile& f);

struct Credits {
  double available = 0, frozen = 0, total = 0;
};
Credits parse_credits(const Json& data);

/// "2026-11-28T08:00:00Z", "...+02:00", "....123Z" -> seconds since the epoch; empty when not
/// an ISO 8601 UTC-offset time.
std::optional<int64_t> parse_iso8601(const std::string& text);
std::string format_iso8601(int64_t epoch_seconds);

}  // namespace reel::cloud
