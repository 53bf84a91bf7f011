#include "cloud/node/responses.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cloud/node/connections.h"

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

std::optional<Json> json_body(const ContentReader& reader, const Request& req, Response& res, const BodyLimits& limits,
                              bool proxy, const LargeBodyGate& gate) {
  auto refuse = [&](int status, const std::string& why) {
    proxy ? proxy_fail(res, status, why) : fail(res, status, status, why);
    return std::nullopt;
  };
  const int64_t declared = std::atoll(req.get_header_value("Content-Length").c_str());
  if (declared > limits.max_bytes) {
    NodeHttpServer::close_after_reply(res);
    return refuse(413, "request body too large: the limit is " + std::to_string(limits.max_bytes) + " bytes");
  }
  const bool large = declared > gate.large || req.get_header_value("Content-Length").empty();
  if (large && !gate.gate.try_acquire_for(gate.wait)) {
    NodeHttpServer::close_after_reply(res);
    return refuse(503, "the node is busy reading other large requests; try again");
  }
  struct Release {
    std::counting_semaphore<64>* gate;
    ~Release() {
      if (gate) gate->release();
    }
  } release{large ? &gate.gate : nullptr};
  auto text = read_body(reader, limits.max_bytes);
  if (!text) {
    NodeHttpServer::close_after_reply(res);  // the rest of the body is unread
    return refuse(413, "request body too large: the limit is " + std::to_string(limits.max_bytes) + " bytes");
  }
  Refusal why;
  auto j = parse_json_object(*text, limits, why);
  if (!j) return refuse(why.status, why.message);
  return j;
}

std::string string_field(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void close_unread(Response& res) { NodeHttpServer::close_after_reply(res); }

void drain_body(const Request& req, const ContentReader& reader) {
  if (req.is_multipart_form_data())
    reader([](const httplib::MultipartFormData&) { return true; }, [](const char*, size_t) { return true; });
  else
    reader([](const char*, size_t) { return true; });
}

void serve_file(const Request& req, Response& res, const std::string& path, const std::string& type) {
  if (req.ranges.size() > 1) {  // one range a request: what downloads resume with
    res.set_header("Content-Range", "bytes */*");
    return proxy_fail(res, 416, "one byte range a request, please");
  }
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
