// The node's agent (POST /run_sse on the render node): edits land in the session's state while
// the text streams and the tool calls show, words it does not understand get what it can do,
// and with no-text turns an editing turn ends silently. Real HTTP on 127.0.0.1.
#include <gtest/gtest.h>

#include "cloud/client/client.h"
#include "draft/agent.h"
#include "draft/model.h"
#include "draft/summary.h"
#include "tests/cloud/support/node_fixture.h"
#include "tests/cloud/support/test_util.h"

using namespace reel;
using namespace reel::cloud;
using namespace reel::cloud::testing;

namespace {

struct NodeAgent : NodeFixture {
  void SetUp() override {}  // each test starts the node with its own agent setting
  void start_with(NoTextTurns mode) {
    auto o = node_options();
    o.no_text_turns = mode;
    o.agent_pause_ms = 5;
    start(o);
  }
  void upload_photos(Client& c) {
    std::vector<std::string> files;
    for (const char* n : {"a.jpg", "b.jpg", "c.jpg"}) {
      write_bytes(dir.file("project/") + n, media_bytes(n, 2000, n[0]));
      files.push_back(dir.file("project/") + n);
    }
    c.upload_files(files);
  }
  draft::Draft state_draft(Client& c) { return draft::load_draft(c.state()["state"]["draft"]).draft; }
};

}  // namespace

TEST_F(NodeAgent, EditsLandInTheSessionStateWhileTextStreamsAndToolsShow) {
  start_with(NoTextTurns::Never);
  Client c(client_options());
  upload_photos(c);
  Seen seen;
  AgentTurn turn = c.send_message("turn these photos into a slideshow with transitions", seen.callbacks());
  EXPECT_GT(seen.texts.size(), 1u) << "the reply comes in chunks";
  EXPECT_NE(turn.text.find("slideshow"), std::string::npos) << turn.text;
  EXPECT_EQ(seen.tools, (std::vector<std::string>{"edit_multitrack called", "edit_multitrack done"}));
  draft::Draft d = state_draft(c);
  ASSERT_TRUE(d.exportable());
  EXPECT_EQ(d.tracks[0].segments.size(), 3u);
  EXPECT_EQ(d.tracks[0].segments[0].source.rfind(node->base_url() + "/files/", 0), 0u);

  Seen second;
  turn = c.send_message("make it vertical", second.callbacks());
  EXPECT_NE(turn.text.find("9:16"), std::string::npos) << turn.text;
  draft::Draft v = state_draft(c);
  EXPECT_EQ(v.canvas.width, 1080);
  EXPECT_EQ(v.canvas.height, 1920);
  EXPECT_EQ(v.tracks[0].segments.size(), 3u);

  // An uploaded file the words name goes in by its sandbox path, named as the person named it.
  write_bytes(dir.file("project/song.mp3"), media_bytes("project/song.mp3", 3000, 7));
  c.upload_files({dir.file("project/song.mp3")});
  turn = c.send_message("add background music song.mp3", {});
  EXPECT_NE(turn.text.find("BGM: song"), std::string::npos) << turn.text;
  draft::Draft m = state_draft(c);
  ASSERT_EQ(m.tracks.size(), 2u);
  EXPECT_EQ(m.tracks[1].segments.at(0).source, "/mnt/userdata/" + c.session().session_id + "/song.mp3");
}

TEST_F(NodeAgent, ATurnItDoesNotUnderstandSaysWhatItCanDoAndChangesNothing) {
  start_with(NoTextTurns::Always);
  Client c(client_options());
  upload_photos(c);
  c.send_message("make a slideshow", {});
  Json before = c.state()["state"]["draft"];
  Seen seen;
  AgentTurn turn = c.send_message("frobnicate the glorp", seen.callbacks());
  EXPECT_NE(turn.text.find("I can:"), std::string::npos) << "a turn without an edit always has text";
  EXPECT_TRUE(seen.tools.empty());
  EXPECT_EQ(c.state()["state"]["draft"], before);
}

