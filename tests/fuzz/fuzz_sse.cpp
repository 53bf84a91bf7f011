// Fuzzes the agent's event stream as the client reads it: bytes cut into chunks at the points the
// input's first byte chooses, every event's meaning asked. Any input gives events or a
// CloudError (a line or event over its limit); anything else aborts or trips a sanitizer.
#include <cstdint>
#include <string_view>

#include "cloud/protocol/errors.h"
#include "cloud/protocol/sse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace reel::cloud;
  if (size == 0) return 0;
  const size_t step = 1 + data[0] % 61;  // chunking must not change what is read
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  SseParser parser;
  try {
    for (size_t at = 0; at < bytes.size(); at += step) {
      for (const SseEvent& e : parser.feed(bytes.substr(at, step))) {
        (void)e.keep_alive();
        (void)e.text();
        (void)e.error();
      }
    }
    for (const SseEvent& e : parser.finish()) (void)e.text();
  } catch (const CloudError&) {
  }
  return 0;
}
