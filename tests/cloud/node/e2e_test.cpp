// End-to-end (label e2e): the render node with the real engine, and the reel binary against
// it — exports of local photos, the --auto fallback, --resume, a clean SIGTERM, and the token
// absent from every output and log of a session; `reel chat` offline, against `reel serve`
// and against the fault server.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "base/files.h"
#include "cloud/client/client.h"
#include "cloud/client/draft_media.h"
#include "cloud/node/engine_adapter.h"
#include "cloud/node/server.h"
#include "cloud/protocol/sse.h"
#include "draft/model.h"
#include "support/run_command.h"
#include "tests/cloud/support/fake_backend.h"
#include "tests/cloud/support/test_util.h"

using namespace reel;
using namespace reel::cloud;
using namespace reel::cloud::testing;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

using reel::test::shell_quote;

/// Runs a shell command; returns its exit code, its stdout+stderr in `output`.
int sh(const std::string& cmd, std::string* output = nullptr) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = pclose(p);
  if (output) *output = out;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void make_photo(const std::string& path, int hue) {
  fs::create_directories(fs::path(path).parent_path());
  ASSERT_EQ(sh("ffmpeg -v error -y -f lavfi -i testsrc2=size=960x720:rate=1 -frames:v 1 -vf hue=h=" +
               std::to_string(hue) + " " + shell_quote(path)),
            0);
}

struct Probe {
  double duration = 0;
  int width = 0, height = 0;
};
Probe probe(const std::string& path) {
  std::string out;
  sh("ffprobe -v error -select_streams v:0 -show_entries stream=width,height:format=duration -of default=nw=1 " +
         shell_quote(path),
     &out);
  Probe p;
  std::sscanf(out.c_str() + std::min(out.size(), out.find("width=")), "width=%d", &p.width);
  if (auto h = out.find("height="); h != std::string::npos) std::sscanf(out.c_str() + h, "height=%d", &p.height);
  if (auto d = out.find("duration="); d != std::string::npos) std::sscanf(out.c_str() + d, "duration=%lf", &p.duration);
  return p;
}

struct CloudE2E : ::testing::Test {
  TempDir dir;
  LogCapture node_log;
  std::unique_ptr<RenderNode> node;
  std::string project() const { return dir.file("project"); }

  void SetUp() override {
    NodeOptions o;
    o.port = 0;
    o.data_dir = dir.file("node");
    o.workers = 1;
    o.render = engine_render_fn(2);
    o.log = node_log.fn();
    node = std::make_unique<RenderNode>(o);
    node->start();
    for (int i = 1; i <= 3; ++i) make_photo(project() + "/photos/0" + std::to_string(i) + ".jpg", i * 100);
    write_bytes(project() + "/draft.json",
                R"({"m": {"title": "Trip", "width": 640, "height": 360, "fps": 25}, "x-keep": {"a": [1, 2]},
 "t": [{"tt": 0, "m": {"name": "photos"}, "sg": [
   {"s": 0, "d": 1000, "src": "photos/01.jpg", "m": {"kb": "in"}},
   {"s": 1000, "d": 1000, "src": "photos/02.jpg", "m": {"tr": {"type": "fade", "d": 300}}},
   {"s": 2000, "d": 1000, "src": "photos/03.jpg", "m": {"future-key": true}}]},
  {"tt": 7, "sg": [{"s": 0, "d": 1500, "m": {"text": "Hello"}}]}]})");
  }

  /// Environment for the reel binary: its own config and cache folders, fast polling.
  std::string env() const {
    return "cd " + shell_quote(project()) +
           " && env -u NEMO_TOKEN -u REEL_API_URL XDG_CONFIG_HOME=" + shell_quote(dir.file("config")) +
           " XDG_CACHE_HOME=" + shell_quote(dir.file("cache")) + " REEL_POLL_FIRST_MS=200 REEL_POLL_MAX_MS=500 ";
  }
  std::string reel() const { return std::string(REEL_BINARY); }

  /// Starts `reel serve --listen 127.0.0.1:0 ARGS...`; returns its pid and address (pid 0
  /// and what it printed when it did not start).
  std::pair<pid_t, std::string> spawn_serve(const std::vector<std::string>& extra) {
    std::vector<std::string> command{REEL_BINARY, "serve", "--listen", "127.0.0.1:0"};
    command.insert(command.end(), extra.begin(), extra.end());
    return spawn_listening(command);
  }
};

}  // namespace

