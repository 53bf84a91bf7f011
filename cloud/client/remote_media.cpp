#include "cloud/client/remote_media.h"

#include <filesystem>

#include "cloud/client/http.h"
#include "cloud/protocol/errors.h"
#include "draft/keys.h"

namespace reel::cloud {

std::vector<RemoteSource> remote_sources(const draft::Draft& d) {
  std::vector<RemoteSource> out;
  for (const draft::Track& track : d.tracks)
    for (const draft::Segment& seg : track.segments) {
      if (!is_http_url(seg.source) && !is_sandbox_path(seg.source)) continue;
      std::string key = "src";
      try {
        const Json& obj = d.json.at(Json::json_pointer(seg.pointer));
        if (std::string_view k = draft::spelling_in(obj, draft::Key::Source); !k.empty()) key = std::string(k);
      } catch (const std::exception&) {
        // the view came from this JSON: the pointer is there; "src" otherwise
      }
      out.push_back({seg.pointer + "/" + key, seg.source});
    }
  return out;
}

std::function<std::vector<std::string>(const std::string&)> media_vetter(MediaAddressPolicy policy) {
  return [policy = std::move(policy)](const std::string& url) {
    const std::string origin = url_origin(url);
    bool trusted = false;
    for (const std::string& o : policy.trusted_origins) trusted = trusted || url_origin(o) == origin;
    UrlVetting v = vet_url(url, [&](AddressClass c) {
      switch (c) {
        case AddressClass::Public:
          return true;
        case AddressClass::Loopback:
          return trusted;
        case AddressClass::Private:
          return trusted || policy.allow_private;
        case AddressClass::LinkLocal:
        case AddressClass::Reserved:
          break;
      }
      return false;
    });
    switch (v.verdict) {
      case UrlVetting::Verdict::Ok:
        return v.pins;
      case UrlVetting::Verdict::Unresolved:
        throw CloudError(ErrorKind::Unreachable,
                         "cannot reach " + origin + " (the host " + v.host + " does not resolve)");
      case UrlVetting::Verdict::NotHttp:
      case UrlVetting::Verdict::NoHost:
        throw CloudError(ErrorKind::Refused, "not an http(s) URL with a host");
      case UrlVetting::Verdict::Refused:
        break;
    }
    const std::string rule = v.address_class == AddressClass::Loopback
                                 ? "loopback addresses are fetched only from the backend's own address (--api, "
                                   "REEL_API_URL)"
                             : v.address_class == AddressClass::Private
                                 ? "private-range addresses are fetched only with --allow-private-media"
                                 : "such addresses are never fetched";
    throw CloudError(ErrorKind::Refused, "refused: " + v.host +
                                             (v.address == v.host ? std::string() : " (" + v.address + ")") + " is " +
                                             to_string(v.address_class) + "; " + rule);
  };
}

namespace {

struct Problem {
  RemoteSource source;
  std::string why;  // empty for a source that is simply missing (offline, network down)
};

std::string lines_of(const std::vector<Problem>& problems) {
  std::string s;
  for (const Problem& p : problems)
    s += "\n  " + p.source.pointer + "  " + p.source.reference + (p.why.empty() ? "" : ": " + p.why);
  return s;
}

// A cache error's sentence without the URL it starts with (the list shows it already).
std::string without_url(std::string message, const std::string& url) {
  const std::string shown = url_origin(url) + url_path(url);
  for (const std::string& prefix : {"cannot download the media " + shown + ": ", shown + " "})
    if (message.starts_with(prefix)) return message.substr(prefix.size());
  return message;
}

std::string count_text(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::vector<RemoteMediaItem> fetch_remote_media(SourceMapper& mapper, MediaCache& cache,
                                                const std::vector<RemoteSource>& sources,
                                                const RemoteMediaRequest& request) {
  std::vector<RemoteMediaItem> done;
  std::vector<Problem> missing, failed;
  std::map<std::string, std::string> down;  // origin -> why it could not be reached
  std::string network_error;
  bool network_started = false;
  for (const RemoteSource& src : sources) {
    std::string url;
    try {
      url = mapper.url_of(src.reference);
    } catch (const CloudError&) {
      failed.push_back({src, !request.unmapped_reason.empty()
                                 ? request.unmapped_reason
                                 : "cannot be mapped: no file named '" +
                                       std::filesystem::path(src.reference).filename().string() +
                                       "' was uploaded to the draft's session (`reel upload` it, or change the "
                                       "source)"});
      continue;
    }
    RemoteMediaItem item{src, url, cache.path_for(url)};
    if (!cache.has(url)) {
      if (request.offline) {
        missing.push_back({src, {}});
        continue;
      }
      if (auto it = down.find(url_origin(url)); it != down.end()) {
        missing.push_back({src, {}});
        continue;
      }
      if (!network_started && request.before_network) request.before_network();
      network_started = true;
      item.downloaded = true;
    }
    try {
      item.path = cache.fetch(url);
      std::error_code ec;
      item.bytes = static_cast<int64_t>(std::filesystem::file_size(item.path, ec));
      done.push_back(std::move(item));
    } catch (const CloudError& e) {
      if (e.kind() == ErrorKind::Cancelled) throw;  // Ctrl-C: no list, no more downloads
      if (e.kind() == ErrorKind::Unreachable || e.kind() == ErrorKind::Timeout) {
        const std::string why =
            (e.kind() == ErrorKind::Timeout ? "no answer in time from " : "cannot reach ") + url_origin(url);
        down.emplace(url_origin(url), why);
        if (network_error.empty()) network_error = why;
        missing.push_back({src, {}});
      } else {
        failed.push_back({src, without_url(e.what(), url)});
      }
    }
  }
  if (missing.empty() && failed.empty()) return done;

  std::string msg;
  const std::string fetch = "`reel fetch " + request.draft_name + "`";
  if (!missing.empty()) {
    const std::string n = count_text(missing.size(), "remote media source is", "remote media sources are");
    if (request.offline)
      msg = "--offline: " + n + " not in the media cache:" + lines_of(missing) + "\nrun " + fetch +
            " while online to download " + (missing.size() == 1 ? "it" : "them") + ", or run without --offline";
    else
      msg = "the network is unreachable (" + network_error + ") and " + n +
            " not in the media cache:" + lines_of(missing) + "\ngo online and run this again, or run " + fetch +
            " once you are online";
  }
  if (!failed.empty())
    msg += (msg.empty() ? "" : "\n") + count_text(failed.size(), "media source cannot", "media sources cannot") +
           " be used:" + lines_of(failed);
  throw MediaUnavailable(msg);
}

}  // namespace reel::cloud
