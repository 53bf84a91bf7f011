// Remote media for local renders: downloaded once, capped, never half a file.
#include "cloud/client/media_cache.h"

#include <gtest/gtest.h>

#include <filesystem>

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
  fs::last_write_time(a, fs::file_time_type::clock::now() - std::chrono::hours(1));
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

TEST_F(Cache, TheNodesCacheFollowsNoRedirects) {
  auto o = options();
  o.follow_redirects = false;
  MediaCache cache(o);
  EXPECT_THROW(cache.fetch(server.url() + "/redirect"), CloudError);
  EXPECT_FALSE(fs::exists(cache.path_for(server.url() + "/redirect")));
  MediaCache following(options());
  EXPECT_EQ(read_bytes(following.fetch(server.url() + "/redirect")), "bytes of x.jpg");
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
