// The render node's protocol, over real HTTP on 127.0.0.1, with a stand-in renderer.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "cloud/client/client.h"
#include "cloud/node/media_policy.h"
#include "cloud/protocol/sse.h"
#include "tests/cloud/support/node_fixture.h"

using namespace reel;
using namespace reel::cloud;
using namespace reel::cloud::testing;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct Node : NodeFixture {
  Http http{HttpTimeouts{2000, 2, 1, 10000}};
  Headers attribution() const {
    return {{"X-Skill-Source", "t"}, {"X-Skill-Version", "1"}, {"X-Skill-Platform", "unknown"}};
  }
  HttpResponse raw(const std::string& method, const std::string& path, Headers h, const std::string& body = "") {
    HttpRequest r;
    r.method = method;
    r.url = node->base_url() + path;
    r.headers = std::move(h);
    r.body = body;
    return http.send(r);
  }
  std::string token_for(const std::string& client_id) {
    auto res = raw("POST", "/api/auth/anonymous-token", {{"X-Client-Id", client_id}});
    return Json::parse(res.body)["data"]["token"].get<std::string>();
  }
  Json submit(Client& c, const Json& draft) { return Json{{"id", c.submit_render(draft)}}; }
  static Json text_draft() {
    return Json{
        {"m", Json{{"width", 320}, {"height", 180}}},
        {"t", Json::array(
                  {Json{{"tt", 7}, {"sg", Json::array({Json{{"s", 0}, {"d", 1000}, {"m", Json{{"text", "hi"}}}}})}}})}};
  }
  static Json photo_draft(const std::vector<std::string>& sources) {
    Json sg = Json::array();
    int64_t s = 0;
    for (const auto& src : sources) {
      sg.push_back(Json{{"s", s}, {"d", 1000}, {"src", src}});
      s += 1000;
    }
    return Json{{"m", Json{{"width", 320}, {"height", 180}}}, {"t", Json::array({Json{{"tt", 0}, {"sg", sg}}})}};
  }
};

}  // namespace

TEST_F(Node, AnonymousTokenNeedsAClientId) {
  auto res = raw("POST", "/api/auth/anonymous-token", {});
  EXPECT_EQ(res.status, 400);
  auto ok = raw("POST", "/api/auth/anonymous-token", {{"X-Client-Id", "c1"}});
  ASSERT_EQ(ok.status, 200);
  Json data = Json::parse(ok.body)["data"];
  EXPECT_EQ(data["token"].get<std::string>().rfind("nmv_usr_", 0), 0u);
  EXPECT_EQ(data["user_id"].get<std::string>().rfind("anon_", 0), 0u);
  EXPECT_EQ(data["credits"], 100);
  auto exp = parse_iso8601(data["expires_at"].get<std::string>());
  ASSERT_TRUE(exp);
  EXPECT_NEAR(static_cast<double>(*exp - std::time(nullptr)), 7 * 24 * 3600, 60);
}

TEST_F(Node, RateLimitsNewTokensPerClient) {
  auto o = node_options();
  o.tokens_per_client = 2;
  o.token_lifetime = std::chrono::seconds(3600);  // short-lived: each call makes a new token
  node.reset();
  start(o);
  EXPECT_EQ(raw("POST", "/api/auth/anonymous-token", {{"X-Client-Id", "c1"}}).status, 200);
  EXPECT_EQ(raw("POST", "/api/auth/anonymous-token", {{"X-Client-Id", "c1"}}).status, 200);
  EXPECT_EQ(raw("POST", "/api/auth/anonymous-token", {{"X-Client-Id", "c1"}}).status, 429);
  EXPECT_EQ(raw("POST", "/api/auth/anonymous-token", {{"X-Client-Id", "c2"}}).status, 200);
}

TEST_F(Node, CreditsAre100AndABadTokenIs1001) {
  Client c(client_options());
  auto cr = c.credits();
  EXPECT_EQ(cr.available, 100);
  EXPECT_EQ(cr.total, 100);
  auto res = raw("GET", "/api/credits/balance/simple", {{"Authorization", "Bearer nmv_usr_nonsense"}});
  EXPECT_EQ(Json::parse(res.body)["code"], 1001);
}

TEST_F(Node, ExportWithoutAttributionHeadersIs402) {
  std::string token = token_for("c1");
  Client c(client_options());
  std::string sid = c.session().session_id;  // (another user's session: 402 comes first)
  auto res = raw("POST", "/api/render/proxy/lambda", {{"Authorization", "Bearer " + token}},
                 Json{{"id", "render_1"}, {"sessionId", sid}, {"draft", text_draft()}}.dump());
  EXPECT_EQ(res.status, 402);
  EXPECT_EQ(Json::parse(res.body)["success"], false);
}

