#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "base/error.h"
#include "base/hash.h"

namespace reel::base {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTempMarker = ".reel-";
constexpr std::string_view kTempSuffix = ".tmp";
constexpr std::string_view kPartSuffix = ".part";

std::string temporary_name_for(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  const fs::path p(path);
  std::string name(1, '.');
  name += p.filename().string();
  name += kTempMarker;
  name += std::to_string(::getpid()) + "-" + std::to_string(counter++);
  name += kTempSuffix;
  return (p.parent_path() / name).string();
}

}  // namespace

AtomicFile::AtomicFile(std::string path, Uncommitted uncommitted)
    : path_(std::move(path)),
      temp_(uncommitted == Uncommitted::Keep ? path_ + std::string(kPartSuffix) : temporary_name_for(path_)),
      uncommitted_(uncommitted) {}

AtomicFile::~AtomicFile() {
  if (!committed_ && uncommitted_ == Uncommitted::Remove) ::unlink(temp_.c_str());
}

void AtomicFile::commit() {
  if (std::rename(temp_.c_str(), path_.c_str()) != 0)
    throw FileError(Access::Write, path_, errno, "move the finished file to");
  committed_ = true;
}

void write_file_atomically(const std::string& path, std::string_view content, unsigned mode) {
  AtomicFile file(path);
  const int fd = ::open(file.temp_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) throw FileError(Access::Write, path, errno);
  // The mode as asked, whatever the umask.
  bool ok = ::fchmod(fd, static_cast<mode_t>(mode)) == 0;
  size_t done = 0;
  while (ok && done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      ok = false;
    else
      done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int err = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok) throw FileError(Access::Write, path, err ? err : errno);
  file.commit();
}

namespace {

const char* kind_of_special(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string size_text(int64_t bytes) {
  char buf[32];
  if (bytes < 1024)
    std::snprintf(buf, sizeof buf, "%lld bytes", static_cast<long long>(bytes));
  else if (bytes < 1024 * 1024)
    std::snprintf(buf, sizeof buf, "%.0f kB", double(bytes) / 1024.0);
  else
    std::snprintf(buf, sizeof buf, "%.1f MB", double(bytes) / (1024.0 * 1024.0));
  return buf;
}

}  // namespace

std::string special_file_kind(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return "";
  return kind_of_special(st.st_mode);
}

void ensure_folder(const std::string& dir, unsigned mode) {
  if (dir.empty()) return;
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return;
  ensure_folder(fs::path(dir).parent_path().string(), mode);
  if (::mkdir(dir.c_str(), static_cast<mode_t>(mode)) != 0 && errno != EEXIST)
    throw FileError(Access::Write, dir, errno, "create the folder");
}

std::string read_input_file(const std::string& path, int64_t max_bytes, const std::string& kind) {
  // O_NONBLOCK: opening a FIFO with no writer must not wait; it is refused just below.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw FileError(Access::Read, path, errno);
  struct Close {
    int fd;
    ~Close() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw FileError(Access::Read, path, errno);
  if (!S_ISREG(st.st_mode))
    throw Error(Fault::Input, path + " is " + kind_of_special(st.st_mode) + ", not a file; give " + kind + " itself");
  if (st.st_size > max_bytes)
    throw Error(Fault::Input, path + " is " + size_text(st.st_size) + ", more than the " + size_text(max_bytes) +
                                  " allowed for " + kind + "; is it the right file?");
  std::string content;
  content.resize(size_t(st.st_size));
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::read(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw FileError(Access::Read, path, errno);
    if (n == 0) break;  // shrank while being read: what is there
    done += size_t(n);
  }
  content.resize(done);
  return content;
}

bool is_temporary_name(std::string_view name) {
  auto ends_with = [&](std::string_view suffix) {
    return name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (ends_with(kPartSuffix)) return true;
  return name.size() > kTempMarker.size() + kTempSuffix.size() + 1 && name.front() == '.' &&
         name.find(kTempMarker) != std::string_view::npos && ends_with(kTempSuffix);
}

namespace {

// "size|hash of the first and last 64 kB" of the regular file at `path` (stat'ed into `st`);
// empty when it cannot be read.
std::string sampled_content(const std::string& path, struct stat& st) {
  constexpr int64_t kSample = 64 * 1024;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return {};
  const int64_t size = st.st_size;
  std::string sample(size_t(std::min(size, 2 * kSample)), '\0');
  ssize_t got = 0;
  if (size <= 2 * kSample) {
    got = ::pread(fd, sample.data(), sample.size(), 0);
  } else {
    got = ::pread(fd, sample.data(), size_t(kSample), 0);
    if (got == kSample) got += ::pread(fd, sample.data() + kSample, size_t(kSample), off_t(size - kSample));
  }
  ::close(fd);
  if (got != ssize_t(sample.size())) return {};
  return std::to_string(size) + "|" + hash_hex(sample);
}

}  // namespace

std::string file_identity(const std::string& path) {
  struct stat st {};
  const std::string content = sampled_content(path, st);
  if (content.empty()) return {};
  std::error_code ec;
  const std::string abs = fs::absolute(path, ec).lexically_normal().string();
  return abs + "|" + std::to_string(int64_t(st.st_mtim.tv_sec)) + "." + std::to_string(int64_t(st.st_mtim.tv_nsec)) +
         "|" + std::to_string(uint64_t(st.st_ino)) + "|" + content;
}

std::string content_identity(const std::string& path) {
  struct stat st {};
  return sampled_content(path, st);
}

}  // namespace reel::base