TEST_F(CloudE2E, TheNodeRendersADraftOfLocalPhotosWithTheEngine) {
  ClientOptions o = fast_options(node->base_url(), dir.file("config"), project());
  o.poll.give_up = 120s;
  Client c(o);
  auto loaded = draft::load_draft(Json::parse(read_bytes(project() + "/draft.json")));
  auto cloud = draft_for_cloud(c, loaded.draft, project());
  auto r = c.export_draft(cloud.json, dir.file("out.mp4"));
  EXPECT_GT(r.bytes, 1000);
  std::string head = read_bytes(dir.file("out.mp4")).substr(4, 4);
  EXPECT_EQ(head, "ftyp");
  Probe p = probe(dir.file("out.mp4"));
  EXPECT_EQ(p.width, 640);
  EXPECT_EQ(p.height, 360);
  EXPECT_NEAR(p.duration, 3.0, 0.1);
}

TEST_F(CloudE2E, ReelExportGoesThroughTheNodeAndKeepsTheDraftButItsSources) {
  std::string out;
  ASSERT_EQ(
      sh(env() + shell_quote(reel()) + " export draft.json -o cloud.mp4 --cloud -q --api " + node->base_url(), &out), 0)
      << out;
  EXPECT_NE(out.find("from the cloud render"), std::string::npos) << out;
  EXPECT_NEAR(probe(project() + "/cloud.mp4").duration, 3.0, 0.1);
  // The draft the node received: the input with only the three sources replaced.
  std::string received_path;
  for (const auto& e : fs::directory_iterator(dir.file("node/renders")))
    if (e.path().string().ends_with(".draft.json")) received_path = e.path().string();
  ASSERT_FALSE(received_path.empty());
  Json received = Json::parse(read_bytes(received_path));
  Json input = Json::parse(read_bytes(project() + "/draft.json"));
  for (auto& sg : input["t"][0]["sg"]) {
    std::string was = sg["src"];
    size_t i = &sg - &input["t"][0]["sg"][0];
    std::string now = received["t"][0]["sg"][i]["src"];
    EXPECT_EQ(now.rfind(node->base_url() + "/files/", 0), 0u) << was << " -> " << now;
    sg["src"] = now;
  }
  EXPECT_EQ(input.dump(), received.dump());
}

TEST_F(CloudE2E, AutoFallsBackToTheLocalEngineSayingWhyInOneLine) {
  std::string out;
  ASSERT_EQ(sh(env() + shell_quote(reel()) + " export draft.json -o local.mp4 -q --api http://127.0.0.1:1", &out), 0)
      << out;
  EXPECT_NE(out.find("cloud export failed (the backend is unreachable); rendering locally instead"), std::string::npos)
      << out;
  EXPECT_NEAR(probe(project() + "/local.mp4").duration, 3.0, 0.1);
  EXPECT_EQ(
      sh(env() + shell_quote(reel()) + " export draft.json -o never.mp4 --cloud -q --api http://127.0.0.1:1", &out), 5)
      << out;
  EXPECT_FALSE(fs::exists(project() + "/never.mp4"));
}

TEST_F(CloudE2E, AJobLeftRunningIsPickedUpByExportResume) {
  std::string out;
  EXPECT_EQ(sh(env() + shell_quote(reel()) + " export draft.json -o later.mp4 --cloud -q --poll-timeout 0.05 --api " +
                   node->base_url(),
               &out),
            5)
      << out;
  EXPECT_NE(out.find("reel export --resume"), std::string::npos) << out;
  ASSERT_EQ(sh(env() + shell_quote(reel()) + " export --resume -q --api " + node->base_url(), &out), 0) << out;
  EXPECT_NEAR(probe(project() + "/later.mp4").duration, 3.0, 0.1);
  EXPECT_NE(sh(env() + shell_quote(reel()) + " export --resume -q --api " + node->base_url(), &out), 0)
      << "nothing left";
}

