// The local agent: every instruction kind, in English and Chinese, with the draft checked.
#include "draft/agent.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "draft/fades.h"
#include "draft/summary.h"
#include "draft_test_util.h"

using namespace reel;
using namespace reel::draft;
using namespace reel::draft::test;

namespace {

Draft base_draft() { return load_text(kFivePhotos).draft; }

std::vector<std::string> sources(const Draft& d) {
  std::vector<std::string> out;
  std::vector<const Segment*> segs;
  for (const auto& s : d.tracks[0].segments) segs.push_back(&s);
  std::stable_sort(segs.begin(), segs.end(), [](auto* a, auto* b) { return a->start_ms < b->start_ms; });
  for (auto* s : segs) out.push_back(s->source);
  return out;
}

AgentReply say(Draft& d, const std::string& words, const std::vector<std::string>& files = {}) {
  AgentReply r = apply_instruction(d, words, files);
  EXPECT_TRUE(load_draft(d.json).ok()) << words << " left errors: " << load_draft(d.json).problems.front().line();
  return r;
}

}  // namespace

TEST(Agent, TargetLengthScalesEverythingInStep) {
  for (const char* words : {"make it 30 seconds", "make it 30s long", "时长30秒"}) {
    Draft d = base_draft();
    AgentReply r = say(d, words);
    EXPECT_TRUE(r.changed) << words;
    EXPECT_EQ(d.duration_ms(), 30000) << words;
    EXPECT_EQ(d.tracks[1].segments[0].duration_ms, 30000) << words;  // the music follows
    EXPECT_EQ(d.tracks[0].segments[4].start_ms, 24000) << words;
  }
  Draft d = base_draft();
  AgentReply r = say(d, "make it shorter");
  EXPECT_EQ(d.duration_ms(), 15000);
  EXPECT_EQ(
      r.message,
      "The video now lasts 15 s. Timeline: 1. Video: trip (0-20s → 0-15s); 2. BGM: Song (0-20s, 35% → 0-15s, 35%); "
      "3. Title: \"Trip\" (0-3s → 0-2.25s)");
}

TEST(Agent, PerPhotoLengthInBothLanguages) {
  // "each photo 3 seconds" is every photo's length, not photo 3's.
  for (const char* words : {"3 seconds per photo", "每张照片3秒", "make each photo 3 seconds", "every photo 3s",
                            "make the photos 3 seconds each", "all photos 3 sec"}) {
    Draft d = base_draft();
    say(d, words);
    for (const auto& s : d.tracks[0].segments) EXPECT_EQ(s.duration_ms, 3000) << words;
    EXPECT_EQ(d.duration_ms(), 15000) << words;
    EXPECT_EQ(d.tracks[1].segments[0].duration_ms, 15000) << words;
  }
}

TEST(Agent, AspectWords) {
  struct Case {
    const char* words;
    int w, h;
  };
  for (Case c :
       {Case{"make it vertical", 1080, 1920}, Case{"9:16 please", 1080, 1920}, Case{"for TikTok", 1080, 1920},
        Case{"for Reels", 1080, 1920}, Case{"YouTube Shorts", 1080, 1920}, Case{"改成竖屏", 1080, 1920},
        Case{"make it square", 1080, 1080}, Case{"Instagram 4:5", 1080, 1350}, Case{"back to 16:9", 1920, 1080}}) {
    Draft d = base_draft();
    say(d, c.words);
    EXPECT_EQ(d.canvas.width, c.w) << c.words;
    EXPECT_EQ(d.canvas.height, c.h) << c.words;
  }
  Draft ar = load_text(R"({"t": [{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "a.jpg"}]}]})").draft;
  AgentReply r = say(ar, "vertical");
  EXPECT_EQ(ar.json["m"]["ar"], "9:16");  // a draft without width/height gets m.ar
  EXPECT_EQ(r.message, "The video is now 9:16 (1080x1920). Timeline: canvas 1920x1080 → 1080x1920");
}

