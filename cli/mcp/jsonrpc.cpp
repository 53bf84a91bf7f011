#include "cli/mcp/jsonrpc.h"

#include "draft/parse.h"

namespace reel::cli::mcp {

namespace {

// An id JSON-RPC allows: a string or an integer (null only in replies to unreadable requests).
bool valid_id(const Json& id) { return id.is_string() || id.is_number_integer() || id.is_number_unsigned(); }

Message invalid(const Json& id, int code, const std::string& why) {
  Message m;
  m.kind = Message::Kind::Invalid;
  m.id = id;
  m.reply = error_reply(id, code, why);
  return m;
}

Message read_one(const Json& j) {
  if (!j.is_object()) return invalid(nullptr, rpc_error::kInvalidRequest, "a JSON-RPC message is an object");
  const auto version = j.find("jsonrpc");
  const auto id = j.find("id");
  const Json id_value = id != j.end() && valid_id(*id) ? *id : Json();
  if (version == j.end() || *version != "2.0")
    return invalid(id_value, rpc_error::kInvalidRequest, "the message needs \"jsonrpc\": \"2.0\"");
  if (id != j.end() && !valid_id(*id))
    return invalid(nullptr, rpc_error::kInvalidRequest, "an id is a string or an integer");
  const auto method = j.find("method");
  if (method == j.end()) {
    // A response to a request of ours (reel sends none, but a client may answer anyway).
    if (id == j.end() || (!j.contains("result") && !j.contains("error")))
      return invalid(id_value, rpc_error::kInvalidRequest, "the message has no method");
    Message m;
    m.kind = Message::Kind::Response;
    m.id = *id;
    return m;
  }
  if (!method->is_string() || method->get_ref<const std::string&>().empty())
    return invalid(id_value, rpc_error::kInvalidRequest, "the method is a non-empty string");
  const auto params = j.find("params");
  if (params != j.end() && !params->is_object() && !params->is_array())
    return invalid(id_value, rpc_error::kInvalidRequest, "params is an object");
  Message m;
  m.kind = id == j.end() ? Message::Kind::Notification : Message::Kind::Request;
  m.id = id_value;
  m.method = method->get<std::string>();
  m.params = params == j.end() ? Json() : *params;
  return m;
}

}  // namespace

std::vector<Message> read_messages(std::string_view text, bool allow_batch) {
  draft::ParseLimits limits;
  limits.max_bytes = kMaxMessageBytes;
  limits.max_depth = 160;  // an inline draft may nest 128 deep inside params.arguments
  std::optional<Json> j = draft::try_parse_json(text, limits);
  if (!j)
    return {invalid(nullptr, rpc_error::kParse,
                    "the message is not JSON (or is larger than 20 MB or nested deeper than 160)")};
  if (!j->is_array()) return {read_one(*j)};
  if (!allow_batch)
    return {invalid(nullptr, rpc_error::kInvalidRequest,
                    "batches are not part of this protocol revision: send one message at a time")};
  if (j->empty()) return {invalid(nullptr, rpc_error::kInvalidRequest, "an empty batch")};
  std::vector<Message> out;
  for (const Json& item : *j) out.push_back(read_one(item));
  return out;
}

Json result_reply(const Json& id, Json result) {
  Json r = Json::object();
  r["jsonrpc"] = "2.0";
  r["id"] = id;
  r["result"] = std::move(result);
  return r;
}

Json error_reply(const Json& id, int code, const std::string& message, const Json& data) {
  Json e = {{"code", code}, {"message", message}};
  if (!data.is_null()) e["data"] = data;
  Json r = Json::object();
  r["jsonrpc"] = "2.0";
  r["id"] = id;
  r["error"] = std::move(e);
  return r;
}

Json notification(const std::string& method, Json params) {
  Json n = Json::object();
  n["jsonrpc"] = "2.0";
  n["method"] = method;
  n["params"] = std::move(params);
  return n;
}

std::string to_line(const Json& message) { return message.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace reel::cli::mcp
