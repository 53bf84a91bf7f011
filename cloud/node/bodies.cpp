#include "cloud/node/bodies.h"

#include <regex>

#include "draft/parse.h"
#include "draft/problem.h"

namespace reel::cloud::node {

std::optional<Json> parse_json_object(std::string_view text, const BodyLimits& limits, Refusal& why) {
  if (static_cast<int64_t>(text.size()) > limits.max_bytes) {
    why = {413, "request body too large: the limit is " + std::to_string(limits.max_bytes) + " bytes"};
    return std::nullopt;
  }
  Json j;
  try {
    j = draft::parse_json(text, "the request body",
                          draft::ParseLimits{static_cast<size_t>(limits.max_bytes), limits.max_depth});
  } catch (const draft::DraftError& e) {
    why = {400, std::string("the body is not usable JSON: ") + e.what()};
    return std::nullopt;
  }
  if (!j.is_object()) {
    why = {400, "the body is not a JSON object"};
    return std::nullopt;
  }
  return j;
}

bool valid_render_id(const std::string& id) {
  static const std::regex id_re("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}");
  return std::regex_match(id, id_re);
}

namespace {

std::string string_at(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// Why the node will not take a job of this size (duration, pixel rate), or empty.
std::string size_refusal(const JobLimits& limits, const draft::Draft& d) {
  if (d.duration_ms() > limits.max_duration_ms)
    return "the draft is " + std::to_string(d.duration_ms() / 1000) + " s long; this node renders at most " +
           std::to_string(limits.max_duration_ms / 1000) + " s (reel serve --max-duration-s)";
  const auto& c = d.canvas;
  const double fps = c.fps.den > 0 ? static_cast<double>(c.fps.num) / c.fps.den : 0;
  const double rate = static_cast<double>(c.width) * c.height * fps;
  if (rate > static_cast<double>(limits.max_pixel_rate))
    return "the draft is " + std::to_string(c.width) + "x" + std::to_string(c.height) + " at " +
           std::to_string(static_cast<int>(fps)) + " fps; this node renders at most " +
           std::to_string(limits.max_pixel_rate) + " pixels a second (reel serve --max-pixel-rate)";
  return {};
}

}  // namespace

std::optional<SubmitRequest> parse_submit(const Json& body, const JobLimits& limits, Refusal& why) {
  SubmitRequest r;
  r.id = string_at(body, "id");
  r.session_id = string_at(body, "sessionId");
  if (!valid_render_id(r.id)) {
    why = {400, "the render id must be 1-100 letters, digits, _ . - and not start with a dot"};
    return std::nullopt;
  }
  auto d = body.find("draft");
  if (d == body.end() || !d->is_object()) {
    why = {400, "the request has no draft object"};
    return std::nullopt;
  }
  r.draft_json = *d;
  r.draft = draft::load_draft(r.draft_json).draft;
  if (!r.draft.exportable()) {
    why = {400, "the draft has no segments to render"};
    return std::nullopt;
  }
  if (std::string too_big = size_refusal(limits, r.draft); !too_big.empty()) {
    why = {400, too_big};
    return std::nullopt;
  }
  auto out = body.find("output");
  r.output = out != body.end() ? *out : Json::object();
  std::string bad_part;
  const std::optional<PartRequest> part = parse_part(body, bad_part);
  if (!part) {
    why = {400, bad_part};
    return std::nullopt;
  }
  r.part = *part;
  return r;
}

std::string chat_message(const Json& body) {
  std::string message;
  if (auto m = body.find("new_message"); m != body.end() && m->is_object())
    if (auto parts = m->find("parts"); parts != m->end() && parts->is_array())
      for (const auto& p : *parts)
        if (p.is_object() && p.contains("text") && p["text"].is_string()) message += p["text"].get<std::string>();
  return message;
}

}  // namespace reel::cloud::node
