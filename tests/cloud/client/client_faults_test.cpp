// The client against the fault-injecting backend: every fault of the issue, real HTTP.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "cloud/client/client.h"
#include "tests/cloud/support/fake_backend.h"
#include "tests/cloud/support/test_util.h"

using namespace reel;
using namespace reel::cloud;
using namespace reel::cloud::testing;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct ClientFaults : ::testing::Test {
  FakeBackend backend;
  TempDir dir;
  LogCapture log;
  ClientOptions options() {
    auto o = fast_options(backend.url(), dir.file("config"), dir.file("project"));
    o.log = log.fn();
    return o;
  }
};

}  // namespace

TEST_F(ClientFaults, FetchesAnAnonymousTokenOnceAndCachesItInAPrivateFile) {
  {
    Client c(options());
    EXPECT_EQ(c.credits().available, 97);
    EXPECT_EQ(c.login().user_id, "anon_fake42");
  }
  Client again(options());
  again.credits();
  EXPECT_EQ(backend.token_calls, 1);
  std::string path = ConfigStore(dir.file("config")).token_path(backend.url());
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto ids = backend.client_ids();
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids[0].size(), 36u);
  EXPECT_EQ(ConfigStore(dir.file("config")).client_id(), ids[0]);
}

TEST_F(ClientFaults, RenewsTheTokenBeforeItExpires) {
  backend.expires_in_s = 600;  // inside the renewal margin of an hour
  Client(options()).credits();
  Client(options()).credits();
  EXPECT_EQ(backend.token_calls, 2);
  auto ids = backend.client_ids();
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0], ids[1]) << "the client id is stable";
}

TEST_F(ClientFaults, GetsANewTokenOnceOn1001ThenSucceeds) {
  Client c(options());
  c.credits();
  backend.bad_token = 1;
  EXPECT_EQ(c.credits().total, 100);
  EXPECT_EQ(backend.token_calls, 2);
}

TEST_F(ClientFaults, A1001AfterRenewalIsATypedError) {
  Client c(options());
  backend.bad_token = 5;
  std::string msg;
  EXPECT_EQ(error_kind([&] { c.credits(); }, &msg), ErrorKind::BadToken);
  EXPECT_EQ(backend.token_calls, 2);
  EXPECT_NE(msg.find("reel login"), std::string::npos) << msg;
}

TEST_F(ClientFaults, MakesANewClientIdAfterHttp400) {
  backend.token_400 = 1;
  Client c(options());
  c.credits();
  EXPECT_EQ(backend.token_calls, 2);
}

TEST_F(ClientFaults, RetriesAfter5xxThenSucceeds) {
  Client c(options());
  backend.credits_503 = 2;
  EXPECT_EQ(c.credits().available, 97);
}

TEST_F(ClientFaults, GivesUpAfterBoundedRetriesOf5xx) {
  Client c(options());
  backend.credits_503 = 10;
  EXPECT_EQ(error_kind([&] { c.credits(); }), ErrorKind::Transient);
  EXPECT_EQ(backend.credits_503, 7);  // three tries
}

TEST_F(ClientFaults, WaitsOnceAfter429ThenSucceeds) {
  Client c(options());
  c.credits();
  backend.credits_429 = 1;
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(c.credits().available, 97);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
  backend.credits_429 = 2;
  EXPECT_EQ(error_kind([&] { c.credits(); }), ErrorKind::RateLimited);
}

TEST_F(ClientFaults, TokenCall429WaitsAndRetriesOnce) {
  backend.token_429 = 1;
  Client c(options());
  EXPECT_EQ(c.credits().available, 97);
  EXPECT_EQ(backend.token_calls, 2);
}

TEST_F(ClientFaults, StartsANewSessionOn1002) {
  Client c(options());
  std::string first = c.session().session_id;
  backend.state_1002 = 1;
  Json st = c.state();
  EXPECT_NE(st.value("session_id", std::string()), first);
  EXPECT_EQ(c.session().session_id, st.value("session_id", std::string()));
  EXPECT_EQ(backend.session_calls, 2);
}

