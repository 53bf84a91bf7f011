#include "cloud/client/client.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/dirs.h"
#include "cloud/client/mp4_check.h"
#include "draft/model.h"

namespace reel::cloud {
namespace fs = std::filesystem;
using namespace std::chrono;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::string strip_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

int64_t now_seconds() { return duration_cast<seconds>(system_clock::now().time_since_epoch()).count(); }
int64_t now_ms() { return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count(); }

std::string mb(int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

}  // namespace

std::string check_upload(const std::string& path, int64_t max_bytes) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw CloudError(ErrorKind::LocalFile, path + ": no such file (give the path of a photo, clip or sound)");
  const UploadType* t = upload_type_of(path);
  if (!t)
    throw CloudError(
        ErrorKind::UnsupportedType,
        path + ": this file type is not accepted (like error 4001); accepted formats: " + accepted_formats_text(), 0,
        kCodeUnsupportedType);
  auto size = static_cast<int64_t>(fs::file_size(path, ec));
  if (!ec && max_bytes > 0 && size > max_bytes)
    throw CloudError(ErrorKind::TooLarge,
                     path + ": " + mb(size) + " is over the upload limit of " + mb(max_bytes) +
                         " (like error 4002); compress it or trim it, then upload again",
                     0, kCodeTooLarge);
  // The bytes must be the media the name claims, checked before anything is sent: a name like
  // "secret.txt%00.jpg" or a renamed document is refused here, not uploaded.
  std::string head(64, '\0');
  {
    std::ifstream in(path, std::ios::binary);
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
  }
  const std::optional<UploadKind> actual = upload_kind_by_content(head);
  if (actual != t->kind)
    throw CloudError(ErrorKind::UnsupportedType,
                     path + ": the file's bytes are not " +
                         (t->kind == UploadKind::Image   ? "an image"
                          : t->kind == UploadKind::Video ? "a video"
                                                         : "a sound file") +
                         ", though its name says ." + t->extension + " (" +
                         (actual ? std::string("they are ") + (*actual == UploadKind::Image   ? "an image"
                                                               : *actual == UploadKind::Video ? "a video"
                                                                                              : "sound")
                                 : std::string("they are no accepted format")) +
                         "); upload the media itself",
                     0, kCodeUnsupportedType);
  return t->mime;
}

ClientOptions options_from_environment(const std::string& api_flag, const std::string& skill_flag,
                                       const std::string& project_dir) {
  ClientOptions o;
  o.config_dir = base::config_dir();
  ConfigStore store(o.config_dir);
  Json settings = store.settings();
  if (!api_flag.empty())
    o.api = api_flag;
  else if (!env("REEL_API_URL").empty())
    o.api = env("REEL_API_URL");
  else if (settings.contains("api") && settings["api"].is_string())
    o.api = settings["api"].get<std::string>();
  o.api = strip_slash(o.api);
  o.env_token = env("NEMO_TOKEN");
  if (auto s = settings.find("skill"); s != settings.end() && s->is_object()) {
    o.skill_name = s->value("name", o.skill_name);
    o.skill_version = s->value("version", o.skill_version);
  }
  if (auto m = settings.find("max_upload_mb"); m != settings.end() && m->is_number() && m->get<double>() > 0)
    o.max_upload_bytes = static_cast<int64_t>(std::min(m->get<double>(), 1e7) * 1024 * 1024);  // at most 10 TB
  if (settings.contains("register_url") && settings["register_url"].is_string())
    o.register_url = settings["register_url"].get<std::string>();
  if (!skill_flag.empty()) {  // NAME or NAME@VERSION
    auto at = skill_flag.find('@');
    o.skill_name = skill_flag.substr(0, at);
    if (at != std::string::npos) o.skill_version = skill_flag.substr(at + 1);
  }
  std::string install = env("REEL_SKILL_DIR");
  o.platform = detect_platform(install.empty() ? executable_path() : install + "/");
  std::error_code ec;
  fs::path project = fs::weakly_canonical(fs::absolute(project_dir.empty() ? "." : project_dir), ec);
  o.project = ec ? project_dir : project.string();
  return o;
}

