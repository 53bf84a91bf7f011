#pragma once
// The backend client: auth (NEMO_TOKEN or a cached anonymous token), sessions, uploads,
// credits, state, and render submit -> poll -> download -> cancel, with the retry rules of
// docs/cloud.md. One Client per thread (it owns one curl handle). The token never leaves the
// Authorization header: messages and logs are scrubbed of it.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cloud/client/agent_stream.h"
#include "cloud/client/config.h"
#include "cloud/client/http.h"
#include "cloud/protocol/errors.h"
#include "cloud/protocol/upload_types.h"
#include "cloud/protocol/wire.h"
#include "draft/json.h"

namespace reel::cloud {

/// The production address, used when neither --api nor REEL_API_URL is given.
inline constexpr const char* kDefaultApi = "https://mega-api-prod.nemovideo.ai";

/// Render polling: first wait, growth, longest wait, and when to give up.
struct PollPolicy {
  std::chrono::milliseconds first{2000};
  double factor = 1.5;
  std::chrono::milliseconds longest{15000};
  std::chrono::milliseconds give_up{std::chrono::minutes(10)};
};

/// Bounded retries of transient failures, and the one wait after HTTP 429.
struct RetryPolicy {
  int attempts = 3;                        // tries of one call, first included
  std::chrono::milliseconds backoff{500};  // doubles each try
  std::chrono::milliseconds rate_limit_wait{30000};
};

struct ClientOptions {
  std::string api = kDefaultApi;  // base URL without trailing slash
  std::string config_dir;         // base::config_dir() when empty
  std::string project;            // the project folder (absolute); sessions and jobs are per folder
  std::string env_token;          // NEMO_TOKEN: a registered token; empty: anonymous
  std::string skill_name = "reel";
  std::string skill_version = REEL_VERSION;
  std::string platform = "unknown";
  std::string register_url = "https://nemovideo.ai/register";
  HttpTimeouts timeouts;
  RetryPolicy retry;
  PollPolicy poll;
  std::chrono::seconds renew_before{std::chrono::hours(1)};  // renew a token this long before expiry
  int64_t max_upload_bytes = 200ll << 20;
  int64_t max_download_bytes = 8ll << 30;
  LogFn log;  // --verbose lines; never given the token
  /// When it becomes true (Ctrl-C), every request and wait stops within about a second
  /// (CloudError Cancelled); only the request that cancels a cloud render still goes out.
  const std::atomic<bool>* cancel = nullptr;
};

/// Options from the environment and config.json: REEL_API_URL (unless `api` is given),
/// NEMO_TOKEN, the skill name/version, the platform from the executable's install path.
ClientOptions options_from_environment(const std::string& api_flag, const std::string& skill_flag,
                                       const std::string& project_dir);

/// Who the client is (never the token).
struct Identity {
  std::string api;
  std::string user_id;  // "anon_..." for anonymous; empty for NEMO_TOKEN (unknown)
  bool anonymous = true;
  int64_t expires_at = 0;  // epoch seconds; 0 when unknown
};

/// Progress of a render being polled.
using RenderProgressFn = std::function<void(const RenderStatus&)>;

struct ExportOutcome {
  std::string job_id;
  std::string out_path;
  int64_t bytes = 0;
  bool resumed_download = false;
};

class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const ClientOptions& options() const { return options_; }
  ConfigStore& store() { return store_; }

  /// Makes sure a token is at hand (fetching or renewing the anonymous one) and says who we are.
  Identity login();
  Credits credits();

  /// The project's current session, created when there is none.
  SessionRecord session();
  /// Starts a new session for the project and remembers it.
  SessionRecord new_session();

  /// Uploads local files into the current session (several per request), after checking type
  /// and size locally. Remembers each file's cdn_url for the sandbox-path mapping.
  std::vector<UploadedFile> upload_files(const std::vector<std::string>& paths);
  std::vector<UploadedFile> upload_urls(const std::vector<std::string>& urls);
  /// name -> cdn_url of everything uploaded to the current session (remembered locally and
  /// read from the state's video_infos when `with_state`).
  std::map<std::string, std::string> uploaded_files(bool with_state);

