#include "cloud/node/media_policy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "cloud/client/http.h"
#include "cloud/protocol/errors.h"

namespace reel::cloud {
namespace fs = std::filesystem;

namespace {
bool v4_non_public(uint32_t a) {  // host order
  auto in = [a](uint32_t net, int bits) { return bits == 0 || (a >> (32 - bits)) == (net >> (32 - bits)); };
  return in(0x00000000, 8) || in(0x0a000000, 8) || in(0x7f000000, 8) || in(0xa9fe0000, 16) || in(0xac100000, 12) ||
         in(0xc0a80000, 16) || in(0x64400000, 10) || in(0xc0000000, 24) || in(0xc6120000, 15) || in(0xe0000000, 4) ||
         in(0xf0000000, 4);
}

bool v6_non_public(const unsigned char* b) {
  static const unsigned char zero[16] = {0};
  if (std::memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return true;  // :: and ::1
  if ((b[0] & 0xfe) == 0xfc) return true;                                        // fc00::/7
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;                        // fe80::/10
  if (b[0] == 0xff) return true;                                                 // multicast
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, mapped, 12) == 0 || std::memcmp(b, zero, 12) == 0) {  // v4-mapped/compat
    uint32_t a = (uint32_t(b[12]) << 24) | (uint32_t(b[13]) << 16) | (uint32_t(b[14]) << 8) | b[15];
    return v4_non_public(a);
  }
  return false;
}
}  // namespace

bool is_non_public_address(const std::string& ip) {
  in_addr a4{};
  if (inet_pton(AF_INET, ip.c_str(), &a4) == 1) return v4_non_public(ntohl(a4.s_addr));
  in6_addr a6{};
  if (inet_pton(AF_INET6, ip.c_str(), &a6) == 1) return v6_non_public(a6.s6_addr);
  return true;  // not an address at all: not trusted
}

std::string check_public_url(const std::string& url, std::vector<std::string>* pins) {
  std::string scheme = url_scheme(url);
  if (scheme != "http" && scheme != "https") return url + ": only http(s) URLs can be fetched";
  std::string host = url_host(url);
  if (host.empty()) return url + ": the URL has no host";
  if (host == "localhost" || host.ends_with(".localhost"))
    return "media at " + host + " is refused: the render node fetches only public addresses";
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0 || !res) return "media host " + host + " does not resolve";
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> guard(res, freeaddrinfo);
  std::string origin = url_origin(url);
  std::string port = scheme == "https" ? "443" : "80";
  if (auto c = origin.rfind(':'); c != std::string::npos && c > scheme.size() + 2 && origin.back() != ']')
    port = origin.substr(c + 1);
  std::vector<std::string> found;
  for (addrinfo* p = res; p; p = p->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {0};
    if (p->ai_family == AF_INET)
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(p->ai_addr)->sin_addr, buf, sizeof buf);
    else if (p->ai_family == AF_INET6)
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(p->ai_addr)->sin6_addr, buf, sizeof buf);
    else
      continue;
    if (is_non_public_address(buf))
      return "media at " + host + " (" + buf +
             ") is refused: loopback and private-range addresses are not fetched (start the node "
             "with --allow-local-media on a trusted box)";
    std::string addr = p->ai_family == AF_INET6 ? "[" + std::string(buf) + "]" : std::string(buf);
    found.push_back(host + ":" + port + ":" + addr);
  }
  if (pins) *pins = std::move(found);
  return {};
}

SessionMedia session_media(const NodeSession& session) {
  SessionMedia m;
  for (const auto& f : session.files) {
    m.by_url[f.info.cdn_url] = f.path;
    m.by_name[f.info.filename] = f.path;
  }
  return m;
}

std::string media_refusal(const std::string& ref, const SessionMedia& media, bool allow_local_media, bool resolve_dns) {
  if (ref.empty()) return {};
  if (media.by_url.count(ref)) return {};
  if (is_sandbox_path(ref)) {
    return media.by_name.count(fs::path(ref).filename().string())
               ? std::string()
               : ref + ": no file of that name was uploaded to this session";
  }
  if (is_http_url(ref)) {
    if (allow_local_media || !resolve_dns) return {};
    return check_public_url(ref);
  }
  if (allow_local_media) {
    std::string p = local_path_of(ref, "/");
    if (!fs::path(ref).is_absolute() && url_scheme(ref) != "file")
      return ref + ": a relative path means nothing on the render node; upload the file";
    return p.empty() ? ref + ": unsupported media reference" : std::string();
  }
  return ref +
         ": the render node reads only uploaded media and public http(s) URLs, not files "
         "on its own disk (upload the file first)";
}

std::string resolve_media(const std::string& ref, const SessionMedia& media, bool allow_local_media,
                          MediaCache& cache) {
  std::string why = media_refusal(ref, media, allow_local_media, true);
  if (!why.empty()) throw std::runtime_error("refused: " + why);
  if (auto it = media.by_url.find(ref); it != media.by_url.end()) return it->second;
  if (is_sandbox_path(ref)) return media.by_name.at(fs::path(ref).filename().string());
  if (is_http_url(ref)) return cache.fetch(ref);
  return local_path_of(ref, "/");
}

std::vector<std::string> vet_public_url(const std::string& url) {
  std::vector<std::string> pins;
  std::string why = check_public_url(url, &pins);
  if (!why.empty()) throw CloudError(ErrorKind::Refused, why);
  return pins;
}

}  // namespace reel::cloud
