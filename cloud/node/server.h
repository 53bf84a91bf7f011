#pragma once
// The render node: a server of our own that answers the backend's protocol (docs/cloud.md),
// rendering with a render function (the local engine in `reel serve`, see node/engine_adapter.h).
// HTTP is served by a bounded pool of httplib threads with read/write timeouts; renders run in
// a separate bounded pool of workers, so a slow client never stalls a job. This header is the
// node's public face; its parts (routes, auth, sessions, uploads, renders, agent_turn, ...)
// are internal to cloud/node/ and share one NodeState (node/state.h).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "cloud/client/http.h"
#include "cloud/protocol/wire.h"
#include "draft/model.h"

namespace reel::cloud {

/// Renders `draft` to `out_path` (atomically), reading media only through `resolve`, calling
/// `progress` with 0..100 now and then, and stopping soon after `cancel` becomes true (then it
/// throws). Any exception's what() becomes the job's error text.
using NodeRenderFn = std::function<void(const draft::Draft& draft, const std::string& out_path,
                                        const std::function<std::string(const std::string&)>& resolve,
                                        const std::function<void(int)>& progress, const std::atomic<bool>& cancel,
                                        const PartRequest& part)>;

/// Whether the node's agent ends an editing turn with no text. Never by default: every turn
/// answers with text. Random imitates the real backend, which does so in about 30% of editing
/// turns; Always and Random are for tests and for trying a client against that behaviour.
enum class NoTextTurns { Random, Always, Never };

/// Everything `reel serve` can set; docs/cloud.md ("Limits") lists each limit with its flag.
struct NodeOptions {
  std::string host = "127.0.0.1";
  int port = 8790;          // 0: any free port (tests)
  std::string data_dir;     // required: tokens, sessions, uploads, renders
  std::string public_url;   // base of cdn_url / outputUrl; default http://host:port
  int workers = 1;          // render workers
  size_t queue_limit = 32;  // renders waiting beyond this: HTTP 503
  // HTTP: threads, timeouts, the connections of one address.
  int http_threads = 32;
  int read_timeout_s = 10, write_timeout_s = 30;  // per wait for the socket
  int request_timeout_s = 30;                     // a whole request; a body gets 1 s per MB more
  int max_connections_per_address = 16;
  bool allow_local_media = false;  // trust drafts that name local files / private URLs
  // Bodies.
  int64_t max_json_bytes = 8ll << 20;
  int max_json_depth = 64;
  int64_t max_upload_bytes = 200ll << 20;  // per file; a request carries at most this + 1 MB
  int max_upload_parts = 64;               // files in one upload request
  int64_t max_chat_message_bytes = 16 << 10;
  // Per job, checked at submit (duration, pixel rate, queue share) or while it runs.
  int64_t max_duration_ms = 3600'000;
  int64_t max_pixel_rate = 1920ll * 1080 * 60;  // width x height x fps
  std::chrono::seconds max_render_time{30 * 60};
  int64_t max_output_bytes = 4ll << 30;
  int max_queued_per_user = 4;
  // Records and tokens.
  int max_sessions_per_user = 100;  // a new one beyond it forgets that user's least recently used
  int keep_finished_jobs = 200;     // older finished jobs are forgotten, their files removed
  int tokens_per_client = 3;        // new anonymous tokens per client id per 7 days
  int tokens_per_address_per_minute = 20;
  std::chrono::seconds token_lifetime{7 * 24 * 3600};
  NoTextTurns no_text_turns = NoTextTurns::Never;
  double no_text_share = 0.3;  // with Random: the share of editing turns without text
  int agent_pause_ms = 0;      // between streamed events; > 0 makes them arrive as a slow stream
  NodeRenderFn render;         // required to render
  LogFn log;                   // access and job log; never contains a token
};

class RenderNode {
 public:
  explicit RenderNode(NodeOptions options);
  ~RenderNode();  // stop() with no grace
  RenderNode(const RenderNode&) = delete;
  RenderNode& operator=(const RenderNode&) = delete;

  /// Binds, loads the records of data_dir, starts the server and workers. Returns the port.
  /// Throws std::runtime_error when the address cannot be bound.
  int start();
  /// Stops: no new jobs; queued jobs are marked failed; running jobs get `grace` to finish,
  /// then are cancelled and marked failed. Then the HTTP server stops. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(0));
  /// Blocks until stop() has finished.
  void wait();

  std::string base_url() const;
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reel::cloud