TEST_F(Node, UploadsAreServedBackAtTheirCdnUrlWithRanges) {
  write_bytes(dir.file("a.jpg"), media_bytes("a.jpg", 100000, 3));
  write_bytes(dir.file("b.png"), media_bytes("b.png", 5000, 4));
  Client c(client_options());
  auto files = c.upload_files({dir.file("a.jpg"), dir.file("b.png")});
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].filename, "a.jpg");
  EXPECT_EQ(files[0].file_type, "image");
  EXPECT_EQ(files[0].cdn_url.rfind(node->base_url() + "/files/", 0), 0u);
  auto got = raw("GET", url_path(files[0].cdn_url), {});
  EXPECT_EQ(got.body, read_bytes(dir.file("a.jpg")));
  auto part = raw("GET", url_path(files[0].cdn_url), {{"Range", "bytes=99000-"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, read_bytes(dir.file("a.jpg")).substr(99000));
  Json st = c.state();
  EXPECT_EQ(st["state"]["video_infos"].size(), 2u);
}

TEST_F(Node, UploadRefusesUnknownTypesAndOversizedFiles) {
  auto o = node_options();
  o.max_upload_bytes = 1000;
  node.reset();
  start(o);
  Client c(client_options());
  std::string sid = c.session().session_id;
  write_bytes(dir.file("x.exe"), "MZ");
  write_bytes(dir.file("big.jpg"), media_bytes("big.jpg", 2000));
  std::string token = ConfigStore(dir.file("config")).load_token(node->base_url())->token;
  auto send = [&](const std::string& path) {
    HttpRequest r;
    r.method = "POST";
    r.url = node->base_url() + "/api/upload-video/nemo_agent/me/" + sid;
    r.headers = attribution();
    r.headers.emplace_back("Authorization", "Bearer " + token);
    r.files.push_back(MultipartFile{"files", path, fs::path(path).filename().string(), ""});
    return Json::parse(http.send(r).body);
  };
  EXPECT_EQ(send(dir.file("x.exe"))["code"], 4001);
  EXPECT_EQ(send(dir.file("big.jpg"))["code"], 4002);
  EXPECT_TRUE(c.state()["state"]["video_infos"].empty());
}

TEST_F(Node, RefusesLocalPathsFileUrlsLoopbackAndPrivateAddresses) {
  Client c(client_options());
  for (std::string src :
       {"/etc/passwd", "file:///etc/passwd", "photos/a.jpg", "http://127.0.0.1:1/a.jpg", "http://10.1.2.3/a.jpg",
        "http://192.168.0.7/a.jpg", "http://172.20.0.1/a.jpg", "http://169.254.169.254/latest", "http://[::1]/a.jpg",
        "http://localhost/a.jpg", "/mnt/userdata/u/never-uploaded.jpg"}) {
    std::string msg;
    EXPECT_EQ(error_kind([&] { c.submit_render(photo_draft({src})); }, &msg), ErrorKind::Refused) << src;
    EXPECT_NE(msg.find("refused"), std::string::npos) << msg;
  }
  EXPECT_EQ(renderer.renders, 0);
}

TEST_F(Node, AllowLocalMediaLetsATrustedBoxReadItsFiles) {
  auto o = node_options();
  o.allow_local_media = true;
  node.reset();
  start(o);
  write_bytes(dir.file("local.jpg"), media_bytes("local.jpg", 10));
  Client c(client_options());
  c.export_draft(photo_draft({dir.file("local.jpg"), "file://" + dir.file("local.jpg")}), dir.file("out.mp4"));
  EXPECT_NE(read_bytes(dir.file("out.mp4")).find("local.jpg -> 10"), std::string::npos);
}

TEST_F(Node, AnUploadByAddressThatRedirectsIsRefusedSayingWhereItLeads) {
  auto o = node_options();
  o.allow_local_media = true;  // the redirecting server is on loopback
  node.reset();
  start(o);
  httplib::Server media;
  media.Get("/short.jpg", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("http://169.254.169.254/latest/a.jpg");
  });
  const int port = media.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { media.listen_after_bind(); });
  for (int i = 0; i < 400 && !media.is_running(); ++i) std::this_thread::sleep_for(5ms);
  Client c(client_options());
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/short.jpg";
  std::string msg;
  const ErrorKind kind = error_kind([&] { c.upload_urls({url}); }, &msg);
  media.stop();
  serving.join();
  EXPECT_NE(kind, ErrorKind::Transient);
  EXPECT_NE(msg.find("cannot fetch /short.jpg: it redirects (HTTP 302) to http://169.254.169.254/latest/a.jpg, and "
                     "redirects are not followed here: upload that address"),
            std::string::npos)
      << msg;
  EXPECT_TRUE(c.state()["state"]["video_infos"].empty());
}

