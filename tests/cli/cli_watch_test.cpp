// End-to-end: a render after an edit says what it kept, and `--watch` renders again on every
// change of the draft or of a photo, keeps the last good output through a broken draft, and
// ends cleanly on Ctrl-C.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "support/run_command.h"
#include "tests/engine/support/media_fixtures.h"

namespace reel::test {
namespace {

using namespace std::chrono_literals;

// Four photos of a second each with moves and fades, in a folder with its own cache.
struct Show {
  TempDir dir;
  Json draft;
  Show() {
    for (int i = 0; i < 4; ++i)
      write_image(dir.file("p" + std::to_string(i) + ".png"), detailed_photo(320, 200, uint32_t(20 + i)));
    draft = slideshow_json(160, 96, 25, {"p0.png", "p1.png", "p2.png", "p3.png"}, 1000, {{"kb", "in"}});
    for (int i = 1; i < 4; ++i) draft["t"][0]["sg"][i]["m"]["tr"] = {{"type", "fade"}, {"d", 200}};
    save();
  }
  // Written whole and renamed into place, as editors save.
  void save(const std::string& text) {
    { std::ofstream(dir.file(".draft.json.new")) << text; }
    std::filesystem::rename(dir.file(".draft.json.new"), dir.file("draft.json"));
  }
  void save() { save(draft.dump()); }
  RunResult reel(std::vector<std::string> args) {
    args.insert(args.begin(), {"XDG_CACHE_HOME=" + dir.file("cache"), REEL_BINARY});
    return run_command("/usr/bin/env", args, "", dir.path().string());
  }
};

TEST(RenderReuse, APreviewAfterAnEditSaysHowManyChunksItRenderedAndKept) {
  Show s;
  RunResult r = s.reel({"preview", "draft.json", "-o", "a.mp4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("kept"), std::string::npos) << r.err;  // a first render keeps nothing
  s.draft["t"][0]["sg"][2]["m"]["kb"] = "left";
  s.save();
  r = s.reel({"preview", "draft.json", "-o", "b.mp4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex(R"(; (\d+) chunks? rendered, (\d+) kept\)\n$)"))) << r.err;
  EXPECT_GE(std::stoi(m[1]), 1);
  EXPECT_GE(std::stoi(m[2]), 2);
  EXPECT_EQ(probe_video(s.dir.file("b.mp4")).frames, 100);
  r = s.reel({"preview", "draft.json", "-o", "c.mp4", "--no-cache"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("kept"), std::string::npos) << r.err;
}

// A `reel preview --watch` in the background, its stderr in a file.
struct Watcher {
  pid_t pid = -1;
  std::string log;
  explicit Watcher(Show& s, const std::vector<std::string>& extra = {}) : log(s.dir.file("watch.log")) {
    const std::string cache = s.dir.file("cache");
    pid = fork();
    if (pid == 0) {
      if (chdir(s.dir.path().c_str()) != 0) _exit(99);
      const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, 2);
      setenv("XDG_CACHE_HOME", cache.c_str(), 1);
      std::vector<std::string> args{REEL_BINARY, "preview", "--watch",    "draft.json",
                                    "-o",        "out.mp4", "--progress", "none"};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(REEL_BINARY, argv.data());
      _exit(98);
    }
  }
  ~Watcher() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
  std::string text() const { return slurp(log); }
  // Waits (at most 60 s) until the log has `lines` lines; returns the last one.
  std::string line(size_t lines) const {
    for (int i = 0; i < 1200; ++i) {
      const std::string t = text();
      if (size_t(std::count(t.begin(), t.end(), '\n')) >= lines) {
        size_t end = 0, start = 0;
        for (size_t k = 0; k < lines; ++k) {
          start = end;
          end = t.find('\n', start) + 1;
        }
        return t.substr(start, end - start - 1);
      }
      std::this_thread::sleep_for(50ms);
    }
    std::string missing = "(no line ";
    missing.append(std::to_string(lines)).append(" in 60 s; log: ").append(text()).append(")");
    return missing;
  }
  int stop() {
    kill(pid, SIGINT);
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

TEST(RenderWatch, RendersAgainOnEachChangeOfTheDraftOrAPhotoAndEndsCleanlyOnCtrlC) {
  Show s;
  Watcher w(s);
  const std::regex done(
      R"(^reel: \d\d:\d\d:\d\d (.*): (\d+) of (\d+) chunks rendered, (\d+) kept, [0-9.]+ s; wrote out\.mp4$)");
  std::smatch m;
  std::string l = w.line(1);
  ASSERT_TRUE(std::regex_match(l, m, done)) << l;
  EXPECT_EQ(m[1], "first render");
  EXPECT_EQ(m[2], m[3]);
  const std::string chunks = m[3];
  EXPECT_EQ(probe_video(s.dir.file("out.mp4")).frames, 100);

  s.draft["t"][0]["sg"][1]["m"]["kb"] = "out";
  s.save();
  l = w.line(2);
  ASSERT_TRUE(std::regex_match(l, m, done)) << l;
  EXPECT_EQ(m[1], "/t/0/sg/1 changed");
  EXPECT_LT(std::stoi(m[2]), std::stoi(chunks));
  EXPECT_GT(std::stoi(m[4]), 0);

  write_image(s.dir.file("p3.png"), detailed_photo(320, 200, 77));
  l = w.line(3);
  ASSERT_TRUE(std::regex_match(l, m, done)) << l;
  EXPECT_EQ(m[1], "p3.png changed");
  EXPECT_LT(std::stoi(m[2]), std::stoi(chunks));

  // A draft that stops validating: its problems, and the last output stays as it was.
  const auto before = std::filesystem::last_write_time(s.dir.file("out.mp4"));
  Json broken = s.draft;
  broken["t"][0]["sg"][2]["d"] = -5;
  s.save(broken.dump());
  for (int i = 0; i < 1200 && w.text().find("is left as it was") == std::string::npos; ++i)
    std::this_thread::sleep_for(50ms);
  const std::string t = w.text();
  EXPECT_NE(t.find("/t/0/sg/2"), std::string::npos) << t;
  EXPECT_NE(t.find("out.mp4 is left as it was; waiting for the next change\n"), std::string::npos) << t;
  EXPECT_EQ(std::filesystem::last_write_time(s.dir.file("out.mp4")), before);
  EXPECT_EQ(probe_video(s.dir.file("out.mp4")).frames, 100);

  s.save();  // fixed again
  for (int i = 0; i < 1200 && w.text().find("wrote out.mp4", t.size()) == std::string::npos; ++i)
    std::this_thread::sleep_for(50ms);
  EXPECT_NE(w.text().find(" draft.json is valid again: 0 of 4 chunks rendered, 4 kept", t.size()), std::string::npos)
      << w.text();

  // A draft that is not JSON at all, and then a damaged photo: each told, the output kept (the
  // line was missing for both).
  auto left_after = [&](size_t from) {
    for (int i = 0; i < 1200 && w.text().find("is left as it was", from) == std::string::npos; ++i)
      std::this_thread::sleep_for(50ms);
    return w.text().substr(from);
  };
  size_t from = w.text().size();
  s.save("{\"t\": [");
  std::string told = left_after(from);
  EXPECT_NE(told.find("reel: draft.json:1:8: not valid JSON"), std::string::npos) << told;
  EXPECT_TRUE(std::regex_search(
      told, std::regex(R"(reel: \d\d:\d\d:\d\d out\.mp4 is left as it was; waiting for the next change\n)")))
      << told;
  s.save();
  for (int i = 0; i < 1200 && w.text().find("wrote out.mp4", from) == std::string::npos; ++i)
    std::this_thread::sleep_for(50ms);
  from = w.text().size();
  std::ofstream(s.dir.file("p3.png"), std::ios::binary | std::ios::trunc) << "garbage";
  told = left_after(from);
  EXPECT_NE(told.find("p3.png"), std::string::npos) << told;
  EXPECT_NE(told.find("out.mp4 is left as it was; waiting for the next change\n"), std::string::npos) << told;
  EXPECT_EQ(probe_video(s.dir.file("out.mp4")).frames, 100);

  EXPECT_EQ(w.stop(), 0);
  EXPECT_NE(w.text().find("reel: stopped watching; out.mp4 is the last good render\n"), std::string::npos) << w.text();
  for (auto& e : std::filesystem::recursive_directory_iterator(s.dir.path()))
    EXPECT_NE(e.path().extension(), ".tmp") << "left behind: " << e.path();
}

TEST(RenderWatch, StandardInputCannotBeWatched) {
  Show s;
  RunResult r = s.reel({"preview", "--watch", "-", "-o", "x.mp4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "reel: --watch needs a draft file to watch, not standard input\n");
}

}  // namespace
}  // namespace reel::test
