#pragma once
// What a node does with what an earlier run left, internal to cloud/node/: node.json read
// back through the hardened parser, the jobs it had queued queued again (their drafts read
// back from renders/<id>.draft.json), the ones it was rendering failed, and the files a crash
// (kill -9, power loss) leaves behind swept: temporary names, uploads cut short, the files of
// jobs it no longer knows.
#include "cloud/node/state.h"

namespace reel::cloud::node {

/// Loads the records of data_dir and recovers its jobs: processing ones are failed with a
/// clear error, pending ones queued again in the order they came. Before the workers start.
/// Throws std::runtime_error when node.json cannot be read.
void recover_earlier_run(NodeState& n);
/// Removes, under data_dir, every temporary file (base::is_temporary_name), every upload no
/// session names, and every file of renders/ no job names. Before the server starts.
void sweep_leftovers(NodeState& n);

}  // namespace reel::cloud::node
