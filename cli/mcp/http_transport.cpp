#include "cli/mcp/http_transport.h"

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "base/error.h"
#include "cli/loopback/guard.h"
#include "cli/mcp/session.h"
#include "cloud/node/connections.h"

namespace reel::cli::mcp {

namespace {

// The messages one POST is waiting for: its requests' replies, and what a call sends before
// (progress). Filled by the session from any thread, drained by the HTTP worker.
struct Exchange {
  std::mutex mutex;  // guards the three below
  std::condition_variable changed;
  std::deque<Json> messages;
  std::set<std::string> awaited;  // ids (as JSON text) of requests not yet answered

  Session::Send sender(std::shared_ptr<Exchange> self) {
    return [self](const Json& m) {
      std::lock_guard<std::mutex> lock(self->mutex);
      if (m.contains("id") && (m.contains("result") || m.contains("error"))) self->awaited.erase(m["id"].dump());
      self->messages.push_back(m);
      self->changed.notify_all();
    };
  }
};

void send_json(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(to_line(body), "application/json");
}

void refuse(httplib::Response& res, int status, const std::string& why) {
  send_json(res, status, error_reply(nullptr, rpc_error::kInvalidRequest, why));
}

bool accepts(const httplib::Request& req, const char* type) {
  const std::string accept = req.get_header_value("Accept");
  return accept.empty() || accept.find(type) != std::string::npos || accept.find("*/*") != std::string::npos;
}

class HttpServer {
 public:
  HttpServer(const ToolCatalog& tools, const HttpOptions& o) : tools_(tools), options_(o) {}

  // Host and Origin (DNS rebinding, other pages), then the token. Empty when it may go on.
  bool admitted(const httplib::Request& req, httplib::Response& res) const {
    const std::string why = loopback::refusal(req.get_header_value("Host"), req.get_header_value("Origin"), port_);
    if (!why.empty()) {
      refuse(res, 403, "Forbidden: " + why);
      return false;
    }
    if (!options_.token.empty()) {
      const std::string auth = req.get_header_value("Authorization");
      const std::string prefix = "Bearer ";
      if (auth.compare(0, prefix.size(), prefix) != 0 ||
          !loopback::same_token(std::string_view(auth).substr(prefix.size()), options_.token)) {
        res.set_header("WWW-Authenticate", "Bearer realm=\"reel mcp\"");
        refuse(res, 401, "Unauthorized: send the token reel mcp was started with as Authorization: Bearer TOKEN");
        return false;
      }
    }
    return true;
  }

  void post(const httplib::Request& req, httplib::Response& res) {
    if (!admitted(req, res)) return;
    if (req.get_header_value("Content-Type").find("application/json") == std::string::npos) {
      refuse(res, 415, "Unsupported Media Type: POST a JSON-RPC message as application/json");
      return;
    }
    if (!accepts(req, "application/json") && !accepts(req, "text/event-stream")) {
      refuse(res, 406, "Not Acceptable: accept application/json and text/event-stream");
      return;
    }
    std::shared_ptr<Session> session;
    const std::string id = req.get_header_value("Mcp-Session-Id");
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = sessions_.find(id);
      if (it != sessions_.end()) session = it->second;
    }
    const bool batches = session && session->protocol_version() == "2025-03-26";
    std::vector<Message> messages = read_messages(req.body, batches || !session);
    const bool initializing = std::any_of(messages.begin(), messages.end(), [](const Message& m) {
      return m.kind == Message::Kind::Request && m.method == "initialize";
    });
    if (messages.size() == 1 && messages[0].kind == Message::Kind::Invalid) {
      send_json(res, 400, messages[0].reply);
      return;
    }
    std::string new_id;
    if (initializing) {
      if (messages.size() != 1) {
        refuse(res, 400, "Bad Request: initialize comes alone, not in a batch");
        return;
      }
      session = std::make_shared<Session>(tools_);
      new_id = loopback::new_token();
    } else if (!session) {
      refuse(res, id.empty() ? 400 : 404,
             id.empty() ? "Bad Request: no Mcp-Session-Id header; send initialize first"
                        : "Not Found: no session " + id + " (it ended, or the server restarted); initialize again");
      return;
    } else {
      const std::string version = req.get_header_value("MCP-Protocol-Version");
      const auto& known = supported_protocol_versions();
      if (!version.empty() && std::find(known.begin(), known.end(), version) == known.end()) {
        refuse(res, 400, "Bad Request: MCP-Protocol-Version " + version + " is not one reel speaks");
        return;
      }
    }
    auto exchange = std::make_shared<Exchange>();
    bool streams = false;
    for (const Message& m : messages)
      if (m.kind == Message::Kind::Request || m.kind == Message::Kind::Invalid) {
        exchange->awaited.insert(m.id.dump());
        streams = streams || m.method == "tools/call";
      }
    const bool any_request = !exchange->awaited.empty();
    const Session::Send send = exchange->sender(exchange);
    for (const Message& m : messages) session->handle(m, send);
    if (!new_id.empty()) {
      std::lock_guard<std::mutex> lock(mutex_);
      sessions_[new_id] = session;
      res.set_header("Mcp-Session-Id", new_id);
    }
    if (!any_request) {
      res.status = 202;
      return;
    }
    if (streams && accepts(req, "text/event-stream")) {
      stream(res, exchange);
      return;
    }
    // JSON: wait for every reply (a call's progress has nowhere to go and is dropped).
    std::unique_lock<std::mutex> lock(exchange->mutex);
    exchange->changed.wait(lock, [&] { return exchange->awaited.empty() || stopping_.load(); });
    Json replies = Json::array();
    for (const Json& m : exchange->messages)
      if (m.contains("id")) replies.push_back(m);
    if (replies.empty()) {
      refuse(res, 503, "Service Unavailable: the server is stopping");
      return;
    }
    send_json(res, 200, messages.size() == 1 ? replies[0] : replies);
  }