TEST_F(CloudE2E, TheTokenAppearsInNoOutputOrLogOfASession) {
  std::string all, out;
  const std::string api = " --api " + node->base_url();
  for (std::string cmd : {"login -v", "credits -v", "credits --json", "upload -v photos/01.jpg photos/02.jpg",
                          "state -v", "state --json", "pull -o pulled.json -v", "export draft.json -o a.mp4 -v",
                          "export -o b.mp4 -v", "export --resume -v", "bench draft.json -v"}) {
    sh(env() + shell_quote(reel()) + " " + cmd + api, &out);
    all += "$ reel " + cmd + "\n" + out;
  }
  // A registered token from the environment that the node refuses: the message must not echo it.
  sh(env() + "NEMO_TOKEN=nmv_usr_REGISTERED_SECRET_123 " + shell_quote(reel()) + " credits -v" + api, &out);
  all += out;
  EXPECT_EQ(all.find("nmv_usr_REGISTERED_SECRET_123"), std::string::npos) << all;
  EXPECT_NE(all.find("NEMO_TOKEN"), std::string::npos);
  auto cached = ConfigStore(dir.file("config") + "/reel").load_token(node->base_url());
  ASSERT_TRUE(cached);
  const std::string token = cached->token;
  EXPECT_EQ(all.find(token), std::string::npos) << all;
  EXPECT_EQ(all.find("nmv_usr_"), std::string::npos) << all;
  EXPECT_EQ(node_log.all().find(token), std::string::npos);
  EXPECT_GT(node_log.count("GET /api/credits/balance/simple"), 0u);
  for (const auto& e : fs::recursive_directory_iterator(dir.path().string())) {
    if (!e.is_regular_file()) continue;
    std::string p = e.path().string();
    if (p == ConfigStore(dir.file("config") + "/reel").token_path(node->base_url()) || p == dir.file("node/node.json"))
      continue;  // the two places a token is meant to be (mode 0600)
    EXPECT_EQ(read_bytes(p).find(token), std::string::npos) << p;
  }
}

TEST_F(CloudE2E, ServeStopsOnSigtermAndMarksARunningRenderFailed) {
  node.reset();
  // A longer render so SIGTERM arrives while it runs.
  std::string data = dir.file("served");
  auto [pid, url] = spawn_serve({"--data", data, "--grace", "0", "-q"});
  ASSERT_GT(pid, 0) << url;

  ClientOptions o = fast_options(url, dir.file("config"), project());
  Client c(o);
  Json d = Json::parse(read_bytes(project() + "/draft.json"));
  d["m"]["width"] = 1920;
  d["m"]["height"] = 1080;
  d["t"][0]["sg"][2]["d"] = 60000;
  auto cloud = draft_for_cloud(c, draft::load_draft(d).draft, project());
  std::string id = c.submit_render(cloud.json);
  for (int i = 0; i < 400 && c.render_status(id).state != RenderState::Processing; ++i)
    std::this_thread::sleep_for(10ms);
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 20s);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  // The records the node left: the job failed, not "processing" forever.
  Json records = Json::parse(read_bytes(data + "/node.json"));
  EXPECT_EQ(records["jobs"][id]["status"], "failed");
  EXPECT_NE(records["jobs"][id]["error"].get<std::string>().find("stopped"), std::string::npos);
}

