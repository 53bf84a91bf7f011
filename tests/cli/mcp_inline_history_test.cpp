#include <gtest/gtest.h>

#include "cli/mcp/inline_history.h"

using namespace reel;
using draft::HistoryStep;
using reel::cli::mcp::InlineHistories;

TEST(McpInlineHistory, UndoAndRedoFollowAChainOfEditsByTheDraftsTheyReturned) {
  InlineHistories h;
  h.record("A", "B");
  h.record("B", "C");
  EXPECT_EQ(h.depth("C"), std::make_pair(size_t(2), size_t(0)));
  EXPECT_FALSE(h.step("B", HistoryStep::Undo)) << "B is not where the chain is";
  EXPECT_EQ(h.step("C", HistoryStep::Undo).value_or(""), "B");
  EXPECT_EQ(h.step("B", HistoryStep::Redo).value_or(""), "C");
  EXPECT_EQ(h.step("C", HistoryStep::Undo).value_or(""), "B");
  EXPECT_EQ(h.step("B", HistoryStep::Undo).value_or(""), "A");
  EXPECT_FALSE(h.step("A", HistoryStep::Undo));
  // An edit after an undo forgets what was undone, as a file's history does.
  h.record("A", "D");
  EXPECT_FALSE(h.step("D", HistoryStep::Redo));
  EXPECT_EQ(h.step("D", HistoryStep::Undo).value_or(""), "A");
  EXPECT_FALSE(h.step("never returned", HistoryStep::Undo));
}

TEST(McpInlineHistory, KeepsAtMostItsChainsAndBytesTheLeastRecentlyUsedGoingFirst) {
  InlineHistories h(2, 1000);
  h.record("a1", "a2");
  h.record("b1", "b2");
  EXPECT_TRUE(h.step("a2", HistoryStep::Undo));  // a is now the most recently used
  h.record("a1", "a3");                          // and stays so
  h.record("c1", "c2");                          // b goes
  EXPECT_FALSE(h.step("b2", HistoryStep::Undo));
  EXPECT_EQ(h.step("a3", HistoryStep::Undo).value_or(""), "a1");
  EXPECT_EQ(h.step("c2", HistoryStep::Undo).value_or(""), "c1");

  InlineHistories small(4, 25);
  const std::string ten(10, 'x');
  small.record(ten + "1", ten + "2");
  small.record(ten + "2", ten + "3");
  small.record(ten + "3", ten + "4");  // 33 bytes of history: the oldest state goes
  EXPECT_EQ(small.depth(ten + "4").first, 2u);
  EXPECT_EQ(small.step(ten + "4", HistoryStep::Undo).value_or(""), ten + "3");
  EXPECT_EQ(small.step(ten + "3", HistoryStep::Undo).value_or(""), ten + "2");
  EXPECT_FALSE(small.step(ten + "2", HistoryStep::Undo));
}