TEST(Agent, Transitions) {
  Draft d = base_draft();
  say(d, "use slide transitions");
  for (size_t i = 1; i < 5; ++i) {
    ASSERT_TRUE(d.tracks[0].segments[i].video.transition);
    EXPECT_EQ(d.tracks[0].segments[i].video.transition->type, TransitionType::SlideLeft);
    EXPECT_EQ(d.tracks[0].segments[i].video.transition->duration_ms, 600);  // the length is kept
  }
  EXPECT_FALSE(d.tracks[0].segments[0].video.transition);  // nothing to come from before the first
  say(d, "faster fades");
  EXPECT_EQ(d.tracks[0].segments[1].video.transition->duration_ms, 300);
  say(d, "no transitions");
  for (const auto& s : d.tracks[0].segments) EXPECT_FALSE(s.video.transition);
  say(d, "加转场");
  EXPECT_EQ(d.tracks[0].segments[2].video.transition->type, TransitionType::Fade);
  EXPECT_EQ(d.tracks[0].segments[2].video.transition->duration_ms, 500);
  say(d, "去掉转场");
  EXPECT_FALSE(d.tracks[0].segments[2].video.transition);
}

TEST(Agent, Motion) {
  Draft d = base_draft();
  say(d, "no Ken Burns");
  for (const auto& s : d.tracks[0].segments) EXPECT_EQ(s.video.ken_burns.preset, KenBurnsPreset::None);
  AgentReply r = say(d, "zoom in slowly");
  for (const auto& s : d.tracks[0].segments) {
    EXPECT_EQ(s.video.ken_burns.preset, KenBurnsPreset::Explicit);
    EXPECT_DOUBLE_EQ(s.video.ken_burns.to.zoom, 1.08);
  }
  EXPECT_EQ(r.message, "Every photo now zooms in slowly (8%).");
  say(d, "不要动效");
  EXPECT_EQ(d.tracks[0].segments[0].video.ken_burns.preset, KenBurnsPreset::None);
}

TEST(Agent, Pacing) {
  Draft d = base_draft();
  say(d, "slower");
  EXPECT_EQ(d.duration_ms(), 25000);
  say(d, "faster");
  EXPECT_EQ(d.duration_ms(), 20000);
  say(d, "慢一点");
  EXPECT_EQ(d.duration_ms(), 25000);
}

TEST(Agent, TitlesAndText) {
  Draft d = base_draft();
  AgentReply r = say(d, "add the title 'Summer in Lisbon'");
  EXPECT_EQ(d.tracks[2].segments[0].text.text, "Summer in Lisbon");
  EXPECT_EQ(d.title, "Summer in Lisbon");
  EXPECT_EQ(r.message,
            "The title now reads \"Summer in Lisbon\". Timeline: 3. Title: \"Trip\" (0-3s) → Title: \"Summer in "
            "Lisbon\" (0-3s)");
  say(d, "标题改为 城市之梦");
  EXPECT_EQ(d.tracks[2].segments[0].text.text, "城市之梦");
  say(d, "remove the title");
  ASSERT_EQ(d.tracks.size(), 2u);
  say(d, "put 'Shop now' at the end");
  ASSERT_EQ(d.tracks.size(), 3u);
  EXPECT_EQ(d.tracks[2].segments[0].text.text, "Shop now");
  EXPECT_EQ(d.tracks[2].segments[0].start_ms, 17000);
  EXPECT_EQ(d.tracks[2].segments[0].end_ms(), 20000);
  Draft none = base_draft();
  say(none, "remove the title");
  say(none, "add title \"Salt and Pepper\"");  // "and" inside quotes does not split the instruction
  EXPECT_EQ(none.tracks.back().segments[0].text.text, "Salt and Pepper");
  EXPECT_EQ(none.tracks.back().kind_label, "title");
}

TEST(Agent, Music) {
  Draft d = base_draft();
  say(d, "music at 30%");
  EXPECT_DOUBLE_EQ(d.tracks[1].segments[0].audio.volume, 0.3);
  say(d, "fade out the music");
  EXPECT_EQ(d.tracks[1].segments[0].audio.fade_out_ms, 3000);
  say(d, "no music");
  ASSERT_EQ(d.tracks.size(), 2u);
  AgentReply ask = say(d, "add background music");
  EXPECT_FALSE(ask.changed);
  // The hint is in words the agent's callers (reel chat, the node) take, not a flag of reel make.
  EXPECT_EQ(
      ask.message,
      "Name a music file to add (mp3, wav, m4a, ogg, opus or flac), for example \"add background music song.mp3\".");
  AgentReply added = say(d, "添加背景音乐", {"music/lofi.mp3"});
  ASSERT_EQ(d.tracks.size(), 3u);
  const Segment& m = d.tracks[2].segments[0];
  EXPECT_EQ(m.source, "music/lofi.mp3");
  EXPECT_EQ(m.duration_ms, 20000);
  EXPECT_TRUE(m.audio.loop);
  EXPECT_EQ(added.message, "添加了背景音乐 lofi。时间线：+ 3. BGM: lofi (0-20s, 80%)");
  say(d, "音乐音量30%");
  EXPECT_DOUBLE_EQ(d.tracks[2].segments[0].audio.volume, 0.3);
}

