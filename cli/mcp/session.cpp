#include "cli/mcp/session.h"

#include <algorithm>
#include <chrono>

namespace reel::cli::mcp {

const std::vector<std::string>& supported_protocol_versions() {
  static const std::vector<std::string> versions{"2025-11-25", "2025-06-18", "2025-03-26"};
  return versions;
}

std::string negotiate_protocol_version(const std::string& requested) {
  const auto& v = supported_protocol_versions();
  return std::find(v.begin(), v.end(), requested) != v.end() ? requested : kProtocolVersion;
}

namespace {

// The sentence the CLI prints for a failure (cli/process.cpp, run_reporting_errors).
std::string failure_text(const std::exception& e) {
  if (const auto* err = dynamic_cast<const base::Error*>(&e)) {
    if (err->fault() == base::Fault::Cancelled) return "reel: cancelled; no output was written";
    if (err->fault() != base::Fault::Bug) return std::string("reel: ") + e.what();
  }
  return std::string("reel: internal error: ") + e.what() +
         "\n(this is a bug in reel; please report it with the tool call that did it)";
}

Json text_block(const std::string& text) { return {{"type", "text"}, {"text", text}}; }

const char* const kLogLevels[] = {"debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};

// A level's place in kLogLevels (syslog's order, least severe first); an unknown one is "info".
int log_rank(const std::string& level) {
  for (int i = 0; i < int(std::size(kLogLevels)); ++i)
    if (level == kLogLevels[i]) return i;
  return 1;
}

// Progress sent for one call: never going back, at most every 100 ms (the last step always).
class ProgressSender {
 public:
  ProgressSender(Json token, Session::Send send) : token_(std::move(token)), send_(std::move(send)) {}
  void operator()(double done, double total, const std::string& message) {
    if (token_.is_null()) return;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mutex_);
    if (done <= last_) return;
    const bool last_step = total > 0 && done >= total;
    if (!last_step && sent_any_ && now - last_time_ < std::chrono::milliseconds(100)) return;
    last_ = done;
    last_time_ = now;
    sent_any_ = true;
    Json params = {{"progressToken", token_}, {"progress", done}};
    if (total > 0) params["total"] = total;
    if (!message.empty()) params["message"] = message;
    send_(notification("notifications/progress", std::move(params)));
  }

 private:
  Json token_;
  Session::Send send_;
  std::mutex mutex_;  // guards the three below
  double last_ = -1;
  bool sent_any_ = false;
  std::chrono::steady_clock::time_point last_time_;
};

}  // namespace

Session::Session(const ToolCatalog& tools, CallThreads threads) : tools_(tools), threads_(threads) {}

Session::~Session() { stop(); }

std::string Session::protocol_version() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return version_;
}

std::string Session::log_level() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return log_level_;
}

bool Session::initialized() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return initialized_;
}

Json Session::list_tools() const {
  const std::string version = protocol_version();
  // outputSchema and structuredContent came with 2025-06-18; an older client gets neither.
  const bool structured = version.empty() || version >= "2025-06-18";
  // Every schema says its dialect (MCP's default, JSON Schema 2020-12) in so many words.
  auto dialect = [](Json schema) {
    if (schema.is_object() && !schema.contains("$schema")) {
      Json out = {{"$schema", "https://json-schema.org/draft/2020-12/schema"}};
      out.update(schema);
      return out;
    }
    return schema;
  };
  Json list = Json::array();
  for (const ToolSpec& t : tools_) {
    Json tool = {
        {"name", t.name}, {"title", t.title}, {"description", t.description}, {"inputSchema", dialect(t.input_schema)}};
    if (structured && !t.output_schema.is_null()) tool["outputSchema"] = dialect(t.output_schema);
    tool["annotations"] = {{"title", t.title},
                           {"readOnlyHint", t.read_only},
                           {"destructiveHint", false},
                           {"openWorldHint", t.name == "export" || t.name == "bench"}};
    list.push_back(std::move(tool));
  }
  return {{"tools", list}};
}

void Session::handle(const Message& m, const Send& send) {
  switch (m.kind) {
    case Message::Kind::Invalid:
      send(m.reply);
      return;
    case Message::Kind::Response:
      return;  // reel asks the client nothing; a stray answer is dropped
    case Message::Kind::Notification:
      if (m.method == "notifications/initialized") {
        std::lock_guard<std::mutex> lock(mutex_);
        initialized_ = true;
      } else if (m.method == "notifications/cancelled" && m.params.is_object()) {
        const auto id = m.params.find("requestId");
        if (id == m.params.end()) return;
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = running_.find(id->dump());
        if (it != running_.end()) it->second.cancel->store(true);
      }
      return;
    case Message::Kind::Request:
      break;
  }
  const Json params = m.params.is_object() ? m.params : Json::object();
  if (m.method == "initialize") {
    const auto requested = params.find("protocolVersion");
    if (requested == params.end() || !requested->is_string()) {
      send(error_reply(m.id, rpc_error::kInvalidParams, "initialize needs params.protocolVersion (a string)"));
      return;
    }
    const std::string version = negotiate_protocol_version(requested->get<std::string>());
    {
      std::lock_guard<std::mutex> lock(mutex_);
      version_ = version;
    }
    Json result = {
        {"protocolVersion", version},
        {"capabilities", {{"tools", {{"listChanged", false}}}, {"logging", Json::object()}}},
        {"serverInfo", {{"name", "reel"}, {"title", "reel: drafts to video, offline"}, {"version", REEL_VERSION}}},
        {"instructions",
         "reel renders a video draft (the cloud agent's track JSON) on this machine, offline. Look before you "
         "spend credits: get_frame and review_frames show frames as images, validate_draft and summarize_draft "
         "read it, edit_draft changes it in words (English or Chinese) or by JSON Pointer (pass the hash you "
         "last saw), render_preview makes a quick MP4 here; export goes through the cloud with the local "
         "engine as fallback."}};
    send(result_reply(m.id, std::move(result)));
  } else if (m.method == "ping") {
    send(result_reply(m.id, Json::object()));
  } else if (m.method == "tools/list") {
    send(result_reply(m.id, list_tools()));
  } else if (m.method == "tools/call") {
    call_tool(m.id, params, send);
  } else if (m.method == "logging/setLevel") {
    const auto level = params.find("level");
    if (level == params.end() || !level->is_string() ||
        std::none_of(std::begin(kLogLevels), std::end(kLogLevels), [&](const char* l) { return *level == l; })) {
      send(error_reply(m.id, rpc_error::kInvalidParams,
                       "logging/setLevel needs params.level: debug, info, notice, warning, error, critical, alert "
                       "or emergency"));
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      log_level_ = level->get<std::string>();
    }
    send(result_reply(m.id, Json::object()));
  } else {
    send(error_reply(m.id, rpc_error::kMethodNotFound,
                     "Method not found: " + m.method +
                         " (reel serves initialize, ping, tools/list, tools/call and "
                         "logging/setLevel)"));
  }
}

