#include "cli/mcp/stdio_transport.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cli/mcp/session.h"

namespace reel::cli::mcp {

namespace {

// Writes all of `text` to `fd`; false when the reader has gone.
bool write_all(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += size_t(n);
  }
  return true;
}

// A batch's replies go back as one array once every request of it has answered (tool calls
// answer from their threads); notifications (progress) go at once.
Session::Send batch_sender(const std::vector<Message>& messages, const Session::Send& send) {
  struct Replies {
    std::mutex mutex;  // guards the two below
    size_t awaited = 0;
    Json list = Json::array();
  };
  auto replies = std::make_shared<Replies>();
  for (const Message& m : messages)
    replies->awaited += m.kind == Message::Kind::Request || m.kind == Message::Kind::Invalid;
  return [replies, send](const Json& m) {
    if (m.contains("method")) return send(m);
    std::unique_lock<std::mutex> lock(replies->mutex);
    replies->list.push_back(m);
    if (replies->list.size() < replies->awaited) return;
    const Json all = std::move(replies->list);
    lock.unlock();
    send(all);
  };
}

}  // namespace

void serve_stdio(const ToolCatalog& tools, const std::atomic<bool>& stop) {
  // A client that closes its end of stdout must not kill the server (SIGPIPE): the write fails
  // instead, and the server stops, cancelling what runs.
  std::signal(SIGPIPE, SIG_IGN);
  // The protocol gets its own copy of stdout; fd 1 then points at stderr for everything else.
  const int out = ::dup(STDOUT_FILENO);
  ::dup2(STDERR_FILENO, STDOUT_FILENO);
  std::mutex out_mutex;  // one message at a time on `out`
  std::atomic<bool> reader_gone{false};
  const Session::Send send = [out, &out_mutex, &reader_gone](const Json& message) {
    const std::string line = to_line(message) + "\n";
    std::lock_guard<std::mutex> lock(out_mutex);
    if (!reader_gone.load() && !write_all(out, line)) reader_gone.store(true);
  };
  {
    Session session(tools);
    std::string buffer;
    bool skipping = false;  // inside a line longer than the limit: dropped up to its newline
    char chunk[65536];
    while (!stop.load() && !reader_gone.load()) {
      pollfd p{STDIN_FILENO, POLLIN, 0};
      const int ready = ::poll(&p, 1, 200);
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) continue;
      const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // the client closed its end
      buffer.append(chunk, size_t(n));
      for (size_t nl; (nl = buffer.find('\n')) != std::string::npos;) {
        std::string line = buffer.substr(0, nl);
        buffer.erase(0, nl + 1);
        if (skipping) {
          skipping = false;
          continue;
        }
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        const bool batches = session.protocol_version() == "2025-03-26";
        const std::vector<Message> messages = read_messages(line, batches);
        const bool batch = batches && line[line.find_first_not_of(" \t")] == '[' &&
                           !(messages.size() == 1 && messages[0].kind == Message::Kind::Invalid);
        const Session::Send to = batch ? batch_sender(messages, send) : send;
        for (const Message& m : messages) session.handle(m, to);
      }
      if (buffer.size() > kMaxMessageBytes) {
        buffer.clear();
        if (!skipping) send(error_reply(nullptr, rpc_error::kParse, "a message longer than 20 MB was dropped"));
        skipping = true;
      }
    }
    session.stop();
  }
  if (reader_gone.load()) std::cerr << "reel mcp: the client closed its end of stdout; stopped\n";
  ::close(out);
}

}  // namespace reel::cli::mcp