Client::Client(ClientOptions options)
    : options_(std::move(options)),
      store_(options_.config_dir.empty() ? base::config_dir() : options_.config_dir),
      http_(options_.timeouts, options_.log) {
  http_.set_cancel(options_.cancel);
  options_.api = strip_slash(options_.api);
  if (options_.project.empty()) {
    std::error_code ec;
    options_.project = fs::current_path(ec).string();
  }
}

Client::~Client() = default;

std::string Client::scrub(std::string text) const {
  for (const std::string* secret : {&token_, &options_.env_token}) {
    if (secret->size() < 4) continue;
    for (size_t p = text.find(*secret); p != std::string::npos; p = text.find(*secret, p))
      text.replace(p, secret->size(), "[token]");
  }
  return text;
}

Headers Client::base_headers() const {
  return {{"X-Skill-Source", options_.skill_name},
          {"X-Skill-Version", options_.skill_version},
          {"X-Skill-Platform", options_.platform},
          {"Accept", "application/json"}};
}

ErrorContext Client::context(const std::string& what) const {
  ErrorContext c;
  c.what = what;
  c.anonymous = options_.env_token.empty();
  c.user_id = user_id_;
  c.register_url = options_.register_url;
  return c;
}

void Client::sleep_for(milliseconds d, const std::atomic<bool>* cancel) const {
  if (!cancel) cancel = options_.cancel;
  auto until = steady_clock::now() + d;
  while (steady_clock::now() < until) {
    if (cancel && cancel->load()) return;
    std::this_thread::sleep_for(std::min<milliseconds>(
        milliseconds(50), duration_cast<milliseconds>(until - steady_clock::now()) + milliseconds(1)));
  }
}

milliseconds Client::backoff(int attempt) const { return options_.retry.backoff * (1 << std::min(attempt - 1, 6)); }

void Client::fetch_anonymous_token() {
  bool new_id = false, waited = false;
  int attempt = 0;
  for (;;) {
    HttpRequest req;
    req.method = "POST";
    req.url = options_.api + "/api/auth/anonymous-token";
    req.headers = base_headers();
    req.headers.emplace_back("X-Client-Id", store_.client_id());
    HttpResponse res;
    try {
      res = http_.send(req);
      if (res.status == 400 && !new_id) {  // the backend did not take our client id: make one
        new_id = true;
        store_.renew_client_id();
        continue;
      }
      Json data = unwrap_answer(res.status, res.body, context("getting an anonymous token"));
      CachedToken t;
      t.token = data.value("token", std::string());
      if (t.token.empty())
        throw CloudError(ErrorKind::BadResponse, "the backend's anonymous-token answer has no token");
      t.user_id = data.value("user_id", std::string());
      t.expires_at = now_seconds() + 7 * 24 * 3600;
      if (auto e = data.find("expires_at"); e != data.end()) {
        if (e->is_string()) {
          if (auto parsed = parse_iso8601(e->get<std::string>())) t.expires_at = *parsed;
        } else if (e->is_number()) {
          int64_t v = e->get<int64_t>();
          t.expires_at = v > 100'000'000'000 ? v / 1000 : v;  // ms or s
        }
      }
      if (auto c = data.find("credits"); c != data.end() && c->is_number()) t.credits = c->get<double>();
      token_ = t.token;
      user_id_ = t.user_id;
      expires_at_ = t.expires_at;
      store_.save_token(options_.api, t);
      return;
    } catch (const CloudError& e) {
      if (e.kind() == ErrorKind::RateLimited && !waited) {
        waited = true;
        if (options_.log) options_.log("rate limited (HTTP 429): waiting before one more try");
        sleep_for(options_.retry.rate_limit_wait);
        continue;
      }
      if (e.retryable() && e.kind() != ErrorKind::RateLimited && ++attempt < options_.retry.attempts) {
        sleep_for(backoff(attempt));
        continue;
      }
      CloudError failed(e.kind(), scrub(e.what()), e.http_status(), e.backend_code());
      // A backend that did not answer is not asked again by this client's next call: its tries
      // were spent here (an export read the credits, then made a session: six tries of 30 s).
      if (e.kind() == ErrorKind::Timeout || e.kind() == ErrorKind::Unreachable || e.kind() == ErrorKind::Transient)
        token_failure_ = failed;
      throw failed;
    }
  }
}

