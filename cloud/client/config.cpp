#include "cloud/client/config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "base/files.h"
#include "base/hash.h"
#include "cloud/protocol/errors.h"
#include "draft/parse.h"

namespace reel::cloud {
namespace fs = std::filesystem;

std::string executable_path() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

std::string detect_platform(const std::string& install_path) {
  if (install_path.find("/.clawhub/") != std::string::npos || install_path.starts_with(".clawhub/")) return "clawhub";
  if (install_path.find("/.cursor/skills/") != std::string::npos || install_path.starts_with(".cursor/skills/"))
    return "cursor";
  return "unknown";
}

std::string make_uuid() {
  unsigned char b[16];
  std::ifstream in("/dev/urandom", std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(b), sizeof b)) {
    std::random_device rd;
    for (auto& c : b) c = static_cast<unsigned char>(rd());
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[b[i] >> 4];
    out += hex[b[i] & 15];
  }
  return out;
}

namespace {

// A token found readable by others (a copy, an old version, a umask) is made private again,
// and so is the folder it is in.
void make_private(const std::string& path, mode_t mode) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 0777 & ~mode) != 0) ::chmod(path.c_str(), mode);
}

// Everything in the config folder is private: folders 0700, files 0600 unless asked.
void write_private(const std::string& path, const std::string& content, unsigned mode = 0600) {
  base::ensure_folder(fs::path(path).parent_path().string(), 0700);
  make_private(fs::path(path).parent_path().string(), 0700);
  base::write_file_atomically(path, content, mode);
}

}  // namespace

std::optional<std::string> read_file(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) return std::nullopt;
  // Records are a few kB; anything that is not a file of a sane size is refused unread.
  return base::read_input_file(path, 16 << 20, "a record of reel's");
}

ConfigStore::ConfigStore(std::string dir) : dir_(std::move(dir)) {}

Json ConfigStore::read_json(const std::string& name) const {
  auto text = read_file(dir_ + "/" + name);
  if (!text) return Json::object();
  Json j = draft::try_parse_json(*text).value_or(Json());
  return j.is_object() ? j : Json::object();  // a damaged file is started over
}

void ConfigStore::write_json(const std::string& name, const Json& j, unsigned mode) {
  write_private(dir_ + "/" + name, j.dump(2) + "\n", mode);
}

std::string ConfigStore::client_id() {
  auto text = read_file(dir_ + "/client_id");
  if (text) {
    std::string id = text->substr(0, text->find_first_of("\r\n"));
    if (id.size() == 36) return id;
  }
  return renew_client_id();
}

std::string ConfigStore::renew_client_id() {
  std::string id = make_uuid();
  write_private(dir_ + "/client_id", id + "\n");
  return id;
}

std::string ConfigStore::token_path(const std::string& api) const {
  return dir_ + "/token-" + base::hash_hex(api) + ".json";
}

std::optional<CachedToken> ConfigStore::load_token(const std::string& api) const {
  auto text = read_file(token_path(api));
  if (!text) return std::nullopt;
  make_private(dir_, 0700);
  make_private(token_path(api), 0600);
  Json j = draft::try_parse_json(*text).value_or(Json());
  if (!j.is_object() || !j.contains("token") || !j["token"].is_string()) return std::nullopt;
  if (j.value("api", std::string()) != api) return std::nullopt;
  CachedToken t;
  t.token = j["token"].get<std::string>();
  t.user_id = j.value("user_id", std::string());
  t.expires_at = j.value("expires_at_epoch", int64_t{0});
  t.credits = j.value("credits", 0.0);
  return t;
}

void ConfigStore::save_token(const std::string& api, const CachedToken& t) {
  Json j{{"api", api},
         {"token", t.token},
         {"user_id", t.user_id},
         {"expires_at", format_iso8601(t.expires_at)},
         {"expires_at_epoch", t.expires_at},
         {"credits", t.credits}};
  write_private(token_path(api), j.dump(2) + "\n");
}

void ConfigStore::forget_token(const std::string& api) {
  std::error_code ec;
  fs::remove(token_path(api), ec);
}

namespace {
std::string key_of(const std::string& api, const std::string& project) { return api + " " + project; }
}  // namespace

std::optional<SessionRecord> ConfigStore::load_session(const std::string& api, const std::string& project) const {
  Json all = read_json("sessions.json");
  auto it = all.find(key_of(api, project));
  if (it == all.end() || !it->is_object()) return std::nullopt;
  SessionRecord s;
  s.session_id = it->value("session_id", std::string());
  s.task_id = it->value("task_id", std::string());
  if (s.session_id.empty()) return std::nullopt;
  return s;
}

