#include "cloud/node/connections.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace reel::cloud::node {
using namespace std::chrono;

namespace {

/// A connected socket as httplib's Stream, every read bounded by the request's deadline as
/// well as by the read timeout. Buffered, as httplib reads headers a byte at a time.
class DeadlineStream : public httplib::Stream {
 public:
  DeadlineStream(socket_t sock, const ConnectionLimits& limits) : sock_(sock), limits_(limits) {}

  void start_request() { deadline_ = steady_clock::now() + limits_.request_deadline; }
  /// A body of `bytes` gets bytes / body_bytes_per_second more: a big upload is not a slow one.
  void extend_for_body(int64_t bytes) {
    if (bytes > 0 && limits_.body_bytes_per_second > 0)
      deadline_ += milliseconds(bytes / std::max<int64_t>(1, limits_.body_bytes_per_second / 1000));
  }
  bool has_buffered() const { return begin_ < end_; }

  bool is_readable() const override { return has_buffered() || wait(POLLIN, read_wait()); }
  bool is_writable() const override { return wait(POLLOUT, limits_.write_timeout); }

  ssize_t read(char* ptr, size_t size) override {
    if (!has_buffered()) {
      if (!wait(POLLIN, read_wait())) return -1;
      ssize_t n;
      do n = ::recv(sock_, buffer_, sizeof buffer_, 0);
      while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      begin_ = 0;
      end_ = static_cast<size_t>(n);
    }
    const size_t n = std::min(size, end_ - begin_);
    std::memcpy(ptr, buffer_ + begin_, n);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { address_of(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address_of(false, ip, port); }
  socket_t socket() const override { return sock_; }

 private:
  /// How long a read may wait: the read timeout, but never past the request's deadline.
  milliseconds read_wait() const {
    auto left = duration_cast<milliseconds>(deadline_ - steady_clock::now());
    return std::clamp(left, milliseconds(0), limits_.read_timeout);
  }
  bool wait(short events, milliseconds timeout) const {
    pollfd p{sock_, events, 0};
    int r;
    do r = ::poll(&p, 1, static_cast<int>(timeout.count()));
    while (r < 0 && errno == EINTR);
    return r > 0 && (p.revents & (events | POLLHUP | POLLERR));
  }
  void address_of(bool remote, std::string& ip, int& port) const {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    auto* sa = reinterpret_cast<sockaddr*>(&a);
    ip.clear();
    port = 0;
    if ((remote ? ::getpeername(sock_, sa, &len) : ::getsockname(sock_, sa, &len)) != 0) return;
    char text[INET6_ADDRSTRLEN] = {0};
    if (a.ss_family == AF_INET) {
      auto* in = reinterpret_cast<sockaddr_in*>(&a);
      ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
      port = ntohs(in->sin_port);
    } else if (a.ss_family == AF_INET6) {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(&a);
      ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
      port = ntohs(in6->sin6_port);
    }
    ip = text;
  }

  const socket_t sock_;
  const ConnectionLimits& limits_;
  steady_clock::time_point deadline_ = steady_clock::now();
  char buffer_[4096];
  size_t begin_ = 0, end_ = 0;
};

thread_local DeadlineStream* current_stream = nullptr;
thread_local bool close_requested = false;

/// Waits up to `timeout` for the next request on an idle keep-alive connection, in short
/// slices so that a stopping server (`running` false) is not kept waiting.
template <class Running>
bool next_request_arrives(const DeadlineStream& s, socket_t sock, milliseconds timeout, Running running) {
  if (s.has_buffered()) return true;
  const auto until = steady_clock::now() + timeout;
  while (running() && steady_clock::now() < until) {
    pollfd p{sock, POLLIN, 0};
    int r = ::poll(&p, 1, 50);
    if (r < 0 && errno != EINTR) return false;
    if (r > 0) return (p.revents & POLLIN) != 0;
  }
  return false;
}

/// Closes after a short lingering read: a client still sending a body we refused would get a
/// reset, not our answer, if unread bytes were left when the socket closes.
void close_gently(socket_t sock) {
  ::shutdown(sock, SHUT_WR);
  const auto until = steady_clock::now() + milliseconds(500);
  char sink[16 * 1024];
  for (size_t drained = 0; drained < (4u << 20) && steady_clock::now() < until;) {
    pollfd p{sock, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = ::recv(sock, sink, sizeof sink, 0);
    if (n <= 0) break;
    drained += static_cast<size_t>(n);
  }
  ::close(sock);
}

void refuse_busy_address(socket_t sock) {
  static const std::string answer =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
      "Content-Length: 93\r\n\r\n"
      R"({"code":503,"message":"too many connections from this address","success":false,"data":null})";
  (void)::send(sock, answer.data(), answer.size(), MSG_NOSIGNAL);
}

}  // namespace

void bind_port_exclusively(httplib::Server& server) {
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

void NodeHttpServer::extend_deadline_for_body(int64_t body_bytes) {
  if (current_stream) current_stream->extend_for_body(body_bytes);
}

void NodeHttpServer::close_after_reply(httplib::Response& res) {
  res.set_header("Connection", "close");
  close_requested = true;
}

int NodeHttpServer::connections_of(const std::string& address) const {
  std::lock_guard lock(mutex_);
  auto it = per_address_.find(address);
  return it == per_address_.end() ? 0 : it->second;
}

bool NodeHttpServer::admit(const std::string& address) {
  std::lock_guard lock(mutex_);
  int& open = per_address_[address];
  if (open >= limits_.max_per_address) return false;
  ++open;
  return true;
}

void NodeHttpServer::release(const std::string& address) {
  std::lock_guard lock(mutex_);
  if (auto it = per_address_.find(address); it != per_address_.end() && --it->second <= 0) per_address_.erase(it);
}

bool NodeHttpServer::process_and_close_socket(socket_t sock) {
  serve_connection(sock);
  close_gently(sock);
  return true;
}

void NodeHttpServer::serve_connection(socket_t sock) {
  DeadlineStream stream(sock, limits_);
  std::string address;
  int port = 0;
  stream.get_remote_ip_and_port(address, port);
  if (!admit(address)) return refuse_busy_address(sock);
  current_stream = &stream;
  for (int count = limits_.max_requests_per_connection; count > 0 && svr_sock_ != INVALID_SOCKET; --count) {
    if (!next_request_arrives(stream, sock, limits_.keep_alive, [this] { return svr_sock_ != INVALID_SOCKET; })) break;
    stream.start_request();
    close_requested = false;
    bool connection_closed = false;
    const bool ok = process_request(stream, count == 1, connection_closed, nullptr);
    if (!ok || connection_closed || close_requested) break;
  }
  current_stream = nullptr;
  release(address);
}

}  // namespace reel::cloud::node