TEST_F(Node, AddressRulesCoverEveryNonPublicRange) {
  for (auto ip : {"127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.1.1", "100.64.0.1", "0.0.0.0", "::1",
                  "::", "fc00::1", "fe80::1", "::ffff:127.0.0.1", "224.0.0.1"})
    EXPECT_TRUE(is_non_public_address(ip)) << ip;
  for (auto ip : {"8.8.8.8", "1.1.1.1", "2606:4700::1111", "172.32.0.1"}) EXPECT_FALSE(is_non_public_address(ip)) << ip;
}

TEST_F(Node, StateHoldsTheDraftTheFilesAndTheCanvas) {
  Client c(client_options());
  write_bytes(dir.file("a.jpg"), media_bytes("a.jpg", 16));
  auto f = c.upload_files({dir.file("a.jpg")});
  Json d = photo_draft({f[0].cdn_url});
  c.export_draft(d, dir.file("o.mp4"));
  Json st = c.state();
  EXPECT_EQ(st["state"]["draft"], d);
  EXPECT_EQ(st["state"]["canvas_config"]["width"], 320);
  EXPECT_EQ(st["state"]["canvas_config"]["aspect_ratio"], "16:9");
  EXPECT_EQ(st["session_id"], c.session().session_id);
  EXPECT_FALSE(st["task_id"].get<std::string>().empty());
}

TEST_F(Node, SessionsBelongToTheirUser) {
  Client c(client_options());
  std::string sid = c.session().session_id;
  std::string other = token_for("someone-else");
  auto res = raw("GET", "/api/state/nemo_agent/me/" + sid + "/latest", {{"Authorization", "Bearer " + other}});
  EXPECT_EQ(Json::parse(res.body)["code"], 1002);
}

TEST_F(Node, RendersRunInABoundedQueueAndCanBeCancelled) {
  auto o = node_options();
  o.workers = 1;
  o.queue_limit = 1;
  node.reset();
  start(o);
  renderer.delay_ms = 5000;
  Client c(client_options());
  std::string first = c.submit_render(text_draft());
  // Wait for the worker to take it, then one waits in the queue and the next is refused.
  for (int i = 0; i < 200 && c.render_status(first).state != RenderState::Processing; ++i)
    std::this_thread::sleep_for(5ms);
  std::string second = c.submit_render(text_draft());
  EXPECT_EQ(c.render_status(second).state, RenderState::Pending);
  std::string msg;
  EXPECT_EQ(error_kind([&] { c.submit_render(text_draft()); }, &msg), ErrorKind::Transient);
  EXPECT_NE(msg.find("queue is full"), std::string::npos) << msg;
  c.cancel_render(second);
  EXPECT_EQ(c.render_status(second).state, RenderState::Cancelled);
  c.cancel_render(first);
  for (int i = 0; i < 200 && c.render_status(first).state == RenderState::Processing; ++i)
    std::this_thread::sleep_for(5ms);
  EXPECT_EQ(c.render_status(first).state, RenderState::Cancelled);
}

TEST_F(Node, DuplicateIdIsRefusedAndUnknownIdIsNotFound) {
  Client c(client_options());
  std::string token = ConfigStore(dir.file("config")).load_token(node->base_url()).value_or(CachedToken{}).token;
  if (token.empty()) {
    c.login();
    token = ConfigStore(dir.file("config")).load_token(node->base_url())->token;
  }
  Headers h = attribution();
  h.emplace_back("Authorization", "Bearer " + token);
  h.emplace_back("Content-Type", "application/json");
  Json body{{"id", "render_42"}, {"sessionId", c.session().session_id}, {"draft", text_draft()}};
  EXPECT_EQ(raw("POST", "/api/render/proxy/lambda", h, body.dump()).status, 200);
  auto dup = raw("POST", "/api/render/proxy/lambda", h, body.dump());
  EXPECT_EQ(dup.status, 409);
  EXPECT_NE(Json::parse(dup.body)["error"].get<std::string>().find("duplicate"), std::string::npos);
  EXPECT_EQ(error_kind([&] { c.render_status("render_nope"); }), ErrorKind::NotFound);
}

