#include "tests/cloud/support/fake_backend.h"

#include <chrono>
#include <memory>

#include "draft/json.h"
#include "tests/cloud/support/test_util.h"

namespace reel::cloud::testing {

namespace {
void reply(httplib::Response& res, int status, const Json& j) {
  res.status = status;
  res.set_content(j.dump(), "application/json");
}
void env_ok(httplib::Response& res, const Json& data) {
  reply(res, 200, Json{{"code", 0}, {"message", "ok"}, {"data", data}});
}
void env_fail(httplib::Response& res, int status, int code, const std::string& msg) {
  reply(res, status, Json{{"code", code}, {"message", msg}, {"data", nullptr}});
}
bool take(std::atomic<int>& n) {
  int v = n.load();
  while (v > 0)
    if (n.compare_exchange_weak(v, v - 1)) return true;
  return false;
}
}  // namespace

std::string RecordedRequest::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
  return {};
}

FakeBackend::FakeBackend() {
  // An MP4 as far as the client's check of its boxes goes, with a patterned payload that shows
  // any byte out of place after a resumed download.
  std::string payload(300 * 1024, '\0');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>((i * 131 + 7) & 0xff);
  video = minimal_mp4(0, payload);
  routes();
  server_.set_read_timeout(5, 0);
  server_.set_write_timeout(5, 0);
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeBackend::~FakeBackend() {
  stopping_ = true;
  server_.stop();
  thread_.join();
}

void FakeBackend::record(const httplib::Request& req) {
  RecordedRequest r;
  r.method = req.method;
  r.path = req.path;
  r.target = req.target;
  r.headers.insert(req.headers.begin(), req.headers.end());
  r.body = req.body;
  std::lock_guard lock(mutex_);
  requests_.push_back(std::move(r));
}

std::vector<RecordedRequest> FakeBackend::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}
std::vector<std::string> FakeBackend::submitted_ids() const {
  std::lock_guard lock(mutex_);
  return submitted_;
}
std::vector<std::string> FakeBackend::issued_tokens() const {
  std::lock_guard lock(mutex_);
  return issued_;
}
std::vector<std::string> FakeBackend::client_ids() const {
  std::lock_guard lock(mutex_);
  return client_ids_;
}
std::map<std::string, std::string> FakeBackend::last_range_headers() const {
  std::lock_guard lock(mutex_);
  return ranges_;
}

void FakeBackend::script_sse(std::vector<SseStep> steps, bool drop) {
  std::lock_guard lock(mutex_);
  sse_steps_ = std::move(steps);
  sse_drop_ = drop;
}
std::vector<std::string> FakeBackend::sse_bodies() const {
  std::lock_guard lock(mutex_);
  return sse_bodies_;
}
void FakeBackend::set_state_draft(const Json& draft) {
  std::lock_guard lock(mutex_);
  state_draft_ = draft;
}
void FakeBackend::set_state_draft_after_sse(const Json& draft) {
  std::lock_guard lock(mutex_);
  state_after_sse_ = draft;
}

bool FakeBackend::authorized(const httplib::Request& req, httplib::Response& res) {
  std::string auth = req.get_header_value("Authorization");
  std::string token = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : "";
  std::lock_guard lock(mutex_);
  if (bad_token.load() > 0 && take(bad_token)) {
    valid_tokens_.erase(token);
    env_fail(res, 401, 1001, "token expired");
    return false;
  }
  if (!valid_tokens_.count(token)) {
    env_fail(res, 401, 1001, "bad token");
    return false;
  }
  return true;
}

