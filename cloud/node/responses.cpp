#include "cloud/node/responses.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

namespace reel::cloud::node {
namespace fs = std::filesystem;

void reply(Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}
void ok(Response& res, const Json& data) { reply(res, 200, Json{{"code", 0}, {"message", "ok"}, {"data", data}}); }
void fail(Response& res, int status, int code, const std::string& message) {
  reply(res, status, Json{{"code", code}, {"message", message}, {"data", nullptr}});
}
void proxy_ok(Response& res, const Json& data) { reply(res, 200, Json{{"success", true}, {"data", data}}); }
void proxy_fail(Response& res, int status, const std::string& error) {
  reply(res, status, Json{{"success", false}, {"data", nullptr}, {"error", error}});
}

std::optional<std::string> read_body(const ContentReader& reader, int64_t cap) {
  std::string body;
  bool over = false;
  reader([&](const char* d, size_t n) {
    if (static_cast<int64_t>(body.size() + n) > cap) {
      over = true;
      return false;
    }
    body.append(d, n);
    return true;
  });
  if (over) return std::nullopt;
  return body;
}

std::optional<Json> json_body(const ContentReader& reader, Response& res, int64_t cap, bool proxy) {
  auto text = read_body(reader, cap);
  if (!text) {
    proxy ? proxy_fail(res, 413, "request body too large") : fail(res, 413, 413, "request body too large");
    return std::nullopt;
  }
  Json j = Json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    proxy ? proxy_fail(res, 400, "the body is not a JSON object")
          : fail(res, 400, 400, "the body is not a JSON object");
    return std::nullopt;
  }
  return j;
}

void drain_body(const Request& req, const ContentReader& reader) {
  if (req.is_multipart_form_data())
    reader([](const httplib::MultipartFormData&) { return true; }, [](const char*, size_t) { return true; });
  else
    reader([](const char*, size_t) { return true; });
}

void serve_file(Response& res, const std::string& path, const std::string& type) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) {
    proxy_fail(res, 404, "file not found");
    return;
  }
  auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
  res.set_content_provider(static_cast<size_t>(size), type,
                           [in](size_t offset, size_t length, httplib::DataSink& sink) {
                             char buf[64 * 1024];
                             in->clear();
                             in->seekg(static_cast<std::streamoff>(offset));
                             size_t n = std::min(length, sizeof buf);
                             in->read(buf, static_cast<std::streamsize>(n));
                             std::streamsize got = in->gcount();
                             if (got <= 0) return false;
                             return sink.write(buf, static_cast<size_t>(got));
                           });
}

}  // namespace reel::cloud::node
