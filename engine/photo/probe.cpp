#include "engine/photo/probe.h"

#include <libheif/heif.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

#include "base/files.h"

namespace reel::engine {

namespace {

using Bytes = std::vector<uint8_t>;

uint32_t be16(const uint8_t* p) { return (uint32_t(p[0]) << 8) | p[1]; }
uint32_t be32(const uint8_t* p) { return (be16(p) << 16) | be16(p + 2); }
uint32_t le16(const uint8_t* p) { return p[0] | (uint32_t(p[1]) << 8); }
uint32_t le32(const uint8_t* p) { return le16(p) | (le16(p + 2) << 16); }
uint32_t le24(const uint8_t* p) { return p[0] | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16); }

/// Reads the orientation tag (0x0112) from a TIFF structure (EXIF payload or a TIFF file).
int tiff_orientation(const uint8_t* t, size_t n, int64_t* w = nullptr, int64_t* h = nullptr) {
  if (n < 8) return 1;
  bool le = t[0] == 'I' && t[1] == 'I';
  if (!le && !(t[0] == 'M' && t[1] == 'M')) return 1;
  auto u16 = [&](size_t o) { return le ? le16(t + o) : be16(t + o); };
  auto u32 = [&](size_t o) { return le ? le32(t + o) : be32(t + o); };
  size_t ifd = u32(4);
  if (ifd + 2 > n) return 1;
  size_t count = u16(ifd);
  int orientation = 1;
  for (size_t i = 0; i < count; ++i) {
    size_t e = ifd + 2 + i * 12;
    if (e + 12 > n) break;
    uint32_t tag = u16(e), type = u16(e + 2);
    uint32_t value = type == 3 ? u16(e + 8) : u32(e + 8);
    if (tag == 0x0112 && value >= 1 && value <= 8) orientation = int(value);
    if (tag == 256 && w) *w = value;
    if (tag == 257 && h) *h = value;
  }
  return orientation;
}

void probe_jpeg(const Bytes& b, PhotoInfo& info) {
  size_t i = 2, n = b.size();
  bool have_size = false;
  while (i + 4 <= n) {
    if (b[i] != 0xFF) {
      info.defect = "the JPEG is corrupt (bad marker at byte " + std::to_string(i) + ")";
      return;
    }
    uint8_t m = b[i + 1];
    if (m == 0xFF) {
      ++i;
      continue;
    }
    if (m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) {
      i += 2;
      continue;
    }
    size_t len = be16(&b[i + 2]);
    if (len < 2) {
      info.defect = "the JPEG is corrupt (bad segment length)";
      return;
    }
    if (i + 2 + len > n) break;  // truncated inside the headers
    const uint8_t* seg = &b[i + 4];
    size_t seg_n = len - 2;
    if (m == 0xE1 && seg_n > 6 && std::memcmp(seg, "Exif\0\0", 6) == 0) {
      info.orientation = tiff_orientation(seg + 6, seg_n - 6);
    } else if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC && seg_n >= 5) {
      info.height = be16(seg + 1);
      info.width = be16(seg + 3);
      have_size = true;
    } else if (m == 0xDA) {
      // Entropy-coded data follows; the image is complete when an EOI marker comes after it.
      static const uint8_t eoi[2] = {0xFF, 0xD9};
      auto it = std::search(b.begin() + long(i + 2 + len), b.end(), eoi, eoi + 2);
      info.complete = it != b.end();
      if (!have_size || info.width == 0 || info.height == 0)
        info.defect = "the JPEG is corrupt (no frame header before the image data)";
      else if (!info.complete)
        info.defect = "the JPEG is truncated (the file ends before the image does)";
      return;
    }
    i += 2 + len;
  }
  info.complete = false;
  info.defect = "the JPEG is truncated (the file ends inside its headers)";
}

