#pragma once
// Failures carry their kind. The kind, not the exception's type, decides how the CLI tells
// the failure and which exit code it returns (docs/architecture.md, "Errors").
#include <stdexcept>
#include <string>
#include <system_error>

namespace reel::base {

/// What kind of failure an error is: who can fix it.
enum class Fault {
  Input,        // the draft, a media file or another input is wrong: fix the input
  Usage,        // the command line asks for what cannot be done: change the command
  Environment,  // the system refused: no space left, permission denied, read-only disk
  Cancelled,    // stopped by the person (Ctrl-C, SIGTERM)
  Remote,       // the cloud refused or failed
  Bug,          // reel did something wrong: the only kind that asks for a bug report
};

/// The base of reel's exceptions: a sentence for people and the kind of failure.
class Error : public std::runtime_error {
 public:
  Error(Fault fault, const std::string& message) : std::runtime_error(message), fault_(fault) {}
  Fault fault() const { return fault_; }

 private:
  Fault fault_;
};

/// Whether a file was being read (an input) or written (an output).
enum class Access { Read, Write };

/// A file operation the system refused. The message names the file, what was being done, the
/// system's reason and what to do: "cannot write out.mp4: No space left on device; free some
/// space on that disk or choose another place". A path that leads nowhere or to a folder is
/// the person's to fix: bad input when reading, a usage error when writing; any other refusal
/// (space, permission, a read-only disk) is the environment's.
class FileError : public Error {
 public:
  /// `action` is the verb phrase; empty: "read" or "write".
  FileError(Access access, const std::string& path, int err, const std::string& action = {});
  FileError(Access access, const std::string& path, std::error_code ec, const std::string& action = {});
  const std::string& path() const { return path_; }
  /// The errno value (0 when unknown).
  int error() const { return error_; }

 private:
  std::string path_;
  int error_;
};

/// What a person can do about errno `err` ("free some space on that disk or choose another
/// place"); empty when there is nothing more useful than the reason itself.
std::string file_error_advice(Access access, int err);

}  // namespace reel::base
