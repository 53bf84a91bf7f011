#include "base/hash.h"

#include <cstdio>

namespace reel::base {

std::string Hash64::hex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value_));
  return buf;
}

std::string hash_hex(std::string_view bytes) { return Hash64().add(bytes).hex(); }

}  // namespace reel::base
