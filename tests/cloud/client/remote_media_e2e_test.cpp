// End-to-end (label e2e): a draft's remote media through the reel binary — fetched once into
// the media cache, then used with no network at all; --offline and a network that is down
// list every missing source at once; `reel fetch`, `reel pull --with-media`, sandbox paths of
// a pulled draft; the address policy; no token sent to a media origin; an HTML page saved as
// photo.jpg refused and not cached; `reel cache` with sizes and origins. Real HTTP on
// 127.0.0.1: a render node, and a media server that records what it was asked.
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <thread>

#include "cloud/client/client.h"
#include "cloud/node/server.h"
#include "support/run_command.h"
#include "tests/cloud/support/node_fixture.h"
#include "tests/cloud/support/test_util.h"

using namespace reel;
using namespace reel::cloud;
using namespace reel::cloud::testing;
namespace fs = std::filesystem;

namespace {

using reel::test::shell_quote;

int sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()); }

/// A JPEG of 320x180 made by ffmpeg (a test pattern in the given hue).
std::string jpeg_bytes(const TempDir& dir, int hue) {
  const std::string path = dir.file("made-" + std::to_string(hue) + ".jpg");
  if (!fs::exists(path))
    EXPECT_EQ(sh("ffmpeg -v error -y -f lavfi -i testsrc2=size=320x180:rate=1 -frames:v 1 -vf hue=h=" +
                 std::to_string(hue) + " " + shell_quote(path)),
              0);
  return read_bytes(path);
}

/// Serves fixed bytes by path on 127.0.0.1 and records every request's headers.
class MediaServer {
 public:
  MediaServer() {
    server_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      headers_.push_back(req.headers);
      paths_.push_back(req.path);
      if (auto r = redirects_.find(req.path); r != redirects_.end()) {
        res.set_redirect(r->second);
        return;
      }
      auto it = files_.find(req.path);
      if (it == files_.end()) {
        res.status = 404;
        return;
      }
      res.set_content(it->second, "application/octet-stream");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 400 && !server_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~MediaServer() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& path = "") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  void put(const std::string& path, std::string bytes) {
    std::lock_guard lock(mutex_);
    files_[path] = std::move(bytes);
  }
  void redirect(const std::string& path, std::string to) {
    std::lock_guard lock(mutex_);
    redirects_[path] = std::move(to);
  }
  int requests() {
    std::lock_guard lock(mutex_);
    return static_cast<int>(paths_.size());
  }
  std::vector<httplib::Headers> headers() {
    std::lock_guard lock(mutex_);
    return headers_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::map<std::string, std::string> files_, redirects_;
  std::vector<httplib::Headers> headers_;
  std::vector<std::string> paths_;
};

/// A port on 127.0.0.1 with nothing listening (bound, then closed).
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

/// A draft of two photos and a text, sources as given (a third source goes on a second track).
std::string draft_of(const std::vector<std::string>& sources) {
  Json sg = Json::array();
  for (size_t i = 0; i < 2 && i < sources.size(); ++i)
    sg.push_back({{"s", 1000 * i}, {"d", 1000}, {"src", sources[i]}});
  Json d = {{"m", {{"title", "Remote"}, {"width", 320}, {"height", 180}, {"fps", 10}}},
            {"t", Json::array({{{"tt", 0}, {"sg", sg}}})}};
  if (sources.size() > 2)
    d["t"].push_back({{"tt", 0}, {"sg", Json::array({{{"s", 0}, {"d", 1000}, {"src", sources[2]}}})}});
  return d.dump(2);
}

/// The list lines of the three sources of the draft of OfflineLists… and ANetwork….
std::string three_listed(const std::string& base) {
  return "  /t/0/sg/0/src  " + base + "/a.jpg\n  /t/0/sg/1/src  " + base + "/b.jpg\n  /t/1/sg/0/src  " + base +
         "/song.jpg\n";
}

struct RemoteMediaE2E : ::testing::Test {
  TempDir dir;
  MediaServer media;
  std::string project() const { return dir.file("project"); }
  void SetUp() override { fs::create_directories(project()); }

