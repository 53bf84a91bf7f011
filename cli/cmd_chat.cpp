// `reel chat`: a conversation that edits the timeline (docs/cli.md). Each line is routed
// (cli/chat_router.h): export, credits, status, upload, preview, help and quit are done here;
// everything else goes to the agent — the cloud's over /run_sse when a backend answers, else
// the local agent (draft/agent.h) on the --draft file.
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "base/files.h"
#include "cli/chat_router.h"
#include "cli/cloud_flows.h"
#include "cli/commands.h"
#include "cli/draft_history.h"
#include "cli/draft_input.h"
#include "cli/exit_codes.h"
#include "cli/media_sources.h"
#include "cli/music_facts.h"
#include "cli/process.h"
#include "cli/progress.h"
#include "cli/terminal.h"
#include "cloud/client/client.h"
#include "cloud/client/config.h"
#include "cloud/client/draft_media.h"
#include "cloud/client/media_cache.h"
#include "draft/agent.h"
#include "draft/history.h"
#include "draft/parse.h"
#include "draft/problem.h"
#include "draft/summary.h"
#include "engine/errors.h"

namespace reel::cli {

namespace {

namespace fs = std::filesystem;
using cloud::CloudError;
using cloud::ErrorKind;

struct ChatArgs {
  CloudArgs cloud;
  std::string draft;               // --draft: the file the local agent edits (offline)
  bool local = false;              // --local: never the cloud
  std::string message;             // -m: one message, then exit
  std::vector<std::string> words;  // or the message as words after the options
  std::string out;                 // -o: where `export` writes
};

const char* kHelp =
    "Say what you want in words (English or 中文) and the agent edits the timeline. Also:\n"
    "  status / show tracks / 状态   the timeline summary\n"
    "  preview / 预览                render a quick preview of the current draft here\n"
    "  export / 导出 [OUT.mp4]       the final MP4 (the cloud, else this machine)\n"
    "  upload FILES / 上传           give photos, clips or music to the session\n"
    "  undo / 撤销, redo / 重做      step back or forward through the draft's edits\n"
    "  credits / 积分                the account's credits\n"
    "  help, quit\n";

/// One `reel chat` run: where the timeline lives (the cloud session, or the draft file), and
/// the handling of each line. Used from one thread.
class Chat {
 public:
  explicit Chat(ChatArgs a) : a_(std::move(a)), co_(client_options(a_.cloud)) {
    limits_.still_working_every = std::chrono::milliseconds(env_ms("REEL_STILL_WORKING_MS", 120'000));
    limits_.stall = std::chrono::seconds(std::max<int64_t>(1, env_ms("REEL_STREAM_STALL_MS", 120'000) / 1000));
  }

  /// Decides between the cloud and the local agent. Returns an exit code when it cannot start.
  std::optional<int> connect() {
    if (!a_.draft.empty()) {
      if (a_.draft == "-") {
        std::cerr << "reel: chat edits a draft file in place; give its path, not '-'\n";
        return kExitUsage;
      }
      std::error_code ec;
      if (const std::string kind = base::special_file_kind(a_.draft); !kind.empty()) {
        std::cerr << "reel: " << a_.draft << ": is " << kind << ", not a draft; give the draft's .json file\n";
        return kExitBadInput;
      }
      if (!fs::is_regular_file(a_.draft, ec)) {
        std::cerr << "reel: " << a_.draft << ": no such draft (make one with `reel make PHOTOS... --draft-out "
                  << a_.draft << "`)\n";
        return kExitBadInput;
      }
      draft_ = read_draft_input(a_.draft);
      std::string text = cloud::read_file(a_.draft).value_or("");
      pretty_ = text.find('\n') != std::string::npos && text.find('\n') + 1 < text.size();
    }
    if (!a_.local) {
      cloud::ClientOptions probe_options = co_;
      probe_options.timeouts.connect_ms = std::min<long>(co_.timeouts.connect_ms, 3000);
      probe_options.retry.attempts = 1;
      try {
        cloud::Client probe(probe_options);
        probe.login();
        probe.session();
        client_ = std::make_unique<cloud::Client>(co_);
      } catch (const CloudError& e) {
        if (e.kind() != ErrorKind::Unreachable && e.kind() != ErrorKind::Timeout) throw;
        if (!draft_) {
          std::cerr << "reel: " << terminal_safe(e.what())
                    << "\nreel: offline, the local agent edits a draft file: give --draft "
                       "DRAFT.json (make one with `reel make PHOTOS... --draft-out DRAFT.json`)\n";
          return kExitCloud;
        }
        std::cerr << "reel: no backend at " << co_.api << "; the local agent edits " << a_.draft << "\n";
      }
    } else if (!draft_) {
      std::cerr << "reel: --local: the local agent edits a draft file: give --draft DRAFT.json (make one with "
                   "`reel make PHOTOS... --draft-out DRAFT.json`)\n";
      return kExitUsage;
    }
    if (client_)
      std::cout << "reel chat: connected to " << co_.api << ", session " << client_->session().session_id
                << " (say `help` for the commands)\n";
    else
      std::cout << "reel chat: local agent on " << a_.draft << " (say `help` for the commands)\n";
    return std::nullopt;
  }

  int run() {
    if (auto code = connect()) return *code;
    if (!a_.message.empty()) {
      handle(a_.message);
      return status_;
    }
    const bool tty = isatty(STDIN_FILENO);
    std::string line;
    for (;;) {
      if (tty) std::cout << "you> " << std::flush;
      if (!std::getline(std::cin, line)) break;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!tty) std::cout << "> " << line << "\n";  // a piped transcript reads like a typed one
      if (!handle(line) || interrupted().load()) break;
    }
    // A conversation ends well even when a line of it failed (each failure was said then).
    return interrupted().load() ? kExitCancelled : kExitOk;
  }

 private:
  /// Handles one line; false when the person is done.
  bool handle(const std::string& line) {
    RoutedLine r = route_line(line);
    try {
      switch (r.route) {
        case ChatRoute::Quit:
          return false;
        case ChatRoute::Help:
          std::cout << kHelp;
          break;
        case ChatRoute::State:
          show_timeline();
          break;
        case ChatRoute::Credits:
          credits();
          break;
        case ChatRoute::Upload:
          upload(r.files);
          break;
        case ChatRoute::Preview:
          preview();
          break;
        case ChatRoute::Export:
          export_video(line);
          break;
        case ChatRoute::Agent:
          client_ ? agent_cloud(line, r.files) : agent_local(line, r.files);
          break;
      }
    } catch (const CloudError& e) {
      std::cerr << "reel: " << terminal_safe(e.what()) << "\n";
      status_ =
          e.kind() == ErrorKind::LocalFile || e.kind() == ErrorKind::UnsupportedType || e.kind() == ErrorKind::TooLarge
              ? kExitBadInput
              : kExitCloud;
    } catch (const engine::Cancelled&) {
      std::cerr << "reel: cancelled; no output was written\n";
      status_ = kExitCancelled;
      return false;
    } catch (const draft::DraftError& e) {
      std::cerr << "reel: " << terminal_safe(e.what()) << "\n";
      status_ = kExitBadInput;
    } catch (const engine::MediaError& e) {
      std::cerr << "reel: " << terminal_safe(e.what()) << "\n";
      status_ = kExitBadInput;
    }
    std::cout << std::flush;
    return true;
  }

  // ---- the timeline ----------------------------------------------------------------------

  /// The timeline being edited and the folder its relative media references resolve against.
  struct Current {
    draft::Draft draft;
    std::string base_dir;
  };
  /// The session's draft (connected; the --draft file when the session has none yet) or the
  /// draft file's; an empty draft when there is none.
  Current current() {
    if (client_) {
      Json d = session_draft(client_->state());
      if (d.is_object()) return {draft::load_draft(d).draft, co_.project};
      if (draft_) return {draft_->loaded.draft, draft_->base_dir};
      return {draft::load_draft(Json::object()).draft, co_.project};
    }
    return {draft_->loaded.draft, draft_->base_dir};
  }
  draft::Draft current_draft() { return current().draft; }

  void show_timeline() { std::cout << draft::timeline_summary(current_draft()) << "\n"; }

  void save_draft() {
    write_draft_keeping_history(a_.draft, draft::write_json(draft_->loaded.draft.json, pretty_) + "\n");
  }

  /// Undo / redo on the draft file: its bytes as they were, from the history beside it.
  void step_history(draft::HistoryStep step) {
    const bool undo = step == draft::HistoryStep::Undo;
    draft::Draft before = draft_->loaded.draft;
    if (!step_draft_history(a_.draft, step)) {
      std::cout << "agent: " << (undo ? "nothing to undo" : "nothing to redo") << "\n";
      return;
    }
    draft_ = read_draft_input(a_.draft);
    auto [undos, redos] = history_depth(a_.draft);
    std::string diff = draft::summary_diff(before, draft_->loaded.draft);
    std::cout << "agent: " << (undo ? "Undone" : "Redone") << " (" << undos << " more to undo, " << redos
              << " to redo)." << (diff.empty() ? "" : " Timeline: " + diff) << "\n";
  }

  /// The draft's song, measured by the engine, for "cut on the beat" / "fit the video to the song".
  std::optional<draft::MusicFacts> measure_music(const std::string& source) {
    std::string why;
    std::optional<draft::MusicFacts> facts;
    try {
      engine::RenderOptions o;
      o.base_dir = draft_->base_dir;
      Current c = current();
      resolve_remote_media(
          c.draft, a_.draft, MediaArgs{}, [] { return SessionUploads{}; }, o);
      facts = cli::measure_music(o, source, &why);
    } catch (const std::exception& e) {
      why = e.what();
    }
    if (!facts) std::cerr << "reel: " << terminal_safe(why) << "\n";
    return facts;
  }

  // ---- the agent -------------------------------------------------------------------------

  void agent_local(const std::string& line, const std::vector<std::string>& files) {
    if (auto step = draft::history_step_in(line); step != draft::HistoryStep::None) return step_history(step);
    // Files are named as typed (from here); the draft names media relative to its own folder.
    draft::AgentContext context;
    for (const auto& f : files) {
      std::error_code ec;
      if (const NamedFileProblem problem = cloud::is_http_url(f) ? NamedFileProblem{} : named_file_problem(f);
          !problem.why.empty()) {
        std::cout << "agent: " << terminal_safe(f) << ": " << terminal_safe(problem.why) << "; nothing was changed — "
                  << problem.advice << "\n";
        status_ = kExitBadInput;
        return;
      }
      fs::path abs = fs::absolute(f, ec);
      fs::path rel = fs::relative(abs, draft_->base_dir, ec);
      context.files.push_back(cloud::is_http_url(f) ? f : ec || rel.empty() ? abs.string() : rel.string());
    }
    context.measure_music = [this](const std::string& source) { return measure_music(source); };
    // The first words are often the whole brief ("a fast vertical promo for our summer sale").
    draft::AgentReply reply = first_words_ ? draft::apply_first_words(draft_->loaded.draft, line, context)
                                           : draft::apply_instruction(draft_->loaded.draft, line, context);
    first_words_ = false;
    if (reply.changed) save_draft();
    std::cout << "agent: " << reply.message << "\n";
  }

  void agent_cloud(const std::string& line, const std::vector<std::string>& files) {
    // The agent can use only what the session has: files here are uploaded first; a name that
    // is not here but was uploaded to the session before is the session's file.
    std::vector<std::string> to_upload;
    std::map<std::string, std::string> uploaded;
    bool looked = false;
    for (const auto& f : files) {
      const NamedFileProblem problem = cloud::is_http_url(f) ? NamedFileProblem{} : named_file_problem(f);
      if (problem.why.empty()) {
        to_upload.push_back(f);
        continue;
      }
      if (!problem.missing) {  // a folder, a FIFO: never an upload's name
        std::cout << "reel: " << terminal_safe(f) << ": " << terminal_safe(problem.why) << "; nothing was sent — "
                  << problem.advice << "\n";
        status_ = kExitBadInput;
        return;
      }
      if (!looked) uploaded = client_->uploaded_files(true);
      looked = true;
      if (!uploaded.count(fs::path(f).filename().string())) {
        std::cout << "reel: " << terminal_safe(f)
                  << ": there is no such file here, and the session has no upload of that name; nothing was sent\n";
        status_ = kExitBadInput;
        return;
      }
    }
    if (!to_upload.empty()) upload(to_upload);
    draft::Draft before = current_draft();
    bool mid_line = false, tool_shown = false, text_started = false;
    cloud::AgentCallbacks cb;
    cb.on_text = [&](const std::string& text) {
      if (!text_started) std::cout << "nemo: ";
      text_started = true;
      std::cout << terminal_safe(text) << std::flush;
      mid_line = text.empty() ? mid_line : text.back() != '\n';
    };
    cb.on_tool = [&](const std::string& tool, bool) {
      if (tool_shown) return;  // one quiet line a turn
      tool_shown = true;
      std::cout << (mid_line ? "\n" : "") << "  … " << terminal_safe(tool) << "\n" << std::flush;
      mid_line = false;
    };
    cb.on_still_working = [&] {
      std::cout << (mid_line ? "\n" : "") << "Still working…\n" << std::flush;
      mid_line = false;
    };
    cloud::AgentTurn turn;
    try {
      turn = client_->send_message(line, cb, limits_, &interrupted());
    } catch (...) {
      if (mid_line) std::cout << "\n";
      throw;
    }
    if (mid_line) std::cout << "\n";
    if (!turn.has_text()) {
      // About 30% of editing turns end without a word: say what changed in the timeline.
      draft::Draft after = current_draft();
      std::string diff = draft::summary_diff(before, after);
      if (diff.empty())
        std::cout << "nemo: (no reply; the timeline is unchanged) " << draft::timeline_summary(after) << "\n";
      else
        std::cout << "nemo: (no reply; the timeline changed) " << diff << "\n";
      return;
    }
    switch (gui_action(turn.text)) {
      case GuiAction::None:
        break;
      case GuiAction::Export:
        std::cout << "(there is no Export button here: exporting through the API)\n";
        export_video("");
        break;
      case GuiAction::ReadState:
        std::cout << "(there is no panel here: the session state says)\n";
        show_timeline();
        break;
      case GuiAction::ShowTimeline:
        show_timeline();
        break;
      case GuiAction::SendAsEdit:
        std::cout << "(there is nothing to click or drag here: your words already asked for it; nothing more was "
                     "sent)\n";
        break;
    }
  }

  // ---- the other routes ------------------------------------------------------------------

  void credits() {
    if (!client_) {
      std::cout << "offline: credits belong to the cloud account; the local agent and local renders cost none\n";
      return;
    }
    auto c = client_->credits();
    std::cout << "credits: " << c.available << " available, " << c.frozen << " frozen, " << c.total << " total\n";
  }

  void upload(const std::vector<std::string>& items) {
    if (items.empty()) {
      std::cout << "upload what? name the files: `upload beach.jpg song.mp3`\n";
      return;
    }
    if (!client_) {
      std::cout << "offline: nothing to upload; name files in an instruction (\"add background music song.mp3\") and "
                   "the local agent puts them in the draft\n";
      return;
    }
    std::vector<std::string> files, urls;
    for (const auto& i : items) (cloud::is_http_url(i) ? urls : files).push_back(i);
    std::vector<cloud::UploadedFile> done;
    if (!files.empty()) done = client_->upload_files(files);
    if (!urls.empty()) {
      auto u = client_->upload_urls(urls);
      done.insert(done.end(), u.begin(), u.end());
    }
    std::cout << "uploaded " << done.size() << " file(s):";
    for (const auto& f : done) std::cout << " " << f.filename;
    std::cout << "\n";
  }

  std::string stem() const { return a_.draft.empty() ? std::string("reel-chat") : fs::path(a_.draft).stem().string(); }

  void preview() {
    Current c = current();
    if (!c.draft.exportable()) {
      std::cout << "nothing to preview yet: the timeline is empty\n";
      return;
    }
    std::string out = stem() + ".preview.mp4";
    auto r = render_locally(c.draft, c.base_dir, out, co_, engine::Preset::Preview, !isatty(STDERR_FILENO), 0);
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", r.seconds);
    std::cout << "preview: " << fs::absolute(out).string() << " (" << r.width << "x" << r.height << ", " << r.frames
              << " frames, rendered in " << secs << " s)\n";
  }

  void export_video(const std::string& line) {
    std::string out = a_.out;
    std::istringstream words(line);
    for (std::string w; words >> w;)
      if (w.size() > 4 && w.compare(w.size() - 4, 4, ".mp4") == 0) out = w;
    if (out.empty()) out = stem() + ".mp4";
    Current c = current();
    if (!c.draft.exportable()) {
      std::cout << "nothing to export yet: the timeline is empty\n";
      return;
    }
    export_with_fallback(co_, c.draft, c.base_dir, out, client_ ? ExportMode::Auto : ExportMode::Local,
                         !isatty(STDERR_FILENO), 0);
    std::cout << "exported: " << fs::absolute(out).string() << "\n";
  }

  ChatArgs a_;
  cloud::ClientOptions co_;
  cloud::AgentStreamOptions limits_;
  std::unique_ptr<cloud::Client> client_;  // connected; null: the local agent
  std::optional<DraftInput> draft_;        // the --draft file
  bool pretty_ = true;                     // the file was written pretty (kept so on save)
  int status_ = kExitOk;                   // the last failure's exit code
  bool first_words_ = true;                // the next agent line is the conversation's first
};

}  // namespace

namespace {

bool names_json_file(const std::string& word) {
  if (word.size() <= 5) return false;
  std::string end = word.substr(word.size() - 5);
  for (char& ch : end) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return end == ".json";
}

}  // namespace

void add_chat_commands(CLI::App& app, Commands& commands) {
  auto a = std::make_shared<ChatArgs>();
  auto* sub =
      app.add_subcommand("chat", "Edit the timeline in a conversation: the cloud agent, or the local one offline");
  add_cloud_flags(sub, a->cloud);
  sub->add_option("--draft", a->draft, "the draft file the local agent edits (offline or --local)");
  sub->add_flag("--local", a->local, "the local agent on --draft only, even when a backend answers");
  sub->add_option("-m,--message", a->message, "send one message (or command) and exit");
  sub->add_option("-o,--output", a->out, "where `export` writes (default DRAFT.mp4, or reel-chat.mp4)");
  sub->add_option("words", a->words,
                  "the one message as words, as -m gives it: reel chat make it vertical; a first word that "
                  "names a .json file is the draft (as --draft): reel chat trip.json make it vertical");
  commands.add(
      sub,
      [a] {
        // `reel chat trip.json …`, as every other command takes its draft: a first word that
        // names a JSON file is the draft when --draft is not given.
        if (!a->words.empty() && a->draft.empty() && names_json_file(a->words.front())) {
          a->draft = a->words.front();
          a->words.erase(a->words.begin());
        }
        if (!a->words.empty()) {
          if (!a->message.empty())
            throw UsageError("give the message once: as words after the options, or with -m, not both");
          for (const std::string& w : a->words) a->message += (a->message.empty() ? "" : " ") + w;
        }
        return Chat(*a).run();
      },
      Needs::Network);
}

}  // namespace reel::cli