std::string Client::token() {
  if (!options_.env_token.empty()) return options_.env_token;
  const int64_t margin = options_.renew_before.count();
  if (!token_.empty() && expires_at_ - now_seconds() > margin) return token_;
  if (auto cached = store_.load_token(options_.api); cached && cached->expires_at - now_seconds() > margin) {
    token_ = cached->token;
    user_id_ = cached->user_id;
    expires_at_ = cached->expires_at;
    return token_;
  }
  if (token_failure_) throw *token_failure_;
  fetch_anonymous_token();
  return token_;
}

Json Client::api_call(const Call& c) {
  bool renewed = false, waited = false;
  int attempt = 0;
  for (;;) {
    HttpRequest req;
    req.method = c.method;
    req.url = options_.api + c.path;
    req.headers = base_headers();
    req.headers.emplace_back("Authorization", "Bearer " + token());
    if (c.json) {
      req.headers.emplace_back("Content-Type", "application/json");
      req.body = c.json->dump();
    }
    req.files = c.files;
    req.request_ms = c.request_ms;
    try {
      HttpResponse res = http_.send(req);
      return unwrap_answer(res.status, res.body, context(c.what));
    } catch (const CloudError& e) {
      if (e.kind() == ErrorKind::BadToken && !renewed && options_.env_token.empty()) {
        renewed = true;  // 1001: a new anonymous token, and the call once more
        if (options_.log) options_.log("token refused (1001): getting a new anonymous token");
        store_.forget_token(options_.api);
        token_.clear();
        fetch_anonymous_token();
        continue;
      }
      if (e.kind() == ErrorKind::BadToken && !options_.env_token.empty())
        throw CloudError(ErrorKind::BadToken,
                         "the backend refused NEMO_TOKEN (bad or expired): set a valid token, or unset "
                         "NEMO_TOKEN to use an anonymous one",
                         e.http_status(), e.backend_code());
      if (e.kind() == ErrorKind::RateLimited && c.wait_on_429 && !waited) {
        waited = true;
        if (options_.log) options_.log("rate limited (HTTP 429): waiting before one more try");
        sleep_for(options_.retry.rate_limit_wait);
        continue;
      }
      bool may_retry =
          (c.retry == Retry::Transient && (e.kind() == ErrorKind::Transient || e.kind() == ErrorKind::Timeout ||
                                           e.kind() == ErrorKind::Unreachable)) ||
          (c.retry == Retry::ConnectOnly && e.kind() == ErrorKind::Unreachable);
      if (may_retry && ++attempt < options_.retry.attempts) {
        if (options_.log) options_.log(scrub(std::string("retrying after: ") + e.what()));
        sleep_for(backoff(attempt));
        continue;
      }
      throw CloudError(e.kind(), scrub(e.what()), e.http_status(), e.backend_code());
    }
  }
}

Identity Client::login() {
  Identity id;
  id.api = options_.api;
  token();
  id.anonymous = options_.env_token.empty();
  if (id.anonymous) {
    id.user_id = user_id_;
    id.expires_at = expires_at_;
  }
  return id;
}

Credits Client::credits() {
  Call c;
  c.path = "/api/credits/balance/simple";
  c.what = "reading the credits";
  return parse_credits(api_call(c));
}

