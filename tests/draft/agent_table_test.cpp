// The agent's table of common requests, half of them in Chinese: each request, on the same
// five-photo draft, and the fields of the draft it must produce (JSON pointer -> exact value;
// null: the key must be absent).
#include <gtest/gtest.h>

#include "draft/agent.h"
#include "draft/words.h"
#include "draft_test_util.h"

using namespace reel;
using namespace reel::draft;
using namespace reel::draft::test;

namespace {

struct Row {
  const char* words;
  std::vector<std::string> files;
  std::vector<std::pair<const char*, Json>> expect;
};

// A song of 30 s with a beat every 500 ms from 37 ms (120 BPM).
std::optional<MusicFacts> measured(const std::string& source) {
  if (source != "song.mp3") return std::nullopt;
  MusicFacts f{30000, {}};
  for (int64_t b = 37; b < 30000; b += 500) f.beats_ms.push_back(b);
  return f;
}
std::optional<MusicFacts> measured_without_beats(const std::string& source) {
  auto f = measured(source);
  if (f) f->beats_ms.clear();
  return f;
}

const Json kAbsent = nullptr;
const Json kEmpty = Json::object();

// clang-format off
const std::vector<Row> kRows = {
  // titles: look, place, text only when given
  {"make the title bigger", {}, {{"/t/2/sg/0/m/style/size", 0.075}, {"/t/2/sg/0/m/text", "Trip"}, {"/m/title", "Trip"}}},
  {"标题大一点", {}, {{"/t/2/sg/0/m/style/size", 0.075}, {"/t/2/sg/0/m/text", "Trip"}}},
  {"make the title smaller", {}, {{"/t/2/sg/0/m/style/size", 0.048}, {"/t/2/sg/0/m/text", "Trip"}}},
  {"标题小一点", {}, {{"/t/2/sg/0/m/style/size", 0.048}, {"/t/2/sg/0/m/text", "Trip"}}},
  {"move the title to the bottom", {}, {{"/t/2/sg/0/m/style/pos", "bottom"}, {"/t/2/sg/0/m/text", "Trip"}}},
  {"把标题移到底部", {}, {{"/t/2/sg/0/m/style/pos", "bottom"}, {"/t/2/sg/0/m/text", "Trip"}}},
  {"put the title in the top left", {}, {{"/t/2/sg/0/m/style/pos", "top-left"}, {"/t/2/sg/0/m/text", "Trip"}}},
  {"标题放到左上", {}, {{"/t/2/sg/0/m/style/pos", "top-left"}, {"/t/2/sg/0/m/text", "Trip"}}},
  {"make the title yellow", {}, {{"/t/2/sg/0/m/style/color", "#FFD400"}, {"/t/2/sg/0/m/text", "Trip"}}},
  {"标题改成黄色", {}, {{"/t/2/sg/0/m/style/color", "#FFD400"}, {"/t/2/sg/0/m/text", "Trip"}}},
  {"标题改成白色", {}, {{"/t/2/sg/0/m/style/color", "#FFFFFF"}, {"/t/2/sg/0/m/text", "Trip"}}},
  {"add a title at the end", {}, {{"/t/2/sg/0/s", 0}, {"/t/2/sg/1/s", 17000}, {"/t/2/sg/1/d", 3000}, {"/t/2/sg/1/m/text", "Trip"}}},
  {"在结尾加一个标题", {}, {{"/t/2/sg/1/s", 17000}, {"/t/2/sg/1/d", 3000}, {"/t/2/sg/1/m/text", "Trip"}}},
  {"add the title 'Summer in Lisbon' at the end", {}, {{"/t/2/sg/1/s", 17000}, {"/t/2/sg/1/m/text", "Summer in Lisbon"}, {"/t/2/sg/0/m/text", "Trip"}}},
  {"标题改为 城市之梦", {}, {{"/t/2/sg/0/m/text", "城市之梦"}, {"/m/title", "城市之梦"}}},
  {"remove the title", {}, {{"/t/2", kAbsent}}},
  {"去掉标题", {}, {{"/t/2", kAbsent}}},
  // one photo by its place
  {"remove the third photo", {}, {{"/t/0/sg/2/src", "p4.jpg"}, {"/t/0/sg/2/s", 8000}, {"/t/0/sg/4", kAbsent}, {"/t/1/sg/0/d", 16000}, {"/t/2/sg/0/d", 3000}}},
  {"删除第三张", {}, {{"/t/0/sg/2/src", "p4.jpg"}, {"/t/0/sg/2/s", 8000}, {"/t/0/sg/4", kAbsent}, {"/t/1/sg/0/d", 16000}}},
  {"delete the first photo", {}, {{"/t/0/sg/0/src", "p2.jpg"}, {"/t/0/sg/0/s", 0}, {"/t/0/sg/0/m", kEmpty}, {"/t/0/sg/3/s", 12000}, {"/t/1/sg/0/d", 16000}}},
  {"删除最后一张照片", {}, {{"/t/0/sg/3/src", "p4.jpg"}, {"/t/0/sg/4", kAbsent}, {"/t/1/sg/0/d", 16000}}},
  {"make photo 2 longer", {}, {{"/t/0/sg/1/d", 6000}, {"/t/0/sg/2/s", 10000}, {"/t/0/sg/4/s", 18000}, {"/t/1/sg/0/d", 22000}, {"/t/2/sg/0/d", 3000}}},
  {"第二张照片长一点", {}, {{"/t/0/sg/1/d", 6000}, {"/t/0/sg/2/s", 10000}, {"/t/1/sg/0/d", 22000}}},
  {"shorten photo 4", {}, {{"/t/0/sg/3/d", 2600}, {"/t/0/sg/4/s", 14600}, {"/t/1/sg/0/d", 18600}}},
  {"第四张短一点", {}, {{"/t/0/sg/3/d", 2600}, {"/t/0/sg/4/s", 14600}, {"/t/1/sg/0/d", 18600}}},
  {"make photo 2 6 seconds", {}, {{"/t/0/sg/1/d", 6000}, {"/t/0/sg/2/s", 10000}, {"/t/1/sg/0/d", 22000}}},
  {"第2张照片6秒", {}, {{"/t/0/sg/1/d", 6000}, {"/t/0/sg/2/s", 10000}, {"/t/1/sg/0/d", 22000}}},
  {"swap photo 1 and photo 3", {}, {{"/t/0/sg/0/src", "p3.jpg"}, {"/t/0/sg/0/m", kEmpty}, {"/t/0/sg/2/src", "p1.jpg"}, {"/t/0/sg/2/m/tr/type", "fade"}}},
  {"交换第一张和第三张", {}, {{"/t/0/sg/0/src", "p3.jpg"}, {"/t/0/sg/0/m", kEmpty}, {"/t/0/sg/2/src", "p1.jpg"}}},
  {"move photo 3 to the start", {}, {{"/t/0/sg/0/src", "p3.jpg"}, {"/t/0/sg/0/m", kEmpty}, {"/t/0/sg/1/src", "p1.jpg"}, {"/t/0/sg/1/m/tr/d", 600}}},
  {"把第三张照片移到开头", {}, {{"/t/0/sg/0/src", "p3.jpg"}, {"/t/0/sg/0/m", kEmpty}, {"/t/0/sg/1/src", "p1.jpg"}}},
  {"move the last photo to the start", {}, {{"/t/0/sg/0/src", "p5.jpg"}, {"/t/0/sg/0/m", kEmpty}, {"/t/0/sg/4/src", "p4.jpg"}}},
  {"把最后一张移到开头", {}, {{"/t/0/sg/0/src", "p5.jpg"}, {"/t/0/sg/0/m", kEmpty}}},
  {"把第一张照片移到最后", {}, {{"/t/0/sg/0/src", "p2.jpg"}, {"/t/0/sg/0/m", kEmpty}, {"/t/0/sg/4/src", "p1.jpg"}, {"/t/0/sg/4/m/tr/type", "fade"}}},
  {"reverse the order", {}, {{"/t/0/sg/0/src", "p5.jpg"}, {"/t/0/sg/0/m", kEmpty}, {"/t/0/sg/4/src", "p1.jpg"}}},
  {"倒序", {}, {{"/t/0/sg/0/src", "p5.jpg"}, {"/t/0/sg/0/m", kEmpty}}},
  // length and shape together
  {"make it 15 seconds for TikTok", {}, {{"/m/width", 1080}, {"/m/height", 1920}, {"/t/0/sg/4/s", 12000}, {"/t/1/sg/0/d", 15000}}},
  {"做成15秒的抖音视频", {}, {{"/m/width", 1080}, {"/m/height", 1920}, {"/t/0/sg/4/s", 12000}, {"/t/1/sg/0/d", 15000}}},
  {"vertical, 10 seconds, with zoom transitions", {}, {{"/m/height", 1920}, {"/t/0/sg/1/d", 2000}, {"/t/0/sg/1/m/tr/type", "zoomin"}, {"/t/0/sg/1/m/tr/d", 600}}},
  {"竖屏，10秒，缩放转场", {}, {{"/m/height", 1920}, {"/t/0/sg/1/d", 2000}, {"/t/0/sg/1/m/tr/type", "zoomin"}}},
  {"make it vertical", {}, {{"/m/width", 1080}, {"/m/height", 1920}}},
  {"改成竖屏", {}, {{"/m/width", 1080}, {"/m/height", 1920}}},
  {"make it square", {}, {{"/m/width", 1080}, {"/m/height", 1080}}},
  {"改成方形", {}, {{"/m/width", 1080}, {"/m/height", 1080}}},
  {"3 seconds per photo", {}, {{"/t/0/sg/1/s", 3000}, {"/t/0/sg/4/d", 3000}, {"/t/1/sg/0/d", 15000}}},
  {"每张照片3秒", {}, {{"/t/0/sg/1/s", 3000}, {"/t/1/sg/0/d", 15000}}},
  {"make it shorter", {}, {{"/t/0/sg/1/s", 3000}, {"/t/1/sg/0/d", 15000}}},
  {"短一点", {}, {{"/t/0/sg/1/s", 3000}, {"/t/1/sg/0/d", 15000}}},
  // pace
  {"slower", {}, {{"/t/0/sg/1/s", 5000}, {"/t/1/sg/0/d", 25000}}},
  {"慢一点", {}, {{"/t/0/sg/1/s", 5000}, {"/t/1/sg/0/d", 25000}}},
  {"faster", {}, {{"/t/0/sg/1/s", 3200}, {"/t/1/sg/0/d", 16000}}},
  {"快一点", {}, {{"/t/0/sg/1/s", 3200}, {"/t/1/sg/0/d", 16000}}},
  // logo, beat, song
  {"add my logo logo.png at the end", {"logo.png"}, {{"/t/0/sg/5/src", "logo.png"}, {"/t/0/sg/5/s", 20000}, {"/t/0/sg/5/d", 2500}, {"/t/0/sg/5/m/fit", "contain"}, {"/t/1/sg/0/d", 22500}}},
  {"在结尾加上我的logo logo.png", {"logo.png"}, {{"/t/0/sg/5/src", "logo.png"}, {"/t/0/sg/5/s", 20000}, {"/t/1/sg/0/d", 22500}}},
  {"cut on the beat", {}, {{"/t/0/sg/1/s", 4037}, {"/t/0/sg/4/s", 16037}, {"/t/0/sg/4/d", 3963}, {"/t/1/sg/0/d", 20000}}},
  {"跟着节拍切换", {}, {{"/t/0/sg/1/s", 4037}, {"/t/0/sg/4/d", 3963}}},
  {"fit the video to the song", {}, {{"/t/0/sg/1/s", 6037}, {"/t/1/sg/0/d", 30000}, {"/t/1/sg/0/m/loop", false}}},
  {"视频和音乐一样长", {}, {{"/t/1/sg/0/d", 30000}, {"/t/1/sg/0/m/loop", false}}},
  // transitions, motion, music, text
  {"use slide transitions", {}, {{"/t/0/sg/1/m/tr/type", "slideleft"}, {"/t/0/sg/1/m/tr/d", 600}, {"/t/0/sg/0/m", kAbsent}}},
  {"用滑动转场", {}, {{"/t/0/sg/1/m/tr/type", "slideleft"}, {"/t/0/sg/1/m/tr/d", 600}}},
  {"no transitions", {}, {{"/t/0/sg/1/m", kEmpty}, {"/t/0/sg/4/m", kEmpty}}},
  {"去掉转场", {}, {{"/t/0/sg/1/m", kEmpty}}},
  {"zoom in slowly", {}, {{"/t/0/sg/0/m/kb/to/z", 1.08}}},
  {"缓慢推近", {}, {{"/t/0/sg/0/m/kb/to/z", 1.08}}},
  {"no Ken Burns", {}, {{"/t/0/sg/2/m/kb", "none"}}},
  {"不要动效", {}, {{"/t/0/sg/2/m/kb", "none"}}},
  {"music at 30%", {}, {{"/t/1/sg/0/m/vol", 0.3}}},
  {"音乐音量30%", {}, {{"/t/1/sg/0/m/vol", 0.3}}},
  {"fade out the music", {}, {{"/t/1/sg/0/m/fo", 3000}}},
  {"音乐淡出", {}, {{"/t/1/sg/0/m/fo", 3000}}},
  {"no music", {}, {{"/t/1/tt", 7}, {"/t/2", kAbsent}}},
  {"不要音乐", {}, {{"/t/1/tt", 7}, {"/t/2", kAbsent}}},
  {"use song2.mp3 as the music", {"song2.mp3"}, {{"/t/1/sg/0/src", "song2.mp3"}, {"/t/1/sg/0/m/name", "song2"}}},
  {"加背景音乐 ../beat120.mp3", {"../beat120.mp3"}, {{"/t/1/sg/0/src", "../beat120.mp3"}, {"/t/1/sg/0/m/name", "beat120"}}},
  {"背景音乐换成 x.mp3", {"x.mp3"}, {{"/t/1/sg/0/src", "x.mp3"}}},
  {"put 'Shop now' at the end", {}, {{"/t/3/sg/0/m/text", "Shop now"}, {"/t/3/sg/0/s", 17000}, {"/t/3/sg/0/d", 3000}}},
  {"在结尾加上“立即购买”", {}, {{"/t/3/sg/0/m/text", "立即购买"}, {"/t/3/sg/0/s", 17000}}},
  {"make it a promo", {}, {{"/t/0/sg/1/s", 2500}, {"/t/0/sg/1/m/tr/type", "slideleft"}, {"/t/0/sg/1/m/tr/d", 400}}},
  {"改成宣传片", {}, {{"/t/0/sg/1/s", 2500}, {"/t/0/sg/1/m/tr/type", "slideleft"}}},
};
// clang-format on

}  // namespace

