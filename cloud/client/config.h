#pragma once
// What reel keeps between runs, all under the config dir ($XDG_CONFIG_HOME/reel, else
// ~/.config/reel): the client id, the cached anonymous token (mode 0600), the session of each
// project folder, the files uploaded to each session, and render jobs not yet downloaded.
// Every file is written whole (base::write_file_atomically), so a crash never leaves half a
// file; folders are 0700, the token and records 0600.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cloud/protocol/wire.h"
#include "draft/json.h"

namespace reel::cloud {

/// The running executable's path (/proc/self/exe), empty when unknown.
std::string executable_path();
/// The skills' platform rule: under a `.clawhub` folder -> "clawhub", under `.cursor/skills`
/// -> "cursor", else "unknown".
std::string detect_platform(const std::string& install_path);

/// A v4 UUID from /dev/urandom.
std::string make_uuid();

/// The file's content, or empty when it does not exist. Throws on read errors.
std::optional<std::string> read_file(const std::string& path);

struct CachedToken {
  std::string token;
  std::string user_id;
  int64_t expires_at = 0;  // epoch seconds
  double credits = 0;
};

struct SessionRecord {
  std::string session_id;
  std::string task_id;
};

/// A session of a backend.
struct SessionRef {
  std::string api;
  std::string session_id;
};

/// A render job submitted and not yet downloaded.
struct JobRecord {
  std::string api;
  std::string project;  // the project folder the job belongs to
  std::string id;       // render_<ms>
  std::string session_id;
  std::string out_path;  // where the file goes
  int64_t submitted_at_ms = 0;
  int64_t expected_ms = 0;  // the draft's length: what the downloaded video must last (0: unknown)
};

/// The config dir's files. Each call reads or writes its file; nothing is cached in memory, so
/// several processes see each other's changes. Not for concurrent use from several threads.
class ConfigStore {
 public:
  explicit ConfigStore(std::string dir);
  const std::string& dir() const { return dir_; }

  /// The stable X-Client-Id, created on first use.
  std::string client_id();
  /// Makes a new client id (after the backend said it lacked one).
  std::string renew_client_id();

  std::optional<CachedToken> load_token(const std::string& api) const;
  void save_token(const std::string& api, const CachedToken& token);
  void forget_token(const std::string& api);
  std::string token_path(const std::string& api) const;

  std::optional<SessionRecord> load_session(const std::string& api, const std::string& project) const;
  void save_session(const std::string& api, const std::string& project, const SessionRecord& s);

  /// Files uploaded into a session, by file name (the sandbox-path mapping).
  std::map<std::string, std::string> uploads(const std::string& api, const std::string& session_id) const;
  void add_uploads(const std::string& api, const std::string& session_id, const std::vector<UploadedFile>& files);

  /// The session a draft file was written from by `reel pull`, by the file's canonical path:
  /// what maps its sandbox paths to that session's uploads. pulled.json, at most 200 entries.
  std::optional<SessionRef> pulled_draft(const std::string& draft_path) const;
  void record_pulled_draft(const std::string& draft_path, const SessionRef& from);

  /// The cloud renders an export left running for a project, one file each in jobs/ keyed by
  /// the project and the output (two exports from one folder keep a record each), oldest first.
  std::vector<JobRecord> load_jobs(const std::string& api, const std::string& project) const;
  void save_job(const JobRecord& job);
  /// Removes the record of the job for `out_path` (absolute) of the project.
  void remove_job(const std::string& api, const std::string& project, const std::string& out_path);

  /// config.json ({"skill": {"name", "version"}, "api", "register_url"}); {} when absent.
  Json settings() const;

 private:
  Json read_json(const std::string& name) const;
  void write_json(const std::string& name, const Json& j, unsigned mode = 0600);
  std::string dir_;
};

}  // namespace reel::cloud
