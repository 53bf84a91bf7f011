#pragma once
// Which network addresses media may be fetched from: the one classification of addresses the
// client's media cache and the render node's media policy share, and the DNS look-up that
// vets every address a host resolves to and pins them for the fetch (CURLOPT_RESOLVE), so a
// second DNS answer cannot differ (DNS rebinding).
#include <functional>
#include <string>
#include <vector>

namespace reel::cloud {

/// What kind of address a literal IPv4/IPv6 address is.
enum class AddressClass {
  Public,     // public unicast
  Loopback,   // 127/8, ::1
  Private,    // 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT), fc00::/7 (ULA)
  LinkLocal,  // 169.254/16, fe80::/10: cloud metadata services live here
  Reserved,   // unspecified, multicast, documentation, benchmarking, not an address at all
};
AddressClass classify_address(const std::string& ip);
/// "a loopback address", "a private-range address", ...
const char* to_string(AddressClass c);

/// Whether the literal IPv4/IPv6 address is anything but a public unicast address.
bool is_non_public_address(const std::string& ip);

/// Host names of cloud metadata services (metadata.google.internal, ...), refused by name.
bool is_metadata_host(const std::string& host);

/// What vet_url() found.
struct UrlVetting {
  enum class Verdict { Ok, NotHttp, NoHost, Unresolved, Refused } verdict = Verdict::Ok;
  std::string host;
  std::string address;            // Refused: the first address not allowed
  AddressClass address_class{};   // Refused: its class
  std::vector<std::string> pins;  // Ok: "host:port:address" for every address
};

/// Resolves the http(s) URL's host and checks every address it resolves to with `allowed`.
/// A metadata host name is refused as LinkLocal without a look-up.
UrlVetting vet_url(const std::string& url, const std::function<bool(AddressClass)>& allowed);

}  // namespace reel::cloud
