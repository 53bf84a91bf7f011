// Undo and redo: the draft's bytes come back exactly, over many edits, within the bound.
#include "draft/history.h"

#include <gtest/gtest.h>

#include "draft/agent.h"
#include "draft/parse.h"
#include "draft_test_util.h"

using namespace reel;
using namespace reel::draft;
using namespace reel::draft::test;

TEST(History, TwentyEditsUndoneAndRedoneGiveBackEveryDraftByteForByte) {
  Draft d = load_text(R"({"m": {"title": "Trip", "width": 1920, "height": 1080}, "x-keep": [1.0, 2], "t": [
    {"tt": 0, "sg": [{"s": 0, "d": 4000, "src": "a.jpg"}, {"s": 4000, "d": 4000, "src": "b.jpg"},
                     {"s": 8000, "d": 4000, "src": "c.jpg"}, {"s": 12000, "d": 4000, "src": "d.jpg"}]},
    {"tt": 7, "m": {"kind": "title"}, "sg": [{"s": 0, "d": 3000, "m": {"text": "Trip"}}]}]})")
                .draft;
  const char* edits[] = {"make it vertical",
                         "use slide transitions",
                         "make the title bigger",
                         "slower",
                         "swap photo 1 and photo 3",
                         "make it square",
                         "remove the second photo",
                         "3 seconds per photo",
                         "标题改成黄色",
                         "倒序",
                         "make photo 2 longer",
                         "no transitions",
                         "改成竖屏",
                         "put 'The end' at the end",
                         "faster",
                         "move the title to the bottom",
                         "zoom in slowly",
                         "make it 20 seconds",
                         "加转场",
                         "把第一张照片移到最后"};
  DraftHistory h;
  std::vector<std::string> states{write_json(d.json, true)};
  for (const char* words : edits) {
    std::string before = write_json(d.json, true);
    AgentReply r = apply_instruction(d, words);
    ASSERT_TRUE(r.changed) << words;
    h.record(before);
    states.push_back(write_json(d.json, true));
  }
  ASSERT_EQ(h.undo.size(), 20u);
  std::string current = states.back();
  for (size_t i = states.size() - 1; i > 0; --i) {
    auto back = h.step_back(current);
    ASSERT_TRUE(back) << i;
    EXPECT_EQ(*back, states[i - 1]) << "undo " << states.size() - i;
    current = *back;
  }
  EXPECT_FALSE(h.step_back(current)) << "nothing before the first";
  for (size_t i = 1; i < states.size(); ++i) {
    auto forward = h.step_forward(current);
    ASSERT_TRUE(forward) << i;
    EXPECT_EQ(*forward, states[i]) << "redo " << i;
    current = *forward;
  }
  EXPECT_FALSE(h.step_forward(current));
  // The history survives its own JSON form exactly.
  DraftHistory again = DraftHistory::from_json(parse_json(h.to_json().dump(), "history"));
  EXPECT_EQ(again.undo, h.undo);
  EXPECT_EQ(again.redo, h.redo);
}

TEST(History, ANewEditForgetsWhatWasUndoneAndTheOldestGoesPastTheBound) {
  DraftHistory h;
  h.limit = 3;
  for (std::string s : {"a", "b", "c", "d"}) h.record(s);
  EXPECT_EQ(h.undo, (std::vector<std::string>{"b", "c", "d"}));
  EXPECT_EQ(*h.step_back("e"), "d");
  EXPECT_EQ(h.redo, (std::vector<std::string>{"e"}));
  h.record("d2");
  EXPECT_TRUE(h.redo.empty());
}

TEST(History, UndoAndRedoWordsInBothLanguages) {
  for (const char* w : {"undo", "Undo that", "please undo", "撤销", "撤回上一步"})
    EXPECT_EQ(history_step_in(w), HistoryStep::Undo) << w;
  for (const char* w : {"redo", "Redo", "重做"}) EXPECT_EQ(history_step_in(w), HistoryStep::Redo) << w;
  for (const char* w : {"make it vertical", "undone photos", "重新开始"})
    EXPECT_EQ(history_step_in(w), HistoryStep::None) << w;
}
