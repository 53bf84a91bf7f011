#pragma once
// reel's one hash for names and keys (cache entries, job and upload ids). Not cryptographic.
#include <cstdint>
#include <string>
#include <string_view>

namespace reel::base {

/// A 64-bit FNV-1a-style hash: FNV's 64-bit prime, with 1469598103934665603 as the start —
/// a digit short of FNV's published offset basis (14695981039346656037). That is what every
/// name in reel's caches and node records was made with, so it stays (the hash is as good);
/// a reference FNV-1a implementation gives other values.
class Hash64 {
 public:
  static constexpr uint64_t kStart = 1469598103934665603ull;
  static constexpr uint64_t kPrime = 1099511628211ull;

  Hash64& add(std::string_view bytes) {
    for (unsigned char c : bytes) {
      value_ ^= c;
      value_ *= kPrime;
    }
    return *this;
  }
  uint64_t value() const { return value_; }
  /// 16 lower-case hex digits.
  std::string hex() const;

 private:
  uint64_t value_ = kStart;
};

/// Hash64 of `bytes` as 16 hex digits: a file name for a key (a URL, a folder).
std::string hash_hex(std::string_view bytes);

}  // namespace reel::base