  /// Runs the reel binary in the project folder with its own config and cache folders.
  test::RunResult reel(const std::vector<std::string>& args, const std::string& env = "") {
    std::vector<std::string> full{"XDG_CONFIG_HOME=" + dir.file("config"), "XDG_CACHE_HOME=" + dir.file("cache"),
                                  "REEL_CONNECT_TIMEOUT_MS=1000"};
    if (!env.empty()) full.push_back(env);
    full.push_back(REEL_BINARY);
    full.insert(full.end(), args.begin(), args.end());
    return test::run_command("env", full, "", project());
  }
  std::string write_draft(const std::string& name, const std::vector<std::string>& sources) {
    write_bytes(project() + "/" + name, draft_of(sources));
    return name;
  }
  size_t cached_files() {
    size_t n = 0;
    std::error_code ec;
    for (const auto& de : fs::directory_iterator(dir.file("cache") + "/reel/media", ec))
      n += de.path().extension() != ".origin";
    return n;
  }
};

}  // namespace

TEST_F(RemoteMediaE2E, OfflineListsEveryUncachedSourceAtOnceWithItsPointer) {
  const std::string base = "http://127.0.0.1:" + std::to_string(closed_port());
  write_draft("draft.json", {base + "/a.jpg", base + "/b.jpg", base + "/song.jpg"});
  for (const char* cmd : {"preview", "still", "storyboard"}) {
    std::vector<std::string> args{cmd, "draft.json", "--offline"};
    if (std::string(cmd) != "preview") args.insert(args.end(), {"-o", "x.png"});
    if (std::string(cmd) == "still") args.insert(args.end(), {"--at", "0"});
    auto r = reel(args);
    EXPECT_EQ(r.exit_code, 1) << cmd << r.err;
    EXPECT_EQ(r.err, "reel: --offline: 3 remote media sources are not in the media cache:\n" + three_listed(base) +
                         "run `reel fetch draft.json` while online to download them, or run without --offline\n")
        << cmd;
  }
}

TEST_F(RemoteMediaE2E, ANetworkThatIsDownGivesTheSameListWithWhatToDo) {
  const std::string base = "http://127.0.0.1:" + std::to_string(closed_port());
  write_draft("draft.json", {base + "/a.jpg", base + "/b.jpg", base + "/song.jpg"});
  auto r = reel({"preview", "draft.json"}, "REEL_API_URL=" + base);  // loopback: the backend's own origin
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "reel: the network is unreachable (cannot reach " + base +
                       ") and 3 remote media sources are not in the media cache:\n" + three_listed(base) +
                       "go online and run this again, or run `reel fetch draft.json` once you are online\n");
  EXPECT_EQ(cached_files(), 0u);
}