  /// The session's latest state (`data` of the state call: session_id, state{draft, ...}).
  /// Its files (video_infos) are remembered as the session's uploads.
  Json state();

  /// Submits a render of `draft` and returns its id (a duplicate id is retried once with a
  /// new id). `output` defaults to mp4/high/1080p. `part` asks a reel render node for one part
  /// of the render only (the backend's lambda renders whole drafts).
  std::string submit_render(const Json& draft, const Json& output = {}, const PartRequest& part = {});
  RenderStatus render_status(const std::string& id);
  void cancel_render(const std::string& id);
  /// Polls until completed (returned), failed (RenderFailed), cancelled, or the give-up time
  /// (GaveUp, with the resume hint). `cancel`, when set, stops the wait and cancels the job.
  RenderStatus wait_render(const std::string& id, const RenderProgressFn& progress = {},
                           const std::atomic<bool>* cancel = nullptr);
  /// Downloads a completed render to `out` (resumable, atomic), from outputUrl or else from
  /// the download endpoint. What arrived must be an MP4 lasting about `expected_ms` (when
  /// known) before it takes the name `out`.
  DownloadResult download_render(const RenderStatus& status, const std::string& out, int64_t expected_ms = 0);

  /// submit -> job id on disk -> poll -> download -> job id removed.
  ExportOutcome export_draft(const Json& draft, const std::string& out, const RenderProgressFn& progress = {},
                             const std::atomic<bool>* cancel = nullptr, const Json& output = {});
  /// Picks up a job left by an earlier export of this project: the one for `out` when there is
  /// one, else the project's only one (downloaded to `out` when given, else to its own file).
  /// Several and none for `out`: CloudError (NotFound) naming their outputs.
  ExportOutcome resume_export(const std::string& out, const RenderProgressFn& progress = {},
                              const std::atomic<bool>* cancel = nullptr);
  /// The job left running for `out`; for no `out`, the project's only one; else none.
  std::optional<JobRecord> pending_job(const std::string& out = "") const;

  /// Sends one message to the agent (POST /run_sse in the current session) and streams the
  /// answer to `callbacks` until the server closes the stream. Never sent twice: only a
  /// refusal that came before the agent ran (1001 token, 1002 session) is tried once more; a
  /// stream that breaks afterwards throws StreamDropped, an error event AgentError.
  AgentTurn send_message(const std::string& message, const AgentCallbacks& callbacks,
                         const AgentStreamOptions& limits = {}, const std::atomic<bool>* cancel = nullptr);

  /// Replaces every occurrence of the token in `text` (defence in depth for messages).
  std::string scrub(std::string text) const;

 private:
  enum class Retry { Transient, ConnectOnly, None };
  struct Call {
    std::string method = "GET";
    std::string path;  // from the API root: "/api/credits/balance/simple"
    std::optional<Json> json;
    std::vector<MultipartFile> files;
    std::string what;  // "reading credits"
    Retry retry = Retry::Transient;
    bool wait_on_429 = true;
    long request_ms = -1;
  };
  Json api_call(const Call& call);
  std::string token();
  void fetch_anonymous_token();
  Headers base_headers() const;
  ErrorContext context(const std::string& what) const;
  template <class Fn>
  auto with_session(Fn&& fn) -> decltype(fn(std::string()));
  void sleep_for(std::chrono::milliseconds d, const std::atomic<bool>* cancel = nullptr) const;
  std::chrono::milliseconds backoff(int attempt) const;

  ClientOptions options_;
  ConfigStore store_;
  std::optional<CloudError> token_failure_;  // the anonymous token could not be had: no more tries
  Http http_;
  std::string token_;  // in memory only
  std::string user_id_;
  int64_t expires_at_ = 0;
};

/// Checks a file before upload: exists, accepted type (4001-style error listing the formats),
/// not over `max_bytes` (4002-style error: compress or trim). Returns the MIME type.
std::string check_upload(const std::string& path, int64_t max_bytes);

}  // namespace reel::cloud
