#pragma once
// Files that appear whole or not at all. Every output reel writes — videos, stills, sound,
// proxies, config, downloads, drafts — goes through here: written under a temporary name in
// the same folder and renamed into place, so no reader ever sees half a file.
#include <cstdint>
#include <string>
#include <string_view>

namespace reel::base {

/// What happens to the temporary file of an AtomicFile dropped without commit().
enum class Uncommitted {
  Remove,  // nothing is left (an exception, a cancel)
  Keep,    // a download's part, continued by the next attempt: "<path>.part", a fixed name
};

/// A file written under a temporary name beside `path` and renamed to `path` by commit().
/// Not thread-safe; one writer.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path, Uncommitted uncommitted = Uncommitted::Remove);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Where to write: ".<name>.reel-<pid>-<n>.tmp" in the destination's folder (unique to this
  /// writer), or "<path>.part" for Uncommitted::Keep.
  const std::string& temp_path() const { return temp_; }
  /// The destination.
  const std::string& path() const { return path_; }
  /// Renames the temporary file to the destination. Throws FileError.
  void commit();

 private:
  std::string path_, temp_;
  Uncommitted uncommitted_;
  bool committed_ = false;
};

/// Writes `content` to `path` whole: temporary file with `mode`, flushed to the disk (fsync),
/// renamed. Throws FileError naming `path`.
void write_file_atomically(const std::string& path, std::string_view content, unsigned mode = 0644);

/// Creates `dir` and the folders above it that are missing, each with `mode`. Throws FileError.
void ensure_folder(const std::string& dir, unsigned mode = 0755);

/// The whole content of an input file that a person named (a draft, subtitles, a config).
/// Only a regular file is read — a folder, a FIFO or a device (/dev/zero) is refused before a
/// byte is read, so nothing blocks or runs out of memory — and only up to `max_bytes`.
/// `kind` names it in messages ("the subtitles file"). Throws FileError (missing,
/// unreadable) or Error(Fault::Input) (not a regular file, too large).
std::string read_input_file(const std::string& path, int64_t max_bytes, const std::string& kind);

/// What `path` is when it is there but not a regular file — "a FIFO (named pipe)", "a device",
/// "a socket", "a folder" — following links; empty for a regular file or nothing there. Media
/// are checked with it before they are opened: opening a FIFO waits for a writer forever, and
/// a device reads as endless or empty.
std::string special_file_kind(const std::string& path);

/// What identifies a file's content without reading it all: its absolute path, size,
/// modification time, inode, and a hash of its first and last 64 kB (file times are only as
/// fine as the kernel's tick). The key cached renders of a file (photo proxies, rendered
/// chunks) are kept under. Empty when the file cannot be read.
std::string file_identity(const std::string& path);

/// The part of file_identity that travels: the size and the hash of the first and last 64 kB,
/// the same for a copy of the file on another machine (a render node's upload of it). Empty
/// when the file cannot be read.
std::string content_identity(const std::string& path);

/// Whether `file_name` (no folder) is one of AtomicFile's temporary names (".tmp" ones: what a
/// crash may leave behind, safe to sweep) or a kept download part (".part").
bool is_temporary_name(std::string_view file_name);

}  // namespace reel::base
