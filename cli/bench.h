#pragma once
// Local against cloud: a draft rendered here (preview, final) and through the cloud, timed,
// and the PSNR between the local and the cloud final. `reel bench` prints it; `reel mcp`'s
// bench tool returns it.
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cloud/client/client.h"
#include "draft/model.h"
#include "engine/types.h"

namespace reel::cli {

struct BenchRow {
  std::string name;           // "local preview", "local final", "cloud final"
  std::vector<double> times;  // seconds, one a run
  std::string file;           // the last run's output
};

struct BenchFigures {
  std::vector<BenchRow> rows;     // local preview, local final, cloud final (empty times: not measured)
  std::string cloud_error;        // why the cloud was not measured; empty when it was (or was skipped)
  std::optional<double> psnr_db;  // local final against cloud final (inf: identical); none without both or ffmpeg
};

struct BenchPlan {
  int runs = 1;
  std::string dir;          // where the renders go (kept there)
  bool skip_cloud = false;  // local renders only
  /// The local renders' options for a preset; empty: local_render_options (cloud_flows.h).
  std::function<engine::RenderOptions(engine::Preset)> local_options;
  const std::atomic<bool>* cancel = nullptr;  // null: Ctrl-C (interrupted())
  /// Told before each render: what it is and how many of all are done.
  std::function<void(const std::string& what, int done, int total)> progress;
};

/// Renders `d` as `plan` says and measures it; every local render is from nothing (no kept
/// chunks or proxies are read or written), as the cloud's are. The cloud renders run in a scratch session of
/// their own (the project's session keeps its draft). Throws engine::Cancelled when cancelled.
BenchFigures measure_bench(const draft::Draft& d, const std::string& base_dir, const cloud::ClientOptions& co,
                           const BenchPlan& plan);

/// The median of `v` (0 when empty).
double median(std::vector<double> v);

/// PSNR (dB, luma+chroma average) between two videos, measured by the ffmpeg program (its
/// psnr filter, an independent meter); nullopt when ffmpeg is missing or cannot measure them.
std::optional<double> psnr_between(const std::string& a, const std::string& b);

}  // namespace reel::cli
