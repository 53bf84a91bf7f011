#include "tests/cloud/support/test_util.h"

#include <gtest/gtest.h>
#include <spawn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

extern char** environ;

namespace reel::cloud::testing {
namespace fs = std::filesystem;

ErrorKind error_kind(const std::function<void()>& fn, std::string* message) {
  try {
    fn();
  } catch (const CloudError& e) {
    if (message) *message = e.what();
    return e.kind();
  }
  ADD_FAILURE() << "no CloudError";
  return ErrorKind::Refused;
}

LogFn LogCapture::fn() {
  return [this](std::string_view line) {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(line);
  };
}

std::string LogCapture::all() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& l : lines_) out += l + "\n";
  return out;
}

size_t LogCapture::count(const std::string& needle) const {
  std::lock_guard lock(mutex_);
  size_t n = 0;
  for (const auto& l : lines_)
    if (l.find(needle) != std::string::npos) ++n;
  return n;
}

ClientOptions fast_options(const std::string& api, const std::string& config_dir, const std::string& project) {
  ClientOptions o;
  o.api = api;
  o.config_dir = config_dir;
  o.project = project;
  o.skill_name = "reel-tests";
  o.skill_version = "1.0";
  o.platform = "unknown";
  o.timeouts.connect_ms = 2000;
  o.timeouts.low_speed_seconds = 2;
  o.timeouts.request_ms = 20'000;
  o.retry.attempts = 3;
  o.retry.backoff = std::chrono::milliseconds(10);
  o.retry.rate_limit_wait = std::chrono::milliseconds(50);
  o.poll.first = std::chrono::milliseconds(10);
  o.poll.factor = 1.5;
  o.poll.longest = std::chrono::milliseconds(50);
  o.poll.give_up = std::chrono::seconds(20);
  return o;
}

void write_bytes(const std::string& path, const std::string& bytes) {
  fs::path p(path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

std::string be32(uint64_t v) {
  std::string s(4, '\0');
  for (int i = 3; i >= 0; --i, v >>= 8) s[size_t(i)] = static_cast<char>(v & 0xFF);
  return s;
}
std::string box(const std::string& type, const std::string& body) { return be32(8 + body.size()) + type + body; }

}  // namespace

std::string minimal_mp4(int64_t duration_ms, const std::string& payload) {
  // mvhd version 0: flags, creation, modification, timescale (1000), duration, then the rest.
  const std::string mvhd =
      std::string(4, '\0') + be32(0) + be32(0) + be32(1000) + be32(uint64_t(duration_ms)) + std::string(80, '\0');
  return box("ftyp", "isom" + be32(512) + "isomiso2mp41") + box("moov", box("mvhd", mvhd)) + box("free", payload);
}

std::string media_bytes(const std::string& file_name, size_t n, unsigned seed) {
  const std::string ext = fs::path(file_name).extension().string();
  std::string magic;
  if (ext == ".jpg" || ext == ".jpeg")
    magic = "\xFF\xD8\xFF\xE0";
  else if (ext == ".png")
    magic = "\x89PNG\r\n\x1A\n";
  else if (ext == ".mp3")
    magic = "ID3\x04";
  else if (ext == ".mp4" || ext == ".mov")
    magic = std::string(
        "\0\0\0\x18"
        "ftypisom\0\0\x02\0",
        16);
  else
    ADD_FAILURE() << "media_bytes: no magic for " << file_name;
  std::string bytes = random_bytes(std::max(n, magic.size()), seed);
  return bytes.replace(0, magic.size(), magic);
}

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

std::pair<pid_t, std::string> spawn_listening(const std::vector<std::string>& command) {
  int pipefd[2];
  if (pipe(pipefd) != 0) return {0, "pipe failed"};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
  posix_spawn_file_actions_addclose(&fa, pipefd[0]);
  std::vector<std::string> args = command;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(pipefd[1]);
  std::string line;
  char ch;
  while (rc == 0 && read(pipefd[0], &ch, 1) == 1 && ch != '\n') line += ch;
  close(pipefd[0]);
  const auto p = line.find("http://");
  if (rc != 0 || p == std::string::npos) return {0, line};
  return {pid, line.substr(p, line.find(' ', p) - p)};
}

}  // namespace reel::cloud::testing
