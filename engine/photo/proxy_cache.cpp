#include "engine/photo/proxy_cache.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "base/cache_folder.h"
#include "base/error.h"
#include "base/files.h"

namespace reel::engine {

namespace fs = std::filesystem;

namespace {

// 2: the checksum is of the three planes' own hashes (an entry is written a band at a time).
constexpr char kMagic[8] = {'R', 'E', 'E', 'L', 'P', 'R', 'X', '2'};

constexpr uint64_t kHashBasis = 0xcbf29ce484222325ull;

/// A 64-bit hash over 8-byte words (fast enough to check a whole entry on every read).
uint64_t hash_bytes(const uint8_t* p, size_t n, uint64_t h = kHashBasis) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 29;
  }
  for (; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

uint64_t hash_string(const std::string& s, uint64_t h = kHashBasis) {
  return hash_bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size(), h);
}

std::string hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

/// Closes on every path.
struct File {
  std::FILE* f = nullptr;
  explicit File(std::FILE* file) : f(file) {}
  ~File() {
    if (f) std::fclose(f);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
};

struct Header {
  char magic[8];
  uint32_t key_bytes;
  int32_t width, height;
  uint64_t checksum;
};

std::vector<PlaneView> planes_of(const YuvImage& image) {
  YuvView v = image.view();
  return {v.plane[0], v.plane[1], v.plane[2]};
}

/// An entry's checksum: of the hashes of its planes, each over its rows in order.
uint64_t entry_checksum(const uint64_t (&plane_sums)[3]) {
  return hash_bytes(reinterpret_cast<const uint8_t*>(plane_sums), sizeof plane_sums);
}

}  // namespace

std::unique_ptr<ProxyCache> proxy_cache_for(const RenderOptions& options) {
  if (options.proxy_dir.empty()) return nullptr;
  return std::make_unique<ProxyCache>(options.proxy_dir);
}

ProxyCache::ProxyCache(std::string dir, int64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {}

std::string ProxyCache::path_for(const std::string& key, const char* extension) const {
  return (fs::path(dir_) / (hex(hash_string(key)) + extension)).string();
}

namespace {
constexpr char kNoteMagic[] = "REELNOTE1\n";
constexpr size_t kMaxNoteBytes = 1 << 20;
}  // namespace

std::optional<std::string> ProxyCache::load_note(const std::string& key) const {
  const std::string path = path_for(key, ".focus");
  File f(std::fopen(path.c_str(), "rb"));
  if (!f.f) return std::nullopt;
  std::string data(kMaxNoteBytes + 1, '\0');
  data.resize(std::fread(data.data(), 1, data.size(), f.f));
  const std::string head = std::string(kNoteMagic) + key + "\n";
  if (data.size() > kMaxNoteBytes || data.compare(0, head.size(), head) != 0) return std::nullopt;
  base::mark_used(path);
  return data.substr(head.size());
}

void ProxyCache::store_note(const std::string& key, const std::string& text) const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return;
  try {
    base::write_file_atomically(path_for(key, ".focus"), std::string(kNoteMagic) + key + "\n" + text);
  } catch (const base::Error&) {
    return;  // not kept: found again next time
  }
  trim();
}

std::optional<YuvImage> ProxyCache::load(const std::string& key, const RegionFn& region) const {
  const std::string path = path_for(key);
  File f(std::fopen(path.c_str(), "rb"));
  if (!f.f) return std::nullopt;
  Header h{};
  if (std::fread(&h, sizeof h, 1, f.f) != 1 || std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 ||
      h.key_bytes != key.size())
    return std::nullopt;
  std::string stored(key.size(), '\0');
  if (std::fread(stored.data(), 1, stored.size(), f.f) != stored.size() || stored != key) return std::nullopt;
  if (h.width <= 0 || h.height <= 0 || h.width % 2 || h.height % 2 || h.width > 65536 || h.height > 65536)
    return std::nullopt;
  const Region r = region ? region(h.width, h.height) : Region{0, 0, h.width, h.height};
  if (r.x < 0 || r.y < 0 || r.width <= 0 || r.height <= 0 || r.x + r.width > h.width || r.y + r.height > h.height ||
      (r.x | r.y | r.width | r.height) % 2)
    return std::nullopt;
  YuvImage image(r.width, r.height);
  const std::vector<PlaneView> planes = planes_of(image);
  std::vector<uint8_t> row(size_t(h.width));
  uint64_t sums[3] = {kHashBasis, kHashBasis, kHashBasis};
  for (int p = 0; p < 3; ++p) {
    uint64_t& sum = sums[p];
    const int shift = p ? 1 : 0, stored_w = h.width >> shift, stored_h = h.height >> shift;
    const int x0 = r.x >> shift, y0 = r.y >> shift;
    for (int y = 0; y < stored_h; ++y) {
      if (std::fread(row.data(), 1, size_t(stored_w), f.f) != size_t(stored_w)) return std::nullopt;
      sum = hash_bytes(row.data(), size_t(stored_w), sum);
      if (y >= y0 && y < y0 + planes[size_t(p)].height)
        std::memcpy(planes[size_t(p)].row(y - y0), row.data() + x0, size_t(planes[size_t(p)].width));
    }
  }
  if (entry_checksum(sums) != h.checksum || std::fgetc(f.f) != EOF) return std::nullopt;
  base::mark_used(path);  // trimmed last
  ++hits_;
  return image;
}

void ProxyCache::store(const std::string& key, const YuvImage& image) const {
  std::unique_ptr<Writer> w = writer(key, cv::Size(image.width(), image.height()));
  if (!w) return;
  w->add(image.view(), 0);
  w->commit();
}

struct ProxyCache::Writer::State {
  const ProxyCache* cache = nullptr;
  base::AtomicFile file;
  int fd = -1;
  Header header{};
  int64_t plane_offset[3] = {};
  uint64_t sums[3] = {kHashBasis, kHashBasis, kHashBasis};
  int rows = 0;    // picture rows written
  bool ok = true;  // every write so far went through