void probe_png(const Bytes& b, PhotoInfo& info) {
  size_t i = 8, n = b.size();
  bool first = true;
  while (i + 12 <= n) {
    uint32_t len = be32(&b[i]);
    const uint8_t* type = &b[i + 4];
    if (len > n || i + 12 + len > n) break;
    uint32_t crc = be32(&b[i + 8 + len]);
    if (uint32_t(crc32(crc32(0, nullptr, 0), type, len + 4)) != crc) {
      info.defect =
          "the PNG is corrupt (chunk " + std::string(reinterpret_cast<const char*>(type), 4) + " fails its checksum)";
      return;
    }
    if (first) {
      if (std::memcmp(type, "IHDR", 4) != 0 || len < 13) {
        info.defect = "the PNG is corrupt (no IHDR header)";
        return;
      }
      info.width = be32(type + 4);
      info.height = be32(type + 8);
      first = false;
    }
    if (std::memcmp(type, "IEND", 4) == 0) return;
    i += 12 + len;
  }
  info.complete = false;
  if (first)
    info.defect = "the PNG is truncated (the file ends inside its header)";
  else
    info.defect = "the PNG is truncated (the file ends before the image does)";
}

void probe_webp(const Bytes& b, PhotoInfo& info) {
  size_t n = b.size();
  if (n < 30) {
    info.complete = false;
    info.defect = "the WebP is truncated";
    return;
  }
  uint64_t riff = le32(&b[4]) + 8ull;
  if (riff > n) {
    info.complete = false;
    info.defect = "the WebP is truncated (the file ends before the image does)";
  }
  const uint8_t* c = &b[12];
  if (std::memcmp(c, "VP8X", 4) == 0) {
    info.width = le24(&b[24]) + 1;
    info.height = le24(&b[27]) + 1;
  } else if (std::memcmp(c, "VP8L", 4) == 0) {
    if (b[20] != 0x2F) {
      info.defect = "the WebP is corrupt (bad lossless header)";
      return;
    }
    uint32_t bits = le32(&b[21]);
    info.width = (bits & 0x3FFF) + 1;
    info.height = ((bits >> 14) & 0x3FFF) + 1;
  } else if (std::memcmp(c, "VP8 ", 4) == 0) {
    if (b[23] != 0x9D || b[24] != 0x01 || b[25] != 0x2A) {
      info.defect = "the WebP is corrupt (bad frame header)";
      return;
    }
    info.width = le16(&b[26]) & 0x3FFF;
    info.height = le16(&b[28]) & 0x3FFF;
  } else {
    info.defect = "the WebP is corrupt (unknown chunk)";
  }
}

void probe_bmp(const Bytes& b, PhotoInfo& info) {
  if (b.size() < 26) {
    info.complete = false;
    info.defect = "the BMP is truncated";
    return;
  }
  info.width = int32_t(le32(&b[18]));
  info.height = std::abs(int32_t(le32(&b[22])));
  if (le32(&b[2]) > b.size()) {
    info.complete = false;
    info.defect = "the BMP is truncated (the file ends before the image does)";
  }
}

/// ISO BMFF (HEIF): the top-level boxes must fit the file.
bool bmff_complete(const Bytes& b) {
  uint64_t i = 0, n = b.size();
  while (i + 8 <= n) {
    uint64_t size = be32(&b[i]);
    if (size == 1) {
      if (i + 16 > n) return false;
      size = (uint64_t(be32(&b[i + 8])) << 32) | be32(&b[i + 12]);
    } else if (size == 0) {
      return true;  // runs to the end of the file
    }
    if (size < 8) return false;
    i += size;
  }
  return i == n;
}

