// The routing table of nemo-protocol.md, in English and Chinese, and the GUI words.
#include "cli/chat_router.h"

#include <gtest/gtest.h>

using namespace reel::cli;

TEST(ChatRoute, EachWordGoesWhereTheProtocolSays) {
  struct Case {
    const char* line;
    ChatRoute route;
  };
  for (Case c :
       {Case{"export", ChatRoute::Export}, Case{"导出", ChatRoute::Export},
        Case{"download it please", ChatRoute::Export}, Case{"send me the video", ChatRoute::Export},
        Case{"credits", ChatRoute::Credits}, Case{"积分", ChatRoute::Credits},
        Case{"what's my balance?", ChatRoute::Credits}, Case{"余额", ChatRoute::Credits},
        Case{"status", ChatRoute::State}, Case{"状态", ChatRoute::State}, Case{"show tracks", ChatRoute::State},
        Case{"upload beach.jpg", ChatRoute::Upload}, Case{"上传", ChatRoute::Upload},
        Case{"a.jpg b.jpg", ChatRoute::Upload}, Case{"preview", ChatRoute::Preview}, Case{"预览", ChatRoute::Preview},
        Case{"quit", ChatRoute::Quit}, Case{"退出", ChatRoute::Quit}, Case{"help", ChatRoute::Help},
        Case{"turn these photos into a slideshow video with transitions and background music", ChatRoute::Agent},
        Case{"添加背景音乐", ChatRoute::Agent}, Case{"make the exporter faster", ChatRoute::Agent},
        Case{"use beach.jpg as the first photo", ChatRoute::Agent},
        // A Chinese line that names a file is an instruction, not an upload.
        Case{"加背景音乐 ../beat120.mp3", ChatRoute::Agent}, Case{"背景音乐换成 x.mp3", ChatRoute::Agent},
        Case{"a.jpg and b.mp3", ChatRoute::Upload},
        // There is no panel: "open the export panel" shows the state and exports nothing.
        Case{"open the export panel", ChatRoute::State}, Case{"打开导出面板", ChatRoute::State}}) {
    EXPECT_EQ(to_string(route_line(c.line).route), std::string(to_string(c.route))) << c.line;
  }
  EXPECT_EQ(route_line("upload photos/a.jpg, music/b.mp3").files,
            (std::vector<std::string>{"photos/a.jpg", "music/b.mp3"}));
  EXPECT_EQ(route_line("use \"song.mp3\" as the music").files, (std::vector<std::string>{"song.mp3"}));
}

TEST(ChatRoute, GuiWordsBecomeWhatTheProtocolSays) {
  EXPECT_EQ(gui_action("Done! Click the Export button to download your video."), GuiAction::Export);
  EXPECT_EQ(gui_action("Open the Effects panel to see the filters."), GuiAction::ReadState);
  EXPECT_EQ(gui_action("Open the Export panel to download it."), GuiAction::ReadState);
  EXPECT_EQ(gui_action("You can preview in timeline before exporting."), GuiAction::ShowTimeline);
  EXPECT_EQ(gui_action("Drag the clip to reorder it."), GuiAction::SendAsEdit);
  EXPECT_EQ(gui_action("Click [Add music] to choose a song."), GuiAction::SendAsEdit);
  EXPECT_EQ(gui_action("I added a fade between the photos."), GuiAction::None);
}
