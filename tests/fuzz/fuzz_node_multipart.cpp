// Fuzzes the render node's multipart uploads (cloud/node/multipart.h): a request's Content-Type
// and body through httplib's own request reader and multipart parser into the node's part
// handler, as the server runs them. The input: one byte choosing how many bytes each read
// returns (so the framing falls across reads), the Content-Type after "multipart/form-data" up
// to the first \n, then the body. Afterwards either the upload was refused with a code and a
// sentence and left no file, or the folder holds exactly the files kept, each within the cap,
// with its hash, and bytes that were in the body. Anything else aborts.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "base/hash.h"
#include "cloud/node/multipart.h"

namespace fs = std::filesystem;
using namespace reel::cloud::node;

namespace {

const fs::path& folder() {
  // Never destroyed, so the exit handler that removes it still has its name.
  static const fs::path* dir = [] {
    // In memory when there is no TMPDIR: creating and removing files on a disk is most of
    // the time otherwise (some 300 runs a second instead of 5,000).
    const char* tmp = std::getenv("TMPDIR");
    const std::string base = tmp && *tmp ? tmp : fs::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    std::string pattern = base + "/fuzz_node_multipart-XXXXXX";
    if (!::mkdtemp(pattern.data())) std::abort();
    auto* made = new fs::path(pattern);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(folder(), ec);
    });
    return made;
  }();
  return *dir;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t chunk = data[0] < 128 ? 1 + data[0] % 64 : 4096;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t eol = std::min(rest.find('\n'), rest.size());
  std::string type = "multipart/form-data";
  for (char c : rest.substr(0, eol))
    if (c != '\r') type += c;
  const std::string_view body = rest.substr(std::min(eol + 1, rest.size()));

  const UploadLimits limits{1024, 8};
  int counter = 0;
  const UploadTarget to{folder().string(), "http://node/files/1", [&counter] { return std::to_string(++counter); }};
  Received got = receive_multipart_bytes(type, body, limits, to, chunk);

  std::set<fs::path> present;
  for (const auto& e : fs::directory_iterator(folder())) present.insert(e.path());
  if (got.code != 0) {
    check(got.code == 400 || got.code == 4001 || got.code == 4002 || got.code == 507);
    check(!got.error.empty() && got.files.empty() && present.empty());
    return 0;
  }
  check(got.error.empty() && got.bad_request.empty() && got.files.size() <= 8 && present.size() == got.files.size());
  for (const auto& f : got.files) {
    const fs::path path(f.path);
    check(path.parent_path() == folder() && present.count(path) == 1);
    const std::string stored = path.filename().string();
    check(!stored.empty() && stored[0] != '.' && f.info.cdn_url == to.url_base + "/" + stored);
    check(std::all_of(stored.begin(), stored.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    }));
    const std::string bytes = read_all(path);
    check(!bytes.empty() && static_cast<int64_t>(bytes.size()) <= limits.max_bytes);
    check(f.info.hash == reel::base::hash_hex(bytes) && body.find(bytes) != std::string_view::npos);
    check(!f.info.file_type.empty());
    fs::remove(path);
  }
  return 0;
}
