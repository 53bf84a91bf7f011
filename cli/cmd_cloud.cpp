// The cloud's commands: login, credits, upload, state, pull, export (cloud with local
// fallback), serve (the render node) and bench (local against cloud). docs/cloud.md.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "base/dirs.h"
#include "base/files.h"
#include "cli/bench.h"
#include "cli/cloud_flows.h"
#include "cli/commands.h"
#include "cli/draft_input.h"
#include "cli/exit_codes.h"
#include "cli/media_sources.h"
#include "cli/node_farm.h"
#include "cli/process.h"
#include "cli/progress.h"
#include "cloud/client/client.h"
#include "cloud/client/draft_media.h"
#include "cloud/client/media_cache.h"
#include "cloud/node/engine_adapter.h"
#include "cloud/node/server.h"
#include "draft/parse.h"
#include "draft/summary.h"
#include "engine/render.h"

namespace reel::cli {

namespace {

namespace fs = std::filesystem;
using cloud::CloudError;
using cloud::ErrorKind;

// ---- login, credits ---------------------------------------------------------------------

int run_login(const CloudArgs& a) {
  cloud::Client c(client_options(a));
  auto id = c.login();
  if (id.anonymous)
    std::cout << "signed in to " << id.api << " as " << (id.user_id.empty() ? "an anonymous user" : id.user_id)
              << " (anonymous; token cached until " << cloud::format_iso8601(id.expires_at) << ")\n";
  else
    std::cout << "signed in to " << id.api << " with NEMO_TOKEN\n";
  auto cr = c.credits();
  std::cout << "credits: " << cr.available << " available, " << cr.frozen << " frozen, " << cr.total << " total\n";
  if (auto s = c.store().load_session(c.options().api, c.options().project))
    std::cout << "session of " << c.options().project << ": " << s->session_id << "\n";
  return kExitOk;
}

int run_credits(const CloudArgs& a, bool json) {
  cloud::Client c(client_options(a));
  auto cr = c.credits();
  if (json)
    std::cout << Json{{"available", cr.available}, {"frozen", cr.frozen}, {"total", cr.total}}.dump() << "\n";
  else
    std::cout << "credits: " << cr.available << " available, " << cr.frozen << " frozen, " << cr.total << " total\n";
  return kExitOk;
}

// ---- upload, state, pull ----------------------------------------------------------------

int run_upload(const CloudArgs& a, const std::vector<std::string>& items) {
  cloud::Client c(client_options(a));
  std::vector<std::string> files, urls;
  for (const auto& i : items) (cloud::is_http_url(i) ? urls : files).push_back(i);
  std::vector<cloud::UploadedFile> done;
  if (!files.empty()) {
    auto f = c.upload_files(files);
    done.insert(done.end(), f.begin(), f.end());
  }
  if (!urls.empty()) {
    auto u = c.upload_urls(urls);
    done.insert(done.end(), u.begin(), u.end());
  }
  for (const auto& f : done) std::cout << f.filename << " -> " << f.cdn_url << "\n";
  std::cerr << "reel: uploaded " << done.size() << " file(s) to session " << c.session().session_id << "\n";
  return kExitOk;
}

int run_state(const CloudArgs& a, bool json) {
  cloud::Client c(client_options(a));
  Json st = c.state();
  if (json) {
    std::cout << st.dump(2) << "\n";
    return kExitOk;
  }
  Json d = session_draft(st);
  if (!d.is_object()) {
    std::cout << "Timeline (0 tracks): the session has no draft yet\n";
    return kExitOk;
  }
  std::cout << draft::timeline_summary(draft::load_draft(d).draft) << "\n";
  return kExitOk;
}

struct PullArgs {
  CloudArgs cloud;
  std::string out;
  bool with_media = false;
  MediaArgs media;
};

int run_pull(const PullArgs& a) {
  if (a.out != "-") require_writable_output(a.out, OutputKind::Draft);  // before the network
  cloud::Client c(client_options(a.cloud));
  Json d = session_draft(c.state());  // the state's files are remembered as the session's uploads
  if (!d.is_object()) {
    std::cerr << "reel: the session " << c.session().session_id << " has no draft yet; nothing to pull\n";
    return kExitBadInput;
  }
  const cloud::SessionRef from{c.options().api, c.session().session_id};
  if (a.out == "-") {
    std::cout << draft::write_json(d, true) << "\n";
  } else {
    base::write_file_atomically(a.out, draft::write_json(d, true) + "\n");
    c.store().record_pulled_draft(a.out, from);  // its sandbox paths map to this session's uploads
    std::cerr << "reel: wrote the session's draft to " << a.out << "\n";
  }
  if (!a.with_media) return kExitOk;
  engine::RenderOptions o;
  o.base_dir = a.out == "-" ? fs::current_path().string() : fs::absolute(a.out).parent_path().string();
  MediaArgs media = a.media;
  media.api = c.options().api;
  const auto items = resolve_remote_media(
      draft::load_draft(d).draft, a.out, media,
      [&] {
        return SessionUploads{from.api, c.store().uploads(from.api, from.session_id), {}};
      },
      o);
  std::cerr << "reel: " << items.size() << " remote media source" << (items.size() == 1 ? " is" : "s are")
            << " in the media cache; the draft renders with --offline\n";
  return kExitOk;
}

// ---- export -----------------------------------------------------------------------------

struct ExportArgs {
  CloudArgs cloud;
  std::string draft;
  std::string out;
  bool force_cloud = false, force_local = false, force_auto = false, resume = false, quiet = false;
  double poll_timeout_s = 600;
  int threads = 0;
  std::vector<std::string> nodes;  // --nodes: render over these reel render nodes
};

int run_export(ExportArgs a) {
  if (int n = a.force_cloud + a.force_local + a.force_auto; n > 1) {
    std::cerr << "reel: choose one of --cloud, --local, --auto\n";
    return kExitUsage;
  }
  cloud::ClientOptions co = client_options(a.cloud);
  co.poll.give_up = std::chrono::milliseconds(static_cast<int64_t>(a.poll_timeout_s * 1000));

  if (a.resume) {
    cloud::Client c(co);
    auto r = c.resume_export(a.out, progress_printer(a.quiet), &interrupted());
    std::cerr << "reel: wrote " << r.out_path << " (" << mb_text(r.bytes) << ") from the cloud render " << r.job_id
              << "\n";
    return kExitOk;
  }
  if (a.out.empty()) {
    std::cerr << "reel: export needs -o OUT.mp4\n";
    return kExitUsage;
  }

  // The draft: a file, or the session's draft.
  draft::Draft d;
  std::string base_dir;
  if (!a.draft.empty()) {
    DraftInput in = read_draft_input(a.draft);
    if (report_problems(in, false)) {
      std::cerr << "reel: the draft has errors; fix them first (`reel validate " << a.draft << "` lists them)\n";
      return kExitBadInput;
    }
    d = std::move(in.loaded.draft);
    base_dir = in.base_dir;
  } else {
    if (a.force_local) {
      std::cerr << "reel: --local needs a DRAFT.json (or `reel pull -o DRAFT.json` first)\n";
      return kExitUsage;
    }
    cloud::Client c(co);
    Json sd = session_draft(c.state());
    if (!sd.is_object()) {
      std::cerr << "reel: the session has no draft yet; give a DRAFT.json to export\n";
      return kExitBadInput;
    }
    d = draft::load_draft(sd).draft;
    base_dir = co.project;
  }
  if (!d.exportable()) {
    std::cerr << "reel: the draft has no segments; there is nothing to export\n";
    return kExitBadInput;
  }
  // The video may come from the local engine: it must not land on the draft or its media.
  require_writable_output(a.out, OutputKind::Video);
  engine::RenderOptions local;
  local.base_dir = base_dir;
  std::vector<std::string> inputs = engine::local_inputs(d, local);
  inputs.push_back(a.draft);
  require_not_an_input(a.out, inputs);

  if (!a.nodes.empty()) {
    if (a.force_local || a.force_cloud) {
      std::cerr << "reel: --nodes renders on the nodes named; it takes neither --local nor --cloud\n";
      return kExitUsage;
    }
    return export_over_nodes(co, a.nodes, d, base_dir, a.out, a.quiet);
  }
  // A cloud export of a file makes it the session's draft (the backend keeps what it renders):
  // say so when that replaces other work. reel serve keeps the one replaced in the session's
  // history (`undo` in `reel chat` brings it back).
  if (!a.draft.empty() && !a.force_local) {
    try {
      cloud::Client c(co);
      Json sd = session_draft(c.state());
      if (sd.is_object() && sd != d.json)
        std::cerr << "reel: note: exporting " << a.draft << " through the cloud makes it the session's working draft, "
                  << "in place of " << draft::timeline_summary(draft::load_draft(sd).draft)
                  << " — `reel pull -o FILE` first keeps that one; with reel serve, `undo` in `reel chat` brings it "
                     "back\n";
    } catch (const CloudError&) {
      // Unreachable or refused: the export below says so (and may fall back to this machine).
    }
  }
  return export_with_fallback(co, d, base_dir, a.out,
                              a.force_cloud   ? ExportMode::Cloud
                              : a.force_local ? ExportMode::Local
                                              : ExportMode::Auto,
                              a.quiet, a.threads);
}

// ---- serve ------------------------------------------------------------------------------

struct ServeArgs {
  std::string listen = "127.0.0.1:8790";
  std::string data;
  std::string public_url;
  int workers = 1;
  int threads = 0;
  bool allow_local_media = false;
  std::string no_text_turns = "never";
  int agent_pause_ms = 0;
  double max_upload_mb = 200;
  double grace_s = 30;
  bool quiet = false;
  // Limits (docs/cloud.md, "Limits"); the defaults are NodeOptions'.
  int http_threads = cloud::NodeOptions{}.http_threads;
  int request_timeout_s = cloud::NodeOptions{}.request_timeout_s;
  int max_connections_per_address = cloud::NodeOptions{}.max_connections_per_address;
  double max_json_mb = 8;
  int max_upload_parts = cloud::NodeOptions{}.max_upload_parts;
  double max_message_kb = 16;
  double max_duration_s = 3600;
  int64_t max_pixel_rate = cloud::NodeOptions{}.max_pixel_rate;
  double max_render_s = 30 * 60;
  double max_output_mb = 4096;
  int max_queued_per_user = cloud::NodeOptions{}.max_queued_per_user;
  int keep_finished_jobs = cloud::NodeOptions{}.keep_finished_jobs;
  int max_sessions_per_user = cloud::NodeOptions{}.max_sessions_per_user;
  int tokens_per_address_per_minute = cloud::NodeOptions{}.tokens_per_address_per_minute;
};

/// The limits of ServeArgs into `o`.
void apply_serve_limits(const ServeArgs& a, cloud::NodeOptions& o) {
  o.http_threads = a.http_threads;
  o.request_timeout_s = a.request_timeout_s;
  o.max_connections_per_address = a.max_connections_per_address;
  o.max_json_bytes = static_cast<int64_t>(a.max_json_mb * 1024 * 1024);
  o.max_upload_parts = a.max_upload_parts;
  o.max_chat_message_bytes = static_cast<int64_t>(a.max_message_kb * 1024);
  o.max_duration_ms = static_cast<int64_t>(a.max_duration_s * 1000);
  o.max_pixel_rate = a.max_pixel_rate;
  o.max_render_time = std::chrono::seconds(static_cast<int64_t>(a.max_render_s));
  o.max_output_bytes = static_cast<int64_t>(a.max_output_mb * 1024 * 1024);
  o.max_queued_per_user = a.max_queued_per_user;
  o.keep_finished_jobs = a.keep_finished_jobs;
  o.max_sessions_per_user = a.max_sessions_per_user;
  o.tokens_per_address_per_minute = a.tokens_per_address_per_minute;
}

/// The serve options that bound what one client can make the node do.
void add_serve_limit_options(CLI::App* sub, ServeArgs* a) {
  auto positive = CLI::PositiveNumber;
  sub->add_option("--http-threads", a->http_threads, "threads answering HTTP (default 32)")->check(positive);
  sub->add_option("--request-timeout", a->request_timeout_s,
                  "seconds a whole request may take to arrive; a body gets 1 s more per MB (default 30)")
      ->check(positive);
  sub->add_option("--max-connections-per-address", a->max_connections_per_address,
                  "open connections of one client address (default 16)")
      ->check(positive);
  sub->add_option("--max-json-mb", a->max_json_mb, "largest JSON body (default 8)")->check(positive);
  sub->add_option("--max-upload-parts", a->max_upload_parts, "files in one upload request (default 64)")
      ->check(positive);
  sub->add_option("--max-message-kb", a->max_message_kb, "largest chat message (default 16)")->check(positive);
  sub->add_option("--max-duration-s", a->max_duration_s, "longest draft a render may be (default 3600)")
      ->check(positive);
  sub->add_option("--max-pixel-rate", a->max_pixel_rate,
                  "largest width x height x fps of a render (default 124416000: 1920x1080 at 60)")
      ->check(positive);
  sub->add_option("--max-render-s", a->max_render_s, "wall time of one render before it is stopped (default 1800)")
      ->check(positive);
  sub->add_option("--max-output-mb", a->max_output_mb, "largest output of one render (default 4096)")->check(positive);
  sub->add_option("--max-queued-per-user", a->max_queued_per_user, "renders one user may have waiting (default 4)")
      ->check(positive);
  sub->add_option("--keep-finished-jobs", a->keep_finished_jobs,
                  "finished renders remembered; older ones and their files are removed (default 200)")
      ->check(positive);
  sub->add_option("--max-sessions-per-user", a->max_sessions_per_user,
                  "sessions one user may keep; a new one beyond it forgets their least recently used, with its "
                  "uploads (default 100)")
      ->check(positive);
  sub->add_option("--tokens-per-address-per-minute", a->tokens_per_address_per_minute,
                  "new anonymous tokens one address may get a minute (default 20)")
      ->check(positive);
}

std::string default_data_dir() { return base::data_dir() + "/node"; }

int run_serve(const ServeArgs& a) {
  cloud::NodeOptions o;
  auto colon = a.listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "reel: --listen takes HOST:PORT, e.g. 127.0.0.1:8790\n";
    return kExitUsage;
  }
  o.host = a.listen.substr(0, colon);
  if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']') o.host = o.host.substr(1, o.host.size() - 2);
  try {
    o.port = std::stoi(a.listen.substr(colon + 1));
  } catch (...) {
    o.port = -1;
  }
  if (o.port < 0 || o.port > 65535) {
    std::cerr << "reel: --listen takes HOST:PORT with a port from 0 to 65535\n";
    return kExitUsage;
  }
  o.data_dir = a.data.empty() ? default_data_dir() : a.data;
  o.public_url = a.public_url;
  o.workers = std::max(1, a.workers);
  o.allow_local_media = a.allow_local_media;
  o.no_text_turns = a.no_text_turns == "always"  ? cloud::NoTextTurns::Always
                    : a.no_text_turns == "never" ? cloud::NoTextTurns::Never
                                                 : cloud::NoTextTurns::Random;
  o.agent_pause_ms = a.agent_pause_ms;
  o.max_upload_bytes = static_cast<int64_t>(a.max_upload_mb * 1024 * 1024);
  apply_serve_limits(a, o);
  o.render = cloud::engine_render_fn(a.threads, o.data_dir + "/chunks");
  if (!a.quiet)
    o.log = [](std::string_view line) {
      std::time_t t = std::time(nullptr);
      char ts[32];
      std::strftime(ts, sizeof ts, "%H:%M:%S", std::localtime(&t));
      std::cerr << ts << " " << line << "\n";
    };
  cloud::RenderNode node(o);
  node.start();
  std::cout << "reel serve: listening on " << node.base_url() << " (data in " << o.data_dir << ", " << o.workers
            << " render worker" << (o.workers == 1 ? "" : "s") << (o.allow_local_media ? ", local media allowed" : "")
            << "); Ctrl-C stops\n"
            << std::flush;
  while (!interrupted().load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::cerr << "reel serve: stopping; running renders get " << a.grace_s << " s to finish\n";
  node.stop(std::chrono::milliseconds(static_cast<int64_t>(a.grace_s * 1000)));
  return kExitOk;
}

// ---- bench ------------------------------------------------------------------------------

struct BenchArgs {
  CloudArgs cloud;
  std::string draft;
  int runs = 1;
  std::string keep;  // --keep DIR: keep the rendered files there
  bool skip_cloud = false;
};

int run_bench(const BenchArgs& a) {
  DraftInput in = read_draft_input(a.draft);
  if (report_problems(in, false)) {
    std::cerr << "reel: the draft has errors; fix them first\n";
    return kExitBadInput;
  }
  cloud::ClientOptions co = client_options(a.cloud);
  std::string dir = a.keep;
  std::unique_ptr<char, void (*)(char*)> tmp(nullptr, [](char* p) {
    if (p) {
      std::error_code ec;
      fs::remove_all(p, ec);
      free(p);
    }
  });
  if (dir.empty()) {
    std::string pattern = (fs::temp_directory_path() / "reel-bench-XXXXXX").string();
    tmp.reset(strdup(pattern.c_str()));
    if (!mkdtemp(tmp.get())) throw std::runtime_error("cannot make a temporary folder");
    dir = tmp.get();
  }
  fs::create_directories(dir);
  BenchPlan plan;
  plan.runs = std::max(1, a.runs);
  plan.dir = dir;
  plan.skip_cloud = a.skip_cloud;
  const BenchFigures figures = measure_bench(in.loaded.draft, in.base_dir, co, plan);
  const std::vector<BenchRow>& rows = figures.rows;
  const std::string& cloud_error = figures.cloud_error;
  std::printf("reel bench %s  (%d run%s each, every one from nothing; cloud: %s)\n", a.draft.c_str(),
              std::max(1, a.runs), a.runs == 1 ? "" : "s", co.api.c_str());
  std::printf("%-15s %5s %10s %10s %10s\n", "render", "runs", "median s", "min s", "max s");
  for (const auto& r : rows) {
    if (r.times.empty()) {
      std::printf("%-15s %5s %10s %10s %10s\n", r.name.c_str(), "0", "-", "-", "-");
      continue;
    }
    std::printf("%-15s %5zu %10.2f %10.2f %10.2f\n", r.name.c_str(), r.times.size(), median(r.times),
                *std::min_element(r.times.begin(), r.times.end()), *std::max_element(r.times.begin(), r.times.end()));
  }
  if (!rows[2].times.empty()) {
    std::printf("ratio local final / cloud final: %.2f\n", median(rows[1].times) / median(rows[2].times));
    std::printf("ratio local preview / cloud final: %.2f\n", median(rows[0].times) / median(rows[2].times));
    if (auto p = figures.psnr_db; p && std::isinf(*p))
      std::printf("PSNR local final vs cloud final: inf (identical frames)\n");
    else if (p)
      std::printf("PSNR local final vs cloud final: %.2f dB\n", *p);
    else
      std::printf("PSNR local final vs cloud final: n/a (needs the ffmpeg tool)\n");
  } else {
    std::printf("cloud: not measured%s%s\n", cloud_error.empty() ? "" : ": ", cloud_error.c_str());
  }
  if (!a.keep.empty()) std::printf("files kept in %s\n", dir.c_str());
  return cloud_error.empty() || a.skip_cloud ? kExitOk : kExitCloud;
}

}  // namespace

