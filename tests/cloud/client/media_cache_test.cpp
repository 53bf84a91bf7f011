// Remote media for local renders: downloaded once, capped, never half a file.
#include "cloud/client/media_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <thread>

#include "cloud/client/address_policy.h"
#include "cloud/client/remote_media.h"
#include "draft/model.h"
#include "tests/cloud/support/fake_backend.h"
#include "tests/cloud/support/test_util.h"

using namespace reel::cloud;
using namespace reel::cloud::testing;
namespace fs = std::filesystem;

namespace {
struct Cache : ::testing::Test {
  FakeBackend server;
  TempDir dir;
  MediaCacheOptions options() {
    MediaCacheOptions o;
    o.dir = dir.file("media");
    o.timeouts = HttpTimeouts{2000, 2, 1, 0};
    o.check_content = false;  // the fake backend's files are placeholder text ("bytes of x.jpg")
    return o;
  }
  std::string video_url(const std::string& name) { return server.url() + "/cdn/out/" + name + ".mp4"; }
};
}  // namespace

TEST_F(Cache, DownloadsEachUrlOnce) {
  MediaCache cache(options());
  std::string a = cache.fetch(video_url("a"));
  std::string again = cache.fetch(video_url("a"));
  EXPECT_EQ(a, again);
  EXPECT_EQ(server.download_calls, 1);
  EXPECT_EQ(read_bytes(a), server.video);
  EXPECT_EQ(fs::path(a).extension(), ".mp4");
  MediaCache other(options());  // another process: the cache is on disk
  other.fetch(video_url("a"));
  EXPECT_EQ(server.download_calls, 1);
}

TEST_F(Cache, APartialDownloadNeverCountsAsDone) {
  auto o = options();
  o.attempts = 1;
  MediaCache cache(o);
  server.drop_download = 1;
  EXPECT_THROW(cache.fetch(video_url("b")), CloudError);
  EXPECT_FALSE(fs::exists(cache.path_for(video_url("b"))));
  EXPECT_TRUE(fs::exists(cache.path_for(video_url("b")) + ".part"));
  EXPECT_EQ(read_bytes(cache.fetch(video_url("b"))), server.video);  // resumed, whole
}

TEST_F(Cache, AServerThatStopsSendingIsSaidToHaveStalledAndTheNextTryResumes) {
  auto o = options();
  o.attempts = 1;
  MediaCache cache(o);
  server.stall_download = 1;
  const std::string url = video_url("s");
  try {
    cache.fetch(url);
    ADD_FAILURE() << "a stalled download cannot succeed";
  } catch (const CloudError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Transient);  // the server answered: not a network that is down
    EXPECT_EQ(std::string(e.what()), "cannot download the media " + url + ": the download from " + url +
                                         " stalled: no data for 2 s before any of the file arrived");
  }
  EXPECT_FALSE(fs::exists(cache.path_for(url)));
  EXPECT_EQ(read_bytes(cache.fetch(url)), server.video);
}

TEST_F(Cache, AServerThatDribblesBytesHasStalledAndACancelStopsAStallAtOnce) {
  auto o = options();
  o.attempts = 1;
  o.timeouts.low_speed_bytes = 1024;  // the default floor: a few bytes a second is no download
  const std::string url = video_url("d");
  {
    MediaCache cache(o);
    server.dribble_download = 1;
    try {
      cache.fetch(url);
      ADD_FAILURE() << "a dribbled download cannot succeed";
    } catch (const CloudError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Transient);
      const std::string said = e.what();
      EXPECT_EQ(said.rfind("cannot download the media " + url + ": the download from " + url +
                               " stalled: less than 1024 bytes a second for 2 s after ",
                           0),
                0u)
          << said;
    }
  }
  // Ctrl-C while a server sends nothing: stopped within about a second, not at the stall limit.
  o.timeouts.low_speed_seconds = 60;
  std::atomic<bool> cancel{false};
  o.cancel = &cancel;
  MediaCache cache(o);
  server.stall_download = 1;
  std::thread ctrl_c([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel = true;
  });
  const auto t0 = std::chrono::steady_clock::now();
  try {
    cache.fetch(video_url("c"));
    ADD_FAILURE() << "a cancelled download cannot succeed";
  } catch (const CloudError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Cancelled) << e.what();
  }
  ctrl_c.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5)) << "the stall limit is 60 s";
  EXPECT_FALSE(fs::exists(cache.path_for(video_url("c"))));
}