SessionRecord Client::new_session() {
  Call c;
  c.method = "POST";
  c.path = "/api/tasks/me/with-session/nemo_agent";
  c.json = Json{{"task_name", "project"}, {"language", "en"}};
  c.what = "creating a session";
  c.retry = Retry::ConnectOnly;
  Json data = api_call(c);
  SessionRecord s;
  auto str = [&](const char* k) {
    auto it = data.find(k);
    if (it == data.end()) return std::string();
    return it->is_string() ? it->get<std::string>() : it->dump();
  };
  s.session_id = str("session_id");
  s.task_id = str("task_id");
  if (s.session_id.empty())
    throw CloudError(ErrorKind::BadResponse, "the backend's new-session answer has no session_id");
  store_.save_session(options_.api, options_.project, s);
  return s;
}

SessionRecord Client::session() {
  if (auto s = store_.load_session(options_.api, options_.project)) return *s;
  return new_session();
}

template <class Fn>
auto Client::with_session(Fn&& fn) -> decltype(fn(std::string())) {
  SessionRecord s = session();
  try {
    return fn(s.session_id);
  } catch (const CloudError& e) {
    if (e.kind() != ErrorKind::SessionNotFound) throw;
    if (options_.log) options_.log("session not found (1002): starting a new one");
    return fn(new_session().session_id);
  }
}

std::vector<UploadedFile> Client::upload_files(const std::vector<std::string>& paths) {
  std::vector<MultipartFile> parts;
  for (const auto& p : paths) {
    MultipartFile f;
    f.mime_type = check_upload(p, options_.max_upload_bytes);  // all checked before any upload
    f.path = p;
    f.filename = fs::path(p).filename().string();
    parts.push_back(std::move(f));
  }
  std::vector<UploadedFile> all;
  // Several files per request, at most 10 and max_upload_bytes per request.
  size_t i = 0;
  while (i < parts.size()) {
    std::vector<MultipartFile> batch;
    int64_t bytes = 0;
    while (i < parts.size() && batch.size() < 10) {
      std::error_code ec;
      int64_t size = static_cast<int64_t>(fs::file_size(parts[i].path, ec));
      if (!batch.empty() && bytes + size > options_.max_upload_bytes) break;
      bytes += size;
      batch.push_back(parts[i++]);
    }
    auto files = with_session([&](const std::string& sid) {
      Call c;
      c.method = "POST";
      c.path = "/api/upload-video/nemo_agent/me/" + sid;
      c.files = batch;
      c.what = "uploading " + std::to_string(batch.size()) + " file(s)";
      c.request_ms = 0;  // large bodies: the low-speed limit guards against stalls
      return parse_uploaded_files(api_call(c));
    });
    store_.add_uploads(options_.api, session().session_id, files);
    all.insert(all.end(), files.begin(), files.end());
  }
  return all;
}

std::vector<UploadedFile> Client::upload_urls(const std::vector<std::string>& urls) {
  for (const auto& u : urls) {
    std::string scheme = url_scheme(u);
    if (scheme != "http" && scheme != "https")
      throw CloudError(ErrorKind::UnsupportedType, u + ": only http(s) URLs can be uploaded by address");
  }
  auto files = with_session([&](const std::string& sid) {
    Call c;
    c.method = "POST";
    c.path = "/api/upload-video/nemo_agent/me/" + sid;
    c.json = Json{{"urls", urls}, {"source_type", "url"}};
    c.what = "uploading " + std::to_string(urls.size()) + " URL(s)";
    c.request_ms = 0;
    return parse_uploaded_files(api_call(c));
  });
  store_.add_uploads(options_.api, session().session_id, files);
  return files;
}

Json Client::state() {
  std::string sid;
  Json st = with_session([&](const std::string& id) {
    sid = id;
    Call c;
    c.path = "/api/state/nemo_agent/me/" + id + "/latest";
    c.what = "reading the session state";
    return api_call(c);
  });
  // The session's files, remembered for the sandbox-path mapping of local renders (offline too).
  if (auto it = st.find("state"); it != st.end() && it->is_object())
    if (auto v = it->find("video_infos"); v != it->end() && v->is_array()) {
      std::vector<UploadedFile> files = parse_uploaded_files(Json{{"files", *v}});
      if (!files.empty()) store_.add_uploads(options_.api, sid, files);
    }
  return st;
}