void add_cloud_commands(CLI::App& app, Commands& commands) {
  {
    auto args = std::make_shared<CloudArgs>();
    auto* sub =
        app.add_subcommand("login", "Sign in (an anonymous token unless NEMO_TOKEN is set); show who and the credits");
    add_cloud_flags(sub, *args);
    commands.add(
        sub, [args] { return run_login(*args); }, Needs::Network);
  }
  {
    auto args = std::make_shared<CloudArgs>();
    auto json = std::make_shared<bool>(false);
    auto* sub = app.add_subcommand("credits", "Show the account's credits");
    add_cloud_flags(sub, *args);
    sub->add_flag("--json", *json, "print the balance as JSON");
    commands.add(
        sub, [args, json] { return run_credits(*args, *json); }, Needs::Network);
  }
  {
    auto args = std::make_shared<CloudArgs>();
    auto items = std::make_shared<std::vector<std::string>>();
    auto* sub = app.add_subcommand("upload", "Upload photos, clips, sounds or http(s) URLs into the project's session");
    add_cloud_flags(sub, *args);
    sub->add_option("files", *items, "files or http(s) URLs")->required();
    commands.add(
        sub, [args, items] { return run_upload(*args, *items); }, Needs::Network);
  }
  {
    auto args = std::make_shared<CloudArgs>();
    auto json = std::make_shared<bool>(false);
    auto* sub = app.add_subcommand("state", "Show the session's timeline summary (--json: the whole state)");
    add_cloud_flags(sub, *args);
    sub->add_flag("--json", *json, "print the session state as JSON");
    commands.add(
        sub, [args, json] { return run_state(*args, *json); }, Needs::Network);
  }
  {
    auto a = std::make_shared<PullArgs>();
    auto* sub = app.add_subcommand("pull", "Write the session's draft to a file");
    add_cloud_flags(sub, a->cloud);
    sub->add_option("-o,--output", a->out, "where to write the draft ('-' for standard output)")->required();
    sub->add_flag("--with-media", a->with_media,
                  "also download its remote media (URLs, sandbox paths) into the media cache, so it renders offline");
    add_media_flags(sub, a->media, false);
    commands.add(
        sub, [a] { return run_pull(*a); }, Needs::Network);
  }
  {
    auto a = std::make_shared<ExportArgs>();
    auto* sub =
        app.add_subcommand("export", "Export the final MP4: through the cloud, falling back to the local engine");
    add_cloud_flags(sub, a->cloud);
    sub->add_option("draft", a->draft, "the draft JSON (default: the session's draft)");
    sub->add_option("-o,--output", a->out, "the MP4 to write");
    sub->add_flag("--cloud", a->force_cloud, "the cloud only: fail when it cannot export");
    sub->add_flag("--local", a->force_local, "the local engine only");
    sub->add_flag("--auto", a->force_auto, "the cloud, else the local engine (the default)");
    sub->add_flag("--resume", a->resume, "download the cloud render an earlier export left running");
    sub->add_option("--poll-timeout", a->poll_timeout_s, "give up waiting for the cloud after this many seconds (600)")
        ->check(CLI::PositiveNumber);
    sub->add_option("--threads", a->threads, "local render threads: 0 = all cores")->check(CLI::NonNegativeNumber);
    sub->add_flag("-q,--quiet", a->quiet, "no progress display");
    sub->add_option("--nodes", a->nodes,
                    "spread the render over these `reel serve` nodes (URL,URL,...): parts dealt out, a failed "
                    "or slow part sent to another node, the parts joined here")
        ->delimiter(',');
    commands.add(
        sub, [a] { return run_export(*a); }, Needs::Network);
  }
  {
    auto a = std::make_shared<ServeArgs>();
    auto* sub = app.add_subcommand("serve", "Run a render node that speaks the backend's protocol");
    sub->add_option("--listen", a->listen, "HOST:PORT to listen on (default 127.0.0.1:8790; port 0 picks one)");
    sub->add_option("--data", a->data,
                    "folder for tokens, sessions, uploads and renders (default ~/.local/share/reel/node)");
    sub->add_option("--workers", a->workers, "renders at the same time (default 1)")->check(CLI::PositiveNumber);
    sub->add_option("--threads", a->threads, "compose threads per render: 0 = all cores")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--public-url", a->public_url, "base of the file URLs it hands out (default http://HOST:PORT)");
    sub->add_option("--max-upload-mb", a->max_upload_mb, "largest upload accepted (default 200)")
        ->check(CLI::PositiveNumber);
    sub->add_option("--grace", a->grace_s, "seconds running renders get to finish on Ctrl-C/SIGTERM (default 30)")
        ->check(CLI::NonNegativeNumber);
    sub->add_flag("--allow-local-media", a->allow_local_media,
                  "trusted box only: let drafts name files on this machine and private addresses");
    sub->add_option("--no-text-turns", a->no_text_turns,
                    "editing turns of the node's agent that end with no text: never (default), random (about 30%, "
                    "as the backend), always")
        ->check(CLI::IsMember({"never", "random", "always"}));
    sub->add_option("--agent-pause-ms", a->agent_pause_ms, "pause between the agent's streamed events (default 0)")
        ->check(CLI::NonNegativeNumber);
    add_serve_limit_options(sub, a.get());
    sub->add_flag("-q,--quiet", a->quiet, "no request log");
    commands.add(
        sub, [a] { return run_serve(*a); }, Needs::Network);
  }
  {
    auto a = std::make_shared<BenchArgs>();
    auto* sub =
        app.add_subcommand("bench", "Time local (preview, final) against cloud renders of a draft; PSNR between them");
    add_cloud_flags(sub, a->cloud);
    sub->add_option("draft", a->draft, "the draft JSON")->required();
    sub->add_option("--runs", a->runs, "runs of each render (default 1)")->check(CLI::PositiveNumber);
    sub->add_option("--keep", a->keep, "keep the rendered files in this folder");
    sub->add_flag("--no-cloud", a->skip_cloud, "local renders only");
    commands.add(
        sub, [a] { return run_bench(*a); }, Needs::Network);
  }
}

}  // namespace reel::cli