TEST_F(ClientFaults, StalledServerTripsTheTimeoutFast) {
  auto o = options();
  o.timeouts.low_speed_seconds = 1;
  o.retry.attempts = 1;
  Client c(o);
  c.login();
  backend.stall_ms = 4000;
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(error_kind([&] { c.credits(); }), ErrorKind::Timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  backend.stall_ms = 0;
}

TEST_F(ClientFaults, CtrlCStopsACallToAStalledServerAtOnceNotAtItsLimit) {
  auto o = options();
  o.timeouts.low_speed_seconds = 30;
  std::atomic<bool> cancel{false};
  o.cancel = &cancel;
  Client c(o);
  c.login();
  backend.stall_ms = 6000;
  std::thread ctrl_c([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel = true;
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(error_kind([&] { c.credits(); }), ErrorKind::Cancelled);
  ctrl_c.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s) << "it waited for the server";
  backend.stall_ms = 0;
}

TEST_F(ClientFaults, ABackendThatNeverAnswersIsTriedForATokenOnceNotAgainByEachCall) {
  // A port that takes connections and never answers them.
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&at), sizeof at), 0);
  ASSERT_EQ(::listen(listener, 16), 0);
  socklen_t len = sizeof at;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&at), &len);
  auto o = options();
  o.api = "http://127.0.0.1:" + std::to_string(ntohs(at.sin_port));
  o.timeouts.low_speed_seconds = 1;
  Client c(o);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(error_kind([&] { c.credits(); }), ErrorKind::Timeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 2s) << "the token's tries";
  // An export reads the credits, then makes a session: the second call does not start over
  // (it was six tries of 30 s before the fallback).
  start = std::chrono::steady_clock::now();
  std::string msg;
  EXPECT_EQ(error_kind([&] { c.state(); }, &msg), ErrorKind::Timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
  EXPECT_NE(msg.find("no answer in time from"), std::string::npos) << msg;
  ::close(listener);
}