TEST(Agent, Order) {
  Draft d = base_draft();
  say(d, "move photo 3 to the start");
  EXPECT_EQ(sources(d), (std::vector<std::string>{"p3.jpg", "p1.jpg", "p2.jpg", "p4.jpg", "p5.jpg"}));
  say(d, "reverse the order");
  EXPECT_EQ(sources(d), (std::vector<std::string>{"p5.jpg", "p4.jpg", "p2.jpg", "p1.jpg", "p3.jpg"}));
  say(d, "把第2张照片移到结尾");
  EXPECT_EQ(sources(d), (std::vector<std::string>{"p5.jpg", "p2.jpg", "p1.jpg", "p3.jpg", "p4.jpg"}));
  AgentReply r = say(d, "move photo 9 to the start");
  EXPECT_EQ(r.message, "There is no photo 9; the draft has 5.");
  EXPECT_FALSE(r.changed);
  // A length after the photo's number: "make photo 2 4.5 seconds" still names photo 2.
  d = base_draft();
  say(d, "make photo 2 4.5 seconds");
  EXPECT_EQ(d.tracks[0].segments[1].duration_ms, 4500);
  EXPECT_EQ(d.tracks[0].segments[2].duration_ms, 4000);
}

TEST(Agent, ShuffleGivesANewOrderOfTheSamePhotosEachTime) {
  struct Case {
    const char *words, *said;
  };
  for (Case c : {Case{"shuffle the photos", "Shuffled the photos into a new order."},
                 Case{"put them in a random order", "Shuffled the photos into a new order."},
                 Case{"打乱照片顺序", "照片顺序已随机打乱。"}}) {
    const char* words = c.words;
    Draft d = base_draft();
    std::vector<std::string> before = sources(d);
    AgentReply r = say(d, words);
    EXPECT_TRUE(r.changed) << words;
    EXPECT_EQ(r.message, c.said);
    std::vector<std::string> after = sources(d);
    EXPECT_NE(after, before) << words;
    std::vector<std::string> a = after, b = before;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    EXPECT_EQ(a, b) << words;
    say(d, words);
    EXPECT_NE(sources(d), after) << words;
  }
}

TEST(Agent, Styles) {
  Draft d = base_draft();
  AgentReply r = say(d, "turn these photos into a slideshow video with transitions");
  EXPECT_EQ(d.tracks[0].segments[0].duration_ms, 4000);
  EXPECT_EQ(d.tracks[0].segments[1].video.transition->type, TransitionType::Fade);
  EXPECT_EQ(d.tracks[0].segments[1].video.transition->duration_ms, 1000);
  EXPECT_EQ(d.tracks[0].segments[0].video.ken_burns.preset, KenBurnsPreset::Auto);
  say(d, "make it a promo");
  EXPECT_EQ(d.duration_ms(), 12500);
  EXPECT_EQ(d.tracks[0].segments[3].video.transition->type, TransitionType::SlideLeft);
  say(d, "做成集锦");
  EXPECT_EQ(d.tracks[0].segments[0].duration_ms, 2000);
}

TEST(Agent, SeveralThingsAtOnce) {
  Draft d = base_draft();
  AgentReply r = say(d, "make it vertical, 3 seconds per photo and no music");
  EXPECT_EQ(d.canvas.height, 1920);
  EXPECT_EQ(d.tracks[0].segments[0].duration_ms, 3000);
  EXPECT_EQ(d.tracks.size(), 2u);
  EXPECT_TRUE(r.understood);
}

TEST(Agent, WhatItDoesNotUnderstandIsSaidWithWhatItCanDo) {
  Draft d = base_draft();
  Json before = d.json;
  AgentReply r = say(d, "make the sky more purple");
  EXPECT_FALSE(r.understood);
  EXPECT_FALSE(r.changed);
  EXPECT_EQ(d.json, before);
  EXPECT_EQ(
      r.message.rfind(
          "I did not understand \"make the sky more purple\". I can: make it a slideshow, promo or highlight reel;", 0),
      0u)
      << r.message;
  AgentReply zh = say(d, "把天空变成紫色");
  EXPECT_EQ(zh.message.rfind("没听懂“把天空变成紫色”。我能做的：", 0), 0u) << zh.message;
}

