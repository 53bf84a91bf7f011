#pragma once
// Request bodies → what the node acts on, internal to cloud/node/ and pure (draft/ only, no
// HTTP, no state), so they are fuzzed alone (tests/fuzz/fuzz_node_bodies.cpp): a JSON object
// through draft::parse_json within limits, a render submit checked against the per-job
// limits, the text of a chat message.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cloud/protocol/wire.h"
#include "draft/json.h"
#include "draft/model.h"

namespace reel::cloud::node {

/// Why a body was refused: the HTTP status (0: it was not) and the sentence for the client.
struct Refusal {
  int status = 0;
  std::string message;
};

/// What a JSON body may be: its size and how deep it nests.
struct BodyLimits {
  int64_t max_bytes = 8ll << 20;
  int max_depth = 64;
};

/// `text` as a JSON object within `limits` (linear, depth-limited, duplicate keys refused);
/// none with `why` (413 or 400 with the parser's reason) when it is not one.
std::optional<Json> parse_json_object(std::string_view text, const BodyLimits& limits, Refusal& why);

/// The per-job limits checked at submit.
struct JobLimits {
  int64_t max_duration_ms = 3600'000;
  int64_t max_pixel_rate = 1920ll * 1080 * 60;
};

/// A render submit: {"id", "sessionId", "draft", "output"}.
struct SubmitRequest {
  std::string id, session_id;
  Json draft_json;  // as received
  draft::Draft draft;
  Json output;
  PartRequest part;  // absent: the whole render
};

/// Whether `id` may name a render (and so its files): 1-100 of [A-Za-z0-9_.-], no leading dot.
bool valid_render_id(const std::string& id);
/// The submit `body` checked (id, draft, segments, duration, pixel rate); none with `why`
/// (400) when it is refused.
std::optional<SubmitRequest> parse_submit(const Json& body, const JobLimits& limits, Refusal& why);
/// The text of a /run_sse body's new_message.parts[] (empty when there is none).
std::string chat_message(const Json& body);

}  // namespace reel::cloud::node
