// Soak (label soak, about 30 s): `reel serve` limited to 2 GB of address space survives a
// bounded mix of hostile clients — deep JSON, a body of a million keys, oversized bodies, slow
// clients, bad tokens, token floods, empty and oversized uploads — while every normal request
// of a well-behaved client is answered, and leaves in its data folder only what it was asked
// to keep. Prints the node's peak RSS and the worst normal latency.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "base/files.h"
#include "cloud/client/client.h"
#include "cloud/client/config.h"
#include "tests/cloud/support/test_util.h"

using namespace reel;
using namespace reel::cloud;
using namespace reel::cloud::testing;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

/// `reel serve` under prlimit --as=2 GB; its pid and address.
std::pair<pid_t, std::string> spawn_limited_serve(const std::string& data) {
  return spawn_listening({"/usr/bin/prlimit", "--as=2147483648", REEL_BINARY, "serve", "--listen", "127.0.0.1:0",
                          "--data", data, "--request-timeout", "3", "--max-upload-mb", "5",
                          "--tokens-per-address-per-minute", "1000",
                          "--max-connections-per-address",  // every client here is 127.0.0.1
                          "64", "--threads", "1", "-q"});
}

int port_of(const std::string& url) { return std::stoi(url.substr(url.rfind(':') + 1)); }

/// Sends `head` and then `body_bytes` bytes of `fill` (as fast as it can, or one byte every
/// `pause`), until the node closes, `body_bytes` are sent or `limit` passes.
void hostile_send(int port, const std::string& head, size_t body_bytes, char fill, std::chrono::milliseconds pause,
                  std::chrono::milliseconds limit) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return (void)close(fd);
  const auto until = Clock::now() + limit;
  bool open = ::send(fd, head.data(), head.size(), MSG_NOSIGNAL) > 0;
  const std::string chunk(pause.count() ? 1 : 64 * 1024, fill);
  for (size_t sent = 0; open && sent < body_bytes && Clock::now() < until; sent += chunk.size()) {
    open = ::send(fd, chunk.data(), std::min(chunk.size(), body_bytes - sent), MSG_NOSIGNAL) > 0;
    if (pause.count()) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(pause.count())) > 0) break;  // answered or closed
    }
  }
  close(fd);
}

std::string post(const std::string& path, const std::string& token, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

long peak_rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

}  // namespace