std::map<std::string, std::string> Client::uploaded_files(bool with_state) {
  if (with_state) state();  // remembers the state's video_infos
  return store_.uploads(options_.api, session().session_id);
}

std::string Client::submit_render(const Json& draft, const Json& output, const PartRequest& part) {
  Json out = output.is_object() ? output : Json{{"format", "mp4"}, {"quality", "high"}, {"resolution", "1080p"}};
  std::string sid = session().session_id;
  bool new_id_tried = false;
  std::string id = "render_" + std::to_string(now_ms());
  for (;;) {
    Call c;
    c.method = "POST";
    c.path = "/api/render/proxy/lambda";
    c.json = Json{{"id", id}, {"sessionId", sid}, {"draft", draft}, {"output", out}};
    if (part.of > 0) (*c.json)["part"] = to_json(part);  // a render node's extension (reel export --nodes)
    c.what = "submitting render " + id;
    c.retry = Retry::Transient;  // the same id again: a duplicate answer then means it got there
    try {
      Json data = api_call(c);
      std::string got = data.value("id", std::string());
      return got.empty() ? id : got;
    } catch (const CloudError& e) {
      if (e.kind() == ErrorKind::SessionNotFound) {
        sid = new_session().session_id;
        continue;
      }
      if (e.kind() != ErrorKind::DuplicateId) throw;
      if (new_id_tried) throw;
      new_id_tried = true;
      std::string fresh = "render_" + std::to_string(now_ms());
      if (fresh == id) fresh += "_1";
      if (options_.log) options_.log("render id " + id + " already in use: retrying once as " + fresh);
      id = fresh;
    }
  }
}

RenderStatus Client::render_status(const std::string& id) {
  Call c;
  c.path = "/api/render/proxy/lambda/" + id;
  c.what = "polling render " + id;
  c.retry = Retry::None;  // the poll loop retries with its own cadence
  c.wait_on_429 = false;
  RenderStatus st = parse_render_status(api_call(c));
  if (st.id.empty()) st.id = id;
  st.error = scrub(st.error);
  return st;
}

void Client::cancel_render(const std::string& id) {
  Call c;
  c.method = "POST";
  c.path = "/api/render/proxy/lambda/" + id + "/cancel";
  c.what = "cancelling render " + id;
  // Sent after a Ctrl-C too (that is when it is wanted), once and briefly: a backend that does
  // not answer must not hold the person who asked to stop.
  c.retry = Retry::None;
  c.wait_on_429 = false;
  c.request_ms = 10'000;
  http_.set_cancel(nullptr);
  try {
    api_call(c);
  } catch (...) {
    http_.set_cancel(options_.cancel);
    throw;
  }
  http_.set_cancel(options_.cancel);
}

RenderStatus Client::wait_render(const std::string& id, const RenderProgressFn& progress,
                                 const std::atomic<bool>* cancel) {
  const auto start = steady_clock::now();
  milliseconds delay = options_.poll.first;
  std::string last_state = "submitted";
  for (;;) {
    if (cancel && cancel->load()) {
      try {
        cancel_render(id);
      } catch (const CloudError&) {
      }
      throw CloudError(ErrorKind::Cancelled, "cancelled; the cloud render " + id + " was asked to stop");
    }
    try {
      RenderStatus st = render_status(id);
      last_state = st.status_text.empty() ? last_state : st.status_text;
      if (progress) progress(st);
      if (st.state == RenderState::Completed) return st;
      if (st.state == RenderState::Failed)
        throw CloudError(ErrorKind::RenderFailed, "the cloud render " + id + " failed: " +
                                                      (st.error.empty() ? std::string("no reason given") : st.error));
      if (st.state == RenderState::Cancelled)
        throw CloudError(ErrorKind::Cancelled, "the cloud render " + id + " was cancelled");
    } catch (const CloudError& e) {
      if (!e.retryable()) throw;
      if (options_.log) options_.log("poll of " + id + " failed, polling again: " + scrub(e.what()));
    }
    auto elapsed = duration_cast<milliseconds>(steady_clock::now() - start);
    if (elapsed >= options_.poll.give_up)
      throw CloudError(ErrorKind::GaveUp, "the cloud render " + id + " is still " + last_state + " after " +
                                              std::to_string(elapsed.count() / 1000) +
                                              " s; it keeps running in the cloud: run `reel export --resume` later to "
                                              "download it");
    sleep_for(std::min(delay, options_.poll.give_up - elapsed), cancel);
    delay = std::min(duration_cast<milliseconds>(delay * options_.poll.factor), options_.poll.longest);
  }
}