void ConfigStore::save_session(const std::string& api, const std::string& project, const SessionRecord& s) {
  Json all = read_json("sessions.json");
  all[key_of(api, project)] =
      Json{{"api", api}, {"project", project}, {"session_id", s.session_id}, {"task_id", s.task_id}};
  write_json("sessions.json", all);
}

std::map<std::string, std::string> ConfigStore::uploads(const std::string& api, const std::string& session_id) const {
  std::map<std::string, std::string> out;
  Json all = read_json("uploads.json");
  auto it = all.find(key_of(api, session_id));
  if (it == all.end() || !it->is_object()) return out;
  for (auto& [name, url] : it->items())
    if (url.is_string()) out[name] = url.get<std::string>();
  return out;
}

void ConfigStore::add_uploads(const std::string& api, const std::string& session_id,
                              const std::vector<UploadedFile>& files) {
  Json all = read_json("uploads.json");
  Json& entry = all[key_of(api, session_id)];
  if (!entry.is_object()) entry = Json::object();
  for (const auto& f : files)
    if (!f.filename.empty() && !f.cdn_url.empty()) entry[f.filename] = f.cdn_url;
  write_json("uploads.json", all);
}

namespace {
std::string canonical_key(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
  return ec ? path : p.string();
}
}  // namespace

std::optional<SessionRef> ConfigStore::pulled_draft(const std::string& draft_path) const {
  Json all = read_json("pulled.json");
  auto it = all.find(canonical_key(draft_path));
  if (it == all.end() || !it->is_object()) return std::nullopt;
  SessionRef r{it->value("api", std::string()), it->value("session_id", std::string())};
  if (r.api.empty() || r.session_id.empty()) return std::nullopt;
  return r;
}

void ConfigStore::record_pulled_draft(const std::string& draft_path, const SessionRef& from) {
  Json all = read_json("pulled.json");
  const std::string key = canonical_key(draft_path);
  all.erase(key);
  while (all.size() >= 200) all.erase(all.begin());  // the oldest first (insertion order)
  all[key] = Json{{"api", from.api}, {"session_id", from.session_id}};
  write_json("pulled.json", all);
}

namespace {
std::optional<JobRecord> job_of(const std::string& text) {
  Json j = draft::try_parse_json(text).value_or(Json());
  if (!j.is_object() || !j.contains("id")) return std::nullopt;
  JobRecord r;
  r.api = j.value("api", std::string());
  r.project = j.value("project", std::string());
  r.id = j.value("id", std::string());
  r.session_id = j.value("session_id", std::string());
  r.out_path = j.value("out_path", std::string());
  r.submitted_at_ms = j.value("submitted_at_ms", int64_t{0});
  r.expected_ms = j.value("expected_ms", int64_t{0});
  if (r.id.empty()) return std::nullopt;
  return r;
}
}  // namespace

std::vector<JobRecord> ConfigStore::load_jobs(const std::string& api, const std::string& project) const {
  std::vector<JobRecord> jobs;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir_ + "/jobs", ec)) {
    if (e.path().extension() != ".json") continue;
    auto text = read_file(e.path().string());
    if (auto r = text ? job_of(*text) : std::nullopt; r && r->api == api && r->project == project) jobs.push_back(*r);
  }
  std::sort(jobs.begin(), jobs.end(),
            [](const JobRecord& a, const JobRecord& b) { return a.submitted_at_ms < b.submitted_at_ms; });
  return jobs;
}

void ConfigStore::save_job(const JobRecord& r) {
  Json j{{"api", r.api},
         {"project", r.project},
         {"id", r.id},
         {"session_id", r.session_id},
         {"out_path", r.out_path},
         {"submitted_at_ms", r.submitted_at_ms},
         {"expected_ms", r.expected_ms}};
  write_private(dir_ + "/jobs/" + base::hash_hex(key_of(r.api, r.project) + " " + r.out_path) + ".json",
                j.dump(2) + "\n");
}

void ConfigStore::remove_job(const std::string& api, const std::string& project, const std::string& out_path) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir_ + "/jobs", ec)) {
    auto text = e.path().extension() == ".json" ? read_file(e.path().string()) : std::nullopt;
    // Records of earlier versions (one per project, keyed without the output) are found too.
    if (auto r = text ? job_of(*text) : std::nullopt;
        r && r->api == api && r->project == project && r->out_path == out_path)
      fs::remove(e.path(), ec);
  }
}

Json ConfigStore::settings() const { return read_json("config.json"); }

}  // namespace reel::cloud