TEST_F(Cache, APartialDownloadLeftForADayIsGivenUp) {
  MediaCache cache(options());
  fs::create_directories(dir.file("media"));
  const std::string old_part = cache.path_for(video_url("old")) + ".part",
                    new_part = cache.path_for(video_url("new")) + ".part";
  write_bytes(old_part, "half of a file");
  write_bytes(new_part, "half of a file");
  const timespec two_days_ago{::time(nullptr) - 2 * 24 * 3600, 0}, times[2] = {two_days_ago, two_days_ago};
  ASSERT_EQ(::utimensat(AT_FDCWD, old_part.c_str(), times, 0), 0);
  cache.fetch(video_url("a"));  // every download ends by keeping the folder in its budget
  EXPECT_FALSE(fs::exists(old_part));
  EXPECT_TRUE(fs::exists(new_part));
}

TEST_F(Cache, RetriesADroppedDownload) {
  MediaCache cache(options());
  server.drop_download = 2;
  EXPECT_EQ(read_bytes(cache.fetch(video_url("c"))), server.video);
}

TEST_F(Cache, AFileOverTheCapIsRefusedAndNotKept) {
  auto o = options();
  o.max_file_bytes = 1000;
  MediaCache cache(o);
  try {
    cache.fetch(video_url("d"));
    FAIL();
  } catch (const CloudError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::TooLarge);
  }
  EXPECT_FALSE(fs::exists(cache.path_for(video_url("d"))));
  EXPECT_FALSE(fs::exists(cache.path_for(video_url("d")) + ".part"));
}

TEST_F(Cache, TheWholeCacheIsCappedOldestFirst) {
  auto o = options();
  o.max_total_bytes = static_cast<int64_t>(server.video.size() * 2 + 10);
  MediaCache cache(o);
  std::string a = cache.fetch(video_url("a"));
  const timespec hour_ago{::time(nullptr) - 3600, 0}, times[2] = {hour_ago, hour_ago};  // used an hour ago
  ASSERT_EQ(::utimensat(AT_FDCWD, a.c_str(), times, 0), 0);
  std::string b = cache.fetch(video_url("b"));
  std::string c = cache.fetch(video_url("c"));
  EXPECT_FALSE(fs::exists(a));
  EXPECT_TRUE(fs::exists(b));
  EXPECT_TRUE(fs::exists(c));
}

TEST_F(Cache, MapsEveryKindOfReference) {
  MediaCache cache(options());
  SourceMapper m(cache, "/data/project", {{"x.jpg", server.url() + "/cdn/x.jpg"}});
  EXPECT_EQ(m.resolve("photos/a.jpg"), "/data/project/photos/a.jpg");
  EXPECT_EQ(m.resolve("/abs/b.jpg"), "/abs/b.jpg");
  EXPECT_EQ(m.resolve("file:///abs/c%20d.jpg"), "/abs/c d.jpg");
  EXPECT_EQ(read_bytes(m.resolve("/mnt/userdata/s1/x.jpg")), "bytes of x.jpg");
  EXPECT_EQ(read_bytes(m.resolve(server.url() + "/cdn/y.png")), "bytes of y.png");
  EXPECT_THROW(m.resolve("/mnt/userdata/s1/missing.jpg"), CloudError);
  EXPECT_THROW(m.resolve("ftp://host/a.jpg"), CloudError);
}

