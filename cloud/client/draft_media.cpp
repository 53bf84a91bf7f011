#include "cloud/client/draft_media.h"

#include <filesystem>
#include <map>

#include "cloud/client/client.h"
#include "cloud/client/media_cache.h"
#include "draft/edit.h"

namespace reel::cloud {
namespace fs = std::filesystem;

std::vector<LocalSource> local_sources(const draft::Draft& d, const std::string& base_dir) {
  std::vector<LocalSource> out;
  for (size_t t = 0; t < d.tracks.size(); ++t)
    for (size_t s = 0; s < d.tracks[t].segments.size(); ++s) {
      const std::string& ref = d.tracks[t].segments[s].source;
      std::string path = local_path_of(ref, base_dir);
      if (!path.empty()) out.push_back({t, s, ref, path});
    }
  return out;
}

draft::Draft draft_for_cloud(Client& client, const draft::Draft& d, const std::string& base_dir) {
  draft::Draft copy = d;
  auto sources = local_sources(d, base_dir);
  if (sources.empty()) return copy;
  std::vector<std::string> paths;  // distinct files, in draft order
  std::map<std::string, size_t> index;
  for (const auto& s : sources) {
    std::error_code ec;
    std::string key = fs::weakly_canonical(s.path, ec).string();
    if (ec) key = s.path;
    if (index.emplace(key, paths.size()).second) paths.push_back(s.path);
  }
  auto uploaded = client.upload_files(paths);
  std::vector<std::string> urls(paths.size());
  if (uploaded.size() == paths.size()) {
    for (size_t i = 0; i < paths.size(); ++i) urls[i] = uploaded[i].cdn_url;
  } else {  // the answer's order cannot be trusted: match by file name
    for (size_t i = 0; i < paths.size(); ++i)
      for (const auto& u : uploaded)
        if (u.filename == fs::path(paths[i]).filename().string()) urls[i] = u.cdn_url;
  }
  for (size_t i = 0; i < paths.size(); ++i)
    if (urls[i].empty())
      throw CloudError(ErrorKind::BadResponse, "the backend did not return a cdn_url for " + paths[i]);
  for (const auto& s : sources) {
    std::error_code ec;
    std::string key = fs::weakly_canonical(s.path, ec).string();
    if (ec) key = s.path;
    draft::set_segment_source(copy, s.track, s.segment, urls[index.at(key)]);
  }
  return copy;
}

}  // namespace reel::cloud