TEST(AgentTable, EveryCommonRequestGivesItsDraft) {
  size_t chinese = 0;
  for (const Row& row : kRows) {
    chinese += has_cjk(row.words);
    Draft d = load_text(kFivePhotos).draft;
    AgentContext context;
    context.files = row.files;
    context.measure_music = measured;
    AgentReply r = apply_instruction(d, row.words, context);
    EXPECT_TRUE(r.understood) << row.words << ": " << r.message;
    EXPECT_TRUE(r.changed) << row.words << ": " << r.message;
    auto loaded = load_draft(d.json);
    EXPECT_TRUE(loaded.ok()) << row.words << " left errors: " << loaded.problems.front().line();
    for (const auto& [pointer, want] : row.expect) {
      Json::json_pointer p(pointer);
      if (want.is_null()) {
        EXPECT_FALSE(d.json.contains(p)) << row.words << ": " << pointer << " is " << d.json.value(p, Json()).dump();
        continue;
      }
      ASSERT_TRUE(d.json.contains(p)) << row.words << ": no " << pointer << " in " << d.json.dump();
      EXPECT_EQ(d.json.at(p), want) << row.words << ": " << pointer;
    }
  }
  EXPECT_GE(kRows.size(), 60u);
  EXPECT_GE(chinese * 2, kRows.size()) << "half the table is Chinese";
}

