#include "cli/studio/server.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "base/error.h"
#include "cli/cmd_cache.h"
#include "cli/draft_history.h"
#include "cli/exit_codes.h"
#include "cli/loopback/guard.h"
#include "cli/music_facts.h"
#include "cli/progress.h"
#include "cli/studio/cloud_agent.h"
#include "cli/studio/draft_file.h"
#include "cli/studio/frames.h"
#include "cli/studio/jobs.h"
#include "cli/studio/page_assets.h"
#include "cli/studio/preview.h"
#include "cli/studio/timeline_view.h"
#include "cli/watch.h"
#include "cloud/node/connections.h"
#include "cloud/node/responses.h"
#include "draft/agent.h"
#include "draft/parse.h"
#include "draft/summary.h"

extern char** environ;

namespace reel::cli::studio {

namespace {

namespace fs = std::filesystem;
using httplib::Request;
using httplib::Response;

constexpr auto kLongPoll = std::chrono::seconds(20);

// When the request being answered on this thread came in (the guard sees every one first).
thread_local std::chrono::steady_clock::time_point request_started;

// A JSON answer, with the time the studio took over it (`Server-Timing: studio;dur=MS`, which
// the browser test reads to tell the server's part of an edit from the page's).
void reply(Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
  const double took =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - request_started).count();
  res.set_header("Server-Timing", "studio;dur=" + std::to_string(took));
}
void refuse(Response& res, int status, const std::string& why) { reply(res, status, {{"error", why}}); }

// A kept picture goes out from where it is kept: no copy of a few MB per answer.
void send_png(Response& res, FrameMaker::Png png) {
  const size_t size = png->size();
  res.set_content_provider(size, "image/png",
                           [png = std::move(png)](size_t offset, size_t length, httplib::DataSink& sink) {
                             return sink.write(png->data() + offset, std::min(length, png->size() - offset));
                           });
}

// The token a request carries: the cookie the page got, or the header its script sends.
std::string token_of(const Request& req, const std::string& cookie_name) {
  if (req.has_header("X-Reel-Token")) return req.get_header_value("X-Reel-Token");
  const std::string cookies = req.get_header_value("Cookie");
  const std::string key = cookie_name + "=";
  for (size_t at = 0; at < cookies.size();) {
    size_t end = cookies.find(';', at);
    if (end == std::string::npos) end = cookies.size();
    std::string part = cookies.substr(at, end - at);
    part.erase(0, part.find_first_not_of(' '));
    if (part.rfind(key, 0) == 0) return part.substr(key.size());
    at = end + 1;
  }
  return "";
}

// The state of the draft the page draws: timeline, summary, problems, history depth.
Json draft_json(const DraftFile& file, const DraftVersion& v) {
  Json problems = Json::array();
  for (const draft::Problem& p : v.input.loaded.problems) problems.push_back(p.to_json());
  auto [undo, redo] = history_depth(file.path());
  Json out = {{"revision", v.revision},
              {"path", file.path()},
              {"problems", problems},
              {"history", {{"undo", undo}, {"redo", redo}}}};
  if (!v.read_error.empty()) {
    out["error"] = v.read_error;
    return out;
  }
  out["summary"] = draft::timeline_summary(v.input.loaded.draft);
  out["timeline"] = timeline_json(v.input.loaded.draft);
  out["title"] = v.input.loaded.draft.title;
  return out;
}

Json job_json(const Job& j) {
  Json out = {{"id", j.id},           {"kind", j.kind},         {"state", j.state},    {"progress", j.progress},
              {"message", j.message}, {"revision", j.revision}, {"seconds", j.seconds}};
  if (!j.file.empty()) {
    out["file"] = fs::path(j.file).filename().string();
    out["download"] = "/api/jobs/" + std::to_string(j.id) + "/file";
  }
  return out;
}

// Starts the desktop's browser on `url` (xdg-open), not waiting for it.
void open_browser(const std::string& url) {
  const char* argv[] = {"xdg-open", url.c_str(), nullptr};
  pid_t pid = 0;
  if (posix_spawnp(&pid, "xdg-open", nullptr, nullptr, const_cast<char**>(argv), environ) != 0) {
    std::cerr << "reel: --open: no xdg-open here to start a browser; open the address above yourself\n";
    return;
  }
  std::thread([pid] { waitpid(pid, nullptr, 0); }).detach();
}

// The chat's client: a backend that does not answer is told within a few seconds (the local
// agent then answers), as `reel chat` finds out when it connects.
cloud::ClientOptions chat_options(cloud::ClientOptions o) {
  o.timeouts.connect_ms = std::min<long>(o.timeouts.connect_ms, 3000);
  return o;
}

/// Everything one studio run holds; the handlers are its methods. Shared by the HTTP threads.
class Studio {
 public:
  explicit Studio(const StudioOptions& o)
      : options_(o),
        scratch_(cache_part_dir("studio") + "/" + std::to_string(getpid())),
        file_(o.draft_path),
        preview_(scratch_, frames_),
        jobs_(ExportTarget{o.export_dir, o.cloud}, frames_),
        cloud_agent_(o.cloud ? std::make_unique<CloudAgent>(chat_options(*o.cloud)) : nullptr),
        server_(cloud::node::ConnectionLimits{}) {}