TEST_F(CloudE2E, AnExportOverTwoNodesOfWhichOneIsKilledMidPartIsTheWholeRenderByteForByte) {
  Json d = Json::parse(read_bytes(project() + "/draft.json"));
  d["m"]["width"] = 1280;
  d["m"]["height"] = 720;
  for (int i = 0; i < 3; ++i) d["t"][0]["sg"][i]["s"] = i * 4000, d["t"][0]["sg"][i]["d"] = 4000;
  write_bytes(project() + "/long.json", d.dump());
  const std::string data_a = dir.file("node-a"), data_b = dir.file("node-b");
  auto [pid_a, url_a] = spawn_serve({"--data", data_a, "--workers", "1", "-q"});
  auto [pid_b, url_b] = spawn_serve({"--data", data_b, "--workers", "1", "-q"});
  ASSERT_GT(pid_a, 0) << url_a;
  ASSERT_GT(pid_b, 0) << url_b;

  const std::string log = dir.file("export.log"), rc = dir.file("export.rc");
  ASSERT_EQ(sh(env() + "REEL_CONNECT_TIMEOUT_MS=1000 sh -c " +
               shell_quote(shell_quote(reel()) + " export long.json -o farm.mp4 --nodes " + url_a + "," + url_b +
                           " > " + shell_quote(log) + " 2>&1; echo $? > " + shell_quote(rc)) +
               " > /dev/null 2>&1 &"),  // in the background: sh() waits for whatever holds its pipe
            0);
  // Node A is killed as soon as it writes its first chunk: in the middle of a part.
  bool killed = false;
  for (int i = 0; i < 6000 && !killed && !fs::exists(rc); ++i) {
    std::error_code ec;
    if (fs::exists(data_a + "/chunks", ec))
      for (const auto& e : fs::directory_iterator(data_a + "/chunks", ec))
        if (e.path().filename().string().find(".tmp") != std::string::npos) killed = ::kill(pid_a, SIGKILL) == 0;
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(killed) << read_bytes(log);
  ::waitpid(pid_a, nullptr, 0);
  for (int i = 0; i < 3000 && !fs::exists(rc); ++i) std::this_thread::sleep_for(100ms);
  ::kill(pid_b, SIGTERM);
  ::waitpid(pid_b, nullptr, 0);
  ASSERT_TRUE(fs::exists(rc));
  const std::string said = read_bytes(log);
  EXPECT_EQ(read_bytes(rc), "0\n") << said;
  // Node A's part is rendered by node B: the one that died failed it, or B raced it as slow.
  EXPECT_TRUE(said.find("reel: node " + url_a + " failed on part ") != std::string::npos ||
              said.find(" is slow on " + url_a + " (") != std::string::npos)
      << said;
  for (int i = 1; i <= 4; ++i)
    EXPECT_NE(said.find("part " + std::to_string(i) + "/4 rendered by " + url_b + " in "), std::string::npos) << said;
  EXPECT_NE(said.find("from 4 parts on 2 nodes"), std::string::npos) << said;

  std::string out;
  ASSERT_EQ(sh(env() + shell_quote(reel()) + " render long.json -o whole.mp4 --no-cache --progress none", &out), 0)
      << out;
  const std::string whole = read_bytes(project() + "/whole.mp4");
  EXPECT_GT(whole.size(), 10000u);
  EXPECT_TRUE(whole == read_bytes(project() + "/farm.mp4"));
  for (const auto& e : fs::directory_iterator(project()))  // the parts' folder is gone
    EXPECT_EQ(e.path().filename().string().find(".parts-"), std::string::npos) << e.path();
}

TEST_F(CloudE2E, AfterKillDashNineARestartSweepsLeftoversQueuesAgainWhatWaitedAndFailsWhatRan) {
  node.reset();
  std::string data = dir.file("served");
  auto [pid, url] = spawn_serve({"--data", data, "--workers", "1", "-q"});
  ASSERT_GT(pid, 0) << url;
  ClientOptions o = fast_options(url, dir.file("config"), project());
  Client c(o);
  Json d = Json::parse(read_bytes(project() + "/draft.json"));
  d["m"]["width"] = 1920;
  d["m"]["height"] = 1080;
  d["t"][0]["sg"][2]["d"] = 60000;  // long enough to be killed while it renders
  auto cloud = draft_for_cloud(c, draft::load_draft(d).draft, project());
  std::string running = c.submit_render(cloud.json);
  for (int i = 0; i < 400 && c.render_status(running).state != RenderState::Processing; ++i)
    std::this_thread::sleep_for(10ms);
  Json short_draft = cloud.json;
  short_draft["t"][0]["sg"][2]["d"] = 1000;
  short_draft["m"]["width"] = 320;
  short_draft["m"]["height"] = 180;
  std::string waiting = c.submit_render(short_draft);
  // Killed once the engine has written part of its temporary output (waited for, up to 60 s:
  // a busy machine may take a while to start the render).
  auto temporary_left = [&] {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(data, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
      if (base::is_temporary_name(it->path().filename().string()) && it->is_regular_file(ec) && it->file_size(ec) > 0)
        return true;
    return false;
  };
  for (int i = 0; i < 1200 && !temporary_left(); ++i) std::this_thread::sleep_for(50ms);
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(temporary_left()) << "kill -9 during a render should leave its temporary output";

  auto [pid2, url2] = spawn_serve({"--data", data, "--workers", "1", "-q"});
  ASSERT_GT(pid2, 0) << url2;
  const std::string own = ".reel-" + std::to_string(pid2) + "-";  // what the new node is writing now
  for (const auto& e : fs::recursive_directory_iterator(data)) {
    const std::string name = e.path().filename().string();
    EXPECT_FALSE(base::is_temporary_name(name) && name.find(own) == std::string::npos) << e.path();
  }
  Client again(fast_options(url2, dir.file("config"), project()));
  auto ran = again.render_status(running);
  EXPECT_EQ(ran.state, RenderState::Failed);
  EXPECT_NE(ran.error.find("killed or crashed"), std::string::npos) << ran.error;
  RenderStatus st;
  for (int i = 0; i < 600; ++i) {
    st = again.render_status(waiting);
    if (st.state == RenderState::Completed || st.state == RenderState::Failed) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(st.state, RenderState::Completed) << st.error;
  kill(pid2, SIGTERM);
  waitpid(pid2, &status, 0);
}

// ---- reel chat ------------------------------------------------------------------------------

namespace {

struct ChatE2E : CloudE2E {
  /// Runs `reel chat ARGS` in the project with `lines` piped in; stdout and stderr in `out`.
  int chat(const std::string& args, const std::string& lines, std::string* out, const std::string& env_vars = "") {
    write_bytes(dir.file("chat-input.txt"), lines);
    return sh(env() + env_vars + " " + shell_quote(reel()) + " chat " + args + " < " +
                  shell_quote(dir.file("chat-input.txt")),
              out);
  }
  /// The drafts of the node's sessions (there is one per test).
  Json served_draft(const std::string& data) {
    Json records = Json::parse(read_bytes(data + "/node.json"));
    for (auto& [sid, s] : records["sessions"].items()) return s["draft"];
    return nullptr;
  }
  void stop(pid_t pid) {
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
  }
};

bool has(const std::string& out, const std::string& what) { return out.find(what) != std::string::npos; }

}  // namespace

TEST_F(ChatE2E, OfflineItRoutesEveryKindOfLineAndEditsTheDraftFileLosslessly) {
  std::string out;
  int rc = chat("--local --draft draft.json",
                "status\nmake it vertical\nadd the title 'Summer in Lisbon'\nfrobnicate the glorp\n状态\ncredits\n"
                "upload photos/01.jpg\nhelp\npreview\nexport final.mp4\nquit\nmake it square\n",
                &out);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_TRUE(has(out, "local agent on draft.json")) << out;
  EXPECT_TRUE(has(out, "Timeline (2 tracks): 1. Video: photos (0-3s)")) << out;
  EXPECT_TRUE(has(out, "agent: The video is now 9:16")) << out;
  EXPECT_TRUE(has(out, "\"Summer in Lisbon\"")) << out;
  EXPECT_TRUE(has(out, "I did not understand \"frobnicate the glorp\". I can:")) << out;
  EXPECT_TRUE(has(out, "offline: credits belong to the cloud account")) << out;
  EXPECT_TRUE(has(out, "offline: nothing to upload")) << out;
  EXPECT_TRUE(has(out, "status / show tracks")) << out;
  EXPECT_TRUE(has(out, "preview: " + project() + "/draft.preview.mp4")) << out;
  EXPECT_TRUE(has(out, "exported: " + project() + "/final.mp4")) << out;
  EXPECT_FALSE(has(out, "make it square")) << "nothing after quit is read";
  Probe p = probe(project() + "/final.mp4");
  EXPECT_LT(p.width, p.height);
  EXPECT_NEAR(p.duration, 3.0, 0.1);
  Probe pv = probe(project() + "/draft.preview.mp4");
  EXPECT_LT(pv.width, pv.height);
  // The draft file: the edits, and everything the agent did not touch as it was.
  Json d = Json::parse(read_bytes(project() + "/draft.json"));
  EXPECT_LT(d["m"]["width"].get<int>(), d["m"]["height"].get<int>());
  EXPECT_EQ(d["x-keep"], Json::parse(R"({"a": [1, 2]})"));
  EXPECT_EQ(d["t"][0]["sg"][2]["m"]["future-key"], true);
  EXPECT_EQ(d["t"][0]["sg"][0]["src"], "photos/01.jpg");
  EXPECT_TRUE(has(d.dump(), "Summer in Lisbon"));
}

TEST_F(ChatE2E, TheMessageCanBeTheWordsAfterTheOptionsAsWithDashM) {
  std::string out;
  ASSERT_EQ(chat("--local --draft draft.json make it vertical", "", &out), 0) << out;
  EXPECT_TRUE(has(out, "agent: The video is now 9:16")) << out;
  Json d = Json::parse(read_bytes(project() + "/draft.json"));
  EXPECT_LT(d["m"]["width"].get<int>(), d["m"]["height"].get<int>());
  EXPECT_EQ(chat("--local --draft draft.json -m status make it square", "", &out), 2) << out;
  EXPECT_TRUE(has(out, "give the message once: as words after the options, or with -m, not both")) << out;
}

TEST_F(ChatE2E, TheDraftCanBeNamedAsEveryCommandTakesItBeforeOrAfterTheMessage) {
  std::string out;
  ASSERT_EQ(chat("--local -m \"make it vertical\" draft.json", "", &out), 0) << out;
  EXPECT_TRUE(has(out, "agent: The video is now 9:16")) << out;
  Json d = Json::parse(read_bytes(project() + "/draft.json"));
  EXPECT_LT(d["m"]["width"].get<int>(), d["m"]["height"].get<int>());
  ASSERT_EQ(chat("--local draft.json make it square", "", &out), 0) << out;
  d = Json::parse(read_bytes(project() + "/draft.json"));
  EXPECT_EQ(d["m"]["width"].get<int>(), d["m"]["height"].get<int>());
}

TEST_F(ChatE2E, OfflineWithoutADraftItSaysHowToMakeOne) {
  std::string out;
  EXPECT_EQ(chat("--local", "status\n", &out), 2) << out;
  EXPECT_TRUE(has(out, "--draft-out DRAFT.json")) << out;
  // A FIFO by a draft's name is told as what it is (it was "no such draft").
  ASSERT_EQ(::mkfifo((project() + "/pipe.json").c_str(), 0600), 0);
  EXPECT_EQ(chat("--local --draft pipe.json", "status\n", &out), 1) << out;
  EXPECT_TRUE(has(out, "reel: pipe.json: is a FIFO (named pipe), not a draft; give the draft's .json file")) << out;
}

TEST_F(ChatE2E, AgainstServeTheAgentsTextStreamsAndTheEditsLandInTheSession) {
  std::string data = dir.file("served");
  auto [pid, url] = spawn_serve({"--data", data, "-q", "--grace", "0", "--no-text-turns", "never"});
  ASSERT_GT(pid, 0) << url;
  std::string out;
  int rc =
      chat("--api " + url,
           "upload photos/01.jpg photos/02.jpg photos/03.jpg\nturn these photos into a slideshow with transitions\n"
           "make it vertical\nshow tracks\ncredits\n",
           &out);
  stop(pid);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_TRUE(has(out, "connected to " + url)) << out;
  EXPECT_TRUE(has(out, "uploaded 3 file(s): 01.jpg 02.jpg 03.jpg")) << out;
  EXPECT_TRUE(has(out, "  … edit_multitrack\nnemo: Made a slideshow")) << out;
  EXPECT_TRUE(has(out, "nemo: The video is now 9:16 (1080x1920). Timeline: canvas 1920x1080 → 1080x1920")) << out;
  EXPECT_TRUE(has(out, "Timeline (1 track): 1. Video: slideshow")) << out;
  EXPECT_TRUE(has(out, "credits: 100 available")) << out;
  Json d = served_draft(data);
  EXPECT_EQ(d["m"]["width"], 1080);
  EXPECT_EQ(d["m"]["height"], 1920);
  EXPECT_EQ(d["t"][0]["sg"].size(), 3u);
}

TEST_F(ChatE2E, AgainstServeATurnWithNoTextEndsWithWhatChangedAndLongWaitsSayStillWorking) {
  std::string data = dir.file("served");
  auto [pid, url] =
      spawn_serve({"--data", data, "-q", "--grace", "0", "--no-text-turns", "always", "--agent-pause-ms", "300"});
  ASSERT_GT(pid, 0) << url;
  std::string out;
  int rc = chat("--api " + url, "upload photos/01.jpg photos/02.jpg photos/03.jpg\nmake a slideshow\nmake it square\n",
                &out, "REEL_STILL_WORKING_MS=250");
  stop(pid);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_TRUE(has(out, "Still working…")) << out;
  EXPECT_TRUE(has(out, "nemo: (no reply; the timeline changed) canvas 1920x1080 → 1080x1080")) << out;
  EXPECT_EQ(served_draft(data)["m"]["height"], 1080);
}

TEST_F(ChatE2E, TheBackendsGuiWordsBecomeActionsAndADroppedStreamIsNotSentAgain) {
  FakeBackend backend;
  backend.script_sse(
      {{sse_format(Json{
            {"content",
             {{"role", "model"}, {"parts", Json::array({Json{{"text", "Done! Open the settings panel to check."}}})}}},
            {"partial", false}}),
        0}});
  std::string out;
  ASSERT_EQ(chat("--api " + backend.url() + " -m 'tidy it up'", "", &out), 0) << out;
  EXPECT_TRUE(has(out,
                  "nemo: Done! Open the settings panel to check.\n(there is no panel here: the session state says)\n"
                  "Timeline (0 tracks)"))
      << out;

  backend.script_sse({{sse_format(Json{{"type", "text"}, {"text", "Working on it"}}), 0}}, /*drop=*/true);
  EXPECT_EQ(chat("--api " + backend.url() + " -m 'make it vertical'", "", &out), 5) << out;
  EXPECT_TRUE(has(out, "nemo: Working on it\n")) << out;
  EXPECT_TRUE(has(out, "your message was sent once and was not re-sent — say `status` to see the timeline")) << out;
  EXPECT_EQ(backend.run_sse_calls.load(), 2) << "one POST per message, never a second";
}

TEST_F(ChatE2E, OfflineFilesInChineseLinesAreTheAgentsAndAMissingFileIsRefused) {
  ASSERT_EQ(sh("ffmpeg -v error -y -f lavfi -i sine=frequency=440:duration=4 " + shell_quote(dir.file("beat120.mp3"))),
            0);
  std::string out;
  // The draft is in project/; the song one folder up, named from here as ../beat120.mp3.
  // A FIFO or a folder by a song's name is told as what it is (it was "no such file").
  ASSERT_EQ(::mkfifo((project() + "/pipe.mp3").c_str(), 0600), 0);
  fs::create_directory(project() + "/songs.mp3");
  int rc =
      chat("--local --draft draft.json",
           "加背景音乐 ../beat120.mp3\n背景音乐换成 nosuch.mp3\nuse nosuch.mp3 as the music\nopen the export panel\n"
           "status\nadd background music pipe.mp3\nuse songs.mp3 as the music\n",
           &out);
  EXPECT_TRUE(has(out,
                  "agent: pipe.mp3: is a FIFO (named pipe), not a file; nothing was changed — name a photo, "
                  "clip or sound file"))
      << out;
  EXPECT_TRUE(has(out,
                  "agent: songs.mp3: is a folder, not a file; nothing was changed — name a photo, clip or "
                  "sound file"))
      << out;
  EXPECT_EQ(rc, 0) << "a piped conversation ends with 0 even after a refused line\n" << out;
  EXPECT_TRUE(has(out, "agent: 添加了背景音乐 beat120")) << out;
  EXPECT_TRUE(has(out, "agent: nosuch.mp3: there is no such file (looked in " + project() +
                           "/nosuch.mp3); nothing was changed — name a file that exists"))
      << out;
  EXPECT_FALSE(has(out, "The music is now nosuch")) << out;
  EXPECT_FALSE(has(out, "exported:")) << "the export panel shows the state, it exports nothing\n" << out;
  EXPECT_FALSE(fs::exists(project() + "/draft.mp4"));
  EXPECT_TRUE(has(out, "> open the export panel\nTimeline (3 tracks): 1. Video: photos (0-3s)")) << out;
  Json d = Json::parse(read_bytes(project() + "/draft.json"));
  EXPECT_EQ(d["t"][2]["sg"][0]["src"], "../beat120.mp3");
}

TEST_F(ChatE2E, APipedConversationWhoseLineFailedEndsWithZeroAndMessageModeKeepsTheCode) {
  write_bytes(project() + "/broken.json",
              R"({"t": [{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "photos/missing.jpg"}]}]})");
  std::string out;
  EXPECT_EQ(chat("--local --draft broken.json", "preview\nstatus\n", &out), 0) << out;
  EXPECT_TRUE(has(out, "missing.jpg")) << "the failure is said when it happens\n" << out;
  EXPECT_TRUE(has(out, "> status\nTimeline (1 track)")) << "and the conversation goes on\n" << out;
  EXPECT_EQ(chat("--local --draft broken.json -m preview", "", &out), 1) << out;
}

TEST_F(ChatE2E, OfflineCutOnTheBeatMeasuresTheDraftsSongHere) {
  // Clicks every 500 ms from 0, and three photos of 1.3 s: the cuts at 1.3 and 2.6 s go to the
  // beats at 1.5 and 2.5 s.
  ASSERT_EQ(sh("ffmpeg -v error -y -f lavfi -i \"aevalsrc='if(lt(mod(t,0.5),0.02),sin(2*PI*2000*t),0)':d=6\" " +
               shell_quote(project() + "/clicks.wav")),
            0);
  write_bytes(project() + "/beat.json", R"({"m": {"width": 640, "height": 360}, "t": [{"tt": 0, "sg": [
    {"s": 0, "d": 1300, "src": "photos/01.jpg"}, {"s": 1300, "d": 1300, "src": "photos/02.jpg"},
    {"s": 2600, "d": 1300, "src": "photos/03.jpg"}]},
    {"tt": 1, "sg": [{"s": 0, "d": 3900, "src": "clicks.wav", "m": {"name": "clicks"}}]}]})");
  std::string out;
  ASSERT_EQ(chat("--local --draft beat.json", "cut on the beat\n", &out), 0) << out;
  EXPECT_TRUE(has(out, "agent: The cuts now fall on the beat (2 of 2)")) << out;
  Json d = Json::parse(read_bytes(project() + "/beat.json"));
  EXPECT_NEAR(d["t"][0]["sg"][1]["s"].get<double>(), 1500, 30) << d.dump();
  EXPECT_NEAR(d["t"][0]["sg"][2]["s"].get<double>(), 2500, 30) << d.dump();
  EXPECT_EQ(d["t"][1]["sg"][0]["d"], 3900) << "the song is not moved";
}

