// End-to-end: one render spread over workers. `reel plan` cuts it, `reel render --part` renders
// a part where a scheduler's index says (GNU parallel standing in for the scheduler, each worker
// with a cache of its own as on another machine), and `reel join` makes the file a whole render
// makes, byte for byte.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "draft/json.h"
#include "support/run_command.h"
#include "support/wav_writer.h"
#include "tests/engine/support/media_fixtures.h"

namespace reel::test {
namespace {

namespace fs = std::filesystem;

// Eight photos of 1 s with fades and moves, a title and music: 240 frames at 30 fps.
struct PartsProject {
  TempDir dir;
  PartsProject() {
    std::vector<std::string> photos;
    for (int i = 0; i < 8; ++i) {
      photos.push_back("p" + std::to_string(i) + ".jpg");
      write_image(dir.file(photos.back()), detailed_photo(480, 270, 40 + uint32_t(i)));
    }
    write_wav(dir.file("music.wav"), sine(8, 330, 0.3));
    Json j = slideshow_json(320, 180, 30, photos, 1000, {{"kb", "in"}, {"tr", {{"type", "fade"}, {"d", 300}}}});
    j["t"].push_back(
        {{"tt", 1}, {"m", {{"kind", "music"}}}, {"sg", Json::array({{{"s", 0}, {"d", 8000}, {"src", "music.wav"}}})}});
    std::ofstream(dir.file("d.json")) << j.dump(1);
  }
  RunResult reel(const std::vector<std::string>& args, const std::string& cache = "cache") const {
    std::vector<std::string> all{REEL_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    std::string script = "XDG_CACHE_HOME=" + shell_quote(dir.file(cache));
    for (const auto& a : all) script += " " + shell_quote(a);
    return run_command("bash", {"-c", script}, "", dir.path().string());
  }
};

std::string bytes_of(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

TEST(RenderParts, PlanPrintsEachPartsFramesAndCostAndItsJsonCoversTheRenderOnce) {
  PartsProject p;
  const RunResult text = p.reel({"plan", "d.json", "--chunks", "3"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("d.json: 240 frames at 30 fps in "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("cut into 3 parts\n  part 1/3: frames 0-"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("  part 3/3: frames "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("reel render d.json --part I/3 -o part-I.mp4"), std::string::npos) << text.out;

  const RunResult json = p.reel({"plan", "d.json", "--chunks", "3", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const Json plan = Json::parse(json.out);
  EXPECT_EQ(plan["frames"], 240);
  ASSERT_EQ(plan["parts"].size(), 3u);
  int64_t next = 0;
  double total = 0;
  for (const Json& part : plan["parts"]) {
    EXPECT_EQ(part["frames"][0], next);
    next = part["frames"][1];
    EXPECT_GT(part["cost_s"].get<double>(), 0);
    total += part["cost_s"].get<double>();
  }
  EXPECT_EQ(next, 240);
  EXPECT_NEAR(plan["cost_s"].get<double>(), total, 1e-9);
  // About equal: no part costs more than twice another on this even slideshow.
  for (const Json& a : plan["parts"])
    for (const Json& b : plan["parts"]) EXPECT_LT(a["cost_s"].get<double>(), 2 * b["cost_s"].get<double>());
}

TEST(RenderParts, WorkersStartedByGnuParallelWithTheirIndexRenderPartsWhoseJoinIsTheWholeRender) {
  PartsProject p;
  // Each worker: its index from JOB_COMPLETION_INDEX (0-based, as a Kubernetes Indexed Job
  // sets it) and a cache folder of its own.
  const std::string worker = "JOB_COMPLETION_INDEX={} XDG_CACHE_HOME=" + shell_quote(p.dir.file("worker-{}")) + " " +
                             shell_quote(REEL_BINARY) + " render d.json --part 3 -o part-{}.mp4 --progress none";
  const RunResult run =
      run_command("parallel", {"-j", "2", "--halt", "now,fail=1", worker, ":::", "0", "1", "2"}, "", p.dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(fs::exists(p.dir.file("part-" + std::to_string(i) + ".mp4"))) << run.err;
  EXPECT_NE(run.err.find("(part 1/3: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("(part 3/3: "), std::string::npos) << run.err;

  const RunResult join = p.reel({"join", "d.json", "part-2.mp4", "part-0.mp4", "part-1.mp4", "-o", "joined.mp4"});
  ASSERT_EQ(join.exit_code, 0) << join.err;
  EXPECT_EQ(join.err, "reel: wrote joined.mp4 (320x180, 240 frames at 30 fps from 3 parts, " +
                          join.err.substr(join.err.find("parts, ") + 7));
  const RunResult whole = p.reel({"render", "d.json", "-o", "whole.mp4", "--progress", "none"}, "other-cache");
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const std::string bytes = bytes_of(p.dir.file("whole.mp4"));
  EXPECT_GT(bytes.size(), 10000u);
  EXPECT_TRUE(bytes == bytes_of(p.dir.file("joined.mp4")));
  const VideoProbe probe = probe_video(p.dir.file("joined.mp4"));
  EXPECT_EQ(probe.frames, 240);
  EXPECT_TRUE(probe.has_audio);

  // The sound made by a fourth worker: the join copies it, and the file is the same.
  const RunResult sound =
      p.reel({"render", "d.json", "--part", "sound", "-o", "sound.m4a", "--progress", "none"}, "sound-cache");
  ASSERT_EQ(sound.exit_code, 0) << sound.err;
  EXPECT_EQ(sound.err.rfind("reel: wrote sound.m4a (the sound, ", 0), 0u) << sound.err;
  const RunResult with_sound =
      p.reel({"join", "d.json", "part-2.mp4", "sound.m4a", "part-0.mp4", "part-1.mp4", "-o", "joined-sound.mp4"},
             "join-cache");
  ASSERT_EQ(with_sound.exit_code, 0) << with_sound.err;
  EXPECT_NE(with_sound.err.find(" fps from 3 parts and the sound, "), std::string::npos) << with_sound.err;
  EXPECT_TRUE(bytes == bytes_of(p.dir.file("joined-sound.mp4")));
}

TEST(RenderParts, ABadPartOrAMissingIndexIsRefusedWithWhatToDoAndNothingIsWritten) {
  PartsProject p;
  RunResult r = p.reel({"render", "d.json", "--part", "3", "-o", "x.mp4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "reel: --part 3 needs this worker's index: give --part I/N, or run it under a scheduler that sets "
            "JOB_COMPLETION_INDEX (Kubernetes), SLURM_ARRAY_TASK_ID (Slurm) or AWS_BATCH_JOB_ARRAY_INDEX (AWS "
            "Batch)\n");
  r = p.reel({"render", "d.json", "--part", "4/3", "-o", "x.mp4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "reel: --part 4/3: a part is I/N with 1 <= I <= N\n");
  EXPECT_FALSE(fs::exists(p.dir.file("x.mp4")));

  // A Slurm array counts from its first index.
  r = run_command("bash",
                  {"-c", "SLURM_ARRAY_TASK_ID=7 SLURM_ARRAY_TASK_MIN=5 " + shell_quote(REEL_BINARY) +
                             " render d.json --part 3 -o slurm.mp4 --progress none"},
                  "", p.dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("(part 3/3: "), std::string::npos) << r.err;

  ASSERT_EQ(p.reel({"render", "d.json", "--part", "1/3", "-o", "one.mp4", "--progress", "none"}).exit_code, 0);
  r = p.reel({"join", "d.json", "one.mp4", "slurm.mp4", "-o", "out.mp4"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "reel: part 2 of 3 is missing: render it with `reel render DRAFT --part I/3` and join them all\n");
  r = p.reel({"join", "d.json", "one.mp4", "slurm.mp4", "one.mp4", "-o", "out.mp4"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "reel: one.mp4 and one.mp4 are both part 1 of 3; name each part once\n");
  // Parts of a preview are no parts of a final.
  r = p.reel({"join", "d.json", "one.mp4", "slurm.mp4", "--preset", "preview", "-o", "out.mp4"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("reel: one.mp4 is a part of another render"), std::string::npos) << r.err;
  r = p.reel({"join", "d.json", "one.mp4", "-o", "one.mp4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(fs::exists(p.dir.file("out.mp4")));
}

}  // namespace
}  // namespace reel::test
