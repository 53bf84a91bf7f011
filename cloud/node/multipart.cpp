#include "cloud/node/multipart.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "base/hash.h"
#include "cloud/protocol/upload_types.h"
#include "cloud/protocol/wire.h"

namespace reel::cloud::node {
namespace fs = std::filesystem;

std::string safe_name(const std::string& name) {
  std::string base = fs::path(name).filename().string();
  std::string out;
  for (char c : base)
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  if (out.empty() || out[0] == '.') out = "file" + out;
  if (out.size() > 100) out = out.substr(out.size() - 100);
  return out;
}

std::string unsupported_type(const std::string& name) {
  return "unsupported file type: " + safe_name(name) + "; accepted formats: " + accepted_formats_text();
}
std::string too_large(int64_t max_bytes) {
  return "file too large: the limit is " + std::to_string(max_bytes >> 20) + " MB";
}

namespace {

/// Receives the parts of a multipart upload: each `files` part streamed to its own file while
/// its bytes are hashed; any other field skipped.
class MultipartReceiver {
 public:
  MultipartReceiver(const UploadLimits& limits, const UploadTarget& to) : limits_(limits), to_(to) {}

  bool header(const httplib::MultipartFormData& f) {
    if (!finish_part()) return false;
    cur_.active = true;
    if (++parts_ > limits_.max_parts) {
      got_.code = 400;
      got_.error = "an upload request carries at most " + std::to_string(limits_.max_parts) + " parts";
      cur_.skip = true;
      return false;
    }
    if (f.name != "files") {
      cur_.skip = true;
      return true;
    }
    if (!accepted_upload_type(f.filename)) {
      got_.code = kCodeUnsupportedType;
      got_.error = unsupported_type(f.filename);
      cur_.skip = true;
      return false;
    }
    std::string stored = to_.unique() + "-" + safe_name(f.filename);
    cur_.file.path = to_.dir + "/" + stored;
    cur_.file.info.filename = fs::path(f.filename).filename().string();
    cur_.file.info.file_type = to_string(upload_type_of(f.filename)->kind);
    cur_.file.info.cdn_url = to_.url_base + "/" + stored;
    return open_part();
  }

  bool content(const char* data, size_t len) {
    if (cur_.skip) return true;
    cur_.size += static_cast<int64_t>(len);
    if (cur_.size > limits_.max_bytes) {
      got_.code = kCodeTooLarge;
      got_.error = too_large(limits_.max_bytes);
      cur_.skip = true;
      return false;
    }
    cur_.hash.add(std::string_view(data, len));
    cur_.out.write(data, static_cast<std::streamsize>(len));
    return cur_.out ? true : disk_failed("write");
  }

  /// After the reader returned `read_ok`: what arrived. A refusal keeps none of the files.
  Received end(bool read_ok) {
    if (!read_ok && got_.code == 0) {
      got_.code = 400;
      got_.error = "the upload was cut short";
      cur_.skip = true;  // a part whose bytes had not come yet is cut, not empty
    }
    finish_part();  // a refused part leaves nothing
    if (got_.code != 0) {
      std::error_code ec;
      for (const auto& f : got_.files) fs::remove(f.path, ec);
      got_.files.clear();
    }
    return std::move(got_);
  }

 private:
  /// Opens the part's file, mode 0600 (uploads are the sender's, no one else's).
  bool open_part() {
    const int fd = ::open(cur_.file.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    cur_.out.open(cur_.file.path, std::ios::binary | std::ios::trunc);
    return fd >= 0 && cur_.out ? true : disk_failed("create");
  }
  bool disk_failed(const char* what) {
    got_.code = 507;
    got_.error = std::string("the node cannot ") + what + " the uploaded file: " + std::strerror(errno);
    cur_.skip = true;
    return false;
  }
  /// Ends the current part: kept, or refused when it was empty. False when refused.
  bool finish_part() {
    if (!cur_.active) return true;
    cur_.out.close();
    bool kept = !cur_.skip;
    if (kept && cur_.size == 0) {
      got_.code = 400;
      got_.error = "an uploaded file is empty: " + safe_name(cur_.file.info.filename);
      kept = false;
    }
    if (kept) {
      cur_.file.info.hash = cur_.hash.hex();
      got_.files.push_back(cur_.file);
    } else if (!cur_.file.path.empty()) {
      std::error_code ec;
      fs::remove(cur_.file.path, ec);
    }
    cur_ = Part{};
    return kept || got_.code == 0;
  }

  struct Part {
    std::ofstream out;
    NodeFile file;
    int64_t size = 0;
    base::Hash64 hash;
    bool active = false, skip = false;
  };
  const UploadLimits& limits_;
  const UploadTarget& to_;
  Part cur_;
  Received got_;
  int parts_ = 0;
};

/// A request's bytes in memory as httplib's Stream: reads of at most `chunk` bytes, then the
/// end (the peer closed); what is written back (the answer) is dropped.
class MemoryStream : public httplib::Stream {
 public:
  MemoryStream(std::string_view in, size_t chunk) : in_(in), chunk_(std::max<size_t>(1, chunk)) {}
  bool is_readable() const override { return pos_ < in_.size(); }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    const size_t n = std::min({size, chunk_, in_.size() - pos_});
    std::memcpy(ptr, in_.data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char*, size_t size) override { return static_cast<ssize_t>(size); }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 1;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 2;
  }
  socket_t socket() const override { return INVALID_SOCKET; }

 private:
  std::string_view in_;
  size_t chunk_, pos_ = 0;
};

/// httplib's server answering one request from a Stream (process_request is protected).
class OneRequestServer : public httplib::Server {
 public:
  void answer(httplib::Stream& s) {
    bool closed = false;
    (void)process_request(s, true, closed, nullptr);
  }
};

}  // namespace

Received receive_multipart(const httplib::ContentReader& reader, const UploadLimits& limits, const UploadTarget& to) {
  MultipartReceiver r(limits, to);
  bool read_ok = reader([&](const httplib::MultipartFormData& f) { return r.header(f); },
                        [&](const char* data, size_t len) { return r.content(data, len); });
  return r.end(read_ok);
}

Received receive_multipart_bytes(std::string_view content_type, std::string_view body, const UploadLimits& limits,
                                 const UploadTarget& to, size_t chunk) {
  Received got;
  if (content_type.find_first_of("\r\n") != std::string_view::npos) {
    got.code = 400;
    got.error = "a Content-Type has no line break";
    return got;
  }
  std::string request = "POST /upload HTTP/1.1\r\nHost: node\r\nContent-Type: ";
  request.append(content_type);
  request += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  request.append(body);

  bool handled = false;
  OneRequestServer server;
  server.set_payload_max_length(static_cast<size_t>(upload_body_cap(limits.max_bytes)));  // as the node's
  server.Post("/upload", [&](const httplib::Request& req, httplib::Response&, const httplib::ContentReader& reader) {
    handled = true;
    if (!req.is_multipart_form_data()) {
      got.code = 400;
      got.error = "not a multipart/form-data request";
      return;
    }
    got = receive_multipart(reader, limits, to);
  });
  MemoryStream stream(request, chunk);
  server.answer(stream);
  if (!handled) {
    got.code = 400;
    got.error = "httplib refused the request before reading its body";
  }
  return got;
}

}  // namespace reel::cloud::node