TEST(AgentTable, AnswersSayWhatChangedInTheTimelinesWords) {
  Draft d = load_text(kFivePhotos).draft;
  AgentReply r = apply_instruction(d, "remove the third photo");
  EXPECT_EQ(r.message,
            "Removed photo 3 (p3). Timeline: 1. Video: trip (0-20s → 0-16s); 2. BGM: Song (0-20s, 35% → 0-16s, 35%)");
  Draft zh = load_text(kFivePhotos).draft;
  AgentReply z = apply_instruction(zh, "第二张照片长一点");
  EXPECT_EQ(z.message,
            "第 2 张照片现在显示 6 秒（原来 4 秒）。时间线：1. Video: trip (0-20s → 0-22s); 2. BGM: Song (0-20s, 35% → "
            "0-22s, 35%)");
}

TEST(AgentTable, TheSongMustBeMeasurableForBeatsAndFitting) {
  Draft d = load_text(kFivePhotos).draft;
  AgentReply r = apply_instruction(d, "cut on the beat");  // no one to measure the song
  EXPECT_FALSE(r.changed);
  EXPECT_EQ(r.message, "The song song cannot be measured here (its length and beats are needed).");
  AgentContext flat;
  flat.measure_music = measured_without_beats;
  AgentReply f = apply_instruction(d, "fit the video to the song", flat);
  EXPECT_TRUE(f.changed);
  EXPECT_EQ(d.json["t"][0]["sg"][1]["s"], 6000);  // no beats: even cuts over the 30 s
}

