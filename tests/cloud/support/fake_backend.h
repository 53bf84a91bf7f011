#pragma once
// A small fault-injecting backend on 127.0.0.1 (random port) for what the render node does
// not do on purpose: dropped connections, 5xx, 429, 1001, stalls, duplicate ids, failed
// renders, the older response shapes. Knobs are plain fields set before the calls; counters
// and recorded requests are read after. Real HTTP: the client under test cannot tell.
#include <httplib.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "draft/json.h"

namespace reel::cloud::testing {

struct RecordedRequest {
  std::string method, path, target;  // target includes the query
  std::multimap<std::string, std::string> headers;
  std::string body;
  std::string header(const std::string& name) const;
};

class FakeBackend {
 public:
  FakeBackend();
  ~FakeBackend();
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Faults: each counts down once per matching call.
  std::atomic<int> token_400{0};               // anonymous-token calls answering HTTP 400
  std::atomic<int> token_429{0};               // anonymous-token calls answering HTTP 429
  std::atomic<int> bad_token{0};               // authenticated calls answering 1001 (and the token dies)
  std::atomic<int> credits_503{0};             // credits calls answering HTTP 503
  std::atomic<int> credits_429{0};             // credits calls answering HTTP 429
  std::atomic<int> state_1002{0};              // state calls answering 1002
  std::atomic<int> duplicate{0};               // render submits answering "duplicate id"
  std::atomic<int> drop_poll{0};               // polls: headers, half a body, then the connection drops
  std::atomic<int> drop_download{0};           // downloads: part of the file, then the connection drops
  std::atomic<int> dribble_download{0};        // downloads: 2 bytes a second for 6 s, then a drop
  std::atomic<int> stall_download{0};          // downloads: the headers, then 6 s of nothing, then a drop
  std::atomic<int> poll_503{0};                // polls answering 503
  std::atomic<int> stall_ms{0};                // credits calls wait this long before answering
  std::atomic<int> polls_until_done{2};        // polls that answer processing before completed
  std::atomic<bool> old_shape{false};          // render status as top-level status + output.url
  std::atomic<bool> broken_output_url{false};  // outputUrl answers 404 (the client falls back)
  std::atomic<bool> answer_402{false};         // render submits answer HTTP 402
  std::atomic<bool> answer_2001{false};        // render submits answer code 2001
  std::atomic<int64_t> expires_in_s{7 * 24 * 3600};
  std::string cdn_base;   // non-empty: outputUrl points at this other server
  std::string fail_text;  // non-empty: renders end failed with this error
  std::string video;      // the rendered file's bytes

  /// /run_sse: the answer is these pieces written in order, each after its pause; with
  /// `sse_drop` the connection then drops (no end of the chunked body). A turn that should
  /// change the session sets `state_draft_after_sse`: the state reads it from then on.
  struct SseStep {
    std::string bytes;
    int pause_ms = 0;
  };
  void script_sse(std::vector<SseStep> steps, bool drop = false);
  void set_state_draft(const Json& draft);
  void set_state_draft_after_sse(const Json& draft);
  std::atomic<int> run_sse_calls{0};
  std::vector<std::string> sse_bodies() const;  // the /run_sse request bodies, in order

  // What happened.
  std::atomic<int> token_calls{0}, submit_calls{0}, poll_calls{0}, download_calls{0}, cancel_calls{0}, session_calls{0},
      upload_calls{0};
  std::vector<RecordedRequest> requests() const;
  std::vector<std::string> submitted_ids() const;
  std::vector<std::string> issued_tokens() const;
  std::vector<std::string> client_ids() const;
  std::map<std::string, std::string> last_range_headers() const;

  httplib::Server& server() { return server_; }

 private:
  bool authorized(const httplib::Request& req, httplib::Response& res);
  void record(const httplib::Request& req);
  void routes();

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::set<std::string> valid_tokens_;
  std::vector<std::string> issued_, client_ids_, submitted_;
  std::map<std::string, int> polls_;  // id -> polls so far
  std::map<std::string, std::string> ranges_;
  std::vector<SseStep> sse_steps_;
  bool sse_drop_ = false;
  std::vector<std::string> sse_bodies_;
  Json state_draft_ = Json{{"t", Json::array()}};
  Json state_after_sse_;
  int sessions_ = 0;
};

}  // namespace reel::cloud::testing