TEST_F(NodeAgent, WithNoTextTurnsAlwaysAnEditingTurnEndsSilentlyAndTheStateSaysWhatChanged) {
  start_with(NoTextTurns::Always);
  Client c(client_options());
  upload_photos(c);
  c.send_message("make a slideshow", {});
  draft::Draft before = state_draft(c);
  Seen seen;
  AgentTurn turn = c.send_message("make it square", seen.callbacks());
  EXPECT_FALSE(turn.has_text());
  EXPECT_EQ(turn.tool_calls, 1);
  EXPECT_GE(turn.keep_alives, 2);
  EXPECT_NE(draft::summary_diff(before, state_draft(c)).find("canvas 1920x1080 → 1080x1080"), std::string::npos);
}

TEST_F(NodeAgent, ByDefaultEveryTurnAnswersWithTextAtOnce) {
  EXPECT_EQ(NodeOptions{}.no_text_turns, NoTextTurns::Never);
  EXPECT_EQ(NodeOptions{}.agent_pause_ms, 0);
  start(node_options());  // the defaults: no silent turns, no pause between events
  Client c(client_options());
  upload_photos(c);
  for (const char* words : {"make a slideshow", "make it square", "make it vertical", "make it faster"}) {
    AgentTurn turn = c.send_message(words, {});
    EXPECT_TRUE(turn.has_text()) << words;
    EXPECT_EQ(turn.tool_calls, 1) << words << ": an editing turn";
  }
}

TEST_F(NodeAgent, UndoAndRedoGiveTheSessionsDraftBackExactly) {
  start_with(NoTextTurns::Never);
  Client c(client_options());
  upload_photos(c);
  Seen s0;
  c.send_message("make a slideshow", s0.callbacks());
  const std::string made = c.state()["state"]["draft"].dump();
  std::vector<std::string> states{made};
  for (const char* words : {"make it vertical", "use wipe transitions", "reverse the order", "撤销", "重做"}) {
    Seen seen;
    AgentTurn turn = c.send_message(words, seen.callbacks());
    std::string now = c.state()["state"]["draft"].dump();
    if (std::string(words) == "撤销") {
      EXPECT_EQ(turn.text.rfind("Undone (3 more to undo, 1 to redo).", 0), 0u) << turn.text;
      EXPECT_EQ(now, states[states.size() - 2]) << "byte for byte the draft before the last edit";
    } else if (std::string(words) == "重做") {
      EXPECT_EQ(turn.text.rfind("Redone", 0), 0u) << turn.text;
      EXPECT_EQ(now, states.back());
    } else {
      states.push_back(now);
    }
  }
  for (int i = 0; i < 4; ++i) {
    Seen seen;
    c.send_message("undo", seen.callbacks());
  }
  EXPECT_TRUE(c.state()["state"]["draft"].is_null()) << "back to before the first draft";
  Seen last;
  EXPECT_EQ(c.send_message("undo", last.callbacks()).text, "Nothing to undo.");
}

TEST_F(NodeAgent, TheFirstWordsOfASessionAreReadAsAPromptWhenTheDraftIsMade) {
  start_with(NoTextTurns::Never);
  Client c(client_options());
  upload_photos(c);
  Seen seen;
  AgentTurn turn =
      c.send_message("a fast vertical promo for our summer sale, 15 seconds, with zoom transitions", seen.callbacks());
  EXPECT_EQ(turn.text.rfind("Made a promo from the session's uploaded photos and clips (style: promo; shape: 9:16; "
                            "length: 15 s; pace: fast; transitions: zoomin; title: \"Summer Sale\"",
                            0),
            0u)
      << turn.text;
  Json d = c.state()["state"]["draft"];
  EXPECT_EQ(d["m"]["width"], 1080);
  EXPECT_EQ(d["m"]["height"], 1920);
  EXPECT_EQ(d["d"], 15000);
  EXPECT_EQ(d["t"][0]["sg"][1]["m"]["tr"]["type"], "zoomin");
  EXPECT_EQ(d["t"][1]["sg"][0]["m"]["text"], "Summer Sale");
}
