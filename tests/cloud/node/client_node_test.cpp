// The client against the render node: uploads, the draft the node receives, state, pull, and
// the token kept out of every output and log.
#include "cloud/client/client.h"
#include "cloud/client/draft_media.h"
#include "cloud/client/media_cache.h"
#include "draft/model.h"
#include "draft/parse.h"
#include "tests/cloud/support/node_fixture.h"

using namespace reel;
using namespace reel::cloud;
using namespace reel::cloud::testing;
namespace fs = std::filesystem;

namespace {

struct ClientNode : NodeFixture {
  /// A draft with local photos (relative, absolute, file://), a remote URL, unknown keys at
  /// several depths, and long key spellings — all of which must reach the node unchanged.
  Json local_draft() {
    write_bytes(dir.file("project/photos/01.jpg"), media_bytes("project/photos/01.jpg", 2000, 1));
    write_bytes(dir.file("project/photos/02.png"), media_bytes("project/photos/02.png", 3000, 2));
    write_bytes(dir.file("project/music/lofi.mp3"), media_bytes("project/music/lofi.mp3", 4000, 3));
    return Json::parse(R"({
      "m": {"title": "Trip", "width": 640, "height": 360, "fps": 25, "x-unknown": {"keep": [1, 2.5, "me"]}},
      "d": 3000,
      "t": [
        {"tt": 0, "m": {"name": "photos"}, "sg": [
          {"id": "p1", "s": 0, "d": 1000, "src": "photos/01.jpg", "m": {"kb": "in", "future": true}},
          {"id": "p2", "s": 1000, "d": 1000, "src": ")" +
                       dir.file("project/photos/02.png") + R"(", "m": {"tr": {"type": "fade", "d": 300}}},
          {"id": "p3", "s": 2000, "d": 1000, "src": "photos/01.jpg"}
        ]},
        {"track_type": 1, "segments": [{"start": 0, "duration": 3000, "source": "file://)" +
                       dir.file("project/music/lofi.mp3") + R"(", "m": {"vol": "35%"}}]},
        {"tt": 9, "sg": [{"s": 0, "d": 10, "whatever": {"deep": {"deeper": null}}}]},
        {"tt": 7, "sg": [{"s": 0, "d": 1000, "m": {"text": "Hello"}}]}
      ],
      "zz-last": 1
    })");
  }
};

/// Every segment source of a draft JSON, in order (short or long key).
std::vector<std::string> sources_of(const Json& d) {
  std::vector<std::string> out;
  const Json& tracks = d.contains("t") ? d["t"] : d["tracks"];
  for (const auto& t : tracks) {
    const Json& sg = t.contains("sg") ? t["sg"] : t["segments"];
    for (const auto& s : sg) {
      if (s.contains("src"))
        out.push_back(s["src"]);
      else if (s.contains("source"))
        out.push_back(s["source"]);
      else
        out.push_back("");
    }
  }
  return out;
}

/// `d` with every source set to `sources` (same walk as sources_of).
Json with_sources(Json d, const std::vector<std::string>& sources) {
  size_t i = 0;
  Json& tracks = d.contains("t") ? d["t"] : d["tracks"];
  for (auto& t : tracks) {
    Json& sg = t.contains("sg") ? t["sg"] : t["segments"];
    for (auto& s : sg) {
      const std::string& v = sources.at(i++);
      if (s.contains("src"))
        s["src"] = v;
      else if (s.contains("source"))
        s["source"] = v;
    }
  }
  return d;
}

}  // namespace

TEST_F(ClientNode, TheNodeReceivesTheInputJsonWithOnlyTheSourcesReplaced) {
  Json input = local_draft();
  auto loaded = draft::load_draft(input);
  Client c(client_options());
  draft::Draft for_cloud = draft_for_cloud(c, loaded.draft, dir.file("project"));
  auto r = c.export_draft(for_cloud.json, dir.file("out.mp4"));
  Json received = Json::parse(read_bytes(dir.file("node/renders/" + r.job_id + ".draft.json")));
  auto before = sources_of(input), after = sources_of(received);
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    if (before[i].empty()) {
      EXPECT_EQ(after[i], "");
      continue;
    }
    EXPECT_NE(after[i], before[i]) << "local source " << before[i] << " was replaced";
    EXPECT_EQ(after[i].rfind(node->base_url() + "/files/", 0), 0u) << after[i];
  }
  EXPECT_EQ(after[0], after[2]) << "the same file is uploaded once";
  EXPECT_EQ(with_sources(input, after), received) << "nothing else changed, key order included";
  EXPECT_EQ(draft::write_json(with_sources(input, after), false), draft::write_json(received, false));
  // The stand-in renderer read each upload through the node's resolver.
  std::string out = read_bytes(dir.file("out.mp4"));
  EXPECT_NE(out.find(" -> 2000"), std::string::npos);
  EXPECT_NE(out.find(" -> 4000"), std::string::npos);
}