  int run() {
    configure();
    routes();
    port_ = options_.port == 0 ? server_.bind_to_any_port("127.0.0.1")
                               : (server_.bind_to_port("127.0.0.1", options_.port) ? options_.port : -1);
    if (port_ <= 0)
      throw base::Error(base::Fault::Environment, "cannot listen on 127.0.0.1:" + std::to_string(options_.port) +
                                                      " (in use?); give another --port, or none for a free one");
    FileWatch changes;  // made here: a system without inotify to give says so before serving
    changes.watch({fs::absolute(file_.path()).string()});
    cookie_ = "reel_studio_" + std::to_string(port_);
    const std::string url = "http://127.0.0.1:" + std::to_string(port_) + "/?token=" + token_;
    std::cout << "reel studio: " << url << std::endl;
    std::cerr << "reel: studio on " << options_.draft_path << "; renders and exports go to " << options_.export_dir
              << "; Ctrl-C stops it\n";
    if (options_.open) open_browser(url);
    preview_.ask(file_.current());
    std::thread http([this] { server_.listen_after_bind(); });
    std::thread watcher([this, &changes] { watch(changes); });
    while (!interrupted().load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop_ = true;
    file_.stop_waiting();  // the change feed's long polls answer now, so the server can stop
    server_.stop();
    http.join();
    watcher.join();
    std::error_code ec;
    fs::remove_all(scratch_, ec);
    std::cerr << "reel: studio stopped\n";
    return kExitOk;
  }

 private:
  void configure() {
    // Each open page holds one thread in its change feed's long poll; 16 leave room for several.
    server_.new_task_queue = [] { return new httplib::ThreadPool(16); };
    server_.set_read_timeout(10, 0);
    server_.set_write_timeout(30, 0);
    server_.set_keep_alive_timeout(5);
    server_.set_payload_max_length(1 << 20);
    server_.set_pre_routing_handler([this](const Request& req, Response& res) { return guard(req, res); });
    server_.set_exception_handler([](const Request&, Response& res, std::exception_ptr ep) {
      int status = 500;
      std::string what = "internal error";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const EditConflict& e) {
        status = 409, what = e.what();
      } catch (const base::Error& e) {
        status = e.fault() == base::Fault::Input || e.fault() == base::Fault::Usage ? 400 : 500;
        what = e.what();
      } catch (const std::exception& e) {
        what = e.what();
      }
      refuse(res, status, what);
    });
  }

