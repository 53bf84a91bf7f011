#include "cloud/client/mp4_check.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>

#include "cloud/protocol/errors.h"

namespace reel::cloud {

namespace {

uint64_t be(const unsigned char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

struct Box {
  std::string type;
  uint64_t body = 0, size = 0;  // where its content starts, and how long it is
};

// The box at `at` in `in`, or nullopt at the end or when it runs past `end`.
std::optional<Box> box_at(std::ifstream& in, uint64_t at, uint64_t end) {
  unsigned char h[16];
  in.clear();
  in.seekg(static_cast<std::streamoff>(at));
  if (!in.read(reinterpret_cast<char*>(h), 8)) return std::nullopt;
  uint64_t size = be(h, 4), header = 8;
  if (size == 1) {
    if (!in.read(reinterpret_cast<char*>(h + 8), 8)) return std::nullopt;
    size = be(h + 8, 8);
    header = 16;
  } else if (size == 0) {
    size = end - at;
  }
  if (size < header || at + size > end) return std::nullopt;
  return Box{std::string(reinterpret_cast<char*>(h + 4), 4), at + header, size - header};
}

// The movie's duration in milliseconds from moov/mvhd, or nullopt when the file has none.
std::optional<int64_t> movie_duration_ms(std::ifstream& in, uint64_t file_size) {
  bool ftyp = false;
  std::optional<Box> b;
  for (uint64_t at = 0; (b = box_at(in, at, file_size)); at = b->body + b->size) {
    if (b->type == "ftyp") ftyp = true;
    if (b->type != "moov" || !ftyp) continue;
    std::optional<Box> m;
    for (uint64_t c = b->body; (m = box_at(in, c, b->body + b->size)); c = m->body + m->size) {
      if (m->type != "mvhd") continue;
      unsigned char v[32];
      in.clear();
      in.seekg(static_cast<std::streamoff>(m->body));
      if (!in.read(reinterpret_cast<char*>(v), 32)) return std::nullopt;
      const bool wide = v[0] == 1;  // version 1: 64-bit times
      const uint64_t scale = be(v + (wide ? 20 : 12), 4), duration = be(v + (wide ? 24 : 16), wide ? 8 : 4);
      if (scale == 0) return std::nullopt;
      return static_cast<int64_t>(duration * 1000 / scale);
    }
  }
  return std::nullopt;
}

}  // namespace

void require_mp4(const std::string& path, int64_t expected_ms, const std::string& what) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const auto size = in ? static_cast<uint64_t>(in.tellg()) : 0;
  const std::optional<int64_t> ms = in ? movie_duration_ms(in, size) : std::nullopt;
  if (!ms)
    throw CloudError(ErrorKind::BadResponse,
                     what + " is not a complete MP4 (no movie header); it was not saved; try the export again");
  if (expected_ms <= 0) return;
  const double tolerance = std::max(1000.0, 0.05 * double(expected_ms));
  if (std::abs(double(*ms - expected_ms)) > tolerance) {
    char buf[160];
    std::snprintf(buf, sizeof buf, " is %.1f s long where the draft is %.1f s; it was not saved", double(*ms) / 1000,
                  double(expected_ms) / 1000);
    throw CloudError(ErrorKind::BadResponse, what + buf);
  }
}

}  // namespace reel::cloud