TEST_F(ChatE2E, OfflineTwentyEditsUndoneAndRedoneGiveTheDraftFileBackByteForByte) {
  const std::string original = read_bytes(project() + "/draft.json");
  std::string edits, undos, redos, out;
  for (int i = 0; i < 10; ++i) edits += "make it vertical\nmake it square\n";
  for (int i = 0; i < 20; ++i) undos += i % 2 ? "undo\n" : "撤销\n";
  for (int i = 0; i < 20; ++i) redos += i % 2 ? "redo\n" : "重做\n";
  ASSERT_EQ(chat("--local --draft draft.json", edits, &out), 0) << out;
  const std::string edited = read_bytes(project() + "/draft.json");
  ASSERT_NE(edited, original);
  ASSERT_EQ(chat("--local --draft draft.json", undos + "undo\n", &out), 0) << out;
  EXPECT_EQ(read_bytes(project() + "/draft.json"), original) << "twenty undos: the file as it was";
  EXPECT_TRUE(has(out, "agent: Undone (0 more to undo, 20 to redo).")) << out;
  EXPECT_TRUE(has(out, "agent: nothing to undo")) << out;
  ASSERT_EQ(chat("--local --draft draft.json", redos, &out), 0) << out;
  EXPECT_EQ(read_bytes(project() + "/draft.json"), edited) << "twenty redos: the file as edited";
  // A new edit after an undo forgets the redo.
  ASSERT_EQ(chat("--local --draft draft.json", "undo\nreverse the order\nredo\n", &out), 0) << out;
  EXPECT_TRUE(has(out, "agent: nothing to redo")) << out;
}