  explicit State(std::string path) : file(std::move(path)) {}
  ~State() {
    if (fd >= 0) ::close(fd);
  }
  bool write_at(int64_t offset, const void* data, size_t n) { return ::pwrite(fd, data, n, offset) == ssize_t(n); }
};

std::unique_ptr<ProxyCache::Writer> ProxyCache::writer(const std::string& key, cv::Size size) const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec || size.width <= 0 || size.height <= 0 || size.width % 2 || size.height % 2) return nullptr;
  auto s = std::make_unique<Writer::State>(path_for(key));
  s->cache = this;
  s->fd = ::open(s->file.temp_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (s->fd < 0) return nullptr;  // a read-only cache costs a decode next time, never the render
  std::memcpy(s->header.magic, kMagic, sizeof kMagic);
  s->header.key_bytes = uint32_t(key.size());
  s->header.width = size.width;
  s->header.height = size.height;
  // The planes follow the header and the key, whole, one after another.
  const int64_t luma = int64_t(size.width) * size.height;
  s->plane_offset[0] = int64_t(sizeof(Header) + key.size());
  s->plane_offset[1] = s->plane_offset[0] + luma;
  s->plane_offset[2] = s->plane_offset[1] + luma / 4;
  if (!s->write_at(int64_t(sizeof(Header)), key.data(), key.size())) return nullptr;
  return std::unique_ptr<Writer>(new Writer(std::move(s)));
}

ProxyCache::Writer::Writer(std::unique_ptr<State> state) : state_(std::move(state)) {}
ProxyCache::Writer::~Writer() = default;

void ProxyCache::Writer::add(const YuvView& rows, int y0) {
  State& s = *state_;
  if (!s.ok || y0 != s.rows || rows.width() != s.header.width || y0 + rows.height() > s.header.height ||
      rows.height() % 2) {
    s.ok = false;
    return;
  }
  for (int p = 0; p < 3; ++p) {
    const PlaneView& v = rows.plane[p];
    const int shift = p ? 1 : 0;
    // One write per plane and band: the rows sit next to each other in the file.
    std::vector<iovec> parts(size_t(v.height));
    for (int y = 0; y < v.height; ++y) {
      s.sums[p] = hash_bytes(v.row(y), size_t(v.width), s.sums[p]);
      parts[size_t(y)] = iovec{v.row(y), size_t(v.width)};
    }
    int64_t at = s.plane_offset[p] + int64_t(y0 >> shift) * v.width;
    for (size_t i = 0; s.ok && i < parts.size();) {
      const size_t n = std::min<size_t>(parts.size() - i, IOV_MAX);
      const ssize_t want = ssize_t(n) * v.width;
      s.ok = ::pwritev(s.fd, &parts[i], int(n), at) == want;
      at += want;
      i += n;
    }
  }
  s.rows += rows.height();
}

void ProxyCache::Writer::commit() {
  State& s = *state_;
  if (!s.ok || s.rows != s.header.height) return;
  s.header.checksum = entry_checksum(s.sums);
  const bool written = s.write_at(0, &s.header, sizeof s.header);
  const bool closed = ::close(s.fd) == 0;
  s.fd = -1;
  if (!written || !closed) return;
  try {
    s.file.commit();
  } catch (const base::FileError&) {
    return;
  }
  ++s.cache->stores_;
  s.cache->trim();
}

void ProxyCache::trim() const {
  // Down to 80% of the budget, so the next few stores do not each walk the folder again.
  base::trim_folder(dir_, max_bytes_, max_bytes_ / 5 * 4, [](const std::string& name) {
    const fs::path ext = fs::path(name).extension();
    return ext == ".proxy" || ext == ".focus";
  });
}

}  // namespace reel::engine
