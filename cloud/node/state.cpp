#include "cloud/node/state.h"

#include <algorithm>
#include <chrono>

#include "cloud/client/config.h"

namespace reel::cloud::node {
using namespace std::chrono;

NodeState::Snapshot NodeState::snapshot_locked() { return Snapshot{++records_version, records_text(records)}; }

void NodeState::write_snapshot(const Snapshot& s) {
  std::lock_guard lock(save_mutex);
  if (s.version <= saved_version) return;  // a newer one is on disk already
  try {
    write_records_text(opt.data_dir, s.text);
    saved_version = s.version;
  } catch (const std::exception& e) {
    log(std::string("cannot save the node's records: ") + e.what());
  }
}

int64_t now_s() { return duration_cast<seconds>(system_clock::now().time_since_epoch()).count(); }
int64_t now_ms() { return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count(); }

std::string random_hex(size_t n) {
  std::string out;
  while (out.size() < n) {
    std::string u = make_uuid();
    u.erase(std::remove(u.begin(), u.end(), '-'), u.end());
    out += u;
  }
  return out.substr(0, n);
}

}  // namespace reel::cloud::node
