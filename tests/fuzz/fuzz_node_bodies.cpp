// Fuzzes the render node's request bodies (cloud/node/bodies.h): bytes -> JSON object within
// limits -> a render submit checked against the per-job limits, and the chat message. Any
// input must be accepted or refused with a status and a sentence; anything else aborts.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cloud/node/bodies.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace reel::cloud::node;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Refusal why;
  auto body = parse_json_object(text, BodyLimits{1 << 16, 64}, why);
  if (!body) {
    if ((why.status != 400 && why.status != 413) || why.message.empty()) std::abort();
    return 0;
  }
  (void)chat_message(*body);
  Refusal refused;
  auto job = parse_submit(*body, JobLimits{3600'000, 1920ll * 1080 * 60}, refused);
  if (!job && (refused.status != 400 || refused.message.empty())) std::abort();
  if (job && (!valid_render_id(job->id) || !job->draft.exportable())) std::abort();
  return 0;
}
