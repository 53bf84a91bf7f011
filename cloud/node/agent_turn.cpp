#include "cloud/node/agent_turn.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "cloud/client/config.h"
#include "cloud/node/auth.h"
#include "cloud/node/sessions.h"
#include "cloud/protocol/sse.h"
#include "draft/agent.h"
#include "draft/history.h"
#include "draft/make.h"
#include "draft/parse.h"
#include "draft/prompt.h"
#include "draft/styles.h"
#include "draft/summary.h"
#include "draft/words.h"

namespace reel::cloud::node {

namespace {

/// The uploads the words name (music to add, ...), by sandbox path: the draft then names the
/// file as the person did ("song", not the stored "<random>-song"), and the node and clients
/// resolve it through the uploads.
std::vector<std::string> named_uploads(const std::string& sid, const NodeSession& ns,
                                       const std::string& lower_message) {
  std::vector<std::string> named;
  for (const auto& f : ns.files) {
    std::string name = draft::lower_ascii(f.info.filename);
    if (!name.empty() && lower_message.find(name) != std::string::npos)
      named.push_back("/mnt/userdata/" + sid + "/" + f.info.filename);
  }
  return named;
}

/// A draft made from the session's photos and clips in `style`; none when it has none (or
/// the draft cannot be made: logged).
std::optional<draft::Draft> draft_from_uploads(const NodeState& n, const NodeSession& ns, draft::Style style,
                                               const draft::PromptReading& reading) {
  draft::MakeRequest mr;
  mr.style = style;
  // The first words are read as `reel make --prompt` reads them.
  mr.aspect = reading.aspect.value_or("16:9") == "4:3" ? "16:9" : reading.aspect.value_or("16:9");
  mr.duration_ms = reading.duration_ms;
  mr.pace = reading.pace.value_or(1.0);
  mr.transition = reading.transition;
  mr.title = reading.title;
  mr.tagline = reading.tagline;
  for (const auto& f : ns.files) {
    if (f.info.file_type == "audio") continue;
    draft::MediaItem m;
    m.reference = f.info.cdn_url;
    m.width = f.info.width;
    m.height = f.info.height;
    m.is_clip = f.info.file_type == "video";
    m.clip_ms = static_cast<int64_t>(f.info.duration * 1000);
    mr.media.push_back(m);
  }
  if (mr.media.empty()) return std::nullopt;
  try {
    return draft::load_draft(draft::make_draft(mr)).draft;
  } catch (const std::exception& e) {
    n.log(std::string("agent: cannot make a draft from the uploads: ") + e.what());
    return std::nullopt;
  }
}

/// The reply in a few partial chunks, split at spaces and never inside a UTF-8 character.
std::vector<std::string> text_chunks(const std::string& text) {
  std::vector<std::string> chunks;
  const size_t pieces = 3, step = std::max<size_t>(1, text.size() / pieces);
  size_t at = 0;
  while (at < text.size()) {
    size_t cut = std::min(text.size(), at + step);
    while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;  // whole characters
    if (size_t space = text.find(' ', cut); cut < text.size() && space != std::string::npos && space - cut < step)
      cut = space + 1;  // and whole words where there are spaces
    chunks.push_back(text.substr(at, cut - at));
    at = cut;
  }
  return chunks;
}

/// Streams `events` as text/event-stream, `pause_ms` apart, then closes.
void stream_events(Response& res, std::shared_ptr<std::vector<std::string>> events, int pause_ms) {
  res.set_header("Cache-Control", "no-cache");
  const int pause = std::max(0, pause_ms);
  res.set_chunked_content_provider("text/event-stream",
                                   [events, pause, i = size_t{0}](size_t, httplib::DataSink& sink) mutable {
                                     if (i < events->size()) {
                                       if (i > 0 && pause > 0)
                                         std::this_thread::sleep_for(std::chrono::milliseconds(pause));
                                       const std::string& e = (*events)[i++];
                                       return sink.write(e.data(), e.size());
                                     }
                                     sink.done();
                                     return true;
                                   });
}

}  // namespace

AgentOutcome agent_turn(const NodeState& n, const std::string& sid, NodeSession& ns, const std::string& message,
                        double coin) {
  AgentOutcome out;
  if (auto step = draft::history_step_in(message); step != draft::HistoryStep::None) {
    // Undo / redo: the session's draft exactly as it was, from its history.
    const bool undo = step == draft::HistoryStep::Undo;
    const draft::Draft before = draft::load_draft(ns.draft.is_object() ? ns.draft : Json::object()).draft;
    std::string current = ns.draft.is_null() ? std::string() : ns.draft.dump();
    auto to = undo ? ns.history.step_back(current) : ns.history.step_forward(current);
    if (!to) {
      out.reply = undo ? "Nothing to undo." : "Nothing to redo.";
      out.summary = draft::timeline_summary(before);
      return out;
    }
    ns.draft = to->empty() ? Json() : draft::parse_json(*to, "the session's history");
    const draft::Draft after = draft::load_draft(ns.draft.is_object() ? ns.draft : Json::object()).draft;
    out.changed = true;
    std::string diff = draft::summary_diff(before, after);
    out.reply = std::string(undo ? "Undone" : "Redone") + " (" + std::to_string(ns.history.undo.size()) +
                " more to undo, " + std::to_string(ns.history.redo.size()) + " to redo)." +
                (diff.empty() ? "" : " Timeline: " + diff);
    out.summary = draft::timeline_summary(after);
    return out;
  }
  draft::Draft d = draft::load_draft(ns.draft.is_object() ? ns.draft : Json::object()).draft;
  const std::string lower_message = draft::lower_ascii(message);
  const std::vector<std::string> named = named_uploads(sid, ns, lower_message);
  const draft::PromptReading reading = draft::read_prompt(message);
  const draft::Style style = reading.style.value_or(draft::Style::Slideshow);
  if (!d.exportable())
    if (auto made = draft_from_uploads(n, ns, style, reading)) {
      d = std::move(*made);
      out.made = true;
    }
  // A draft made from the words has their length, shape, pace and transitions already; the
  // agent then does only what they asked besides (music named, ...).
  draft::AgentReply reply;
  if (out.made && !reading.understood.empty()) {
    if (!named.empty()) reply = draft::apply_instruction(d, message, named);
  } else {
    reply = draft::apply_instruction(d, message, named);
  }
  out.changed = out.made || reply.changed;
  if (out.made) {
    out.reply =
        std::string("Made a ") + draft::style_spec(style).label + " from the session's uploaded photos and clips";
    std::string read;
    for (const auto& u : reading.understood) read += (read.empty() ? "" : "; ") + u;
    out.reply += read.empty() ? "." : " (" + read + ").";
    if (reply.understood) out.reply.append(" ").append(reply.message);
    if (!reply.changed) out.reply.append(" ").append(draft::timeline_summary(d));
  } else {
    out.reply = reply.message;
  }
  if (out.reply.empty()) out.reply = draft::agent_capabilities(message);
  if (out.changed) {
    ns.history.record(ns.draft.is_null() ? std::string() : ns.draft.dump());
    ns.draft = d.json;
  }
  out.summary = draft::timeline_summary(d);
  out.no_text = out.changed && (n.opt.no_text_turns == NoTextTurns::Always ||
                                (n.opt.no_text_turns == NoTextTurns::Random && coin < n.opt.no_text_share));
  return out;
}

std::vector<std::string> agent_events(const AgentOutcome& turn, const std::string& message) {
  const std::string inv = "e-" + make_uuid();
  auto adk = [&](Json parts, bool partial) {
    return sse_format(Json{{"content", {{"role", "model"}, {"parts", std::move(parts)}}},
                           {"author", "nemo_agent"},
                           {"partial", partial},
                           {"id", make_uuid()},
                           {"invocationId", inv},
                           {"timestamp", static_cast<double>(now_ms()) / 1000.0}});
  };
  const std::string heartbeat = sse_format(Json{{"type", "heartbeat"}});
  std::vector<std::string> ev{heartbeat};
  if (turn.changed) {
    std::string call_id = "call_" + random_hex(12);
    ev.push_back(
        adk(Json::array({Json{{"functionCall",
                               {{"id", call_id}, {"name", "edit_multitrack"}, {"args", {{"instruction", message}}}}}}}),
            false));
    ev.push_back(heartbeat);
    ev.push_back(adk(Json::array({Json{
                         {"functionResponse",
                          {{"id", call_id}, {"name", "edit_multitrack"}, {"response", {{"summary", turn.summary}}}}}}}),
                     false));
  }
  if (!turn.no_text) {  // as ADK streams it: partial chunks, then the whole text once more
    for (const std::string& chunk : text_chunks(turn.reply))
      ev.push_back(adk(Json::array({Json{{"text", chunk}}}), true));
    ev.push_back(adk(Json::array({Json{{"text", turn.reply}}}), false));
  }
  ev.push_back(heartbeat);
  return ev;
}

void handle_run_sse(NodeState& n, const Request& req, Response& res, const ContentReader& reader) {
  std::string user = user_of(n, req, res);
  if (user.empty()) return;
  auto body = json_body(reader, req, res, n.json_limits(n.opt.max_chat_message_bytes * 4 + (64 << 10)), false,
                        n.large_body_gate());
  if (!body) return;
  std::string sid = string_field(*body, "session_id");
  std::string message = chat_message(*body);
  if (message.empty()) return fail(res, 400, 400, "new_message.parts[].text is required");
  if (static_cast<int64_t>(message.size()) > n.opt.max_chat_message_bytes)
    return fail(res, 413, 413,
                "the message is " + std::to_string(message.size()) + " bytes; this node takes at most " +
                    std::to_string(n.opt.max_chat_message_bytes) + " (reel serve --max-message-kb)");
  // The turn works on a copy, without the lock; the new draft is published under it.
  NodeSession copy;
  double coin = 0;
  {
    std::lock_guard lock(n.mutex);
    NodeSession* ns = session_locked(n, sid, user);
    if (!ns) return fail(res, 404, 1002, "session not found");
    copy = *ns;
    coin = n.coin_locked();
  }
  AgentOutcome turn = agent_turn(n, sid, copy, message, coin);
  if (turn.changed) {
    NodeState::Snapshot snapshot;
    {
      std::lock_guard lock(n.mutex);
      NodeSession* ns = session_locked(n, sid, user);
      if (!ns) return fail(res, 404, 1002, "session not found");
      ns->draft = std::move(copy.draft);  // the last turn to finish wins, as with the backend
      ns->history = std::move(copy.history);
      snapshot = n.snapshot_locked();
    }
    n.write_snapshot(snapshot);
  }
  n.log("agent turn in session " + sid + (turn.changed ? ": the draft changed" : ": no change"));
  stream_events(res, std::make_shared<std::vector<std::string>>(agent_events(turn, message)), n.opt.agent_pause_ms);
}

}  // namespace reel::cloud::node
