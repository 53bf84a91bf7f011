#include "base/error.h"

#include <cerrno>
#include <cstring>

namespace reel::base {

namespace {

// A folder where a file was wanted, or a path that does not lead anywhere, is the person's
// naming; everything else is the system refusing.
Fault fault_of(Access access, int err) {
  switch (err) {
    case EISDIR:
    case ENOTDIR:
    case ENOENT:
    case ENAMETOOLONG:
      return access == Access::Read ? Fault::Input : Fault::Usage;
    default:
      return Fault::Environment;
  }
}

std::string message(Access access, const std::string& action, const std::string& path, int err,
                    const std::string& reason) {
  const std::string verb = !action.empty() ? action : access == Access::Read ? "read" : "write";
  std::string m = "cannot " + verb + " " + path + ": " + reason;
  const std::string advice = file_error_advice(access, err);
  if (!advice.empty()) m += "; " + advice;
  return m;
}

}  // namespace

std::string file_error_advice(Access access, int err) {
  switch (err) {
    case ENOSPC:
    case EDQUOT:
      return "free some space on that disk or choose another place";
    case EACCES:
    case EPERM:
      return "choose a folder you can write to, or change its permissions";
    case EROFS:
      return "that disk is read-only; choose another place";
    case EISDIR:
      return "it is a folder; name a file inside it";
    case ENOTDIR:
    case ENOENT:
      return access == Access::Read ? "check the path" : "check that the folder exists";
    case ENAMETOOLONG:
      return "the name is too long; choose a shorter one";
    case EMFILE:
    case ENFILE:
      return "too many files are open; close some programs and try again";
    case EIO:
      return "the disk reported an error; check it";
    default:
      return "";
  }
}

FileError::FileError(Access access, const std::string& path, int err, const std::string& action)
    : Error(fault_of(access, err), message(access, action, path, err, err ? std::strerror(err) : "unknown reason")),
      path_(path),
      error_(err) {}

FileError::FileError(Access access, const std::string& path, std::error_code ec, const std::string& action)
    : FileError(access, path, ec.value(), action) {}

}  // namespace reel::base