TEST_F(Cache, RedirectsAreFollowedWithEveryHopVettedOrRefusedSayingWhereTheyLead) {
  const std::string from = server.url() + "/redirect", to = server.url() + "/cdn/x.jpg";
  auto o = options();
  o.follow_redirects = false;  // the render node's policy
  MediaCache refusing(o);
  try {
    refusing.fetch(from);
    ADD_FAILURE() << "a redirect is not followed";
  } catch (const CloudError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot download the media " + from + ": it redirects (HTTP 302) to " + to +
                                         ", and redirects are not followed here: use that address");
  }
  EXPECT_FALSE(fs::exists(refusing.path_for(from)));

  // Followed, each address vetted as the first was: the client's cache.
  std::vector<std::string> vetted;
  o = options();
  o.vet = [&](const std::string& url) {
    vetted.push_back(url);
    return std::vector<std::string>{};
  };
  MediaCache following(o);
  EXPECT_EQ(read_bytes(following.fetch(from)), "bytes of x.jpg");
  EXPECT_EQ(vetted, (std::vector<std::string>{from, to}));

  // A hop the vetter refuses (a redirect to a metadata address, say) is not followed.
  o.dir = dir.file("media2");
  o.vet = [&](const std::string& url) -> std::vector<std::string> {
    if (url == to) throw CloudError(ErrorKind::Refused, url + " is a link-local address");
    return {};
  };
  MediaCache vetting(o);
  try {
    vetting.fetch(from);
    ADD_FAILURE() << "the refused hop was followed";
  } catch (const CloudError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Refused);
    EXPECT_EQ(std::string(e.what()),
              "cannot download the media " + from + ": it redirects to " + to + ": " + to + " is a link-local address");
  }
  EXPECT_FALSE(fs::exists(vetting.path_for(from)));

  // A redirect that leads back to itself is given up after five hops.
  const std::string loop = server.url() + "/loop";
  try {
    following.fetch(loop);
    ADD_FAILURE() << "a redirect loop cannot end in a file";
  } catch (const CloudError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Refused);
    EXPECT_EQ(std::string(e.what()),
              "cannot download the media " + loop + ": more than 5 redirects (the last to " + loop + ")");
  }
  EXPECT_FALSE(fs::exists(following.path_for(loop)));
}

TEST_F(Cache, AVetterCanRefuseAUrlOrPinItsAddress) {
  auto o = options();
  std::string port = server.url().substr(server.url().rfind(':') + 1);
  o.vet = [&](const std::string& url) -> std::vector<std::string> {
    if (url.find("refuse") != std::string::npos) throw CloudError(ErrorKind::Refused, "refused: private");
    return {"media.example.test:" + port + ":127.0.0.1"};  // the vetted address, pinned
  };
  MediaCache cache(o);
  EXPECT_THROW(cache.fetch("http://media.example.test:" + port + "/cdn/refuse.jpg"), CloudError);
  EXPECT_EQ(read_bytes(cache.fetch("http://media.example.test:" + port + "/cdn/pinned.jpg")), "bytes of pinned.jpg");
}

TEST_F(Cache, BytesThatAreNotTheMediaTheyClaimAreRefusedAndNotKept) {
  auto o = options();
  o.check_content = true;
  MediaCache cache(o);
  std::string message;
  EXPECT_EQ(error_kind([&] { cache.fetch(server.url() + "/cdn/photo.jpg"); }, &message), ErrorKind::UnsupportedType);
  EXPECT_EQ(message, server.url() +
                         "/cdn/photo.jpg is not media: the server sent text, not the image its name says "
                         "(an error page?); it was not kept");
  EXPECT_FALSE(fs::exists(cache.path_for(server.url() + "/cdn/photo.jpg")));
  EXPECT_FALSE(fs::exists(cache.path_for(server.url() + "/cdn/photo.jpg") + ".part"));
  EXPECT_EQ(read_bytes(cache.fetch(video_url("v"))), server.video);  // an MP4 is a video by its bytes
}

TEST(MediaContent, MagicNumbersDecideAndTextIsNeverMedia) {
  EXPECT_EQ(media_content_problem("\xFF\xD8\xFF\xE0rest", "a.jpg"), "");
  EXPECT_EQ(media_content_problem("<!DOCTYPE html><html>", "a.jpg"),
            "the server sent an HTML or XML page, not the image its name says (an error page?)");
  EXPECT_EQ(media_content_problem("{\"error\": \"denied\"}", "a.mp3"),
            "the server sent text, not the audio its name says (an error page?)");
  EXPECT_EQ(media_content_problem("ID3\x03\x00rest", "a.jpg"), "its bytes are audio, not the image its name says");
  EXPECT_EQ(media_content_problem("\x89PNG\r\n\x1A\nrest", "noext"), "");
  EXPECT_EQ(media_content_problem(std::string("OggS\x00\x02", 6), "a.ogg"), "");  // binary, unknown: the engine decides
}

