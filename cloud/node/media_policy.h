#pragma once
// What the render node may read: media it was given (uploads) or http(s) URLs of public
// addresses. A path on the node's disk, file://, a loopback or private-range address is refused
// unless the node was started with --allow-local-media.
#include <string>
#include <vector>

namespace reel::cloud {

/// Whether the literal IPv4/IPv6 address is loopback, private, link-local, CGNAT, unspecified,
/// multicast or otherwise not a public unicast address.
bool is_non_public_address(const std::string& ip);

/// Resolves the URL's host and returns an error sentence when any of its addresses is
/// non-public (or it does not resolve); empty when the URL is fine to fetch. `pins`, when
/// given, receives "host:port:address" entries to fetch it with (CURLOPT_RESOLVE).
std::string check_public_url(const std::string& url, std::vector<std::string>* pins = nullptr);

}  // namespace reel::cloud