DownloadResult Client::download_render(const RenderStatus& st, const std::string& out, int64_t expected_ms) {
  const auto verify = [&](const std::string& part) { require_mp4(part, expected_ms, "the cloud render " + st.id); };
  auto try_download = [&](const std::string& url, bool auth) {
    Headers h = base_headers();
    if (auth) h.emplace_back("Authorization", "Bearer " + token());
    int attempt = 0;
    for (;;) {
      try {
        return http_.download(url, h, out, options_.max_download_bytes, verify);
      } catch (const CloudError& e) {
        bool again = e.kind() == ErrorKind::Transient || e.kind() == ErrorKind::Timeout ||
                     (e.kind() == ErrorKind::RateLimited && attempt == 0);
        if (!again || ++attempt >= options_.retry.attempts)
          throw CloudError(e.kind(), scrub(e.what()), e.http_status(), e.backend_code());
        if (options_.log) options_.log(scrub(std::string("download interrupted, resuming: ") + e.what()));
        sleep_for(backoff(attempt));
      }
    }
  };
  const std::string fallback = options_.api + "/api/render/proxy/" + st.id + "/download";
  if (!st.output_url.empty()) {
    std::string scheme = url_scheme(st.output_url);
    if (scheme == "http" || scheme == "https") {
      try {
        // The token goes only to the API's own origin, never to a CDN.
        return try_download(st.output_url, url_origin(st.output_url) == url_origin(options_.api));
      } catch (const CloudError& e) {
        if (e.kind() == ErrorKind::LocalFile || e.kind() == ErrorKind::TooLarge) throw;
        if (options_.log) options_.log(std::string("outputUrl failed, using the download endpoint: ") + e.what());
      }
    }
  }
  return try_download(fallback, true);
}

ExportOutcome Client::export_draft(const Json& draft, const std::string& out, const RenderProgressFn& progress,
                                   const std::atomic<bool>* cancel, const Json& output) {
  std::error_code ec;
  std::string out_abs = fs::absolute(out, ec).string();
  std::string id = submit_render(draft, output);
  JobRecord job;
  job.api = options_.api;
  job.project = options_.project;
  job.id = id;
  job.session_id = session().session_id;
  job.out_path = out_abs;
  job.submitted_at_ms = now_ms();
  job.expected_ms = draft::load_draft(draft).draft.duration_ms();
  store_.save_job(job);  // before the first poll: a stopped client can pick the job up
  return resume_export(out_abs, progress, cancel);
}

std::optional<JobRecord> Client::pending_job(const std::string& out) const {
  const std::vector<JobRecord> jobs = store_.load_jobs(options_.api, options_.project);
  std::error_code ec;
  const std::string out_abs = out.empty() ? std::string() : fs::absolute(out, ec).string();
  for (const JobRecord& j : jobs)
    if (out_abs.empty() ? jobs.size() == 1 : j.out_path == out_abs) return j;
  return std::nullopt;
}