TEST(Agent, EditsKeepEverythingElse) {
  Draft d = load_text(R"({"x": {"keep": 1}, "m": {"width": 1920, "height": 1080}, "t": [{"tt": 0, "extra": true, "sg": [
      {"s": 0, "d": 2000, "src": "a.jpg", "m": {"custom": [1, 2]}}, {"s": 2000, "d": 2000, "src": "b.jpg"}]},
      {"tt": 9, "sg": [{"s": 0, "d": 5}]}]})")
                .draft;
  say(d, "use wipe transitions");
  EXPECT_EQ(d.json["x"], Json({{"keep", 1}}));
  EXPECT_EQ(d.json["t"][0]["extra"], true);
  EXPECT_EQ(d.json["t"][0]["sg"][0]["m"]["custom"], Json::array({1, 2}));
  EXPECT_EQ(d.json["t"][1], Json::parse(R"({"tt": 9, "sg": [{"s": 0, "d": 5}]})"));
  EXPECT_EQ(d.json["t"][0]["sg"][1]["m"]["tr"]["type"], "wipeleft");
}

TEST(Agent, EveryKindInChineseToo) {
  Draft d = base_draft();
  say(d, "用滑动转场");
  EXPECT_EQ(d.tracks[0].segments[1].video.transition->type, TransitionType::SlideLeft);
  say(d, "转场快一点");
  EXPECT_EQ(d.tracks[0].segments[1].video.transition->duration_ms, 300);
  say(d, "缓慢推近");
  EXPECT_DOUBLE_EQ(d.tracks[0].segments[0].video.ken_burns.to.zoom, 1.08);
  say(d, "音乐淡出");
  EXPECT_EQ(d.tracks[1].segments[0].audio.fade_out_ms, 3000);
  say(d, "在结尾加上“立即购买”");
  EXPECT_EQ(d.tracks.back().segments[0].text.text, "立即购买");
  EXPECT_EQ(d.tracks.back().segments[0].end_ms(), 20000);
  say(d, "倒序");
  EXPECT_EQ(sources(d).front(), "p5.jpg");
  say(d, "去掉标题");
  for (const auto& t : d.tracks) EXPECT_NE(t.kind_label, "title");
  say(d, "不要音乐");
  for (const auto& t : d.tracks) EXPECT_NE(t.kind, TrackKind::Audio);
  AgentReply r = say(d, "改成宣传片");
  EXPECT_EQ(d.duration_ms(), 12500);
  EXPECT_EQ(r.message.rfind("改成了宣传片（每张 2.5 秒，slideleft 转场）。时间线：", 0), 0u) << r.message;
}

TEST(Agent, AStyleWithATitleGivesBoth) {
  for (const char* words : {"make a slideshow of my photos with a title Holiday", "a slideshow titled 'Holiday'",
                            "make it a slideshow with the title \"Holiday\""}) {
    Draft d = base_draft();
    say(d, "remove the title");
    AgentReply r = say(d, words);
    EXPECT_EQ(d.tracks[0].segments[0].duration_ms, 4000) << words << ": " << r.message;  // the slideshow's
    ASSERT_EQ(d.tracks.size(), 3u) << words << ": " << r.message;
    EXPECT_EQ(d.tracks[2].segments[0].text.text, "Holiday") << words;
    EXPECT_EQ(r.message.find("did not understand"), std::string::npos) << r.message;
  }
  // A title that is itself the subject, or a song's name, is not split off.
  Draft d = base_draft();
  say(d, "change the title to 'Trip with friends'");
  EXPECT_EQ(d.tracks[2].segments[0].text.text, "Trip with friends");
  AgentReply r = say(d, "add the song called intro.mp3", {"intro.mp3"});
  EXPECT_EQ(d.tracks[2].segments[0].text.text, "Trip with friends") << r.message;
}

TEST(Agent, AStyleAndALengthInOneClauseGiveBoth) {
  for (const char* words : {"一个15秒的竖屏宣传片", "a 15 second vertical promo"}) {
    Draft d = base_draft();
    AgentReply r = say(d, words);
    EXPECT_EQ(d.duration_ms(), 15000) << words << ": " << r.message;
    EXPECT_EQ(d.canvas.width, 1080) << words;
    EXPECT_EQ(d.canvas.height, 1920) << words;
    ASSERT_TRUE(d.tracks[0].segments[1].video.transition) << words;
    EXPECT_EQ(d.tracks[0].segments[1].video.transition->type, TransitionType::SlideLeft) << words;  // the promo's
  }
}