TEST_F(ChatE2E, ConnectedAFileUploadedBeforeIsUsedByItsNameAndUndoWorksOnTheSession) {
  fs::create_directories(project() + "/music");
  fs::create_directories(project() + "/tunes.mp3");
  ASSERT_EQ(
      sh("ffmpeg -v error -y -f lavfi -i sine=frequency=440:duration=4 " + shell_quote(project() + "/music/song.mp3")),
      0);
  std::string data = dir.file("served");
  auto [pid, url] = spawn_serve({"--data", data, "-q", "--grace", "0", "--no-text-turns", "never"});
  ASSERT_GT(pid, 0) << url;
  std::string out;
  int rc = chat("--api " + url,
                "upload photos/01.jpg photos/02.jpg photos/03.jpg music/song.mp3\nmake a slideshow\n"
                "add background music song.mp3\nundo\nredo\nuse gone.mp3 as the music\nuse tunes.mp3 as the music\n",
                &out);
  stop(pid);
  EXPECT_TRUE(has(out, "reel: tunes.mp3: is a folder, not a file; nothing was sent — name a photo, clip or sound file"))
      << out;
  ASSERT_EQ(rc, 0) << out;
  EXPECT_TRUE(has(out, "uploaded 4 file(s)")) << out;
  EXPECT_TRUE(has(out, "nemo: Added song as background music")) << out;
  EXPECT_TRUE(has(out, "nemo: Undone (1 more to undo, 1 to redo). Timeline: − BGM: song")) << out;
  EXPECT_TRUE(has(out, "nemo: Redone")) << out;
  EXPECT_TRUE(has(out,
                  "reel: gone.mp3: there is no such file here, and the session has no upload of that name; "
                  "nothing was sent"))
      << out;
  Json d = served_draft(data);
  ASSERT_EQ(d["t"].size(), 2u) << d.dump();
  EXPECT_EQ(d["t"][1]["tt"], 1);
}

