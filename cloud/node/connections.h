#pragma once
// The node's HTTP connections, internal to cloud/node/: httplib's server with a deadline for
// the whole of each request (httplib 0.11's read timeout is per recv, so a client sending one
// byte every few seconds would hold a thread for ever) and a cap on the connections of one
// client address. The keep-alive loop is ours; parsing and routing stay httplib's.
#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace reel::cloud::node {

struct ConnectionLimits {
  std::chrono::milliseconds request_deadline{30'000};                     // the headers and body of one request
  int64_t body_bytes_per_second = 1 << 20;                                // a body of N bytes gets N / this s more
  int max_per_address = 16;                                               // open connections of one client address
  std::chrono::milliseconds keep_alive{5'000};                            // idle wait for the next request
  std::chrono::milliseconds read_timeout{10'000}, write_timeout{30'000};  // per wait for the socket
  int max_requests_per_connection = 100;
};

/// Binds `server`'s port with SO_REUSEADDR only: httplib's default SO_REUSEPORT would let a
/// second process bind the same port beside it and take half of its connections. Every local
/// server of reel (the node, the studio, `reel mcp --listen`) uses it.
void bind_port_exclusively(httplib::Server& server);

/// httplib::Server whose connections keep ConnectionLimits. Handlers run on the connection's
/// thread, so the two static calls below act on the request being answered.
class NodeHttpServer : public httplib::Server {
 public:
  explicit NodeHttpServer(ConnectionLimits limits) : limits_(limits) { bind_port_exclusively(*this); }

  /// Gives the current request's body its time (by its Content-Length). Request thread only.
  static void extend_deadline_for_body(int64_t body_bytes);
  /// Answers with Connection: close and closes the connection after this answer: its body is
  /// left unread, and would otherwise be taken for the next request. Request thread only.
  static void close_after_reply(httplib::Response& res);

  /// The open connections of `address` now (tests, the log).
  int connections_of(const std::string& address) const;

 private:
  bool process_and_close_socket(socket_t sock) override;
  void serve_connection(socket_t sock);
  bool admit(const std::string& address);
  void release(const std::string& address);

  const ConnectionLimits limits_;
  mutable std::mutex mutex_;                // guards per_address_
  std::map<std::string, int> per_address_;  // client address -> open connections
};

}  // namespace reel::cloud::node