ExportOutcome Client::resume_export(const std::string& out, const RenderProgressFn& progress,
                                    const std::atomic<bool>* cancel) {
  auto job = pending_job(out);
  const std::vector<JobRecord> jobs = store_.load_jobs(options_.api, options_.project);
  if (!job && jobs.size() == 1) job = jobs.front();  // the only one, to the file `out` names
  if (!job) {
    if (jobs.empty())
      throw CloudError(ErrorKind::NotFound,
                       "there is no cloud render to resume for " + options_.project + " on " + options_.api);
    std::string outputs;
    for (const JobRecord& j : jobs) outputs += (outputs.empty() ? "" : ", ") + j.out_path;
    throw CloudError(ErrorKind::NotFound, std::to_string(jobs.size()) + " cloud renders are left running for " +
                                              options_.project + " (to " + outputs +
                                              "); say which with -o, e.g. `reel export --resume -o " +
                                              jobs.front().out_path + "`");
  }
  ExportOutcome r;
  r.job_id = job->id;
  r.out_path = out.empty() ? job->out_path : out;
  RenderStatus st;
  try {
    st = wait_render(job->id, progress, cancel);
  } catch (const CloudError& e) {
    // A failed, cancelled or vanished job has nothing left to resume; a give-up keeps the id.
    if (e.kind() == ErrorKind::RenderFailed || e.kind() == ErrorKind::Cancelled || e.kind() == ErrorKind::NotFound)
      store_.remove_job(options_.api, options_.project, job->out_path);
    throw;
  }
  DownloadResult d = download_render(st, r.out_path, job->expected_ms);
  store_.remove_job(options_.api, options_.project, job->out_path);
  r.bytes = d.bytes;
  r.resumed_download = d.resumed;
  return r;
}

namespace {

/// One /run_sse turn while it streams: each event read as it comes and told to the callbacks,
/// the first error event kept, and the clock of the still-working notice and the stall limit.
struct TurnStream {
  TurnStream(const AgentCallbacks& callbacks, const AgentStreamOptions& limits, const std::atomic<bool>* cancel,
             ErrorContext ctx)
      : cb(callbacks), limits(limits), cancel(cancel), ctx(std::move(ctx)) {}

  /// False when an error event ended the turn.
  bool handle(const std::vector<SseEvent>& events) {
    for (const SseEvent& e : events)
      for (const AgentEvent& a : reader.read(e))
        if (!handle(a)) return false;
    return true;
  }
  bool handle(const AgentEvent& a) {
    switch (a.kind) {
      case AgentEvent::Kind::Text:
        last_text = steady_clock::now();
        if (cb.on_text) cb.on_text(a.text);
        break;
      case AgentEvent::Kind::ToolCall:
      case AgentEvent::Kind::ToolResult: {
        bool result = a.kind == AgentEvent::Kind::ToolResult;
        ++(result ? turn.tool_results : turn.tool_calls);
        if (cb.on_tool) cb.on_tool(a.text, result);
        break;
      }
      case AgentEvent::Kind::KeepAlive:
        ++turn.keep_alives;
        break;
      case AgentEvent::Kind::Error:
        if (!agent_error)
          agent_error = a.code != 0 ? error_for_code(a.code, a.text, 200, ctx)
                                    : CloudError(ErrorKind::AgentError, "the agent reported an error: " + a.text);
        return false;
      case AgentEvent::Kind::Other:
        break;
    }
    return true;
  }
  bool on_data(std::string_view chunk) {
    last_byte = steady_clock::now();
    return handle(parser.feed(chunk));
  }
  bool on_tick() {
    if (cancel && cancel->load()) return false;
    if (steady_clock::now() - last_byte >= limits.stall) {  // not even a keep-alive: gone
      stalled = true;
      return false;
    }
    if (steady_clock::now() - last_text >= limits.still_working_every) {
      last_text = steady_clock::now();
      if (cb.on_still_working) cb.on_still_working();
    }
    return true;
  }