TEST(Soak, TheNodeUnder2GbSurvivesHostileClientsAnswersEveryNormalRequestAndLeavesOnlyWhatItKeeps) {
  TempDir dir;
  const std::string data = dir.file("node");
  auto [pid, url] = spawn_limited_serve(data);
  ASSERT_GT(pid, 0) << url;
  struct KillOnExit {  // a failed assertion must not leave the node running
    pid_t pid;
    ~KillOnExit() {
      if (pid > 0 && waitpid(pid, nullptr, WNOHANG) == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
      }
    }
  } kill_on_exit{pid};
  const int port = port_of(url);
  Client good(fast_options(url, dir.file("config"), dir.file("project")));
  const std::string sid = good.session().session_id;
  const std::string token = ConfigStore(dir.file("config")).load_token(url)->token;

  std::atomic<bool> stop{false};
  std::vector<std::thread> hostile;
  const std::string deep = std::string(50'000, '[') + std::string(50'000, ']');
  std::string keys = "{";
  for (int i = 0; i < 400'000; ++i) keys += "\"k" + std::to_string(i) + "\":0,";
  keys.back() = '}';
  auto attack = [&](auto fn) {
    hostile.emplace_back([&, fn] {
      while (!stop) fn();
    });
  };
  attack([&] { hostile_send(port, post("/api/render/proxy/lambda", token, deep), 0, 0, 0ms, 5s); });
  attack([&] { hostile_send(port, post("/run_sse", token, keys), 0, 0, 0ms, 5s); });  // over the chat cap
  for (int i = 0; i < 3; ++i)  // parsed in full: a submit takes 8 MB drafts
    attack([&] {
      std::string head = post("/api/render/proxy/lambda", token, keys);
      head.insert(head.find("\r\n") + 2, "X-Skill-Source: t\r\nX-Skill-Version: 1\r\nX-Skill-Platform: unknown\r\n");
      hostile_send(port, head, 0, 0, 0ms, 5s);
    });
  attack(
      [&] { hostile_send(port, post("/api/tasks/me/with-session/nemo_agent", "nmv_usr_bad", deep), 0, 0, 0ms, 5s); });
  attack([&] {  // an oversized body: refused on its Content-Length, or cut at the cap
    hostile_send(port,
                 "POST /api/render/proxy/lambda HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                     "\r\nContent-Length: 50000000\r\n\r\n",
                 50'000'000, ' ', 0ms, 5s);
  });
  attack([&] {  // an upload far over --max-upload-mb
    hostile_send(port,
                 "POST /api/upload-video/nemo_agent/me/" + sid + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                     token +
                     "\r\nContent-Type: multipart/form-data; boundary=XB\r\nContent-Length: 5000000\r\n\r\n--XB\r\n"
                     "Content-Disposition: form-data; name=\"files\"; filename=\"big.jpg\"\r\n\r\n",
                 5'000'000, 'x', 0ms, 5s);
  });
  for (int i = 0; i < 8; ++i)  // slow clients: a byte every 500 ms, cut at the 3 s deadline
    attack([&] { hostile_send(port, "POST /run_sse HTTP/1.1\r\nHost: x\r\n", 100, 'h', 500ms, 6s); });
  attack([&] {  // a token flood
    hostile_send(port,
                 "POST /api/auth/anonymous-token HTTP/1.1\r\nHost: x\r\nX-Client-Id: " + make_uuid() +
                     "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                 0, 0, 0ms, 2s);
  });

  // The normal client, meanwhile: credits, state, an upload, a small render.
  write_bytes(dir.file("photo.jpg"), media_bytes("photo.jpg", 20'000, 7));
  const auto t_end = Clock::now() + 25s;
  double worst = 0;
  int answered = 0, renders = 0;
  Json draft{
      {"m", Json{{"width", 320}, {"height", 180}}},
      {"t",
       Json::array({Json{{"tt", 7}, {"sg", Json::array({Json{{"s", 0}, {"d", 500}, {"m", Json{{"text", "hi"}}}}})}}})}};
  int failed = 0;
  while (Clock::now() < t_end && failed < 3) try {
      auto t0 = Clock::now();
      EXPECT_EQ(good.credits().available, 100);
      (void)good.state();
      const double took = std::chrono::duration<double>(Clock::now() - t0).count();
      if (took > 1.0) std::cerr << "\n[ slow ] credits + state took " << took << " s\n";
      worst = std::max(worst, took);
      answered += 2;
      std::cerr << "." << std::flush;
      if (renders < 3) {
        good.upload_files({dir.file("photo.jpg")});
        good.export_draft(draft, dir.file("out" + std::to_string(renders) + ".mp4"));
        ++renders;
      }
      std::this_thread::sleep_for(200ms);
    } catch (const std::exception& e) {  // a normal request that failed: the node did not keep up
      ++failed;
      ADD_FAILURE() << "a normal request failed: " << e.what();
    }
  stop = true;
  for (auto& t : hostile) t.join();
  const long rss = peak_rss_kb(pid);
  std::cout << "[ measured ] " << answered << " normal requests answered, worst " << worst * 1000
            << " ms; reel serve's peak RSS " << rss / 1024 << " MB\n";
  EXPECT_LT(worst, 5.0);  // generous: two cores shared with builds; every request must be answered
  EXPECT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  // What is left: the records, the three uploads and the three renders (output and draft).
  size_t uploads = 0, render_files = 0;
  for (const auto& e : fs::recursive_directory_iterator(data)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::path(e.path()).lexically_relative(data).string();
    EXPECT_FALSE(base::is_temporary_name(e.path().filename().string())) << rel;
    if (rel.rfind("files/", 0) == 0) {
      ++uploads;
    } else if (rel.rfind("renders/", 0) == 0) {
      ++render_files;
    } else if (rel.rfind("chunks/", 0) != 0) {  // the renders' chunks, kept for the next render
      EXPECT_EQ(rel, "node.json");
    }
  }
  EXPECT_EQ(uploads, 3u);
  EXPECT_EQ(render_files, 6u);
}
