#pragma once
// The file types the backend accepts for upload, in one table: the client's local check and
// MIME type, the node's check and `file_type`, and the sentence that lists them in error
// messages all come from it.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace reel::cloud {

/// What kind of media a file is, as the upload answer's `file_type` says it.
enum class UploadKind { Video, Image, Audio };
/// "video", "image" or "audio".
const char* to_string(UploadKind kind);

/// One accepted type: the extension (lower case, no dot), its MIME type, its kind, and whether
/// the sentence of accepted formats names it (a second spelling like "jpeg" is not named).
struct UploadType {
  const char* extension;
  const char* mime;
  UploadKind kind;
  bool named = true;
};

/// Every accepted type, videos first, then images, then audio.
std::span<const UploadType> upload_types();
/// The type of a file name by its extension (any case), or null when it is not accepted.
const UploadType* upload_type_of(std::string_view filename);
/// Whether the file name's extension is an accepted upload type.
bool accepted_upload_type(std::string_view filename);
/// What the first bytes of a file (at least 16; 64 is plenty) say it is, by their magic
/// numbers: the kind of the accepted types whose bytes they are, or nullopt when they are none
/// of them (text, a secret, a format the backend does not take). Names can lie; bytes don't.
std::optional<UploadKind> upload_kind_by_content(std::string_view head);

/// The accepted formats as one sentence: "video mp4, mov, ...; images jpg, ...; audio mp3, ...".
const std::string& accepted_formats_text();

}  // namespace reel::cloud