  const AgentCallbacks& cb;
  const AgentStreamOptions& limits;
  const std::atomic<bool>* cancel;
  const ErrorContext ctx;
  AgentTurn turn;
  AgentTurnReader reader;
  SseParser parser;
  std::optional<CloudError> agent_error;
  steady_clock::time_point last_text = steady_clock::now(), last_byte = last_text;
  bool stalled = false;
};

/// What to throw when a turn's stream failed with `e` (`sent`: the request went out).
CloudError stream_failure(const Client& client, const TurnStream& ts, const CloudError& e, bool sent) {
  if (ts.agent_error)
    return CloudError(ts.agent_error->kind(), client.scrub(ts.agent_error->what()), 0, ts.agent_error->backend_code());
  if (ts.stalled)
    return CloudError(ErrorKind::StreamDropped,
                      "the connection went silent for " + std::to_string(ts.limits.stall.count()) +
                          " s (not even a keep-alive); your message was sent once and was not re-sent — say "
                          "`status` to see the timeline");
  if (e.kind() == ErrorKind::Cancelled)
    return CloudError(ErrorKind::Cancelled,
                      "stopped waiting for the agent; your message was sent once and was not re-sent");
  if (!sent || e.kind() == ErrorKind::Unreachable)
    return CloudError(e.kind(), client.scrub(std::string(e.what()) + "; your message was not sent"));
  return CloudError(
      ErrorKind::StreamDropped,
      client.scrub(std::string("the connection dropped (") + e.what() +
                   "); your message was sent once and was not re-sent — say `status` to see the timeline"));
}

}  // namespace

AgentTurn Client::send_message(const std::string& message, const AgentCallbacks& cb, const AgentStreamOptions& limits,
                               const std::atomic<bool>* cancel) {
  bool renewed = false, new_session_tried = false;
  std::string sid = session().session_id;
  for (;;) {
    HttpRequest req;
    req.method = "POST";
    req.url = options_.api + "/run_sse";
    req.headers = base_headers();
    for (auto& [name, value] : req.headers)
      if (name == "Accept") value = "text/event-stream";
    req.headers.emplace_back("Authorization", "Bearer " + token());
    req.headers.emplace_back("Content-Type", "application/json");
    req.body = agent_request_body(sid, message);
    req.request_ms = static_cast<long>(limits.turn_limit.count());

    TurnStream ts(cb, limits, cancel, context("talking to the agent"));
    HttpTimeouts t = http_.timeouts();
    HttpTimeouts stream_t = t;
    stream_t.low_speed_bytes = 1;
    // The stall limit is kept by on_tick (curl's own averages speed over several seconds);
    // curl's low-speed limit stays as a backstop.
    stream_t.low_speed_seconds = static_cast<long>(limits.stall.count()) + 10;
    http_.set_timeouts(stream_t);
    bool sent = false;
    HttpResponse res;
    try {
      res = http_.stream(
          req, [&](std::string_view chunk) { return ts.on_data(chunk); }, [&] { return ts.on_tick(); }, &sent);
      http_.set_timeouts(t);
    } catch (const CloudError& e) {
      http_.set_timeouts(t);
      throw stream_failure(*this, ts, e, sent);
    }
    if (res.status < 200 || res.status >= 300) {
      try {
        unwrap_answer(res.status, res.body, context("sending the message to the agent"));
        throw error_for_status(res.status, res.body.substr(0, 200), context("sending the message to the agent"));
      } catch (const CloudError& e) {
        // Refused before the agent ran: the message has not been acted on, so one more try is safe.
        if (e.kind() == ErrorKind::BadToken && !renewed && options_.env_token.empty()) {
          renewed = true;
          store_.forget_token(options_.api);
          token_.clear();
          fetch_anonymous_token();
          continue;
        }
        if (e.kind() == ErrorKind::SessionNotFound && !new_session_tried) {
          new_session_tried = true;
          if (options_.log) options_.log("session not found (1002): starting a new one");
          sid = new_session().session_id;
          continue;
        }
        throw CloudError(e.kind(), scrub(e.what()), e.http_status(), e.backend_code());
      }
    }
    ts.handle(ts.parser.finish());
    if (ts.agent_error)
      throw CloudError(ts.agent_error->kind(), scrub(ts.agent_error->what()), 0, ts.agent_error->backend_code());
    ts.turn.text = ts.reader.text();
    return ts.turn;
  }
}

}  // namespace reel::cloud
