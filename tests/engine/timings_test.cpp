// --timings' accounting: each stage's CPU time is its own (a stage inside another is not
// counted twice), nothing is counted unless asked for, and a render's time lands in the
// stages that did the work: none in decode, warp or encode when every chunk was kept.
#include "engine/timings.h"

#include <gtest/gtest.h>

#include <ctime>
#include <thread>

#include "engine/render.h"
#include "tests/engine/support/media_fixtures.h"
#include "tests/support/wav_writer.h"

namespace reel::test {
namespace {

using engine::Stage;

double thread_cpu_s() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// Keeps this thread busy for `seconds` of its own CPU time.
void spin(double seconds) {
  const double until = thread_cpu_s() + seconds;
  volatile uint64_t x = 0;
  while (thread_cpu_s() < until) x = x + 1;
}

double of(Stage s) { return engine::stage_times()[size_t(s)]; }

TEST(StageTimes, AStageInsideAnotherCountsAsItsOwnAndNotTwice) {
  engine::count_stage_times(true);
  {
    engine::StageClock warp(Stage::Warp);
    spin(0.03);
    {
      engine::StageClock decode(Stage::Decode);
      spin(0.06);
    }
    spin(0.03);
  }
  const double warp = of(Stage::Warp), decode = of(Stage::Decode);
  engine::count_stage_times(false);
  EXPECT_GE(decode, 0.06);
  EXPECT_LT(decode, 0.08);
  EXPECT_GE(warp, 0.06) << "the outer stage's own time, before and after the inner one";
  EXPECT_LT(warp, 0.08) << "the inner stage's time is not the outer one's too";
  EXPECT_EQ(of(Stage::Encode), 0.0);
}

TEST(StageTimes, NothingIsCountedUnlessAskedAndCountingStartsFromZero) {
  engine::count_stage_times(false);
  {
    engine::StageClock encode(Stage::Encode);
    spin(0.02);
  }
  EXPECT_EQ(of(Stage::Encode), 0.0);
  engine::count_stage_times(true);
  {
    engine::StageClock encode(Stage::Encode);
    spin(0.02);
  }
  EXPECT_GE(of(Stage::Encode), 0.02);
  engine::count_stage_times(true);
  EXPECT_EQ(of(Stage::Encode), 0.0) << "a new count starts from zero";
  engine::count_stage_times(false);
  EXPECT_EQ(std::string(engine::stage_name(Stage::Decode)), "decode");
  EXPECT_EQ(std::string(engine::stage_name(Stage::Join)), "join");
}

TEST(StageTimes, AProcessClockCountsTheHelperThreadsOfItsStageAndAThreadClockDoesNot) {
  auto with_helper = [](engine::StageCpu cpu) {
    engine::count_stage_times(true);
    {
      engine::StageClock plan(Stage::Plan);
      engine::StageClock subjects(Stage::Subjects, cpu);
      std::thread helper([] { spin(0.05); });  // as OpenCV's pool does the search's work
      helper.join();
    }
    return engine::stage_times();
  };
  const std::array<double, engine::kStageCount> process = with_helper(engine::StageCpu::Process);
  const std::array<double, engine::kStageCount> thread = with_helper(engine::StageCpu::Thread);
  engine::count_stage_times(false);
  EXPECT_GE(process[size_t(Stage::Subjects)], 0.05);
  EXPECT_LT(thread[size_t(Stage::Subjects)], 0.01) << "the helper's time is not the calling thread's";
  EXPECT_GE(process[size_t(Stage::Plan)], 0.0) << "the outer stage loses only what its own thread spent inside";
  EXPECT_LT(process[size_t(Stage::Plan)], 0.01);
}

TEST(StageTimes, ARenderIsCountedInTheStagesThatDidTheWorkAndAKeptOneDecodesAndEncodesNothing) {
  TempDir dir;
  write_image(dir.file("a.png"), detailed_photo(2400, 1800, 1));
  write_image(dir.file("b.jpg"), detailed_photo(1800, 2400, 2));
  write_wav(dir.file("music.wav"), sine(2.0, 440, 0.3));
  const Json move = {{"from", {{"x", 0.5}, {"y", 0.5}, {"z", 1.0}}}, {"to", {{"x", 0.4}, {"y", 0.5}, {"z", 1.2}}}};
  Json j = slideshow_json(640, 360, 30, {"a.png", "b.jpg"}, 1000, {{"kb", move}});
  j["t"][0]["sg"][1]["m"]["tr"] = {{"type", "fade"}, {"d", 400}};
  j["t"].push_back({{"tt", 1}, {"sg", {{{"s", 0}, {"d", 2000}, {"src", "music.wav"}}}}});
  j["t"].push_back({{"tt", 7}, {"sg", {{{"s", 0}, {"d", 2000}, {"m", {{"text", "Counted"}}}}}}});
  engine::RenderOptions o;
  o.base_dir = dir.path().string();
  o.chunk_dir = dir.file("chunks");
  o.proxy_dir = dir.file("proxies");
  const draft::Draft d = load(j);

  engine::count_stage_times(true);
  const engine::RenderResult first = engine::render_to_file(d, dir.file("first.mp4"), o);
  const std::array<double, engine::kStageCount> fresh = engine::stage_times();
  engine::count_stage_times(true);
  const engine::RenderResult again = engine::render_to_file(d, dir.file("again.mp4"), o);
  const std::array<double, engine::kStageCount> kept = engine::stage_times();
  engine::count_stage_times(false);

  ASSERT_EQ(first.chunks_rendered, first.chunks);
  for (Stage s : {Stage::Plan, Stage::Decode, Stage::Warp, Stage::Text, Stage::Audio, Stage::Encode, Stage::Join})
    EXPECT_GT(fresh[size_t(s)], 0.0) << engine::stage_name(s);
  EXPECT_LT(fresh[size_t(Stage::Subjects)], 0.005) << "the moves are explicit: no subject is searched for";
  ASSERT_EQ(again.chunks_rendered, 0);
  for (Stage s : {Stage::Decode, Stage::Warp, Stage::Encode})
    EXPECT_EQ(kept[size_t(s)], 0.0) << engine::stage_name(s) << ": every chunk was kept";
  EXPECT_LT(kept[size_t(Stage::Audio)], fresh[size_t(Stage::Audio)]) << "the sound was kept: only checked";
  EXPECT_GT(kept[size_t(Stage::Plan)], 0.0);
  EXPECT_GT(kept[size_t(Stage::Join)], 0.0);
  // The steps' ends, in order.
  EXPECT_GT(first.planned_s, 0.0);
  EXPECT_LE(first.planned_s, first.video_s);
  EXPECT_LE(first.video_s, first.sound_s);
  EXPECT_LE(first.sound_s, first.seconds);
}

}  // namespace
}  // namespace reel::test
