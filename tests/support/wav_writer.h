#pragma once
// A 16-bit PCM mono WAV writer for tests that need a sound file of known content.
#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace reel::test {

inline void write_wav(const std::string& path, const std::vector<int16_t>& mono, int rate = 48000) {
  std::ofstream f(path, std::ios::binary);
  auto u32 = [&](uint32_t v) { f.write(reinterpret_cast<const char*>(&v), 4); };
  auto u16 = [&](uint16_t v) { f.write(reinterpret_cast<const char*>(&v), 2); };
  const uint32_t bytes = static_cast<uint32_t>(mono.size() * 2);
  f.write("RIFF", 4), u32(36 + bytes), f.write("WAVEfmt ", 8), u32(16), u16(1), u16(1), u32(rate), u32(rate * 2),
      u16(2), u16(16), f.write("data", 4), u32(bytes);
  f.write(reinterpret_cast<const char*>(mono.data()), bytes);
}

/// `seconds` of a sine at `hz` and `amplitude` (0..1).
inline std::vector<int16_t> sine(double seconds, double hz, double amplitude, int rate = 48000) {
  std::vector<int16_t> s(static_cast<size_t>(seconds * rate));
  for (size_t i = 0; i < s.size(); ++i)
    s[i] = static_cast<int16_t>(32767 * amplitude * std::sin(2 * M_PI * hz * i / rate));
  return s;
}

}  // namespace reel::test
