#include "cloud/client/address_policy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>

#include "cloud/client/http.h"

namespace reel::cloud {

namespace {

AddressClass classify_v4(uint32_t a) {  // host order
  auto in = [a](uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
  if (in(0x7f000000, 8)) return AddressClass::Loopback;
  if (in(0xa9fe0000, 16)) return AddressClass::LinkLocal;
  if (in(0x0a000000, 8) || in(0xac100000, 12) || in(0xc0a80000, 16) || in(0x64400000, 10)) return AddressClass::Private;
  if (in(0x00000000, 8) || in(0xc0000000, 24) || in(0xc6120000, 15) || in(0xe0000000, 4) || in(0xf0000000, 4))
    return AddressClass::Reserved;
  return AddressClass::Public;
}

AddressClass classify_v6(const unsigned char* b) {
  static const unsigned char zero[16] = {0};
  if (std::memcmp(b, zero, 15) == 0 && b[15] == 1) return AddressClass::Loopback;  // ::1
  if (std::memcmp(b, zero, 16) == 0) return AddressClass::Reserved;                // ::
  if ((b[0] & 0xfe) == 0xfc) return AddressClass::Private;                         // fc00::/7
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressClass::LinkLocal;       // fe80::/10
  if (b[0] == 0xff) return AddressClass::Reserved;                                 // multicast
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, mapped, 12) == 0 || std::memcmp(b, zero, 12) == 0) {  // v4-mapped/compat
    uint32_t a = (uint32_t(b[12]) << 24) | (uint32_t(b[13]) << 16) | (uint32_t(b[14]) << 8) | b[15];
    return classify_v4(a);
  }
  return AddressClass::Public;
}

}  // namespace

AddressClass classify_address(const std::string& ip) {
  in_addr a4{};
  if (inet_pton(AF_INET, ip.c_str(), &a4) == 1) return classify_v4(ntohl(a4.s_addr));
  in6_addr a6{};
  if (inet_pton(AF_INET6, ip.c_str(), &a6) == 1) return classify_v6(a6.s6_addr);
  return AddressClass::Reserved;  // not an address at all: not trusted
}

const char* to_string(AddressClass c) {
  switch (c) {
    case AddressClass::Public:
      return "a public address";
    case AddressClass::Loopback:
      return "a loopback address";
    case AddressClass::Private:
      return "a private-range address";
    case AddressClass::LinkLocal:
      return "a link-local address (where cloud metadata services answer)";
    case AddressClass::Reserved:
      return "a reserved address";
  }
  return "an address";
}

bool is_non_public_address(const std::string& ip) { return classify_address(ip) != AddressClass::Public; }

bool is_metadata_host(const std::string& host) {
  for (const char* name : {"metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.internal",
                           "instance-data", "instance-data.ec2.internal"})
    if (host == name || host == std::string(name) + ".") return true;
  return false;
}

UrlVetting vet_url(const std::string& url, const std::function<bool(AddressClass)>& allowed) {
  UrlVetting v;
  const std::string scheme = url_scheme(url);
  if (scheme != "http" && scheme != "https") {
    v.verdict = UrlVetting::Verdict::NotHttp;
    return v;
  }
  v.host = url_host(url);
  if (v.host.empty()) {
    v.verdict = UrlVetting::Verdict::NoHost;
    return v;
  }
  if (is_metadata_host(v.host)) {
    v.verdict = UrlVetting::Verdict::Refused;
    v.address = v.host;
    v.address_class = AddressClass::LinkLocal;
    return v;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(v.host.c_str(), nullptr, &hints, &res) != 0 || !res) {
    v.verdict = UrlVetting::Verdict::Unresolved;
    return v;
  }
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> guard(res, freeaddrinfo);
  const std::string origin = url_origin(url);
  std::string port = scheme == "https" ? "443" : "80";
  if (auto c = origin.rfind(':'); c != std::string::npos && c > scheme.size() + 2 && origin.back() != ']')
    port = origin.substr(c + 1);
  for (addrinfo* p = res; p; p = p->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {0};
    if (p->ai_family == AF_INET)
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(p->ai_addr)->sin_addr, buf, sizeof buf);
    else if (p->ai_family == AF_INET6)
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(p->ai_addr)->sin6_addr, buf, sizeof buf);
    else
      continue;
    const AddressClass c = classify_address(buf);
    if (!allowed(c)) {
      v.verdict = UrlVetting::Verdict::Refused;
      v.address = buf;
      v.address_class = c;
      v.pins.clear();
      return v;
    }
    const std::string addr = p->ai_family == AF_INET6 ? "[" + std::string(buf) + "]" : std::string(buf);
    v.pins.push_back(v.host + ":" + port + ":" + addr);
  }
  return v;
}

}  // namespace reel::cloud
