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