TEST_F(ClientFaults, UnreachableServerIsTypedAndQuick) {
  auto o = options();
  o.api = "http://127.0.0.1:1";
  Client c(o);
  auto start = std::chrono::steady_clock::now();
  std::string msg;
  EXPECT_EQ(error_kind([&] { c.credits(); }, &msg), ErrorKind::Unreachable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_NE(msg.find("REEL_API_URL"), std::string::npos);
}

TEST_F(ClientFaults, ExportSurvivesADroppedConnectionMidPoll) {
  Client c(options());
  backend.drop_poll = 2;
  auto out = dir.file("out.mp4");
  auto r = c.export_draft(Json{{"t", Json::array()}}, out);
  EXPECT_EQ(read_bytes(out), backend.video);
  EXPECT_EQ(backend.submit_calls, 1) << "a poll failure never resubmits";
  EXPECT_GE(backend.poll_calls, 3);
  EXPECT_GE(log.count("polling again"), 2u);
  EXPECT_FALSE(c.pending_job());
  (void)r;
}

TEST_F(ClientFaults, ExportSurvives5xxWhilePolling) {
  Client c(options());
  backend.poll_503 = 3;
  c.export_draft(Json::object(), dir.file("out.mp4"));
  EXPECT_EQ(read_bytes(dir.file("out.mp4")), backend.video);
}

TEST_F(ClientFaults, ADroppedDownloadResumesWithARangeAndLandsWhole) {
  Client c(options());
  backend.drop_download = 1;
  auto out = dir.file("out.mp4");
  auto r = c.export_draft(Json::object(), out);
  EXPECT_EQ(read_bytes(out), backend.video);
  EXPECT_TRUE(r.resumed_download);
  EXPECT_FALSE(fs::exists(out + ".part"));
  bool ranged = false;
  for (const auto& [path, range] : backend.last_range_headers()) ranged |= range.rfind("bytes=", 0) == 0;
  EXPECT_TRUE(ranged);
}

TEST_F(ClientFaults, NoFileUnderTheRealNameWhileTheDownloadIsIncomplete) {
  auto o = options();
  o.retry.attempts = 1;
  Client c(o);
  backend.drop_download = 2;  // outputUrl and the fallback both drop
  auto out = dir.file("out.mp4");
  EXPECT_EQ(error_kind([&] { c.export_draft(Json::object(), out); }), ErrorKind::Transient);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(fs::exists(out + ".part"));
  ASSERT_TRUE(c.pending_job()) << "the job stays on disk for --resume";
  auto r = c.resume_export("");
  EXPECT_EQ(read_bytes(out), backend.video);
  EXPECT_TRUE(r.resumed_download);
}

TEST_F(ClientFaults, AFailedRenderCarriesTheBackendsErrorText) {
  backend.fail_text = "font 'Comic Serif' not found";
  Client c(options());
  std::string msg;
  EXPECT_EQ(error_kind([&] { c.export_draft(Json::object(), dir.file("o.mp4")); }, &msg), ErrorKind::RenderFailed);
  EXPECT_NE(msg.find("font 'Comic Serif' not found"), std::string::npos) << msg;
  EXPECT_FALSE(c.pending_job());
  EXPECT_FALSE(fs::exists(dir.file("o.mp4")));
}

TEST_F(ClientFaults, ADuplicateIdIsRetriedOnceWithANewId) {
  backend.duplicate = 1;
  Client c(options());
  c.export_draft(Json::object(), dir.file("o.mp4"));
  auto ids = backend.submitted_ids();
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_EQ(ids[1].rfind("render_", 0), 0u);
}

TEST_F(ClientFaults, ASecondDuplicateIsAnError) {
  backend.duplicate = 2;
  Client c(options());
  EXPECT_EQ(error_kind([&] { c.submit_render(Json::object()); }), ErrorKind::DuplicateId);
  EXPECT_EQ(backend.submit_calls, 2);
}

TEST_F(ClientFaults, AJobLeftRunningIsResumedByANewProcess) {
  backend.polls_until_done = 1000;
  auto o = options();
  o.poll.give_up = 300ms;
  std::string msg;
  std::string id;
  {
    Client first(o);
    EXPECT_EQ(error_kind([&] { first.export_draft(Json::object(), dir.file("o.mp4")); }, &msg), ErrorKind::GaveUp);
    ASSERT_TRUE(first.pending_job());
    id = first.pending_job()->id;
  }
  EXPECT_NE(msg.find("reel export --resume"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(dir.file("o.mp4")));
  backend.polls_until_done = 0;
  Client second(options());  // a new process: same config and project folder
  auto r = second.resume_export("");
  EXPECT_EQ(r.job_id, id);
  EXPECT_EQ(read_bytes(dir.file("o.mp4")), backend.video);
  EXPECT_FALSE(second.pending_job());
  EXPECT_EQ(backend.submit_calls, 1);
}

TEST_F(ClientFaults, TwoExportsOfOneProjectKeepARecordEachAndAreResumedByTheirOutput) {
  // Two exports from one folder once shared one record: the second replaced the first's, and
  // the first to finish removed the other's, so --resume found nothing.
  backend.polls_until_done = 1000;
  auto o = options();
  o.poll.give_up = 300ms;
  const std::string a = dir.file("a.mp4"), b = dir.file("b.mp4");
  {
    Client first(o), second(o);
    EXPECT_EQ(error_kind([&] { first.export_draft(Json::object(), a); }), ErrorKind::GaveUp);
    EXPECT_EQ(error_kind([&] { second.export_draft(Json::object(), b); }), ErrorKind::GaveUp);
  }
  Client c(options());
  ASSERT_TRUE(c.pending_job(a));
  ASSERT_TRUE(c.pending_job(b));
  EXPECT_NE(c.pending_job(a)->id, c.pending_job(b)->id);
  EXPECT_FALSE(c.pending_job()) << "two: no output named, none picked";
  std::string msg;
  EXPECT_EQ(error_kind([&] { c.resume_export(""); }, &msg), ErrorKind::NotFound);
  EXPECT_EQ(msg, "2 cloud renders are left running for " + o.project + " (to " + a + ", " + b +
                     "); say which with -o, e.g. `reel export --resume -o " + a + "`");
  backend.polls_until_done = 0;
  EXPECT_EQ(c.resume_export(b).job_id, c.pending_job(b)->id);  // read before it is removed
  EXPECT_EQ(read_bytes(b), backend.video);
  EXPECT_FALSE(fs::exists(a)) << "only the one asked for";
  ASSERT_TRUE(c.pending_job(a)) << "the other's record stays";
  // One left: found without naming it, and downloaded to another name when one is given.
  const std::string elsewhere = dir.file("elsewhere.mp4");
  c.resume_export(elsewhere);
  EXPECT_EQ(read_bytes(elsewhere), backend.video);
  EXPECT_FALSE(c.pending_job());
}

TEST_F(ClientFaults, TheJobIdIsOnDiskBeforeTheFirstPoll) {
  Client c(options());
  bool seen = false;
  c.export_draft(Json::object(), dir.file("o.mp4"), [&](const RenderStatus&) {
    if (!seen) seen = Client(options()).pending_job().has_value();
  });
  EXPECT_TRUE(seen);
}

TEST_F(ClientFaults, ReadsTheOlderRenderStatusShape) {
  backend.old_shape = true;
  Client c(options());
  c.export_draft(Json::object(), dir.file("o.mp4"));
  EXPECT_EQ(read_bytes(dir.file("o.mp4")), backend.video);
}

TEST_F(ClientFaults, FallsBackToTheDownloadEndpointWhenOutputUrlFails) {
  backend.broken_output_url = true;
  Client c(options());
  c.export_draft(Json::object(), dir.file("o.mp4"));
  EXPECT_EQ(read_bytes(dir.file("o.mp4")), backend.video);
  bool used = false;
  for (const auto& r : backend.requests()) used |= r.path.ends_with("/download");
  EXPECT_TRUE(used);
}

TEST_F(ClientFaults, Http402SaysRegisterOrUpgradeOrRenderLocally) {
  backend.answer_402 = true;
  Client c(options());
  std::string msg;
  EXPECT_EQ(error_kind([&] { c.submit_render(Json::object()); }, &msg), ErrorKind::ExportBlocked);
  EXPECT_NE(msg.find("register or upgrade to unlock export"), std::string::npos);
}

TEST_F(ClientFaults, AnonymousNoCreditsGivesTheRegistrationLinkWithBind) {
  backend.answer_2001 = true;
  auto o = options();
  o.register_url = "https://example.test/register";
  Client c(o);
  std::string msg;
  EXPECT_EQ(error_kind([&] { c.submit_render(Json::object()); }, &msg), ErrorKind::NoCredits);
  EXPECT_NE(msg.find("https://example.test/register?bind=anon_fake42"), std::string::npos) << msg;
}

TEST_F(ClientFaults, CancellingStopsPollingAndCancelsTheJob) {
  backend.polls_until_done = 1000;
  Client c(options());
  std::atomic<bool> cancel{false};
  int polls = 0;
  EXPECT_EQ(error_kind([&] {
              c.export_draft(
                  Json::object(), dir.file("o.mp4"),
                  [&](const RenderStatus&) {
                    if (++polls == 3) cancel = true;
                  },
                  &cancel);
            }),
            ErrorKind::Cancelled);
  EXPECT_EQ(backend.cancel_calls, 1);
  EXPECT_FALSE(c.pending_job());
}

TEST_F(ClientFaults, PollingBacksOffUpToTheLongestWait) {
  backend.polls_until_done = 8;
  auto o = options();
  o.poll.first = 20ms;
  o.poll.factor = 2.0;
  o.poll.longest = 80ms;
  Client c(o);
  std::vector<std::chrono::steady_clock::time_point> times;
  c.export_draft(Json::object(), dir.file("o.mp4"),
                 [&](const RenderStatus&) { times.push_back(std::chrono::steady_clock::now()); });
  ASSERT_GE(times.size(), 8u);
  auto gap = [&](size_t i) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(times[i + 1] - times[i]).count();
  };
  EXPECT_GE(gap(0), 20);
  EXPECT_GE(gap(1), 40);
  EXPECT_GE(gap(3), 80);
  EXPECT_LT(gap(6), 600);  // capped at 80 ms (uncapped it would be 1280 ms)
}

TEST_F(ClientFaults, EveryRequestCarriesAttributionAndTheTokenOnlyInItsHeader) {
  FakeBackend cdn;  // another origin: the token must not go there
  backend.cdn_base = cdn.url();
  Client c(options());
  c.credits();
  c.export_draft(Json::object(), dir.file("o.mp4"));
  auto token = backend.issued_tokens().at(0);
  ASSERT_EQ(cdn.download_calls, 1);
  for (const auto& r : cdn.requests()) EXPECT_EQ(r.header("Authorization"), "") << "no token to the CDN";
  for (const auto& r : backend.requests()) {
    EXPECT_EQ(r.header("X-Skill-Source"), "reel-tests") << r.path;
    EXPECT_EQ(r.header("X-Skill-Version"), "1.0");
    EXPECT_EQ(r.header("X-Skill-Platform"), "unknown");
    EXPECT_EQ(r.target.find(token), std::string::npos);
    EXPECT_EQ(r.body.find(token), std::string::npos);
  }
  EXPECT_EQ(log.all().find(token), std::string::npos);
  EXPECT_EQ(log.all().find("SECRET"), std::string::npos);
}

TEST_F(ClientFaults, NemoTokenIsUsedAsIsAndNeverStored) {
  auto o = options();
  o.env_token = "nmv_usr_REGISTERED";
  // The fake knows only tokens it issued: a refused NEMO_TOKEN is a clear error, not a renewal.
  Client c(o);
  std::string msg;
  EXPECT_EQ(error_kind([&] { c.credits(); }, &msg), ErrorKind::BadToken);
  EXPECT_NE(msg.find("NEMO_TOKEN"), std::string::npos);
  EXPECT_EQ(msg.find("nmv_usr_REGISTERED"), std::string::npos);
  EXPECT_EQ(backend.token_calls, 0);
  EXPECT_EQ(backend.requests().back().header("Authorization"), "Bearer nmv_usr_REGISTERED");
}

TEST_F(ClientFaults, UploadsSeveralFilesPerCallAfterLocalChecks) {
  write_bytes(dir.file("a.jpg"), "\xFF\xD8\xFF\xE0jpeg");
  write_bytes(dir.file("b.PNG"), "\x89PNG\r\n\x1A\npng");
  write_bytes(dir.file("notes.txt"), "text");
  auto o = options();
  o.max_upload_bytes = 100;
  write_bytes(dir.file("big.mp4"), std::string(101, 'x'));
  Client c(o);
  auto files = c.upload_files({dir.file("a.jpg"), dir.file("b.PNG")});
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(backend.upload_calls, 1);
  EXPECT_EQ(files[1].cdn_url, backend.url() + "/cdn/b.PNG");
  EXPECT_EQ(c.uploaded_files(false).at("a.jpg"), backend.url() + "/cdn/a.jpg");
  std::string msg;
  EXPECT_EQ(error_kind(
                [&] {
                  c.upload_files({dir.file("a.jpg"), dir.file("notes.txt")});
                },
                &msg),
            ErrorKind::UnsupportedType);
  EXPECT_NE(msg.find("mp4, mov, avi, webm, mkv"), std::string::npos) << msg;
  EXPECT_EQ(error_kind([&] { c.upload_files({dir.file("big.mp4")}); }, &msg), ErrorKind::TooLarge);
  EXPECT_NE(msg.find("compress it or trim it"), std::string::npos) << msg;
  EXPECT_EQ(backend.upload_calls, 1) << "nothing is sent when a local check fails";
}

TEST_F(ClientFaults, AFileWhoseBytesAreNotTheMediaItsNameClaimsIsNeverSent) {
  write_bytes(dir.file("secret.txt"), "password=hunter2\n");
  fs::copy_file(dir.file("secret.txt"), dir.file("holiday.jpg"));
  write_bytes(dir.file("song.mp3"), "\xFF\xD8\xFF\xE0 a JPEG named like a song");
  Client c(options());
  std::string msg;
  EXPECT_EQ(error_kind([&] { c.upload_files({dir.file("holiday.jpg")}); }, &msg), ErrorKind::UnsupportedType);
  EXPECT_EQ(msg, dir.file("holiday.jpg") +
                     ": the file's bytes are not an image, though its name says .jpg (they are no accepted format); "
                     "upload the media itself");
  EXPECT_EQ(error_kind([&] { c.upload_files({dir.file("song.mp3")}); }, &msg), ErrorKind::UnsupportedType);
  EXPECT_EQ(msg, dir.file("song.mp3") +
                     ": the file's bytes are not a sound file, though its name says .mp3 (they are an image); upload "
                     "the media itself");
  EXPECT_EQ(backend.upload_calls, 0);
  for (const auto& r : backend.requests()) EXPECT_EQ(r.body.find("hunter2"), std::string::npos) << r.path;
}

TEST_F(ClientFaults, WhatTheOutputUrlServesIsSavedOnlyWhenItIsAnMp4OfTheDraftsLength) {
  const Json ten_seconds = {
      {"t", Json::array({{{"tt", 0}, {"sg", Json::array({{{"s", 0}, {"d", 10000}, {"src", "a.jpg"}}})}}})}};
  const std::string out = dir.file("out.mp4");
  std::string msg;
  backend.video = "<html><body>502 Bad Gateway</body></html>";
  {
    Client c(options());
    EXPECT_EQ(error_kind([&] { c.export_draft(ten_seconds, out); }, &msg), ErrorKind::BadResponse);
    EXPECT_NE(msg.find("is not a complete MP4 (no movie header); it was not saved"), std::string::npos) << msg;
    EXPECT_FALSE(fs::exists(out));
  }
  backend.video = minimal_mp4(2000, std::string(1000, 'v'));
  {
    Client c(options());
    EXPECT_EQ(error_kind([&] { c.export_draft(ten_seconds, out); }, &msg), ErrorKind::BadResponse);
    EXPECT_NE(msg.find("is 2.0 s long where the draft is 10.0 s; it was not saved"), std::string::npos) << msg;
    EXPECT_FALSE(fs::exists(out));
  }
  backend.video = minimal_mp4(10040, std::string(1000, 'v'));
  Client c(options());
  c.export_draft(ten_seconds, out);
  EXPECT_EQ(read_bytes(out), backend.video);
  for (const auto& e : fs::directory_iterator(dir.path())) EXPECT_NE(e.path().extension(), ".part") << e.path();
}
