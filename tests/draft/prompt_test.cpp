// `reel make --prompt`: each kind of choice read from a sentence, in English and Chinese.
#include "draft/prompt.h"

#include <gtest/gtest.h>

using namespace reel;
using namespace reel::draft;

TEST(Prompt, TheSummerSaleSentenceGivesEveryChoice) {
  PromptReading r = read_prompt("a fast vertical promo for our summer sale, 15 seconds, with zoom transitions");
  EXPECT_EQ(r.style, Style::Promo);
  EXPECT_EQ(r.aspect, "9:16");
  EXPECT_EQ(r.duration_ms, 15000);
  EXPECT_EQ(r.pace, 0.6);
  EXPECT_EQ(r.transition, TransitionType::ZoomIn);
  EXPECT_EQ(r.title, "Summer Sale");
  EXPECT_TRUE(r.not_understood.empty());
  EXPECT_EQ(r.understood,
            (std::vector<std::string>{"style: promo", "shape: 9:16", "length: 15 s", "pace: fast",
                                      "transitions: zoomin", "title: \"Summer Sale\" (from \"for our summer sale\")"}));
}

TEST(Prompt, PlatformsGiveTheirShape) {
  struct Case {
    const char* words;
    const char* aspect;
  };
  for (Case c : {Case{"for TikTok", "9:16"}, Case{"Instagram Reels", "9:16"}, Case{"YouTube Shorts", "9:16"},
                 Case{"an Instagram post", "4:5"}, Case{"for YouTube", "16:9"}, Case{"做一个抖音视频", "9:16"},
                 Case{"横屏", "16:9"}, Case{"square", "1:1"}}) {
    PromptReading r = read_prompt(c.words);
    EXPECT_EQ(r.aspect, std::optional<std::string>(c.aspect)) << c.words;
  }
  EXPECT_EQ(read_prompt("for TikTok").platform, "TikTok");
}

TEST(Prompt, LengthsInBothLanguages) {
  EXPECT_EQ(read_prompt("30s").duration_ms, 30000);
  EXPECT_EQ(read_prompt("one minute").duration_ms, 60000);
  EXPECT_EQ(read_prompt("1.5 min").duration_ms, 90000);
  EXPECT_EQ(read_prompt("十五秒").duration_ms, 15000);
  EXPECT_EQ(read_prompt("半分钟").duration_ms, 30000);
  EXPECT_EQ(read_prompt("二十秒的视频").duration_ms, 20000);
}

TEST(Prompt, QuotedTextsAreTheTitleAndTheTagline) {
  PromptReading r = read_prompt("promo, \"Summer Sale\", \"30% off everything\", \"extra\"");
  EXPECT_EQ(r.title, "Summer Sale");
  EXPECT_EQ(r.tagline, "30% off everything");
  ASSERT_EQ(r.not_understood.size(), 1u);
  EXPECT_EQ(r.not_understood[0], "\"extra\" (only a title and a tagline are used)");
  PromptReading zh = read_prompt("做一个15秒的宣传片，标题“夏季大促”，口号“全场五折”，滑动转场");
  EXPECT_EQ(zh.title, "夏季大促");
  EXPECT_EQ(zh.tagline, "全场五折");
  EXPECT_EQ(zh.style, Style::Promo);
  EXPECT_EQ(zh.duration_ms, 15000);
  EXPECT_EQ(zh.transition, TransitionType::SlideLeft);
  EXPECT_TRUE(zh.not_understood.empty()) << zh.not_understood.front();
}

TEST(Prompt, ATitleNamedInWordsIsTheTitle) {
  for (const char* words : {"make a slideshow of my photos with a title Holiday in Rome",
                            "a slideshow titled Holiday in Rome", "a video called Holiday in Rome"}) {
    PromptReading r = read_prompt(words);
    EXPECT_EQ(r.title, "Holiday in Rome") << words;
    EXPECT_NE(std::find(r.understood.begin(), r.understood.end(), "title: \"Holiday in Rome\""), r.understood.end())
        << words;
    EXPECT_TRUE(r.not_understood.empty()) << words << ": " << r.not_understood.front();
  }
  EXPECT_EQ(read_prompt("a slideshow with the song called intro").title, "");
}

TEST(Prompt, StylePaceTransitionsAndMood) {
  EXPECT_EQ(read_prompt("a calm slideshow of our trip").style, Style::Slideshow);
  EXPECT_EQ(read_prompt("a calm slideshow of our trip").pace, 1.5);
  EXPECT_EQ(read_prompt("a calm slideshow of our trip").mood, MusicMood::Calm);
  EXPECT_EQ(read_prompt("高光集锦，快节奏").style, Style::Highlight);
  EXPECT_EQ(read_prompt("高光集锦，快节奏").pace, 0.6);
  EXPECT_EQ(read_prompt("no transitions, hard cuts").transition, TransitionType::None);
  EXPECT_EQ(read_prompt("with wipe transitions").transition, TransitionType::WipeLeft);
  EXPECT_EQ(read_prompt("欢快的音乐").mood, MusicMood::Upbeat);
  EXPECT_EQ(read_prompt("upbeat party video").mood, MusicMood::Upbeat);
}

TEST(Prompt, WhatIsNotUnderstoodIsKept) {
  PromptReading r = read_prompt("vertical, with purple unicorns");
  EXPECT_EQ(r.aspect, "9:16");
  EXPECT_EQ(r.not_understood, (std::vector<std::string>{"purple unicorns"}));
}

TEST(Prompt, MoodWordsPickAmongTheSongs) {
  std::vector<SongChoice> songs = {{"music/slow-piano.mp3", 70}, {"music/dance.mp3", 128}, {"music/mid.mp3", 100}};
  EXPECT_EQ(pick_song(songs, "an upbeat promo", read_prompt("an upbeat promo")), 1u);
  EXPECT_EQ(pick_song(songs, "something calm", read_prompt("something calm")), 0u);
  EXPECT_EQ(pick_song(songs, "use mid please", read_prompt("use mid please")), 2u) << "a song named wins";
  EXPECT_EQ(pick_song(songs, "vertical", read_prompt("vertical")), 0u);
}