Json Session::run_tool(const ToolSpec& tool, const Json& arguments, const Json& progress_token,
                       const std::atomic<bool>* flag, const Send& send) const {
  auto progress = std::make_shared<ProgressSender>(progress_token, send);
  auto log = [this, send](const std::string& level, const std::string& text) {
    if (log_rank(level) < log_rank(log_level())) return;
    send(notification("notifications/message", {{"level", level}, {"logger", "reel"}, {"data", text}}));
  };
  ToolCall call(
      flag, [progress](double d, double t, const std::string& msg) { (*progress)(d, t, msg); }, log);
  ToolResult r;
  try {
    r = tool.run(arguments, call);
  } catch (const std::exception& e) {
    r = ToolResult{};
    r.content.push_back(text_block(failure_text(e)));
    r.is_error = true;
  }
  Json result = Json::object();
  const std::string version = protocol_version();
  const bool structured = version.empty() || version >= "2025-06-18";
  Json content = Json::array();
  // resource_link came with 2025-06-18 too: an older client finds the path in the text block.
  for (const Json& block : r.content.is_array() ? r.content : Json::array())
    if (structured || block.value("type", "") != "resource_link") content.push_back(block);
  if (!r.structured.is_null()) {
    // The same JSON as a text block, for clients that read only text.
    content.insert(content.begin(), text_block(r.structured.dump(2, ' ', false, Json::error_handler_t::replace)));
    if (structured) result["structuredContent"] = r.structured;
  }
  result["content"] = std::move(content);
  result["isError"] = r.is_error;
  return result;
}

void Session::call_tool(const Json& id, const Json& params, const Send& send) {
  const auto name = params.find("name");
  if (name == params.end() || !name->is_string()) {
    send(error_reply(id, rpc_error::kInvalidParams, "tools/call needs params.name (a string)"));
    return;
  }
  const auto tool = std::find_if(tools_.begin(), tools_.end(), [&](const ToolSpec& t) { return *name == t.name; });
  if (tool == tools_.end()) {
    std::string names;
    for (const ToolSpec& t : tools_) names += (names.empty() ? "" : ", ") + t.name;
    send(error_reply(id, rpc_error::kInvalidParams,
                     "Unknown tool: " + name->get<std::string>() + " (the tools are " + names + ")"));
    return;
  }
  Json arguments = params.contains("arguments") ? params["arguments"] : Json::object();
  if (arguments.is_null()) arguments = Json::object();
  if (!arguments.is_object()) {
    send(error_reply(id, rpc_error::kInvalidParams, "tools/call's params.arguments is an object"));
    return;
  }
  Json token;
  if (params.contains("_meta") && params["_meta"].is_object() && params["_meta"].contains("progressToken")) {
    const Json& t = params["_meta"]["progressToken"];
    if (t.is_string() || t.is_number_integer() || t.is_number_unsigned()) token = t;
  }
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  const std::string key = id.dump();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (running_.count(key)) {
      send(error_reply(id, rpc_error::kInvalidRequest, "a call with the id " + key + " is still running"));
      return;
    }
    running_[key] = Running{cancel};
  }
  auto work = [this, tool, arguments, token, cancel, key, id, send] {
    Json result = run_tool(*tool, arguments, token, cancel.get(), send);
    send(result_reply(id, std::move(result)));
    std::lock_guard<std::mutex> lock(mutex_);
    running_.erase(key);
    if (running_.empty()) idle_.notify_all();
  };
  if (threads_ == CallThreads::Caller) {
    work();
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  // Threads of calls that have answered are joined here, so they never pile up.
  for (auto it = call_threads_.begin(); it != call_threads_.end();) {
    if (it->done->load()) {
      it->thread.join();
      it = call_threads_.erase(it);
    } else {
      ++it;
    }
  }
  auto done = std::make_shared<std::atomic<bool>>(false);
  call_threads_.push_back({std::thread([work, done] {
                             work();
                             done->store(true);
                           }),
                           done});
}

void Session::wait_idle() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return running_.empty(); });
}

void Session::stop() {
  std::vector<CallThread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [key, call] : running_) call.cancel->store(true);
    threads.swap(call_threads_);
  }
  for (CallThread& t : threads) t.thread.join();
}

}  // namespace reel::cli::mcp