TEST_F(Cache, EachFileKeepsItsOriginWithoutTheQueryAndOfflineFindsOnlyWhatIsCached) {
  MediaCache cache(options());
  std::string path = cache.fetch(video_url("a") + "?signature=secret");
  auto entries = cache.entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].path, path);
  EXPECT_EQ(entries[0].origin, video_url("a"));
  EXPECT_EQ(entries[0].bytes, static_cast<int64_t>(server.video.size()));
  auto o = options();
  o.offline = true;
  MediaCache offline(o);
  EXPECT_EQ(offline.fetch(video_url("a") + "?signature=secret"), path);
  std::string message;
  EXPECT_EQ(error_kind([&] { offline.fetch(video_url("b")); }, &message), ErrorKind::NotFound);
  EXPECT_EQ(message, video_url("b") + " is not in the media cache");
  EXPECT_EQ(server.download_calls, 1);
}

TEST(AddressPolicy, ClassesLinkLocalPrivateLoopbackAndMetadataNames) {
  EXPECT_EQ(classify_address("169.254.169.254"), AddressClass::LinkLocal);
  EXPECT_EQ(classify_address("fe80::1"), AddressClass::LinkLocal);
  EXPECT_EQ(classify_address("10.1.2.3"), AddressClass::Private);
  EXPECT_EQ(classify_address("172.31.0.1"), AddressClass::Private);
  EXPECT_EQ(classify_address("192.168.0.1"), AddressClass::Private);
  EXPECT_EQ(classify_address("fd00::1"), AddressClass::Private);
  EXPECT_EQ(classify_address("127.0.0.1"), AddressClass::Loopback);
  EXPECT_EQ(classify_address("::ffff:127.0.0.1"), AddressClass::Loopback);
  EXPECT_EQ(classify_address("8.8.8.8"), AddressClass::Public);
  EXPECT_EQ(classify_address("not an address"), AddressClass::Reserved);
  UrlVetting v = vet_url("http://metadata.google.internal/x", [](AddressClass) { return true; });
  EXPECT_EQ(v.verdict, UrlVetting::Verdict::Refused);
  v = vet_url("http://127.0.0.1:81/x.jpg", [](AddressClass c) { return c == AddressClass::Loopback; });
  ASSERT_EQ(v.verdict, UrlVetting::Verdict::Ok);
  EXPECT_EQ(v.pins, std::vector<std::string>{"127.0.0.1:81:127.0.0.1"});
}

TEST_F(Cache, TheClientsVetterTrustsTheBackendsOriginAndRefusesLinkLocal) {
  auto vet = media_vetter({{server.url()}, false});
  std::string port = server.url().substr(server.url().rfind(':') + 1);
  EXPECT_EQ(vet(server.url() + "/cdn/a.jpg"), std::vector<std::string>{"127.0.0.1:" + port + ":127.0.0.1"});
  std::string message;
  EXPECT_EQ(error_kind([&] { vet("http://127.0.0.1:1/a.jpg"); }, &message), ErrorKind::Refused);
  EXPECT_EQ(message,
            "refused: 127.0.0.1 is a loopback address; loopback addresses are fetched only from the backend's own "
            "address (--api, REEL_API_URL)");
  EXPECT_EQ(error_kind([&] { vet("http://[fe80::1]/a.jpg"); }, &message), ErrorKind::Refused);
  EXPECT_EQ(message,
            "refused: fe80::1 is a link-local address (where cloud metadata services answer); such addresses are "
            "never fetched");
  EXPECT_EQ(media_vetter({{}, true})("http://192.168.7.7/a.jpg"),
            std::vector<std::string>{"192.168.7.7:80:192.168.7.7"});  // --allow-private-media
}

TEST(RemoteSources, EachHasItsPointerInTheDraftsOwnSpelling) {
  auto d = reel::draft::load_draft(reel::Json::parse(R"({"tracks": [{"track_type": 0, "segments": [
      {"start": 0, "duration": 500, "source": "local.jpg"},
      {"start": 500, "duration": 500, "source": "https://cdn.example/a.jpg"},
      {"start": 1000, "duration": 500, "source": "/mnt/userdata/s/b.jpg"}]}]})"))
               .draft;
  auto sources = remote_sources(d);
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0].pointer, "/tracks/0/segments/1/source");
  EXPECT_EQ(sources[0].reference, "https://cdn.example/a.jpg");
  EXPECT_EQ(sources[1].pointer, "/tracks/0/segments/2/source");
}
