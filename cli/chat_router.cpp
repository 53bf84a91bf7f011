#include "cli/chat_router.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "draft/words.h"

namespace reel::cli {

namespace {

using draft::has_any;
using draft::has_any_word;
using draft::lower_ascii;

bool is_media_file(const std::string& word) {
  std::string w = lower_ascii(word);
  auto dot = w.rfind('.');
  if (dot == std::string::npos || dot == 0) return false;
  std::string ext = w.substr(dot + 1);
  for (const char* e : {"jpg", "jpeg", "png",  "webp", "heic", "heif", "gif", "bmp", "tif", "tiff", "mp4",
                        "mov", "avi",  "webm", "mkv",  "mp3",  "wav",  "m4a", "aac", "ogg", "opus", "flac"})
    if (ext == e) return true;
  return false;
}

}  // namespace

const char* to_string(ChatRoute r) {
  switch (r) {
    case ChatRoute::Export:
      return "export";
    case ChatRoute::Credits:
      return "credits";
    case ChatRoute::State:
      return "state";
    case ChatRoute::Upload:
      return "upload";
    case ChatRoute::Preview:
      return "preview";
    case ChatRoute::Help:
      return "help";
    case ChatRoute::Quit:
      return "quit";
    case ChatRoute::Agent:
      return "agent";
  }
  return "agent";
}

RoutedLine route_line(const std::string& line) {
  RoutedLine out;
  std::string text = lower_ascii(line);
  std::istringstream words(line);
  size_t word_count = 0, connectors = 0;
  for (std::string w; words >> w;) {
    ++word_count;
    while (!w.empty() && std::string(",;\"'").find(w.back()) != std::string::npos) w.pop_back();
    while (!w.empty() && std::string("\"'").find(w.front()) != std::string::npos) w.erase(0, 1);
    if (is_media_file(w))
      out.files.push_back(w);
    else if (w == "and" || w == "&" || w == "," || w == "和")
      ++connectors;
  }
  std::string trimmed = text;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.pop_back();
  if (trimmed == "quit" || trimmed == "exit" || trimmed == "bye" || trimmed == "/quit" || trimmed == "退出")
    out.route = ChatRoute::Quit;
  else if (trimmed == "help" || trimmed == "?" || trimmed == "/help" || trimmed == "帮助")
    out.route = ChatRoute::Help;
  else if (has_any_word(text, {"panel", "tab", "sidebar"}) || has_any(text, {"面板"}))
    out.route = ChatRoute::State;  // "open the export panel": there is no panel; the state is shown
  else if (has_any_word(text, {"export", "download"}) || has_any(text, {"send me the video", "导出", "下载"}))
    out.route = ChatRoute::Export;
  else if (has_any_word(text, {"credits", "credit", "balance"}) || has_any(text, {"积分", "余额"}))
    out.route = ChatRoute::Credits;
  else if (has_any_word(text, {"status"}) ||
           has_any(text, {"show tracks", "show the tracks", "状态", "show timeline", "show the timeline"}))
    out.route = ChatRoute::State;
  else if (has_any_word(text, {"upload"}) || has_any(text, {"上传"}))
    out.route = ChatRoute::Upload;
  else if (has_any_word(text, {"preview"}) || has_any(text, {"预览"}))
    out.route = ChatRoute::Preview;
  else if (!out.files.empty() && out.files.size() + connectors == word_count)
    out.route = ChatRoute::Upload;  // the line is only file names: they are being given
  return out;
}

GuiAction gui_action(const std::string& backend_text) {
  std::string t = lower_ascii(backend_text);
  if (has_any(t,
              {"preview in timeline", "preview in the timeline", "preview it in the timeline", "check the timeline"}))
    return GuiAction::ShowTimeline;
  if (has_any(t, {"open the", "open [", "panel"}) && has_any(t, {"panel", "tab", "settings", "sidebar"}))
    return GuiAction::ReadState;  // before Export: "open the export panel" shows the state
  if (has_any(t, {"export button", "click export", "click \"export\"", "click [export]", "click the export",
                  "press export", "tap export", "hit export"}))
    return GuiAction::Export;
  if (has_any(t, {"drag", "drop it", "drop the", "drop your"})) return GuiAction::SendAsEdit;
  if (has_any(t, {"click ", "click [", "tap ", "press the"})) return GuiAction::SendAsEdit;
  return GuiAction::None;
}

}  // namespace reel::cli
