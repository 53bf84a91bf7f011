#pragma once
// A multipart upload's parts -> files in one folder, internal to cloud/node/. httplib reads the
// framing (its request reader and multipart parser, compiled into its library); this is what
// the node does with the parts: only field `files` is kept, each file's type accepted by its
// name, its size capped, never empty, at most so many parts, each streamed to disk (0600) while
// hashed. A refused upload leaves no file behind. The server calls receive_multipart with the
// request's reader; the tests and tests/fuzz/fuzz_node_multipart.cpp call receive_multipart_bytes,
// which runs a request held in memory through the same httplib server code into it.
#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cloud/node/store.h"

namespace reel::cloud::node {

/// What one upload request brought: the files kept, or why it was refused.
struct Received {
  std::vector<NodeFile> files;
  int code = 0;             // 4001, 4002, 400 or 507: refused, and no file of it is kept
  std::string error;        // with `code`
  std::string bad_request;  // non-empty: answered 400 with this sentence as it is (URL uploads)
};

struct UploadLimits {
  int64_t max_bytes = 200ll << 20;  // per file
  int max_parts = 64;               // parts (of any field) in one request
};

/// The most bytes an upload request's body may have: one file at the cap and its framing.
inline int64_t upload_body_cap(int64_t max_file_bytes) { return max_file_bytes + (1 << 20); }

/// Where an upload's files go: into `dir` (it exists) as "<unique()>-<safe name>", served
/// back at url_base + "/" + that name. `unique` keeps two uploads of one name apart.
struct UploadTarget {
  std::string dir, url_base;
  std::function<std::string()> unique;
};

/// A file name safe to store: its last component; letters, digits, . - _ (others become _),
/// never starting with a dot, at most 100 characters.
std::string safe_name(const std::string& name);
/// The sentences of a refused type (4001) and of a file over the cap (4002).
std::string unsupported_type(const std::string& name);
std::string too_large(int64_t max_bytes);

/// Reads a multipart/form-data request through httplib's `reader` into `to`.
Received receive_multipart(const httplib::ContentReader& reader, const UploadLimits& limits, const UploadTarget& to);

/// The same for a request held in memory: a POST with `content_type` (no line breaks) and
/// `body` goes through httplib's server code as a socket's bytes would (headers, the body cap,
/// the multipart parser), each read returning at most `chunk` bytes. A request httplib refuses
/// before the handler runs, or one that is not multipart/form-data, is a 400 with its reason.
Received receive_multipart_bytes(std::string_view content_type, std::string_view body, const UploadLimits& limits,
                                 const UploadTarget& to, size_t chunk = 4096);

}  // namespace reel::cloud::node