TEST_F(ChatE2E, ExportingAnotherFileSaysItReplacesTheSessionsDraftAndUndoBringsItBack) {
  std::string out;
  const std::string api = " --api " + node->base_url();
  auto session_draft_now = [&] {
    std::string pulled;
    EXPECT_EQ(sh(env() + shell_quote(reel()) + " pull -o pulled.json" + api, &pulled), 0) << pulled;
    return Json::parse(read_bytes(project() + "/pulled.json"));
  };
  ASSERT_EQ(sh(env() + shell_quote(reel()) + " upload photos/01.jpg photos/02.jpg" + api, &out), 0) << out;
  ASSERT_EQ(chat("--api " + node->base_url(), "make a slideshow\nmake it square\n", &out), 0) << out;
  const Json working = session_draft_now();
  ASSERT_EQ(sh(env() + shell_quote(reel()) + " export draft.json -o other.mp4 --cloud -q" + api, &out), 0) << out;
  EXPECT_TRUE(has(out,
                  "reel: note: exporting draft.json through the cloud makes it the session's working draft, in "
                  "place of Timeline (1 track): 1. Video: slideshow (0-8s)"))
      << out;
  EXPECT_NE(session_draft_now(), working);
  ASSERT_EQ(chat("--api " + node->base_url(), "undo\n", &out), 0) << out;
  EXPECT_EQ(session_draft_now(), working) << "undo gives the working draft back";
  // bench works in a scratch session: the session's draft stays.
  ASSERT_EQ(sh(env() + shell_quote(reel()) + " bench draft.json" + api, &out), 0) << out;
  EXPECT_EQ(session_draft_now(), working) << out;
}
