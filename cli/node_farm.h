#pragma once
// reel export --nodes: one render spread over several reel render nodes (`reel serve`). The
// draft is cut into parts (engine::plan_parts); every node gets the draft's media uploaded once
// and renders the parts it is dealt through the protocol's own submit, poll and download, with a
// "part" field; a part whose node fails goes to another node, and once no part waits an idle node
// races the slowest running one. The parts are joined here (engine::join_parts): the file is the
// one a whole render makes.
#include <string>
#include <vector>

#include "cloud/client/client.h"
#include "draft/model.h"

namespace reel::cli {

/// Exports `d` to `out` over `nodes` (base URLs); says what it did on stderr unless `quiet`.
/// Throws base::Error (every node failed, or a part cannot be joined) with nothing written.
int export_over_nodes(const cloud::ClientOptions& co, const std::vector<std::string>& nodes, const draft::Draft& d,
                      const std::string& base_dir, const std::string& out, bool quiet);

}  // namespace reel::cli
