// Fuzzes what the client makes of an HTTP answer: a status (from the first two bytes) and a
// body through the envelope reader and the render-status reader. Any input gives a value or a
// CloudError; anything else aborts or trips a sanitizer.
#include <cstdint>
#include <string>

#include "cloud/protocol/errors.h"
#include "cloud/protocol/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace reel::cloud;
  if (size < 2) return 0;
  const long status = 100 + (data[0] << 8 | data[1]) % 500;
  const std::string body(reinterpret_cast<const char*>(data) + 2, size - 2);
  ErrorContext ctx;
  ctx.what = "fuzzing";
  try {
    reel::Json answer = unwrap_answer(status, body, ctx);
    (void)answer.dump();
    (void)parse_render_status(answer);
  } catch (const CloudError& e) {
    (void)e.retryable();
  }
  return 0;
}