TEST_F(ClientNode, StateAndPullGiveBackTheSessionDraft) {
  Client c(client_options());
  Json input = local_draft();
  auto cloud = draft_for_cloud(c, draft::load_draft(input).draft, dir.file("project"));
  c.export_draft(cloud.json, dir.file("o.mp4"));
  Json st = c.state();
  EXPECT_EQ(st["state"]["draft"], cloud.json);
  EXPECT_EQ(st["state"]["video_infos"].size(), 3u);
}

TEST_F(ClientNode, AFailedNodeRenderReportsItsErrorText) {
  {
    std::lock_guard lock(renderer.mutex);
    renderer.fail = "cannot decode photo 3";
  }
  Client c(client_options());
  write_bytes(dir.file("project/a.jpg"), media_bytes("project/a.jpg", 16));
  auto cloud = draft_for_cloud(
      c, draft::load_draft(Json::parse(R"({"t":[{"tt":0,"sg":[{"s":0,"d":500,"src":"a.jpg"}]}]})")).draft,
      dir.file("project"));
  try {
    c.export_draft(cloud.json, dir.file("o.mp4"));
    FAIL();
  } catch (const CloudError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::RenderFailed);
    EXPECT_NE(std::string(e.what()).find("cannot decode photo 3"), std::string::npos);
  }
}

TEST_F(ClientNode, SandboxPathsMapToTheUploadedCdnUrlForLocalRenders) {
  Client c(client_options());
  write_bytes(dir.file("project/beach.jpg"), media_bytes("project/beach.jpg", 1234, 9));
  c.upload_files({dir.file("project/beach.jpg")});
  MediaCacheOptions mo;
  mo.dir = dir.file("cache");
  MediaCache cache(mo);
  SourceMapper mapper(cache, dir.file("project"), c.uploaded_files(true));
  std::string local = mapper.resolve("/mnt/userdata/abc/session/beach.jpg");
  EXPECT_EQ(read_bytes(local), read_bytes(dir.file("project/beach.jpg")));
  EXPECT_EQ(local.rfind(dir.file("cache"), 0), 0u);
  EXPECT_THROW(mapper.resolve("/mnt/userdata/abc/other.jpg"), CloudError);
  EXPECT_EQ(mapper.resolve("beach.jpg"), dir.file("project/beach.jpg"));
}

TEST_F(ClientNode, TheTokenAppearsInNoLogMessageOrFileOutsideTheTokenFile) {
  Client c(client_options());
  Json input = local_draft();
  auto cloud = draft_for_cloud(c, draft::load_draft(input).draft, dir.file("project"));
  c.export_draft(cloud.json, dir.file("out.mp4"));
  c.credits();
  c.state();
  try {
    c.render_status("render_missing");
  } catch (const CloudError& e) {
    EXPECT_EQ(std::string(e.what()).find("nmv_usr_"), std::string::npos);
  }
  ConfigStore store(dir.file("config"));
  std::string token = store.load_token(node->base_url())->token;
  ASSERT_GT(token.size(), 20u);
  EXPECT_EQ(client_log.all().find(token), std::string::npos);
  EXPECT_EQ(node_log.all().find(token), std::string::npos);
  for (const auto& e : fs::recursive_directory_iterator(dir.path().string())) {
    if (!e.is_regular_file()) continue;
    std::string p = e.path().string();
    if (p == store.token_path(node->base_url()) || p == dir.file("node/node.json")) continue;  // where tokens live
    EXPECT_EQ(read_bytes(p).find(token), std::string::npos) << p;
  }
}