void probe_heif(const std::string& path, const Bytes& b, PhotoInfo& info) {
  if (!bmff_complete(b)) {
    info.complete = false;
    info.defect = "the HEIF is truncated (the file ends before the image does)";
    return;
  }
  std::unique_ptr<heif_context, void (*)(heif_context*)> ctx(heif_context_alloc(), heif_context_free);
  heif_error err = heif_context_read_from_file(ctx.get(), path.c_str(), nullptr);
  if (err.code != heif_error_Ok) {
    info.defect = std::string("the HEIF is corrupt (") + err.message + ")";
    return;
  }
  heif_image_handle* h = nullptr;
  err = heif_context_get_primary_image_handle(ctx.get(), &h);
  if (err.code != heif_error_Ok) {
    info.defect = std::string("the HEIF has no primary image (") + err.message + ")";
    return;
  }
  // The handle's size is the displayed size (rotation applied); record it as stored with
  // orientation 1: libheif applies irot/imir itself when decoding.
  info.width = heif_image_handle_get_width(h);
  info.height = heif_image_handle_get_height(h);
  heif_image_handle_release(h);
}

bool looks_like_text(const Bytes& b) {
  size_t n = std::min<size_t>(b.size(), 512);
  if (n == 0) return false;
  for (size_t i = 0; i < n; ++i) {
    uint8_t c = b[i];
    if (c < 0x09 || (c > 0x0D && c < 0x20 && c != 0x1B)) return false;
  }
  return true;
}

}  // namespace

PhotoInfo probe_photo(const std::string& path) {
  PhotoInfo info;
  if (const std::string kind = base::special_file_kind(path); !kind.empty()) {
    info.defect = "is " + kind + ", not a photo file";
    return info;
  }
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    info.defect = "cannot be opened";
    return info;
  }
  info.file_bytes = int64_t(in.tellg());
  if (info.file_bytes == 0) {
    info.format = PhotoFormat::Empty;
    info.defect = "the file is empty (0 bytes)";
    return info;
  }
  // Headers live at the start; the completeness checks walk structures through the file.
  // Photos within the file size limit are read whole (a few MB; the page cache keeps them for
  // the decode that follows).
  Bytes b(size_t(info.file_bytes));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(b.data()), std::streamsize(b.size()));
  const size_t n = b.size();
  auto starts = [&](const char* magic, size_t at = 0) {
    size_t m = std::strlen(magic);
    return n >= at + m && std::memcmp(&b[at], magic, m) == 0;
  };
  if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
    info.format = PhotoFormat::Jpeg;
    probe_jpeg(b, info);
  } else if (starts("\x89PNG\r\n\x1a\n")) {
    info.format = PhotoFormat::Png;
    probe_png(b, info);
  } else if (starts("RIFF") && starts("WEBP", 8)) {
    info.format = PhotoFormat::Webp;
    probe_webp(b, info);
  } else if (starts("BM")) {
    info.format = PhotoFormat::Bmp;
    probe_bmp(b, info);
  } else if (starts("II*\0") || starts("MM\0*")) {
    info.format = PhotoFormat::Tiff;
    info.orientation = tiff_orientation(b.data(), n, &info.width, &info.height);
  } else if (starts("ftyp", 4) && (starts("heic", 8) || starts("heix", 8) || starts("mif1", 8) || starts("msf1", 8) ||
                                   starts("heim", 8) || starts("heis", 8) || starts("hevc", 8) || starts("avif", 8))) {
    info.format = PhotoFormat::Heif;
    probe_heif(path, b, info);
  } else if (starts("GIF87a") || starts("GIF89a")) {
    info.format = PhotoFormat::Gif;
    info.defect = "GIF is not supported yet";
  } else if (starts("ftyp", 4) || starts("\x1a\x45\xdf\xa3")) {
    info.defect = "a video clip named like a photo";
  } else if (looks_like_text(b)) {
    info.format = PhotoFormat::Text;
    info.defect = "not an image: the file holds text";
  } else {
    info.defect = "not a supported image (not JPEG, PNG, WebP, BMP, TIFF or HEIC)";
  }
  if (info.defect.empty() && (info.width <= 0 || info.height <= 0))
    info.defect = std::string("the ") + format_name(info.format) + " header gives no image size";
  return info;
}

}  // namespace reel::engine