TEST_F(Node, RunSseIsAWellFormedAdkStreamOfTheAgentsReply) {
  Client c(client_options());
  c.login();
  std::string token = ConfigStore(dir.file("config")).load_token(node->base_url())->token;
  Headers h = attribution();
  h.emplace_back("Authorization", "Bearer " + token);
  h.emplace_back("Accept", "text/event-stream");
  h.emplace_back("Content-Type", "application/json");
  Json body{{"app_name", "nemo_agent"},
            {"user_id", "me"},
            {"session_id", c.session().session_id},
            {"new_message", Json{{"parts", Json::array({Json{{"text", "make it pop"}}})}}}};
  auto res = raw("POST", "/run_sse", h, body.dump());
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.header("content-type").rfind("text/event-stream", 0), 0u);
  SseParser p;
  auto events = p.feed(res.body);
  auto rest = p.finish();
  events.insert(events.end(), rest.begin(), rest.end());
  size_t heartbeats = 0, finals = 0, partials = 0;
  for (const auto& e : events) {
    ASSERT_FALSE(e.json.is_null()) << "every data line is JSON: " << e.data;
    if (e.keep_alive()) ++heartbeats;
    if (!e.text().empty()) {
      ++(e.json["partial"].get<bool>() ? partials : finals);
      // Words the agent does not understand get the list of what it can do.
      if (!e.json["partial"].get<bool>()) EXPECT_NE(e.text().find("I can:"), std::string::npos) << e.text();
      EXPECT_EQ(e.json["author"], "nemo_agent");
      EXPECT_EQ(e.json["content"]["role"], "model");
      EXPECT_TRUE(e.json["timestamp"].is_number());
      EXPECT_FALSE(e.json["invocationId"].get<std::string>().empty());
    }
  }
  EXPECT_GE(heartbeats, 1u);
  EXPECT_GE(partials, 2u);
  EXPECT_EQ(finals, 1u);
  EXPECT_EQ(res.body.find("\n\n\n"), std::string::npos);
}

TEST_F(Node, StoppingMarksRunningAndQueuedJobsFailedNeverProcessing) {
  auto o = node_options();
  o.workers = 1;
  node.reset();
  start(o);
  renderer.delay_ms = 10000;
  Client c(client_options());
  std::string running = c.submit_render(text_draft());
  for (int i = 0; i < 200 && c.render_status(running).state != RenderState::Processing; ++i)
    std::this_thread::sleep_for(5ms);
  std::string queued = c.submit_render(text_draft());
  auto t0 = std::chrono::steady_clock::now();
  node->stop(100ms);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  start(o);  // the same data folder: the records say what became of the jobs
  Client again(client_options());
  for (const auto& id : {running, queued}) {
    auto st = again.render_status(id);
    EXPECT_EQ(st.state, RenderState::Failed) << id;
    EXPECT_NE(st.error.find("stopped"), std::string::npos) << st.error;
  }
}

TEST_F(Node, StoppingLetsAShortRenderFinish) {
  renderer.delay_ms = 200;
  Client c(client_options());
  std::string id = c.submit_render(text_draft());
  for (int i = 0; i < 200 && c.render_status(id).state != RenderState::Processing; ++i)
    std::this_thread::sleep_for(5ms);
  node->stop(5s);
  auto o = node_options();
  start(o);
  EXPECT_EQ(Client(client_options()).render_status(id).state, RenderState::Completed);
}

TEST_F(Node, ASlowClientDoesNotStallOtherRequestsOrJobs) {
  // Several connections that send half a request and then nothing.
  std::vector<int> socks;
  for (int i = 0; i < 4; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(node->port()));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    std::string half = "POST /api/render/proxy/lambda HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{\"id\":";
    ASSERT_GT(::write(fd, half.data(), half.size()), 0);
    socks.push_back(fd);
  }
  auto t0 = std::chrono::steady_clock::now();
  Client c(client_options());
  c.export_draft(text_draft(), dir.file("o.mp4"));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  for (int fd : socks) close(fd);
}

TEST_F(Node, OversizedJsonBodiesAreRefused) {
  auto o = node_options();
  o.max_json_bytes = 1000;
  node.reset();
  start(o);
  Client c(client_options());
  Json big = text_draft();
  big["m"]["padding"] = std::string(5000, 'p');
  EXPECT_EQ(error_kind([&] { c.submit_render(big); }), ErrorKind::Refused);
}

TEST_F(Node, ARefusedRequestsUnreadBodyDoesNotConfuseTheNextOnTheSameConnection) {
  Client c(client_options());
  c.login();
  std::string token = ConfigStore(dir.file("config")).load_token(node->base_url())->token;
  Headers bad = attribution();
  bad.emplace_back("Authorization", "Bearer nmv_usr_wrong");
  bad.emplace_back("Content-Type", "application/json");
  Headers good = attribution();
  good.emplace_back("Authorization", "Bearer " + token);
  for (int i = 0; i < 3; ++i) {
    auto refused = raw("POST", "/api/render/proxy/lambda", bad, Json{{"pad", std::string(20000, 'x')}}.dump());
    EXPECT_EQ(Json::parse(refused.body)["code"], 1001);
    auto ok = raw("GET", "/api/credits/balance/simple", good);  // the same curl handle: the same connection
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(Json::parse(ok.body)["data"]["available"], 100);
  }
}