  // Host and Origin first (another page or a rebound name is turned away before the token is
  // looked at), then the token; the address reel printed trades its token for a cookie.
  httplib::Server::HandlerResponse guard(const Request& req, Response& res) {
    request_started = std::chrono::steady_clock::now();
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    const std::string why = loopback::refusal(req.get_header_value("Host"), req.get_header_value("Origin"), port_);
    if (!why.empty()) {
      refuse(res, 403, "reel studio refused the request: " + why);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.path == "/" && req.has_param("token")) {
      if (!loopback::same_token(req.get_param_value("token"), token_)) {
        refuse(res, 403,
               "reel studio refused the request: the token in the address is not this studio's; open "
               "the address `reel studio` printed");
        return httplib::Server::HandlerResponse::Handled;
      }
      res.set_header("Set-Cookie", cookie_ + "=" + token_ + "; HttpOnly; SameSite=Strict; Path=/");
      res.set_redirect("/");  // the token leaves the address bar (and the history)
      return httplib::Server::HandlerResponse::Handled;
    }
    const std::string given = token_of(req, cookie_);
    if (given.empty()) {
      refuse(res, 401,
             "reel studio refused the request: it carries no token; open the address `reel studio` "
             "printed (it ends with ?token=…)");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!loopback::same_token(given, token_)) {
      refuse(res, 403,
             "reel studio refused the request: its token is not this studio's; open the address "
             "`reel studio` printed");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

  static Json body_of(const Request& req) {
    auto j = draft::try_parse_json(req.body, draft::ParseLimits{1 << 20, 16});
    if (!j || !j->is_object()) throw base::Error(base::Fault::Input, "the request body must be a JSON object");
    return *j;
  }
  static std::string text_field(const Json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string())
      throw base::Error(base::Fault::Input, std::string("the request needs \"") + key + "\" (text)");
    return it->get<std::string>();
  }
  // The version a read names by ?rev= (the current one when it is no longer current: the
  // page asks again after its change feed tells it).
  std::shared_ptr<const DraftVersion> version() const { return file_.current(); }

  void changed() { preview_.ask(file_.current()); }

  // An edit's answer. When it changed the draft, the still of the page's playhead (`at_ms`,
  // `width` in the request) is started at once for the new version, before the answer is built:
  // it is what the page asks for next, and the preview render waits for it.
  Json edit_reply(const DraftFile::Outcome& o, const Json& request) {
    if (o.changed) {
      auto at = request.find("at_ms"), width = request.find("width");
      if (at != request.end() && at->is_number_integer() && at->get<int64_t>() >= 0)
        frames_.prepare(
            file_.current(), at->get<int64_t>(),
            width != request.end() && width->is_number_integer() ? std::clamp(width->get<int>(), 0, 960) : 0);
      changed();
    }
    return {{"message", o.message}, {"changed", o.changed}, {"draft", draft_json(file_, *file_.current())}};
  }

  // The local agent's turn on the file ("cut on the beat", "fit the video to the song": the
  // draft's song measured here).
  Json local_chat(const std::string& base, const std::string& text, const Json& request) {
    const std::shared_ptr<const DraftVersion> version = file_.current();
    draft::AgentContext context;
    context.measure_music = [&](const std::string& source) -> std::optional<draft::MusicFacts> {
      if (!version) return std::nullopt;
      return measure_music(studio_render_options(*version, engine::Preset::Final), source);
    };
    return edit_reply(file_.edit(base,
                                 [&](draft::Draft& d) {
                                   draft::AgentReply r = draft::apply_instruction(d, text, context);
                                   return DraftFile::Outcome{r.message, r.changed};
                                 }),
                      request);
  }

  // Which agent answered: "cloud" (its name says where) or "local", with a note when the local
  // one answered for a cloud that did not.
  Json by_cloud(Json out) const {
    out["agent"] = "cloud";
    out["agent_name"] = "the cloud agent at " + cloud_agent_->api();
    return out;
  }
  static Json by_local(Json out, const std::string& note = "") {
    out["agent"] = "local";
    out["agent_name"] = "the local agent";
    if (!note.empty()) out["note"] = note;
    return out;
  }

  void routes() {
    for (const PageAsset& asset : kPageAssets) {
      const std::string path = asset.path == "/index.html" ? "/" : std::string(asset.path);
      server_.Get(path, [asset](const Request&, Response& res) {
        res.set_content(std::string(asset.bytes), std::string(asset.type).c_str());
        res.set_header("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
                       "frame-ancestors 'none'");
      });
    }
    server_.Get("/api/draft",
                [this](const Request&, Response& res) { reply(res, 200, draft_json(file_, *version())); });
    server_.Get("/api/changes", [this](const Request& req, Response& res) {
      const std::string rev = file_.wait_for_change(req.get_param_value("since"), kLongPoll);
      reply(res, 200, {{"revision", rev}});
    });
    // While the file has errors, the frames are the last good version's (the header says which).
    server_.Get("/api/still", [this](const Request& req, Response& res) {
      auto v = file_.last_good();
      const int64_t at = std::max<int64_t>(0, std::atoll(req.get_param_value("at_ms").c_str()));
      const int width = std::clamp(std::atoi(req.get_param_value("width").c_str()), 0, 960);
      const auto start = std::chrono::steady_clock::now();
      send_png(res, frames_.still_png(*v, at, width));
      res.set_header("X-Reel-Revision", v->revision);
      const auto took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      res.set_header("Server-Timing", "still;dur=" + std::to_string(took));
    });
    server_.Get("/api/thumbnail", [this](const Request& req, Response& res) {
      auto v = file_.last_good();
      send_png(res, frames_.thumbnail_png(*v, req.get_param_value("pointer")));
    });
    server_.Get("/api/waveform", [this](const Request& req, Response& res) {
      auto v = file_.last_good();
      const int buckets = std::atoi(req.get_param_value("buckets").c_str());
      std::vector<float> peaks = frames_.waveform(*v, req.get_param_value("pointer"), buckets > 0 ? buckets : 200);
      Json p = Json::array();
      for (float x : peaks) p.push_back(std::round(x * 1000) / 1000);
      reply(res, 200, {{"peaks", p}});
    });
    server_.Get("/api/preview", [this](const Request&, Response& res) {
      const PreviewState s = preview_.state();
      Json out = {{"revision", s.revision}, {"state", s.state},   {"progress", s.progress},
                  {"seconds", s.seconds},   {"chunks", s.chunks}, {"chunks_rendered", s.chunks_rendered}};
      if (!s.first_part.empty()) out["first"] = "/api/preview.mp4?part=first&rev=" + s.revision;
      if (!s.file.empty()) out["video"] = "/api/preview.mp4?rev=" + fs::path(s.file).stem().string().substr(8);
      if (!s.error.empty()) out["error"] = s.error;
      reply(res, 200, out);
    });
    server_.Get("/api/preview.mp4", [this](const Request& req, Response& res) {
      const std::string rev = req.get_param_value("rev");
      if (rev.find_first_not_of("0123456789abcdef") != std::string::npos || rev.empty())
        return refuse(res, 400, "rev names a preview by its revision (hex digits)");
      const bool first = req.get_param_value("part") == "first";
      res.set_header("Accept-Ranges", "bytes");
      cloud::node::serve_file(req, res, scratch_ + "/preview-" + rev + (first ? ".first.mp4" : ".mp4"), "video/mp4");
    });
    server_.Post("/api/chat", [this](const Request& req, Response& res) {
      const Json body = body_of(req);
      const std::string text = text_field(body, "text"), base = text_field(body, "revision");
      // Undo and redo are the file's own history, whichever agent made the edit.
      if (auto step = draft::history_step_in(text); step != draft::HistoryStep::None)
        return reply(res, 200, by_local(edit_reply(file_.step(base, step), body)));
      if (!cloud_agent_) return reply(res, 200, by_local(local_chat(base, text, body)));
      CloudTurn turn;
      try {
        turn = cloud_agent_->turn(*file_.at(base), text, &stop_);
      } catch (const cloud::CloudError& e) {
        // Nothing reached the agent: the local one, which knows the same words, answers.
        if (e.kind() == cloud::ErrorKind::Unreachable || e.kind() == cloud::ErrorKind::Timeout)
          return reply(
              res, 200,
              by_local(local_chat(base, text, body), "the cloud at " + cloud_agent_->api() + " did not answer (" +
                                                         e.what() + "), so the local agent answered"));
        return refuse(
            res, 502,
            "the cloud agent at " + cloud_agent_->api() + " failed: " + e.what() + "; the draft file was not changed");
      }
      DraftFile::Outcome o = file_.edit(base, [&](draft::Draft& d) {
        const bool changed = turn.draft && *turn.draft != d.json;
        if (changed) d = draft::load_draft(*turn.draft).draft;
        return DraftFile::Outcome{turn.message, changed};
      });
      reply(res, 200, by_cloud(edit_reply(o, body)));
    });
    for (auto [path, step] :
         {std::pair{"/api/undo", draft::HistoryStep::Undo}, {"/api/redo", draft::HistoryStep::Redo}})
      server_.Post(path, [this, step = step](const Request& req, Response& res) {
        const Json body = body_of(req);
        reply(res, 200, edit_reply(file_.step(text_field(body, "revision"), step), body));
      });
    server_.Post("/api/segment", [this](const Request& req, Response& res) {
      const Json body = body_of(req);
      const std::string pointer = text_field(body, "pointer"), base = text_field(body, "revision");
      const Json settings = body.value("settings", Json());
      DraftFile::Outcome o = file_.edit(base, [&](draft::Draft& d) {
        const std::string said = apply_segment_settings(d, pointer, settings);
        return DraftFile::Outcome{said.empty() ? "nothing changed" : pointer + ": " + said, !said.empty()};
      });
      reply(res, 200, edit_reply(o, body));
    });
    server_.Get("/api/jobs", [this](const Request&, Response& res) {
      Json list = Json::array();
      for (const Job& j : jobs_.list()) list.push_back(job_json(j));
      reply(res, 200, {{"jobs", list}, {"cloud", options_.cloud ? Json(options_.cloud->api) : Json()}});
    });
    server_.Post("/api/jobs", [this](const Request& req, Response& res) {
      const std::string kind = text_field(body_of(req), "kind");
      if (kind != "render" && kind != "export") return refuse(res, 400, "a job is a \"render\" or an \"export\"");
      const int id = jobs_.add(kind, version());
      reply(res, 200, job_json(*jobs_.find(id)));
    });
    server_.Post(R"(/api/jobs/(\d+)/cancel)", [this](const Request& req, Response& res) {
      const int id = std::stoi(req.matches[1]);
      if (!jobs_.cancel(id)) return refuse(res, 409, "job " + std::to_string(id) + " is not queued or running");
      reply(res, 200, job_json(*jobs_.find(id)));
    });
    server_.Get(R"(/api/jobs/(\d+)/file)", [this](const Request& req, Response& res) {
      auto j = jobs_.find(std::stoi(req.matches[1]));
      if (!j || j->file.empty()) return refuse(res, 404, "that job has no finished file");
      res.set_header("Content-Disposition", "attachment; filename=\"" + fs::path(j->file).filename().string() + "\"");
      cloud::node::serve_file(req, res, j->file, "video/mp4");
    });
    server_.Post("/api/bench", [this](const Request&, Response& res) {
      if (!options_.cloud)
        return reply(res, 200,
                     {{"available", false},
                      {"message",
                       "offline: no cloud is configured, so there is nothing to compare the "
                       "local engine with; start the studio with --api URL (a backend, or a "
                       "`reel serve` node) to bench"}});
      const int id = jobs_.add("bench", version());
      reply(res, 200,
            {{"available", true},
             {"message", "benching against " + options_.cloud->api},
             {"job", job_json(*jobs_.find(id))}});
    });
  }

  // Edits made elsewhere: the file's folder is watched; a change reloads it (and wakes the
  // page's change feed) and renders the preview again.
  void watch(FileWatch& w) {
    while (!stop_) {
      auto changed_files = w.wait(std::chrono::milliseconds(30), stop_);
      if (changed_files.empty()) continue;
      if (file_.reload()) changed();
    }
  }

  const StudioOptions options_;
  const std::string token_ = loopback::new_token();
  const std::string scratch_;
  DraftFile file_;
  FrameMaker frames_;
  PreviewRenderer preview_;
  JobQueue jobs_;
  std::unique_ptr<CloudAgent> cloud_agent_;  // null: no cloud configured (the local agent chats)
  cloud::node::NodeHttpServer server_;
  int port_ = 0;
  std::string cookie_;
  std::atomic<bool> stop_{false};
};

}  // namespace

int run_studio(const StudioOptions& options) {
  Studio studio(options);
  return studio.run();
}

}  // namespace reel::cli::studio
