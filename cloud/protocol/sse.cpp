#include "cloud/protocol/sse.h"

#include "cloud/protocol/errors.h"
#include "cloud/protocol/wire.h"
#include "draft/parse.h"

namespace reel::cloud {

bool SseEvent::keep_alive() const {
  if (data.empty()) return true;
  return json.is_object() && string_at(json, "type") == "heartbeat";
}

std::string SseEvent::text() const {
  if (!json.is_object()) return {};
  if (string_at(json, "type") == "text") return string_at(json, "text");
  auto content = json.find("content");
  if (content == json.end() || !content->is_object()) return {};
  auto parts = content->find("parts");
  if (parts == content->end() || !parts->is_array()) return {};
  std::string out;
  for (const auto& p : *parts)
    if (p.is_object() && p.contains("text") && p["text"].is_string()) out += p["text"].get<std::string>();
  return out;
}

std::string SseEvent::error() const {
  if (!json.is_object()) return {};
  if (auto e = json.find("error"); e != json.end()) return e->is_string() ? e->get<std::string>() : e->dump();
  return string_at(json, "errorMessage");
}

void SseParser::line(std::string_view l, std::vector<SseEvent>& out) {
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  if (l.empty()) {
    if (has_data_) {
      SseEvent e;
      e.data = std::move(data_);
      e.json = e.data.empty() ? Json() : draft::try_parse_json(e.data).value_or(Json());
      out.push_back(std::move(e));
    }
    data_.clear();
    has_data_ = false;
    return;
  }
  if (l[0] == ':') return;  // a comment
  auto colon = l.find(':');
  std::string_view field = l.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : l.substr(colon + 1);
  if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) data_ += '\n';
    data_ += value;
    has_data_ = true;
    if (data_.size() > kMaxEventBytes)
      throw CloudError(ErrorKind::BadResponse, "the agent's stream sent an event larger than " +
                                                   std::to_string(kMaxEventBytes >> 20) + " MB; the turn was stopped");
  }
}

std::vector<SseEvent> SseParser::feed(std::string_view chunk) {
  std::vector<SseEvent> out;
  // Only the new bytes are searched for the end of a line: a line that never ends costs
  // linear time, and is refused at kMaxLineBytes.
  size_t from = buffer_.size();
  buffer_ += chunk;
  size_t start = 0;
  for (size_t nl; (nl = buffer_.find('\n', from)) != std::string::npos; start = from = nl + 1)
    line(std::string_view(buffer_).substr(start, nl - start), out);
  buffer_.erase(0, start);
  if (buffer_.size() > kMaxLineBytes)
    throw CloudError(ErrorKind::BadResponse, "the agent's stream sent a line longer than " +
                                                 std::to_string(kMaxLineBytes >> 20) + " MB; the turn was stopped");
  return out;
}

std::vector<SseEvent> SseParser::finish() {
  std::vector<SseEvent> out;
  if (!buffer_.empty()) {
    line(buffer_, out);
    buffer_.clear();
  }
  line("", out);
  return out;
}

std::string sse_format(const Json& event) { return "data: " + event.dump() + "\n\n"; }

}  // namespace reel::cloud
