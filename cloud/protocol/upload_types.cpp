#include "cloud/protocol/upload_types.h"

#include <filesystem>

#include "draft/words.h"

namespace reel::cloud {

namespace {

constexpr UploadType kTypes[] = {
    {"mp4", "video/mp4", UploadKind::Video},          {"mov", "video/quicktime", UploadKind::Video},
    {"avi", "video/x-msvideo", UploadKind::Video},    {"webm", "video/webm", UploadKind::Video},
    {"mkv", "video/x-matroska", UploadKind::Video},   {"jpg", "image/jpeg", UploadKind::Image},
    {"jpeg", "image/jpeg", UploadKind::Image, false}, {"png", "image/png", UploadKind::Image},
    {"gif", "image/gif", UploadKind::Image},          {"webp", "image/webp", UploadKind::Image},
    {"heic", "image/heic", UploadKind::Image},        {"heif", "image/heif", UploadKind::Image, false},
    {"mp3", "audio/mpeg", UploadKind::Audio},         {"wav", "audio/wav", UploadKind::Audio},
    {"m4a", "audio/mp4", UploadKind::Audio},          {"aac", "audio/aac", UploadKind::Audio},
};

std::string sentence() {
  std::string out;
  for (UploadKind kind : {UploadKind::Video, UploadKind::Image, UploadKind::Audio}) {
    std::string names;
    for (const UploadType& t : kTypes)
      if (t.kind == kind && t.named) names += (names.empty() ? "" : ", ") + std::string(t.extension);
    if (names.empty()) continue;
    if (!out.empty()) out += "; ";
    out += std::string(kind == UploadKind::Image ? "images" : to_string(kind)) + " " + names;
  }
  return out;
}

}  // namespace

std::optional<UploadKind> upload_kind_by_content(std::string_view h) {
  auto at = [&](size_t offset, std::string_view magic) {
    return h.size() >= offset + magic.size() && h.substr(offset, magic.size()) == magic;
  };
  auto byte = [&](size_t i) { return i < h.size() ? static_cast<unsigned char>(h[i]) : 0u; };
  if (at(0, "\xFF\xD8\xFF") || at(0, "\x89PNG\r\n\x1A\n") || at(0, "GIF87a") || at(0, "GIF89a") ||
      (at(0, "RIFF") && at(8, "WEBP")))
    return UploadKind::Image;
  if (at(4, "ftyp")) {
    const std::string_view brand = h.size() >= 12 ? h.substr(8, 4) : std::string_view();
    for (std::string_view b : {"heic", "heix", "hevc", "heim", "heis", "mif1", "msf1"})
      if (brand == b) return UploadKind::Image;
    for (std::string_view b : {"M4A ", "M4B ", "M4P "})
      if (brand == b) return UploadKind::Audio;
    return UploadKind::Video;  // isom, mp41, mp42, qt, M4V, 3gp, avc1, ...
  }
  if (at(0, "\x1A\x45\xDF\xA3") || (at(0, "RIFF") && at(8, "AVI "))) return UploadKind::Video;
  if (at(0, "ID3") || (at(0, "RIFF") && at(8, "WAVE"))) return UploadKind::Audio;
  if (byte(0) == 0xFF && (byte(1) & 0xE0) == 0xE0) return UploadKind::Audio;  // an MPEG audio or ADTS frame
  return std::nullopt;
}

const char* to_string(UploadKind kind) {
  switch (kind) {
    case UploadKind::Video:
      return "video";
    case UploadKind::Image:
      return "image";
    case UploadKind::Audio:
      return "audio";
  }
  return "image";
}

std::span<const UploadType> upload_types() { return kTypes; }

const UploadType* upload_type_of(std::string_view filename) {
  std::string ext = std::filesystem::path(filename).extension().string();
  if (!ext.empty()) ext = draft::lower_ascii(ext.substr(1));
  for (const UploadType& t : kTypes)
    if (ext == t.extension) return &t;
  return nullptr;
}

bool accepted_upload_type(std::string_view filename) { return upload_type_of(filename) != nullptr; }

const std::string& accepted_formats_text() {
  static const std::string text = sentence();
  return text;
}

}  // namespace reel::cloud
