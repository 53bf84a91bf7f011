#pragma once
// `reel chat`: where a line the person typed goes (nemo-protocol.md, "Routing of a person's
// words"), and what the backend's GUI words ask for. Pure functions of text.
#include <optional>
#include <string>
#include <vector>

namespace reel::cli {

enum class ChatRoute { Export, Credits, State, Upload, Preview, Help, Quit, Agent };

const char* to_string(ChatRoute r);

struct RoutedLine {
  ChatRoute route = ChatRoute::Agent;
  std::vector<std::string> files;  // words that name media files ("photos/a.jpg")
};

/// export / 导出 / download / "send me the video" -> Export; credits / 积分 / balance / 余额 ->
/// Credits; status / 状态 / "show tracks" / "open the ... panel" -> State; upload / 上传 / a line
/// of nothing but file names -> Upload; preview / 预览 -> Preview; help / 帮助 -> Help; quit /
/// exit / 退出 -> Quit; anything else (files named in an instruction included) -> Agent.
RoutedLine route_line(const std::string& line);

/// What a backend reply that talks as if a GUI existed asks the client to do.
enum class GuiAction { None, Export, ReadState, ShowTimeline, SendAsEdit };
/// "click Export" / "press the Export button" -> Export; "open the ... panel" -> ReadState;
/// "preview in the timeline" -> ShowTimeline; "drag" / "drop" -> SendAsEdit; "click [other]"
/// -> SendAsEdit (the click is asked for in words).
GuiAction gui_action(const std::string& backend_text);

}  // namespace reel::cli