void FakeBackend::routes() {
  auto& s = server_;
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
    record(req);
    return httplib::Server::HandlerResponse::Unhandled;
  });

  s.Post("/api/auth/anonymous-token", [this](const httplib::Request& req, httplib::Response& res) {
    ++token_calls;
    if (take(token_400) || req.get_header_value("X-Client-Id").empty())
      return env_fail(res, 400, 400, "X-Client-Id required");
    if (take(token_429)) return env_fail(res, 429, 429, "rate limited");
    std::lock_guard lock(mutex_);
    std::string token = "nmv_usr_SECRET" + std::to_string(issued_.size()) + "x" + std::to_string(port_);
    issued_.push_back(token);
    client_ids_.push_back(req.get_header_value("X-Client-Id"));
    valid_tokens_.insert(token);
    auto exp = std::chrono::system_clock::now() + std::chrono::seconds(expires_in_s.load());
    std::time_t t = std::chrono::system_clock::to_time_t(exp);
    char buf[32];
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    env_ok(res, Json{{"token", token}, {"user_id", "anon_fake42"}, {"expires_at", buf}, {"credits", 100}});
  });

  s.Post("/api/tasks/me/with-session/nemo_agent", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    ++session_calls;
    std::lock_guard lock(mutex_);
    ++sessions_;
    env_ok(res, Json{{"task_id", "task_" + std::to_string(sessions_)},
                     {"session_id", std::to_string(1000000000000000000ll + sessions_)}});
  });

  s.Get("/api/credits/balance/simple", [this](const httplib::Request& req, httplib::Response& res) {
    if (int ms = stall_ms.load(); ms > 0) {
      auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
      while (!stopping_ && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!authorized(req, res)) return;
    if (take(credits_503)) return reply(res, 503, Json{{"message", "busy"}});
    if (take(credits_429)) return reply(res, 429, Json{{"message", "slow down"}});
    env_ok(res, Json{{"available", 97}, {"frozen", 3}, {"total", 100}});
  });

  s.Get(R"(/api/state/nemo_agent/me/(\d+)/latest)", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    if (take(state_1002)) return env_fail(res, 404, 1002, "session not found");
    Json draft;
    {
      std::lock_guard lock(mutex_);
      draft = state_draft_;
    }
    env_ok(res, Json{{"session_id", req.matches[1].str()},
                     {"state", Json{{"draft", draft},
                                    {"video_infos", Json::array({Json{{"filename", "beach.jpg"},
                                                                      {"cdn_url", url() + "/cdn/beach.jpg"}}})}}}});
  });

  s.Post(R"(/api/upload-video/nemo_agent/me/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    ++upload_calls;
    Json files = Json::array();
    for (const auto& [name, f] : req.files)
      if (name == "files")
        files.push_back(Json{{"filename", f.filename},
                             {"file_type", "image"},
                             {"cdn_url", url() + "/cdn/" + f.filename},
                             {"hash", std::to_string(f.content.size())}});
    env_ok(res, Json{{"files", files}, {"session_state_applied", true}});
  });

  s.Post("/api/render/proxy/lambda", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    ++submit_calls;
    if (answer_402) return reply(res, 402, Json{{"success", false}, {"error", "Payment Required"}});
    if (answer_2001) return env_fail(res, 200, 2001, "insufficient credits");
    Json body = Json::parse(req.body, nullptr, false);
    std::string id = body.value("id", std::string());
    {
      std::lock_guard lock(mutex_);
      submitted_.push_back(id);
    }
    if (take(duplicate)) return reply(res, 200, Json{{"success", false}, {"error", "Duplicate render id: " + id}});
    reply(res, 200, Json{{"success", true}, {"data", Json{{"id", id}, {"status", "pending"}, {"progress", 5}}}});
  });

  s.Get(R"(/api/render/proxy/lambda/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    ++poll_calls;
    std::string id = req.matches[1];
    if (take(poll_503)) return reply(res, 503, Json{{"success", false}, {"error", "overloaded"}});
    int n;
    {
      std::lock_guard lock(mutex_);
      n = ++polls_[id];
    }
    Json data{{"id", id}, {"createdAt", 1700000000000}};
    std::string output =
        (cdn_base.empty() ? url() : cdn_base) + (broken_output_url ? "/cdn/missing.mp4" : "/cdn/out/" + id + ".mp4");
    if (n <= polls_until_done.load()) {
      data["status"] = n == 1 ? "pending" : "processing";
      data["progress"] = 5 + n * 10;
    } else if (!fail_text.empty()) {
      data["status"] = "failed";
      data["progress"] = 40;
      data["error"] = fail_text;
    } else {
      data["status"] = "completed";
      data["progress"] = 100;
      data["completedAt"] = 1700000060000;
      if (!old_shape) data["outputUrl"] = output;
    }
    Json body = old_shape ? data : Json{{"success", true}, {"data", data}};
    if (old_shape && data["status"] == "completed") body["output"] = Json{{"url", output}};
    std::string text = body.dump();
    if (take(drop_poll)) {
      res.set_content_provider(text.size(), "application/json", [text](size_t, size_t, httplib::DataSink& sink) {
        sink.write(text.data(), text.size() / 2);
        return false;  // the connection drops mid-answer
      });
      return;
    }
    res.set_content(text, "application/json");
  });

  s.Post(R"(/api/render/proxy/lambda/([^/]+)/cancel)", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    ++cancel_calls;
    reply(res, 200, Json{{"success", true}, {"data", Json{{"id", req.matches[1].str()}, {"status", "cancelled"}}}});
  });

  auto serve_video = [this](const httplib::Request& req, httplib::Response& res) {
    ++download_calls;
    {
      std::lock_guard lock(mutex_);
      ranges_[req.path] = req.get_header_value("Range");
    }
    // The bytes as they are now, kept by the response: a client may stop reading and the test
    // set `video` to the next file while this connection is still sending (ASan saw it).
    const auto v = std::make_shared<const std::string>(video);
    if (take(drop_download)) {
      res.set_content_provider(v->size(), "video/mp4", [v](size_t offset, size_t length, httplib::DataSink& sink) {
        size_t n = std::min(length, v->size() / 3);
        sink.write(v->data() + offset, n);
        return false;  // the connection drops mid-file
      });
      return;
    }
    if (take(dribble_download)) {
      res.set_content_provider(v->size(), "video/mp4", [v](size_t offset, size_t, httplib::DataSink& sink) {
        if (offset >= 12) return false;  // 6 s of it: well past the tests' limits
        std::this_thread::sleep_for(std::chrono::seconds(1));
        return sink.write(v->data() + offset, 2);
      });
      return;
    }
    if (take(stall_download)) {
      res.set_content_provider(v->size(), "video/mp4", [](size_t, size_t, httplib::DataSink&) {
        std::this_thread::sleep_for(std::chrono::seconds(6));  // well past the tests' 2 s low-speed limit
        return false;
      });
      return;
    }
    res.set_content_provider(v->size(), "video/mp4", [v](size_t offset, size_t length, httplib::DataSink& sink) {
      size_t n = std::min<size_t>(length, 64 * 1024);
      return sink.write(v->data() + offset, n);
    });
  };
  s.Get(R"(/cdn/out/([^/]+)\.mp4)", serve_video);
  s.Get(R"(/api/render/proxy/([^/]+)/download)",
        [this, serve_video](const httplib::Request& req, httplib::Response& res) {
          if (!authorized(req, res)) return;
          serve_video(req, res);
        });
  s.Post("/run_sse", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    ++run_sse_calls;
    std::vector<SseStep> steps;
    bool drop;
    {
      std::lock_guard lock(mutex_);
      steps = sse_steps_;
      drop = sse_drop_;
      sse_bodies_.push_back(req.body);
      if (!state_after_sse_.is_null()) state_draft_ = state_after_sse_;
    }
    auto shared = std::make_shared<std::vector<SseStep>>(std::move(steps));
    res.set_chunked_content_provider(
        "text/event-stream", [this, shared, drop, i = size_t{0}](size_t, httplib::DataSink& sink) mutable {
          if (i < shared->size()) {
            const SseStep& st = (*shared)[i++];
            auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(st.pause_ms);
            while (!stopping_ && std::chrono::steady_clock::now() < until)
              std::this_thread::sleep_for(std::chrono::milliseconds(5));
            return st.bytes.empty() || sink.write(st.bytes.data(), st.bytes.size());
          }
          if (drop) return false;  // the connection drops: the chunked body never ends
          sink.done();
          return true;
        });
  });

  s.Get("/loop", [this](const httplib::Request&, httplib::Response& res) { res.set_redirect(url() + "/loop"); });
  s.Get("/redirect",
        [this](const httplib::Request&, httplib::Response& res) { res.set_redirect(url() + "/cdn/x.jpg"); });
  s.Get(R"(/cdn/missing.mp4)", [](const httplib::Request&, httplib::Response& res) {
    reply(res, 404, Json{{"error", "gone"}});
  });
  s.Get(R"(/cdn/([^/]+))", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content("bytes of " + req.matches[1].str(), "application/octet-stream");
  });
}

}  // namespace reel::cloud::testing