// The first words of a chat are read as the brief they often are: the title they give is added.
TEST(Agent, TheFirstWordsAreReadAsABriefTitleIncluded) {
  Draft d = base_draft();
  say(d, "remove the title");
  Draft as_instruction = d;
  say(as_instruction, "a fast vertical promo for our summer sale, 15 seconds, with zoom transitions");
  EXPECT_EQ(as_instruction.tracks.size(), 2u) << "an instruction alone adds no title";
  AgentReply r =
      apply_first_words(d, "a fast vertical promo for our summer sale, 15 seconds, with zoom transitions", {});
  ASSERT_EQ(d.tracks.size(), 3u) << r.message;
  EXPECT_EQ(d.tracks[2].segments[0].text.text, "Summer Sale");
  EXPECT_EQ(d.title, "Summer Sale");
  EXPECT_EQ(d.duration_ms(), 15000);
  EXPECT_EQ(d.canvas.height, 1920);
  ASSERT_TRUE(d.tracks[0].segments[1].video.transition);
  EXPECT_EQ(d.tracks[0].segments[1].video.transition->type, TransitionType::ZoomIn);
  EXPECT_EQ(r.message.find("did not understand"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("added the title \"Summer Sale\""), std::string::npos) << r.message;

  Draft zh = base_draft();
  say(zh, "remove the title");
  apply_first_words(zh, "做一个15秒的竖屏宣传片“夏日特卖”“仅限周六”", {});
  ASSERT_EQ(zh.tracks.size(), 4u);
  EXPECT_EQ(zh.tracks[2].segments[0].text.text, "夏日特卖");
  EXPECT_EQ(zh.tracks[3].segments[0].text.text, "仅限周六");
  EXPECT_EQ(zh.duration_ms(), 15000);

  // A draft that has a title keeps it; an ordinary first edit is an ordinary edit.
  Draft titled = base_draft();
  apply_first_words(titled, "a promo for our summer sale", {});
  EXPECT_EQ(titled.tracks[2].segments[0].text.text, "Trip");
  Draft plain = base_draft(), same = base_draft();
  apply_first_words(plain, "make the title yellow", {});
  say(same, "make the title yellow");
  EXPECT_EQ(plain.json, same.json);
}

TEST(Agent, AMoveForNamedPhotosChangesThoseOnly) {
  struct Case {
    const char* words;
    std::vector<KenBurnsPreset> after;  // the five photos' moves
    const char* said;
  };
  const KenBurnsPreset A = KenBurnsPreset::Auto, N = KenBurnsPreset::None;
  for (Case c :
       {Case{"zoom out on photo 2", {A, KenBurnsPreset::Out, A, A, A}, "Photo 2 now moves: out."},
        Case{"no ken burns on the first photo", {N, A, A, A, A}, "Photo 1 now holds still (no Ken Burns)."},
        Case{"remove the zoom on photo 3", {A, A, N, A, A}, "Photo 3 now holds still (no Ken Burns)."},
        Case{"pan left on photos 4 and 5",
             {A, A, A, KenBurnsPreset::Left, KenBurnsPreset::Left},
             "Photos 4 and 5 now move: left."},
        Case{"第2张照片拉远", {A, KenBurnsPreset::Out, A, A, A}, "第 2 张照片的运动改为 out。"},
        Case{"zoom in on every photo",
             {KenBurnsPreset::In, KenBurnsPreset::In, KenBurnsPreset::In, KenBurnsPreset::In, KenBurnsPreset::In},
             "Every photo now zooms in."}}) {
    Draft d = base_draft();
    say(d, "give every photo a ken burns move");
    AgentReply r = say(d, c.words);
    EXPECT_EQ(r.message, c.said) << c.words;
    std::vector<KenBurnsPreset> moves;
    for (const auto& s : d.tracks[0].segments) moves.push_back(s.video.ken_burns.preset);
    EXPECT_EQ(moves, c.after) << c.words;
    EXPECT_EQ(d.tracks[0].segments.size(), 5u) << c.words;  // no photo removed
  }
  Draft d = base_draft();
  EXPECT_EQ(say(d, "zoom out on photo 7").message, "There is no photo 7; the draft has 5.");
}

TEST(Agent, LengthsAddedTakenOffOrMultiplied) {
  struct Case {
    const char* words;
    std::vector<int64_t> photos;  // each photo's length after
  };
  for (Case c :
       {Case{"add 2 seconds to each photo", {6000, 6000, 6000, 6000, 6000}},
        Case{"make each photo 1 second shorter", {3000, 3000, 3000, 3000, 3000}},
        Case{"make the first photo 2 seconds longer", {6000, 4000, 4000, 4000, 4000}},
        Case{"add a second to photo 3", {4000, 4000, 5000, 4000, 4000}},
        Case{"make photo 2 half a second shorter", {4000, 3500, 4000, 4000, 4000}},
        Case{"make the second photo 2 seconds", {4000, 2000, 4000, 4000, 4000}},
        Case{"make it half as long", {2000, 2000, 2000, 2000, 2000}},
        Case{"make it twice as long", {8000, 8000, 8000, 8000, 8000}},
        Case{"make it 10 seconds shorter", {2000, 2000, 2000, 2000, 2000}},
        Case{"make it 5 seconds longer", {5000, 5000, 5000, 5000, 5000}},
        Case{"每张照片加2秒", {6000, 6000, 6000, 6000, 6000}}, Case{"每张照片减1秒", {3000, 3000, 3000, 3000, 3000}},
        Case{"每张照片加到5秒", {5000, 5000, 5000, 5000, 5000}},
        Case{"视频加长10秒", {6000, 6000, 6000, 6000, 6000}}}) {
    Draft d = base_draft();
    say(d, c.words);
    std::vector<int64_t> lengths;
    for (const auto& s : d.tracks[0].segments) lengths.push_back(s.duration_ms);
    EXPECT_EQ(lengths, c.photos) << c.words;
  }
  Draft d = base_draft();
  EXPECT_EQ(say(d, "add 2 seconds to each photo").message.substr(0, 45),
            "Every photo now shows 2 s longer (at least ha");
}

TEST(Agent, TransitionLengthsKeepTheirKindAndALongLengthIsTheVideos) {
  Draft d = base_draft();
  say(d, "use wipe transitions");
  AgentReply r = say(d, "make the transitions 1 second");
  EXPECT_EQ(r.message, "Every transition now lasts 1 s.");
  for (size_t i = 1; i < 5; ++i) {
    EXPECT_EQ(d.tracks[0].segments[i].video.transition->type, TransitionType::WipeLeft);
    EXPECT_EQ(d.tracks[0].segments[i].video.transition->duration_ms, 1000);
  }
  r = say(d, "1.5 second fades");
  EXPECT_EQ(r.message, "Every cut now has a fade transition of 1.5 s.");
  EXPECT_EQ(d.tracks[0].segments[2].video.transition->type, TransitionType::Fade);
  EXPECT_EQ(d.tracks[0].segments[2].video.transition->duration_ms, 1500);
  r = say(d, "make it 15 seconds with fades");
  EXPECT_EQ(d.duration_ms(), 15000) << r.message;
  EXPECT_EQ(d.tracks[0].segments[2].video.transition->type, TransitionType::Fade) << r.message;
}

TEST(Agent, TheVideoFadesFromAndToBlackAtItsEnds) {
  Draft d = base_draft();
  EXPECT_EQ(say(d, "fade to black at the end").message, "The video now fades out to black (1 s).");
  EXPECT_EQ(say(d, "fade out to black").message, "The video already fades out to black (1 s).");
  EXPECT_EQ(end_fades(d).out_ms, 1000);
  EXPECT_EQ(end_fades(d).in_ms, 0);
  EXPECT_EQ(say(d, "fade in from black over 2 seconds").message, "The video now fades in from black (2 s).");
  EXPECT_EQ(end_fades(d).in_ms, 2000);
  EXPECT_EQ(say(d, "no fade at the end").message, "The video no longer fades out to black.");
  EXPECT_EQ(end_fades(d).out_ms, 0);
  EXPECT_EQ(end_fades(d).in_ms, 2000);
  // Fades between the photos stay transitions; the music's fades the music's.
  say(d, "use fade transitions between the photos");
  EXPECT_EQ(end_fades(d).out_ms, 0);
  say(d, "fade out the music at the end");
  EXPECT_EQ(end_fades(d).out_ms, 0);
  EXPECT_EQ(say(d, "结尾淡出").message, "视频现在淡出到黑场（1 秒）。");
}

TEST(Agent, AllTheTextChangesLookOrGoesAndAQuotedOneGoesByItsWords) {
  Draft d = base_draft();
  say(d, "add text 'The End' at the end");
  AgentReply r = say(d, "make the text yellow");
  EXPECT_EQ(r.message, "All the text is now yellow.");
  for (const auto& t : d.tracks)
    if (t.kind == TrackKind::Text)
      for (const auto& s : t.segments) EXPECT_EQ(s.text.style.color, (Color{255, 212, 0, 255})) << s.text.text;
  EXPECT_EQ(say(d, "move the words to the top").message, "All the text is now at the top.");
  EXPECT_EQ(say(d, "remove the text 'the end'").message, "Removed \"the end\". Timeline: − Text: \"The End\" (17-20s)");
  EXPECT_EQ(say(d, "remove the text 'Nope'").message, "No text reads \"Nope\".");
  EXPECT_EQ(say(d, "remove the captions").message, "There was no captions to remove.");
  EXPECT_EQ(say(d, "remove the text").message, "Removed the text (1 track). Timeline: − Title: \"Trip\" (0-3s)");
  for (const auto& t : d.tracks) EXPECT_NE(t.kind, TrackKind::Text);
}

TEST(Agent, TheCanvasSizeAndFrameRateKeepTheShape) {
  Draft d = base_draft();
  EXPECT_EQ(say(d, "make it 4k").message, "The video is now 3840x2160. Timeline: canvas 1920x1080 → 3840x2160");
  EXPECT_EQ(say(d, "make it 60fps").message, "The video now plays at 60 fps.");
  EXPECT_EQ(d.canvas.fps.value(), 60);
  say(d, "make it vertical in 720p at 24 fps");
  EXPECT_EQ(d.canvas.width, 720);
  EXPECT_EQ(d.canvas.height, 1280);
  EXPECT_EQ(d.canvas.fps.value(), 24);
  EXPECT_EQ(say(d, "make it 500 fps").message, "A frame rate is 1 to 240 fps (24, 25, 30 and 60 are usual).");
  EXPECT_EQ(say(d, "29.97 fps").message, "The video now plays at 29.97 fps.");
  say(d, "第3张照片的每一帧都缩小");                        // a 3 that is no frame rate
  EXPECT_NEAR(d.canvas.fps.value(), 30000.0 / 1001, 1e-9);  // 29.97 is the NTSC rate
}

TEST(Agent, AScaledTimelineKeepsItsPhotosEndToEndThroughALaterReorder) {
  Draft d = base_draft();
  say(d, "make it 11.251 seconds");  // 4 s photos become 2250.2 ms: starts and ends rounded alike
  say(d, "shuffle the photos");
  EXPECT_EQ(d.duration_ms(), 11251);
  auto order = d.tracks[0].segments;
  std::sort(order.begin(), order.end(), [](const Segment& a, const Segment& b) { return a.start_ms < b.start_ms; });
  for (size_t i = 1; i < order.size(); ++i) EXPECT_EQ(order[i].start_ms, order[i - 1].end_ms()) << i;
  EXPECT_EQ(order.back().end_ms(), 11251);
}

TEST(Agent, TheTitlesTimeAndAnimationAreNeverReadAsItsWords) {
  Draft d = base_draft();  // the title "Trip", 0-3 s
  EXPECT_EQ(say(d, "make the title last 5 seconds").message,
            "The title now shows for 5 s. Timeline: 3. Title: \"Trip\" (0-3s → 0-5s)");
  EXPECT_EQ(say(d, "show the title for longer").message,
            "The title now shows for 7.5 s. Timeline: 3. Title: \"Trip\" (0-5s → 0-7.5s)");
  EXPECT_EQ(say(d, "make the title pop in").message, "The title now comes in with pop.");
  EXPECT_EQ(say(d, "make the title fade out").message, "The title now fades out.");
  for (const auto& t : d.tracks)
    if (t.kind == TrackKind::Text) {
      EXPECT_EQ(t.segments[0].text.text, "Trip");
      EXPECT_EQ(t.segments[0].text.anim.in, TextAnimIn::Pop);
      EXPECT_EQ(t.segments[0].text.anim.out, TextAnimOut::Fade);
    }
  // Its words change where words are given.
  EXPECT_EQ(say(d, "change the title to 5 Seconds of Summer").message.substr(0, 46),
            "The title now reads \"5 Seconds of Summer\". Tim");
  // A look word after "and" is the title's too.
  EXPECT_EQ(say(d, "make the title smaller and yellow").message, "The title is now yellow, the title is smaller.");
  EXPECT_EQ(say(d, "the title is too small").message, "The title is bigger.");
  EXPECT_EQ(say(d, "make the title fade in").message, "The title now fades in.");
}

TEST(Agent, FitBackgroundAndALoneLouder) {
  Draft d = base_draft();
  EXPECT_EQ(say(d, "don't crop the photos").message, "Every photo is now shown whole (fit: contain).");
  for (const auto& s : d.tracks[0].segments) EXPECT_EQ(s.video.fit, Fit::Contain);
  EXPECT_EQ(say(d, "fill the frame with photo 2").message, "Photo 2 is now filling the frame (fit: cover).");
  EXPECT_EQ(d.tracks[0].segments[1].video.fit, Fit::Cover);
  EXPECT_EQ(d.tracks[0].segments[0].video.fit, Fit::Contain);
  EXPECT_EQ(say(d, "use a blurred background").message,
            "Every photo is now shown whole over a blurred copy (fit: blur).");
  EXPECT_EQ(say(d, "make the background white").message, "The background is now white.");
  EXPECT_EQ(d.canvas.background, (Color{255, 255, 255, 255}));
  AgentReply r = say(d, "louder");
  EXPECT_EQ(r.message, "Made the music louder. Timeline: 2. BGM: Song (0-20s, 35% → 0-20s, 52%)");
}

TEST(Agent, APhotoIsDuplicatedAfterItselfAndPutFirstOrLastByWordAtTheEnd) {
  Draft d = base_draft();
  AgentReply r = say(d, "duplicate the first photo");
  EXPECT_EQ(r.message,
            "Duplicated photo 1 (p1): the copy follows it. Timeline: 1. Video: trip (0-20s → 0-24s); 2. BGM: Song "
            "(0-20s, 35% → 0-24s, 35%)");
  EXPECT_EQ(sources(d), (std::vector<std::string>{"p1.jpg", "p1.jpg", "p2.jpg", "p3.jpg", "p4.jpg", "p5.jpg"}));
  // The first cut (into the copy) is the fade that led to p2; the title stays over photo 1.
  auto order = d.tracks[0].segments;
  std::sort(order.begin(), order.end(), [](const Segment& a, const Segment& b) { return a.start_ms < b.start_ms; });
  EXPECT_FALSE(order[0].video.transition.has_value());
  ASSERT_TRUE(order[1].video.transition.has_value());
  EXPECT_EQ(order[1].video.transition->duration_ms, 600);
  EXPECT_EQ(d.tracks[2].segments[0].end_ms(), 3000);
  d = base_draft();
  say(d, "put photo 3 first");
  EXPECT_EQ(sources(d), (std::vector<std::string>{"p3.jpg", "p1.jpg", "p2.jpg", "p4.jpg", "p5.jpg"}));
  say(d, "make photo 2 the last one");
  EXPECT_EQ(sources(d), (std::vector<std::string>{"p3.jpg", "p2.jpg", "p4.jpg", "p5.jpg", "p1.jpg"}));
}

TEST(Agent, SeveralNamedPhotosAreEachRemovedOrMoved) {
  Draft d = base_draft();
  AgentReply r = say(d, "remove photos 2 and 3");
  EXPECT_EQ(r.message.substr(0, 35), "Removed photos 2 and 3 (p2, p3). Ti");
  EXPECT_EQ(sources(d), (std::vector<std::string>{"p1.jpg", "p4.jpg", "p5.jpg"}));
  EXPECT_EQ(d.duration_ms(), 12000);
  EXPECT_EQ(say(d, "remove photos 1, 2 and 3").message, "That is every photo; a video needs at least one.");
  for (const char* words : {"remove the second and third photos", "delete photo 2, photo 3"}) {
    Draft e = base_draft();
    say(e, words);
    EXPECT_EQ(sources(e), (std::vector<std::string>{"p1.jpg", "p4.jpg", "p5.jpg"})) << words;
  }
  d = base_draft();
  EXPECT_EQ(say(d, "make the last 2 photos zoom out").message, "Photos 4 and 5 now move: out.");
  EXPECT_EQ(say(d, "no ken burns on the first three photos").message.substr(0, 32), "Photos 1, 2 and 3 now hold still");
  std::vector<KenBurnsPreset> moves;
  for (const auto& s : d.tracks[0].segments) moves.push_back(s.video.ken_burns.preset);
  EXPECT_EQ(moves, (std::vector<KenBurnsPreset>{KenBurnsPreset::None, KenBurnsPreset::None, KenBurnsPreset::None,
                                                KenBurnsPreset::Out, KenBurnsPreset::Out}));
}