TEST_F(RemoteMediaE2E, TheBundledExampleGivesTheListNotDownloadItYourself) {
  write_bytes(project() + "/urban-dreams.json",
              read_bytes(std::string(REEL_ASSETS_DIR) + "/examples/urban-dreams.json"));
  auto r = reel({"preview", "urban-dreams.json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err,
            "reel: the network is unreachable (cannot reach https://cdn.example) and 1 remote media source is "
            "not in the media cache:\n"
            "  /t/0/sg/1/src  https://cdn.example/u/02.heic\n"
            "go online and run this again, or run `reel fetch urban-dreams.json` once you are online\n");
  EXPECT_EQ(r.err.find("download it and use the local path"), std::string::npos);
}

TEST_F(RemoteMediaE2E, FetchFillsTheCacheThenOfflineRendersWithNoRequestAndCacheShowsSizesAndOrigins) {
  media.put("/m/a.jpg", jpeg_bytes(dir, 0));
  media.put("/m/b.jpg", jpeg_bytes(dir, 120));
  const std::string env = "REEL_API_URL=" + media.url();
  write_draft("draft.json", {media.url("/m/a.jpg"), media.url("/m/b.jpg")});
  auto f = reel({"fetch", "draft.json"}, env);
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_EQ(f.out, "/t/0/sg/0/src  " + media.url("/m/a.jpg") + "  downloaded (0.0 MB)\n" + "/t/0/sg/1/src  " +
                       media.url("/m/b.jpg") + "  downloaded (0.0 MB)\n");
  EXPECT_EQ(f.err,
            "reel: all 2 remote media sources of draft.json are in the media cache (2 downloaded now); it renders "
            "with --offline\n");
  EXPECT_EQ(media.requests(), 2);

  auto p = reel({"preview", "draft.json", "--offline", "-o", "p.mp4"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  auto s = reel({"still", "draft.json", "--at", "1.5", "-o", "s.png"}, env);  // online, but all cached
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(media.requests(), 2);  // nothing asked again
  auto again = reel({"fetch", "draft.json"}, env);
  EXPECT_NE(again.out.find("already cached"), std::string::npos);
  EXPECT_EQ(media.requests(), 2);

  auto c = reel({"cache"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(c.out.find("media: " + dir.file("cache") + "/reel/media - 2 files, "), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("  budget 4096 MB (--media-budget, config.json media_budget_mb)"), std::string::npos) << c.out;
  for (const char* name : {"/m/a.jpg", "/m/b.jpg"}) {
    EXPECT_NE(c.out.find("  0.0 MB  " + media.url(name) + "  "), std::string::npos) << c.out;
  }
}

TEST_F(RemoteMediaE2E, ADownloadedPhotoKeepsItsChunksAndSubjectsFromOneRenderToTheNext) {
  // Using a cached file marks it used; that must not make it a new file to the proxies, the
  // subject search and the chunks keyed by its identity, or every render of a pulled draft
  // would start from nothing.
  media.put("/m/a.jpg", jpeg_bytes(dir, 0));
  media.put("/m/b.jpg", jpeg_bytes(dir, 120));
  Json d = Json::parse(draft_of({media.url("/m/a.jpg"), media.url("/m/b.jpg")}));
  for (Json& sg : d["t"][0]["sg"]) sg["m"] = {{"kb", "auto"}};  // a subject search for each
  write_bytes(project() + "/draft.json", d.dump(2));
  const std::string env = "REEL_API_URL=" + media.url();
  auto first = reel({"preview", "draft.json", "-o", "p.mp4", "--timings"}, env);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(media.requests(), 2);
  const std::string made = read_bytes(project() + "/p.mp4");
  for (int run = 0; run < 2; ++run) {
    auto again = reel({"preview", "draft.json", "-o", "p.mp4", "--timings"}, env);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.err.find("; 0 chunks rendered, "), std::string::npos) << again.err;
    EXPECT_NE(again.err.find(", subjects 0.00, decode 0.00, warp 0.00, "), std::string::npos) << again.err;
    EXPECT_EQ(read_bytes(project() + "/p.mp4"), made);
  }
  EXPECT_EQ(media.requests(), 2);
}

TEST_F(RemoteMediaE2E, MakeWithAddressesDownloadsThemOnceAndKeepsTheAddressesInTheDraft) {
  media.put("/m/a.jpg", jpeg_bytes(dir, 0));
  media.put("/m/b.jpg", jpeg_bytes(dir, 200));
  const std::string env = "REEL_API_URL=" + media.url();
  auto r = reel({"make", media.url("/m/a.jpg"), media.url("/m/b.jpg"), "--preview", "-o", "v.mp4", "--draft-out",
                 "made.json", "--progress", "none"},
                env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(media.requests(), 2);
  EXPECT_EQ(cached_files(), 2u);
  const std::string made = read_bytes(project() + "/made.json");
  EXPECT_NE(made.find("\"" + media.url("/m/a.jpg") + "\""), std::string::npos) << made;
  EXPECT_NE(made.find("\"" + media.url("/m/b.jpg") + "\""), std::string::npos) << made;
  EXPECT_TRUE(fs::file_size(project() + "/v.mp4") > 0);
  // Cached now: the draft previews with no request at all.
  auto p = reel({"preview", "made.json", "--offline", "--progress", "none"});
  EXPECT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(media.requests(), 2);
  // An address that cannot be had is named with the argument it was.
  const std::string down = "http://127.0.0.1:" + std::to_string(closed_port());
  auto bad = reel({"make", down + "/c.jpg", "-o", "w.mp4", "--offline"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("  argument 1  " + down + "/c.jpg\n"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(project() + "/w.mp4"));
}

TEST_F(RemoteMediaE2E, ALargeDownloadSaysWhatItFetchesAndASmallOneDoesNot) {
  // 9 MB of WAV (48 kHz stereo silence, 49 s): over the 8 MB from which a download is told.
  const uint32_t data = 9u << 20;
  std::string wav = "RIFF....WAVEfmt ";
  auto le = [&](uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) wav += char((v >> (8 * i)) & 0xff);
  };
  wav.replace(4, 4, std::string(4, '\0'));
  le(16, 4), le(1, 2), le(2, 2), le(48000, 4), le(48000 * 4, 4), le(4, 2), le(16, 2);
  wav += "data";
  le(data, 4);
  wav.append(data, '\0');
  for (int i = 0; i < 4; ++i) wav[size_t(4 + i)] = char(((wav.size() - 8) >> (8 * i)) & 0xff);
  media.put("/m/long.wav", wav);
  media.put("/m/a.jpg", jpeg_bytes(dir, 0));
  Json d = Json::parse(draft_of({media.url("/m/a.jpg")}));
  d["t"].push_back({{"tt", 1}, {"sg", Json::array({{{"s", 0}, {"d", 1000}, {"src", media.url("/m/long.wav")}}})}});
  write_bytes(project() + "/draft.json", d.dump());
  auto f = reel({"fetch", "draft.json"}, "REEL_API_URL=" + media.url());
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_NE(f.err.find("reel: downloading " + media.url("/m/long.wav") + " (9.0 MB)\n"), std::string::npos) << f.err;
  EXPECT_NE(f.err.find("reel: downloaded " + media.url("/m/long.wav") + " (9.0 MB in "), std::string::npos) << f.err;
  EXPECT_EQ(f.err.find("/m/a.jpg"), std::string::npos) << f.err;  // small: no line
}

TEST_F(RemoteMediaE2E, LinkLocalIsRefusedAlwaysPrivateWithoutTheFlagLoopbackUnlessTheBackend) {
  write_draft("draft.json", {"http://169.254.169.254/latest/a.jpg", "http://10.255.0.1/b.jpg",
                             "http://metadata.google.internal/c.jpg"});
  auto r = reel({"preview", "draft.json"}, "REEL_API_URL=http://127.0.0.1:9");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err,
            "reel: 3 media sources cannot be used:\n"
            "  /t/0/sg/0/src  http://169.254.169.254/latest/a.jpg: refused: 169.254.169.254 is a link-local address "
            "(where cloud metadata services answer); such addresses are never fetched\n"
            "  /t/0/sg/1/src  http://10.255.0.1/b.jpg: refused: 10.255.0.1 is a private-range address; private-range "
            "addresses are fetched only with --allow-private-media\n"
            "  /t/1/sg/0/src  http://metadata.google.internal/c.jpg: refused: metadata.google.internal is a "
            "link-local address (where cloud metadata services answer); such addresses are never fetched\n");

  write_draft("loop.json", {media.url("/m/a.jpg")});
  auto l = reel({"preview", "loop.json"}, "REEL_API_URL=http://127.0.0.1:9");
  EXPECT_EQ(l.exit_code, 1);
  EXPECT_EQ(l.err, "reel: 1 media source cannot be used:\n  /t/0/sg/0/src  " + media.url("/m/a.jpg") +
                       ": refused: 127.0.0.1 is a loopback address; loopback addresses are fetched only from the "
                       "backend's own address (--api, REEL_API_URL)\n");
  EXPECT_EQ(media.requests(), 0);

  // With the flag a private address is tried (whatever answers there, or nothing).
  write_draft("private.json", {"http://10.255.0.1/b.jpg"});
  auto p = reel({"preview", "private.json", "--allow-private-media"}, "REEL_CONNECT_TIMEOUT_MS=300");
  EXPECT_EQ(p.exit_code, 1);
  EXPECT_EQ(p.err.find("refused"), std::string::npos) << p.err;
  EXPECT_NE(p.err.find("  /t/0/sg/0/src  http://10.255.0.1/b.jpg"), std::string::npos) << p.err;
}

TEST_F(RemoteMediaE2E, ARedirectIsFollowedToAnAllowedAddressAndRefusedToAMetadataOne) {
  media.put("/m/a.jpg", jpeg_bytes(dir, 20));
  media.redirect("/short/a.jpg", media.url("/m/a.jpg"));
  media.redirect("/short/meta.jpg", "http://169.254.169.254/latest/meta-data/a.jpg");
  const std::string env = "REEL_API_URL=" + media.url();  // the backend's origin: loopback allowed
  write_draft("ok.json", {media.url("/short/a.jpg")});
  auto ok = reel({"preview", "ok.json", "-o", "ok.mp4"}, env);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(media.requests(), 2);  // the short address, then where it leads

  write_draft("meta.json", {media.url("/short/meta.jpg")});
  auto meta = reel({"preview", "meta.json", "-o", "meta.mp4"}, env);
  EXPECT_EQ(meta.exit_code, 1);
  EXPECT_EQ(meta.err, "reel: 1 media source cannot be used:\n  /t/0/sg/0/src  " + media.url("/short/meta.jpg") +
                          ": it redirects to http://169.254.169.254/latest/meta-data/a.jpg: refused: 169.254.169.254 "
                          "is a link-local address (where cloud metadata services answer); such addresses are never "
                          "fetched\n");
  EXPECT_EQ(media.requests(), 3);  // nothing asked of the metadata address
  EXPECT_FALSE(fs::exists(project() + "/meta.mp4"));
}

TEST_F(RemoteMediaE2E, NoTokenIsSentToAMediaOriginEvenTheBackendsOwn) {
  media.put("/m/a.jpg", jpeg_bytes(dir, 40));
  media.put("/m/b.jpg", jpeg_bytes(dir, 80));
  write_draft("draft.json", {media.url("/m/a.jpg"), media.url("/m/b.jpg")});
  const std::string token = "nmv_usr_media_origin_secret_0123456789";
  auto r = reel({"preview", "draft.json", "--api", media.url()}, "NEMO_TOKEN=" + token);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(media.requests(), 2);
  for (const auto& h : media.headers()) {
    EXPECT_EQ(h.count("Authorization"), 0u);
    for (const auto& [name, value] : h) EXPECT_EQ(value.find(token), std::string::npos) << name;
  }
  EXPECT_EQ((r.out + r.err).find(token), std::string::npos);
}

TEST_F(RemoteMediaE2E, AnHtmlPageSavedAsPhotoJpgIsRefusedNamingItsPointerAndNotCached) {
  media.put("/m/photo.jpg", "<!DOCTYPE html><html><body>404 Not Found</body></html>");
  media.put("/m/b.jpg", jpeg_bytes(dir, 200));
  write_draft("draft.json", {media.url("/m/b.jpg"), media.url("/m/photo.jpg")});
  auto r = reel({"preview", "draft.json"}, "REEL_API_URL=" + media.url());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "reel: 1 media source cannot be used:\n  /t/0/sg/1/src  " + media.url("/m/photo.jpg") +
                       ": is not media: the server sent an HTML or XML page, not the image its name says (an error "
                       "page?); it was not kept\n");
  EXPECT_EQ(cached_files(), 1u);  // b.jpg only
  for (const auto& de : fs::directory_iterator(dir.file("cache") + "/reel/media"))
    EXPECT_EQ(de.path().string().find(".part"), std::string::npos) << de.path();
}

namespace {
struct PulledDraftE2E : RemoteMediaE2E {
  StandInRenderer renderer;
  std::unique_ptr<RenderNode> node;
  std::string api;
  void SetUp() override {
    RemoteMediaE2E::SetUp();
    NodeOptions o;
    o.port = 0;
    o.data_dir = dir.file("node");
    o.render = renderer.fn();
    node = std::make_unique<RenderNode>(o);
    node->start();
    api = node->base_url();
    // A session with three photos uploaded and a draft naming two by cdn_url, one by sandbox path.
    for (int i = 1; i <= 3; ++i) write_bytes(project() + "/up/0" + std::to_string(i) + ".jpg", jpeg_bytes(dir, 60 * i));
    Client c(fast_options(api, dir.file("config") + "/reel", fs::canonical(project()).string()));
    auto up = c.upload_files({project() + "/up/01.jpg", project() + "/up/02.jpg", project() + "/up/03.jpg"});
    ASSERT_EQ(up.size(), 3u);
    c.submit_render(Json::parse(draft_of({up[0].cdn_url, up[1].cdn_url, "/mnt/userdata/sess/files/03.jpg"})), {});
    fs::remove_all(project() + "/up");
  }
};
}  // namespace

TEST_F(PulledDraftE2E, APulledSessionDraftPreviewsWithTheNodeStopped) {
  auto p = reel({"pull", "-o", "pulled.json", "--with-media", "--api", api});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(p.err,
            "reel: wrote the session's draft to pulled.json\n"
            "reel: 3 remote media sources are in the media cache; the draft renders with --offline\n");
  node->stop(std::chrono::milliseconds(0));
  node.reset();
  const std::string env = "REEL_API_URL=" + api;  // a backend that is no longer there
  auto v = reel({"preview", "pulled.json", "-o", "p.mp4"}, env);
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_TRUE(fs::is_regular_file(project() + "/p.mp4"));
  auto s = reel({"still", "pulled.json", "--at", "1.5", "-o", "s.png", "--offline"}, env);
  EXPECT_EQ(s.exit_code, 0) << s.err;
  auto b = reel({"storyboard", "pulled.json", "-o", "b.png"}, env);
  EXPECT_EQ(b.exit_code, 0) << b.err;
  EXPECT_TRUE(fs::is_regular_file(project() + "/s.png"));
  EXPECT_TRUE(fs::is_regular_file(project() + "/b.png"));
}

TEST_F(PulledDraftE2E, PullChecksItsOutputAsEveryCommandDoesBeforeAskingTheNode) {
  // It once wrote over a photo, a FIFO, a device and the draft's history, and named a folder
  // "Device or resource busy" after the download.
  write_bytes(project() + "/photo.jpg", jpeg_bytes(dir, 10));
  write_bytes(project() + "/.d.json.history.json", "{}");
  ASSERT_EQ(::mkfifo((project() + "/pipe.json").c_str(), 0600), 0);
  const std::map<std::string, std::string> refused = {
      {"photo.jpg",
       "reel: cannot write photo.jpg: this command writes a draft (JSON), and a name ending .jpg says another kind of "
       "file; name it photo.json (nothing was written)\n"},
      {"pipe.json", "reel: cannot write pipe.json: it is a FIFO, not a file; name a file\n"},
      {".", "reel: cannot write .: it is a folder; name a file inside it, e.g. ./video.mp4\n"},
      {".d.json.history.json",
       "reel: cannot write .d.json.history.json: it is the undo history reel keeps beside the draft d.json; choose "
       "another output (nothing was written)\n"},
  };
  for (const auto& [out, message] : refused) {
    auto p = reel({"pull", "-o", out, "--api", api});
    EXPECT_EQ(p.exit_code, 2) << out << ": " << p.err;
    EXPECT_EQ(p.err, message) << out;
  }
  EXPECT_EQ(read_bytes(project() + "/photo.jpg"), jpeg_bytes(dir, 10));
  EXPECT_EQ(read_bytes(project() + "/.d.json.history.json"), "{}");
  EXPECT_TRUE(fs::is_fifo(project() + "/pipe.json"));
}

TEST_F(PulledDraftE2E, PullThenFetchMapsSandboxPathsAndNamesTheOneThatCannotBe) {
  auto p = reel({"pull", "-o", "pulled.json", "--api", api});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(cached_files(), 0u);
  // One more sandbox path, of a file the session never had.
  Json d = Json::parse(read_bytes(project() + "/pulled.json"));
  d["t"][1]["sg"].push_back({{"s", 1000}, {"d", 1000}, {"src", "/mnt/userdata/sess/files/missing.jpg"}});
  write_bytes(project() + "/pulled.json", d.dump(2));
  auto f = reel({"fetch", "pulled.json", "--api", api});
  EXPECT_EQ(f.exit_code, 1);
  EXPECT_EQ(f.err,
            "reel: 1 media source cannot be used:\n"
            "  /t/1/sg/1/src  /mnt/userdata/sess/files/missing.jpg: cannot be mapped: no file named "
            "'missing.jpg' was uploaded to the draft's session (`reel upload` it, or change the source)\n");
  EXPECT_EQ(cached_files(), 3u);  // the others were fetched all the same

  // The same draft under another name did not come from `reel pull`: its sandbox paths map nowhere.
  write_bytes(project() + "/copy.json", read_bytes(project() + "/pulled.json"));
  auto c = reel({"preview", "copy.json", "--offline"});
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_NE(c.err.find("reel: 2 media sources cannot be used:\n"
                       "  /t/1/sg/0/src  /mnt/userdata/sess/files/03.jpg: cannot be mapped: a sandbox path names a "
                       "file of a cloud session, and this draft did not come from `reel pull` (pull it again with "
                       "`reel pull -o FILE`)\n"),
            std::string::npos)
      << c.err;
}