TEST(AgentTransitions, ShortenedPhotosGetTransitionsThatFitAndEndTextStaysReadable) {
  Draft d = load_text(R"({"t": [{"tt": 0, "sg": [
      {"s": 0, "d": 4000, "src": "a.jpg"}, {"s": 4000, "d": 4000, "src": "b.jpg", "m": {"tr": {"type": "fade", "d": 1500}}},
      {"s": 8000, "d": 4000, "src": "c.jpg", "m": {"tr": {"type": "fade", "d": 1500}}}]},
    {"tt": 7, "sg": [{"s": 9000, "d": 3000, "m": {"text": "The end", "anim": {"in": "fade", "out": "fade", "d": 500}}}]}]})")
                .draft;
  apply_instruction(d, "make photo 2 1 second");
  EXPECT_EQ(d.json["t"][0]["sg"][1]["d"], 1000);
  EXPECT_EQ(d.json["t"][0]["sg"][1]["m"]["tr"]["d"], 500);  // half the shorter photo it joins
  EXPECT_EQ(d.json["t"][0]["sg"][2]["m"]["tr"]["d"], 500);
  apply_instruction(d, "make it 3 seconds");
  // The end text: 1.5 s to read plus its two animations, ending with the video.
  const Json& text = d.json["t"][1]["sg"][0];
  EXPECT_EQ(text["d"], 2500);
  EXPECT_EQ(text["s"].get<int64_t>() + text["d"].get<int64_t>(), d.duration_ms());
  EXPECT_TRUE(load_draft(d.json).ok());
}
