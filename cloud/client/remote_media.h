#pragma once
// A draft's remote media for a local render, all of it before the render starts: every source
// that is not a file on this machine (http(s) URLs, the backend's sandbox paths) is found in
// the media cache or fetched into it, and whatever cannot be had — not cached while offline,
// the network down, refused by the address policy, not media, not mapped — is told in one
// message that lists every such source with its JSON pointer and what to do. The engine then
// gets a resolver that only maps to files already on disk.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "cloud/client/address_policy.h"
#include "cloud/client/media_cache.h"
#include "draft/model.h"

namespace reel::cloud {

/// A source of a draft that is not a file here: an http(s) URL or a sandbox path.
struct RemoteSource {
  std::string pointer;    // the source's JSON pointer as the draft spells it: "/t/0/sg/1/src"
  std::string reference;  // as written
};

/// Every remote source of the draft's segments, in draft order.
std::vector<RemoteSource> remote_sources(const draft::Draft& draft);

/// Which addresses media may come from (docs/cloud.md, "Remote media for local renders"):
/// public ones; the backend's own origins (loopback or private too); private ranges only when
/// allowed; link-local (cloud metadata) and reserved addresses never.
struct MediaAddressPolicy {
  std::vector<std::string> trusted_origins;  // "http://127.0.0.1:8790": the backend's own
  bool allow_private = false;                // --allow-private-media
};
/// A MediaCacheOptions::vet for the policy: the pins of an allowed URL; CloudError Refused
/// naming the address and the rule, or Unreachable when the host does not resolve.
std::function<std::vector<std::string>(const std::string&)> media_vetter(MediaAddressPolicy policy);

/// The sources that cannot be had, every one in one message (Fault::Input: exit 1).
class MediaUnavailable : public base::Error {
 public:
  explicit MediaUnavailable(const std::string& message) : base::Error(base::Fault::Input, message) {}
};

struct RemoteMediaRequest {
  std::string draft_name;  // as the person named it, for the advice ("reel fetch <draft_name>")
  bool offline = false;    // --offline (the cache must also be offline: MediaCacheOptions)
  /// Why sandbox paths cannot be mapped at all (the draft came from no session); empty when
  /// the mapper knows the session's uploads.
  std::string unmapped_reason;
  /// Called once before the first download (not for cached files): the CLI starts libcurl.
  std::function<void()> before_network;
};

/// One source's outcome.
struct RemoteMediaItem {
  RemoteSource source;
  std::string url;   // where it came from
  std::string path;  // the cached file
  int64_t bytes = 0;
  bool downloaded = false;  // false: it was already cached
};

/// Finds or fetches every source through `mapper` (its cache). Returns each one's file;
/// throws MediaUnavailable listing all that cannot be had.
std::vector<RemoteMediaItem> fetch_remote_media(SourceMapper& mapper, MediaCache& cache,
                                                const std::vector<RemoteSource>& sources,
                                                const RemoteMediaRequest& request);

}  // namespace reel::cloud
