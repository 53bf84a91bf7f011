#pragma once
// The render node's records: tokens, sessions with their uploaded files and draft, and render
// jobs. Plain data, saved as one JSON file (data_dir/node.json, written atomically) after each
// change of state (not of progress) and read back on start. The node guards it with its own mutex.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cloud/protocol/wire.h"
#include "draft/history.h"
#include "draft/json.h"

namespace reel::cloud {

struct NodeToken {
  std::string user_id;
  std::string client_id;
  int64_t expires_at = 0;  // epoch s
  double credits = 100;
};

struct NodeFile {
  UploadedFile info;
  std::string path;  // on the node's disk
};

struct NodeSession {
  std::string task_id;
  std::string user_id;
  std::string task_name;
  Json draft;  // the latest draft (null when none yet)
  std::vector<NodeFile> files;
  int64_t used_at = 0;  // epoch ms: made or last asked for (a user's least recently used goes first)
  /// The drafts the agent's turns and submitted renders replaced, for undo / redo (the
  /// draft's compact text, as the records keep it).
  draft::DraftHistory history;
};

struct NodeJob {
  std::string id;
  std::string user_id;
  std::string session_id;
  std::string status = "pending";  // pending, processing, completed, failed, cancelled
  int progress = 5;
  std::string error;
  std::string out_path;                      // on the node's disk, when completed
  std::string output_key;                    // random path part of the output URL
  int64_t created_at = 0, completed_at = 0;  // epoch ms
  Json draft;  // while pending or processing, in memory only (renders/<id>.draft.json keeps it)
  Json output;
  PartRequest part;
};

struct NodeRecords {
  std::map<std::string, NodeToken> tokens;                   // token -> record
  std::map<std::string, std::vector<int64_t>> token_issues;  // client id -> issue times (s)
  std::map<std::string, NodeSession> sessions;               // session id -> record
  std::map<std::string, NodeJob> jobs;                       // render id -> record
  int64_t next_user = 1;

  Json to_json() const;
  static NodeRecords from_json(const Json& j);
};

/// The records as node.json's text. Job drafts are not in it: each is in renders/<id>.draft.json.
std::string records_text(const NodeRecords& records);
/// Writes node.json's text to `data_dir`/node.json, atomically and with mode 0600. Throws
/// base::FileError.
void write_records_text(const std::string& data_dir, const std::string& text);
/// The records saved in `data_dir`/node.json (read through draft::parse_json with `limits`);
/// none when there is no such file yet. Throws std::runtime_error when it cannot be read.
std::optional<NodeRecords> load_records(const std::string& data_dir, size_t max_bytes, int max_depth);

}  // namespace reel::cloud
