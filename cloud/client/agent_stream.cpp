#include "cloud/client/agent_stream.h"

#include <cctype>

#include "cloud/protocol/wire.h"

namespace reel::cloud {

namespace {

std::string tool_name(const Json& j) {
  for (const char* k : {"name", "tool", "tool_name"})
    if (auto it = j.find(k); it != j.end() && it->is_string()) return it->get<std::string>();
  return "a tool";
}

}  // namespace

bool AgentTurn::has_text() const {
  for (unsigned char c : text)
    if (!std::isspace(c)) return true;
  return false;
}

std::vector<AgentEvent> AgentTurnReader::read(const SseEvent& e) {
  using Kind = AgentEvent::Kind;
  std::vector<AgentEvent> out;
  if (e.keep_alive() || e.data == "heartbeat" || e.data == "ping") {
    out.push_back({Kind::KeepAlive, {}, 0});
    return out;
  }
  const Json& j = e.json;
  if (!j.is_object()) {
    out.push_back({Kind::Other, {}, 0});
    return out;
  }
  int code = 0;
  if (auto c = j.find("errorCode"); c != j.end()) {
    if (c->is_number_integer())
      code = c->get<int>();
    else if (c->is_string())
      code = std::atoi(c->get<std::string>().c_str());
  }
  std::string error = e.error();
  if (!error.empty() || code != 0 || (j.contains("errorCode") && !j["errorCode"].is_null())) {
    if (error.empty()) error = "error " + (j.contains("errorCode") ? j["errorCode"].dump() : std::string("?"));
    out.push_back({Kind::Error, error, code});
    return out;
  }
  std::string type = string_at(j, "type");
  if (type == "tool_call" || type == "tool_result") {
    out.push_back({type == "tool_call" ? Kind::ToolCall : Kind::ToolResult, tool_name(j), 0});
    return out;
  }
  if (auto content = j.find("content"); content != j.end() && content->is_object())
    if (auto parts = content->find("parts"); parts != content->end() && parts->is_array())
      for (const auto& p : *parts) {
        if (!p.is_object()) continue;
        if (auto f = p.find("functionCall"); f != p.end() && f->is_object())
          out.push_back({Kind::ToolCall, tool_name(*f), 0});
        if (auto f = p.find("functionResponse"); f != p.end() && f->is_object())
          out.push_back({Kind::ToolResult, tool_name(*f), 0});
      }
  std::string text = e.text();
  if (!text.empty()) {
    // {"type": "text"} pieces without a partial flag are chunks; an ADK event without one is
    // a whole message.
    bool partial = j.contains("partial") && j["partial"].is_boolean() ? j["partial"].get<bool>() : type == "text";
    std::string show;
    if (partial) {
      show = text;
      since_final_ += text;
    } else {
      if (since_final_.empty())
        show = text;
      else if (text.size() > since_final_.size() && text.compare(0, since_final_.size(), since_final_) == 0)
        show = text.substr(since_final_.size());  // the final repeats the chunks and adds to them
      // else: the final repeats what the chunks already showed
      since_final_.clear();
    }
    if (!show.empty()) {
      all_text_ += show;
      out.push_back({Kind::Text, show, 0});
    }
  }
  if (out.empty()) out.push_back({Kind::Other, {}, 0});
  return out;
}

std::string agent_request_body(const std::string& session_id, const std::string& message) {
  return Json{{"app_name", "nemo_agent"},
              {"user_id", "me"},
              {"session_id", session_id},
              {"new_message", {{"parts", Json::array({Json{{"text", message}}})}}}}
      .dump();
}

}  // namespace reel::cloud
