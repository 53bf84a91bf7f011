#pragma once
// What the render node may read: media it was given (uploads) or http(s) URLs of public
// addresses. A path on the node's disk, file://, a loopback or private-range address is refused
// unless the node was started with --allow-local-media. Checked when a render is submitted and
// again when the render reads each source.
#include <map>
#include <string>
#include <vector>

#include "cloud/client/address_policy.h"  // is_non_public_address, vet_url
#include "cloud/client/media_cache.h"
#include "cloud/node/store.h"

namespace reel::cloud {

/// Resolves the URL's host and returns an error sentence when any of its addresses is
/// non-public (or it does not resolve); empty when the URL is fine to fetch. `pins`, when
/// given, receives "host:port:address" entries to fetch it with (CURLOPT_RESOLVE).
std::string check_public_url(const std::string& url, std::vector<std::string>* pins = nullptr);

/// The media a session gave the node: its uploads by cdn_url and by file name (the sandbox
/// path /mnt/userdata/.../<name> names a file by its name), each to the file on the node's disk.
struct SessionMedia {
  std::map<std::string, std::string> by_url, by_name;
};
SessionMedia session_media(const NodeSession& session);

/// Why the node will not read the draft source `ref`, or empty when it may: the session's own
/// uploads, and http(s) URLs of public addresses (checked when `resolve_dns`). With
/// `allow_local_media` any http(s) URL and absolute paths or file:// URLs are fine too.
std::string media_refusal(const std::string& ref, const SessionMedia& media, bool allow_local_media, bool resolve_dns);
/// The local file for `ref` after media_refusal() allowed it: an upload, a fetch through
/// `cache`, or (allow_local_media) the path itself. Throws std::runtime_error("refused: ...").
std::string resolve_media(const std::string& ref, const SessionMedia& media, bool allow_local_media, MediaCache& cache);
/// The node's MediaCache vetting: CURLOPT_RESOLVE pins of a public URL; throws CloudError
/// (Refused) for a URL check_public_url() refuses.
std::vector<std::string> vet_public_url(const std::string& url);

}  // namespace reel::cloud
