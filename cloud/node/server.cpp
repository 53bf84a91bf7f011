#include "cloud/node/server.h"

#include <httplib.h>

#include <algorithm>
#include <cstdlib>
#include <thread>
#include <vector>

#include "base/files.h"
#include "cloud/node/connections.h"
#include "cloud/node/media_policy.h"
#include "cloud/node/multipart.h"
#include "cloud/node/recovery.h"
#include "cloud/node/renders.h"
#include "cloud/node/routes.h"
#include "cloud/node/state.h"

namespace reel::cloud {
using namespace std::chrono;

namespace {

node::ConnectionLimits connection_limits(const NodeOptions& o) {
  node::ConnectionLimits l;
  l.request_deadline = seconds(std::max(1, o.request_timeout_s));
  l.max_per_address = std::max(1, o.max_connections_per_address);
  l.read_timeout = seconds(std::max(1, o.read_timeout_s));
  l.write_timeout = seconds(std::max(1, o.write_timeout_s));
  return l;
}

}  // namespace

struct RenderNode::Impl {
  explicit Impl(NodeOptions o) : state(std::move(o)), server(connection_limits(state.opt)) {}
  node::NodeState state;
  node::NodeHttpServer server;
  std::thread server_thread;
  std::vector<std::thread> workers;
  int bound_port = 0;
};

namespace {

/// The cache of remote media: no redirects (one could lead a vetted public URL to a private
/// address), and each URL vetted and pinned unless local media is allowed.
std::unique_ptr<MediaCache> make_cache(const NodeOptions& opt) {
  MediaCacheOptions mc;
  mc.dir = opt.data_dir + "/cache";
  mc.max_file_bytes = opt.max_upload_bytes;
  mc.follow_redirects = false;
  if (!opt.allow_local_media) mc.vet = vet_public_url;
  return std::make_unique<MediaCache>(mc);
}

/// A bounded thread pool, timeouts, the body cap, the access log and the 500 answer.
void configure_server(httplib::Server& server, const node::NodeState& n) {
  const int threads = std::max(2, n.opt.http_threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server.set_read_timeout(n.opt.read_timeout_s, 0);
  server.set_write_timeout(n.opt.write_timeout_s, 0);
  server.set_keep_alive_timeout(5);
  server.set_payload_max_length(static_cast<size_t>(node::upload_body_cap(n.opt.max_upload_bytes)));
  server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    node::NodeHttpServer::extend_deadline_for_body(std::atoll(req.get_header_value("Content-Length").c_str()));
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_logger([&n](const httplib::Request& req, const httplib::Response& res) {
    n.log(req.method + " " + req.path + " " + std::to_string(res.status));
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    node::reply(res, 500, Json{{"code", 500}, {"message", what}, {"success", false}, {"error", what}});
  });
}

/// Binds the listening address; the port (a free one when options.port is 0).
int bind_listener(httplib::Server& server, const NodeOptions& opt) {
  int port =
      opt.port == 0 ? server.bind_to_any_port(opt.host) : (server.bind_to_port(opt.host, opt.port) ? opt.port : -1);
  if (port <= 0) throw std::runtime_error("cannot listen on " + opt.host + ":" + std::to_string(opt.port));
  return port;
}

std::string public_url_of(const NodeOptions& opt, int port) {
  std::string host = opt.host.find(':') != std::string::npos ? "[" + opt.host + "]" : opt.host;
  std::string url = opt.public_url.empty() ? "http://" + host + ":" + std::to_string(port) : opt.public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

RenderNode::RenderNode(NodeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

RenderNode::~RenderNode() { stop(); }

int RenderNode::start() {
  Impl& m = *impl_;
  node::NodeState& n = m.state;
  if (n.opt.data_dir.empty()) throw std::runtime_error("the render node needs a data folder (--data DIR)");
  for (const char* sub : {"", "/renders", "/files", "/cache"}) base::ensure_folder(n.opt.data_dir + sub, 0700);
  node::recover_earlier_run(n);
  node::sweep_leftovers(n);
  n.cache = make_cache(n.opt);
  configure_server(m.server, n);
  node::register_routes(m.server, n);
  m.bound_port = bind_listener(m.server, n.opt);
  n.public_url = public_url_of(n.opt, m.bound_port);
  for (int i = 0; i < std::max(1, n.opt.workers); ++i) m.workers.emplace_back([&n] { node::worker_loop(n); });
  m.server_thread = std::thread([&m] { m.server.listen_after_bind(); });
  while (!m.server.is_running()) std::this_thread::sleep_for(milliseconds(1));
  {
    std::lock_guard lock(n.mutex);
    n.started = true;
  }
  n.log("render node listening on " + n.public_url);
  return m.bound_port;
}

void RenderNode::stop(milliseconds grace) {
  Impl& m = *impl_;
  node::NodeState& n = m.state;
  {
    std::unique_lock lock(n.mutex);
    if (!n.started || n.stopping) {
      if (n.started) n.done_cv.wait(lock, [&] { return n.stopped; });
      return;
    }
    n.stopping = true;
    node::fail_queued_locked(n);
    n.save_locked();
    n.done_cv.wait_for(lock, grace, [&] { return n.running.empty(); });
    for (auto& [id, flag] : n.running) flag->store(true);
  }
  n.queue_cv.notify_all();
  for (auto& w : m.workers) w.join();
  m.workers.clear();
  {
    std::lock_guard lock(n.mutex);
    node::fail_unfinished_locked(n.records, "the render node stopped during this render; submit it again");
    n.save_locked();
  }
  m.server.stop();
  if (m.server_thread.joinable()) m.server_thread.join();
  {
    std::lock_guard lock(n.mutex);
    n.stopped = true;
  }
  n.done_cv.notify_all();
  n.log("render node stopped");
}

void RenderNode::wait() {
  node::NodeState& n = impl_->state;
  std::unique_lock lock(n.mutex);
  n.done_cv.wait(lock, [&] { return n.stopped; });
}

std::string RenderNode::base_url() const { return impl_->state.public_url; }
int RenderNode::port() const { return impl_->bound_port; }

}  // namespace reel::cloud