  // Server-Sent Events: each message as it comes, the stream ending after the last reply.
  void stream(httplib::Response& res, const std::shared_ptr<Exchange>& exchange) {
    res.status = 200;
    res.set_header("Cache-Control", "no-cache");
    res.set_chunked_content_provider("text/event-stream", [exchange, this](size_t, httplib::DataSink& sink) {
      std::unique_lock<std::mutex> lock(exchange->mutex);
      const bool woke = exchange->changed.wait_for(lock, std::chrono::seconds(15), [&] {
        return !exchange->messages.empty() || exchange->awaited.empty() || stopping_.load();
      });
      std::string events;
      while (!exchange->messages.empty()) {
        events += "event: message\ndata: " + to_line(exchange->messages.front()) + "\n\n";
        exchange->messages.pop_front();
      }
      const bool finished = exchange->awaited.empty() || stopping_.load();
      lock.unlock();
      if (!woke) events = ": still working\n\n";  // keeps proxies and idle timers from closing it
      if (!events.empty() && !sink.write(events.data(), events.size())) return false;
      if (finished) sink.done();
      return true;
    });
  }

  void remove(const httplib::Request& req, httplib::Response& res) {
    if (!admitted(req, res)) return;
    std::shared_ptr<Session> session;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = sessions_.find(req.get_header_value("Mcp-Session-Id"));
      if (it == sessions_.end()) {
        refuse(res, 404, "Not Found: no such session");
        return;
      }
      session = it->second;
      sessions_.erase(it);
    }
    session->stop();
    res.status = 200;
  }

  void run(const std::atomic<bool>& stop, const std::function<void(int)>& listening) {
    httplib::Server svr;
    cloud::node::bind_port_exclusively(svr);
    svr.set_payload_max_length(kMaxMessageBytes);
    svr.set_read_timeout(30, 0);
    svr.Post("/mcp", [this](const httplib::Request& q, httplib::Response& r) { post(q, r); });
    svr.Delete("/mcp", [this](const httplib::Request& q, httplib::Response& r) { remove(q, r); });
    svr.Get("/mcp", [this](const httplib::Request& q, httplib::Response& r) {
      if (!admitted(q, r)) return;
      r.set_header("Allow", "POST, DELETE");
      refuse(r, 405, "Method Not Allowed: reel sends no messages of its own; POST requests to /mcp");
    });
    port_ = options_.port == 0 ? svr.bind_to_any_port(options_.host)
                               : (svr.bind_to_port(options_.host, options_.port) ? options_.port : -1);
    if (port_ <= 0)
      throw base::Error(base::Fault::Environment,
                        "cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                            " (is another program using that port?); choose another with --listen 127.0.0.1:PORT");
    listening(port_);
    std::thread watcher([&] {
      while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
      stopping_ = true;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto& [id, s] : sessions_) s->stop();
      }
      svr.stop();
    });
    svr.listen_after_bind();
    watcher.join();
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_.clear();
  }

 private:
  const ToolCatalog& tools_;
  const HttpOptions options_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;  // guards sessions_
  std::map<std::string, std::shared_ptr<Session>> sessions_;
};

}  // namespace

void serve_http(const ToolCatalog& tools, const HttpOptions& options, const std::atomic<bool>& stop,
                const std::function<void(int port)>& listening) {
  HttpServer(tools, options).run(stop, listening);
}

}  // namespace reel::cli::mcp
