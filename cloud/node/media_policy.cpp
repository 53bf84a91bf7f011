#include "cloud/node/media_policy.h"

#include <filesystem>
#include <stdexcept>

#include "cloud/client/http.h"
#include "cloud/protocol/errors.h"

namespace reel::cloud {
namespace fs = std::filesystem;

std::string check_public_url(const std::string& url, std::vector<std::string>* pins) {
  const std::string host = url_host(url);
  if (host == "localhost" || host.ends_with(".localhost"))
    return "media at " + host + " is refused: the render node fetches only public addresses";
  UrlVetting v = vet_url(url, [](AddressClass c) { return c == AddressClass::Public; });
  switch (v.verdict) {
    case UrlVetting::Verdict::NotHttp:
      return url + ": only http(s) URLs can be fetched";
    case UrlVetting::Verdict::NoHost:
      return url + ": the URL has no host";
    case UrlVetting::Verdict::Unresolved:
      return "media host " + host + " does not resolve";
    case UrlVetting::Verdict::Refused:
      return "media at " + host + " (" + v.address +
             ") is refused: loopback and private-range addresses are not fetched (start the node "
             "with --allow-local-media on a trusted box)";
    case UrlVetting::Verdict::Ok:
      break;
  }
  if (pins) *pins = std::move(v.pins);
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
