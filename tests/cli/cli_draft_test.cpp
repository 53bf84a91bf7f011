// `reel validate | summary | fmt`, `--version`, `help`: run as a person would run them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "draft/json.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using reel::Json;
using reel::test::run_command;
using reel::test::RunResult;
using reel::test::scratch;

namespace {

const std::string kSeed = std::string(REEL_ASSETS_DIR) + "/examples/urban-dreams.json";

RunResult run_reel(const std::vector<std::string>& args, const std::string& input = "") {
  return run_command(REEL_BINARY, args, input);
}

}  // namespace

TEST(CliSummary, PrintsTheSeedExampleLine) {
  RunResult r = run_reel({"summary", kSeed});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: \"Urban "
            "Dreams\" (0-3s)\n");
}

TEST(CliSummary, JsonGivesTheTracksAsData) {
  RunResult r = run_reel({"summary", "--json", kSeed});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["tracks"].size(), 3u);
  EXPECT_EQ(j["tracks"][2]["label"], "\"Urban Dreams\"");
}

TEST(CliValidate, ACleanDraftExitsZeroAndSaysSo) {
  RunResult r = run_reel({"validate", kSeed});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, kSeed + ": 0 errors, 0 warnings, 0 notices\n");
}

TEST(CliValidate, ProblemsArePrintedOnePerLineAndErrorsExitOne) {
  std::string draft = R"({"t": [{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "a.jpg", "zz": 1},
                                                 {"s": 500, "d": 1000, "src": "b.jpg", "m": {"tr": {"type": "fadee", "d": 300}}}]}]})";
  RunResult r = run_reel({"validate", "-"}, draft);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "/t/0/sg/0/zz: notice: unknown key \"zz\" in a segment; reel keeps it as is and does not use it\n"
            "/t/0/sg/1/m/tr/type: error: unknown transition \"fadee\"; did you mean \"fade\"?\n"
            "/t/0/sg/1: error: overlaps the segment at /t/0/sg/0 (0-1s) on the same track; start it at 1000 or later, "
            "or move it "
            "to another track (transitions are declared with \"tr\", not made by overlap)\n");
  EXPECT_EQ(r.err, "<stdin>: 2 errors, 0 warnings, 1 notice\n");
}

TEST(CliValidate, JsonListsTheProblemsAsData) {
  RunResult r = run_reel({"validate", "--json", "-"}, R"({"m": {"width": 101, "height": 100}, "t": []})");
  EXPECT_EQ(r.exit_code, 1);
  Json j = Json::parse(r.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["path"], "/m/width");
  EXPECT_EQ(j[0]["severity"], "error");
}

TEST(CliValidate, TextThatIsNotADraftNamesThePlaceAndExitsOne) {
  RunResult r = run_reel({"validate", "-"}, "{\"t\": [\n  {\"tt\": 0,");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "reel: <stdin>:2:12: not valid JSON: syntax error while parsing object key - unexpected end of input; "
            "expected string literal (the draft looks truncated)\n");
  RunResult j = run_reel({"validate", "--json", "-"}, "nope");
  EXPECT_EQ(j.exit_code, 1);
  EXPECT_EQ(Json::parse(j.out)[0]["position"], "1:2");  // "n" could start null; "o" cannot follow
}

TEST(CliValidate, AMissingFileIsABadInputNotAUsageError) {
  RunResult r = run_reel({"validate", "/nonexistent/d.json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "reel: /nonexistent/d.json: cannot read the draft: No such file or directory; check the path\n");
}

TEST(CliUsage, WrongArgumentsExitTwo) {
  EXPECT_EQ(run_reel({"validate"}).exit_code, 2);
  EXPECT_EQ(run_reel({"validate", kSeed, "--bogus"}).exit_code, 2);
  RunResult r = run_reel({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
}

TEST(CliUsage, VersionHelpAndDashH) {
  RunResult v = run_reel({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("reel ", 0), 0u);
  RunResult h = run_reel({"help"});
  EXPECT_EQ(h.exit_code, 0);
  for (const char* cmd : {"validate", "summary", "fmt"}) EXPECT_NE(h.out.find(cmd), std::string::npos) << cmd;
  RunResult hv = run_reel({"help", "validate"});
  EXPECT_EQ(hv.exit_code, 0);
  EXPECT_NE(hv.out.find("--json"), std::string::npos);
  for (const char* cmd : {"validate", "summary", "fmt"}) {
    RunResult sub = run_reel({cmd, "-h"});
    EXPECT_EQ(sub.exit_code, 0) << cmd;
    EXPECT_NE(sub.out.find("Usage"), std::string::npos) << cmd;
  }
}

TEST(CliFmt, CompactOutputIsTheSameValueAndKeyOrder) {
  RunResult r = run_reel({"fmt", kSeed});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(kSeed);
  Json original = Json::parse(in);
  EXPECT_EQ(r.out, original.dump() + "\n");
}

TEST(CliFmt, PrettyOutputWritesAtomicallyToAFile) {
  auto out = scratch("pretty.json");
  std::string text = R"({"tracks": [{"track_type": 9, "x": {"y": [1, 2.0]}}], "k": "城市"})";
  RunResult r = run_reel({"fmt", "-", "--pretty", "-o", out.string()}, text);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string written = reel::test::slurp(out);
  EXPECT_EQ(written, Json::parse(text).dump(2) + "\n");
  for (auto& entry : std::filesystem::directory_iterator(out.parent_path()))
    EXPECT_EQ(entry.path().extension() == ".tmp", false) << entry.path();
}

TEST(CliFmt, BrokenInputWritesNothing) {
  auto out = scratch("never.json");
  std::filesystem::remove(out);
  RunResult r = run_reel({"fmt", "-", "-o", out.string()}, "{\"t\": [");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(CliCaptions, WritesTheTextTrackAsSubRipOrWebVtt) {
  std::string draft =
      R"({"t": [{"tt": 7, "m": {"kind": "caption"}, "sg": [{"s": 1000, "d": 1500, "m": {"text": "第一天 · 海边"}},
                                                                       {"s": 3000, "d": 1000, "m": {"text": "Day two"}}]}]})";
  RunResult srt = run_reel({"captions", "-"}, draft);
  ASSERT_EQ(srt.exit_code, 0) << srt.err;
  EXPECT_EQ(srt.out,
            "1\n00:00:01,000 --> 00:00:02,500\n第一天 · 海边\n\n2\n00:00:03,000 --> 00:00:04,000\nDay two\n\n");
  auto vtt = scratch("captions.vtt");
  RunResult v = run_reel({"captions", "-", "-o", vtt.string()}, draft);
  ASSERT_EQ(v.exit_code, 0) << v.err;
  EXPECT_EQ(reel::test::slurp(vtt).rfind("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n", 0), 0u);
  RunResult none = run_reel({"captions", "-"}, R"({"t": []})");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.err,
            "reel: -: the draft has no caption tracks (text tracks whose m.kind is \"caption\" or \"subtitle\"); "
            "titles are not written as captions. Add captions from a file with `reel captions - --add FILE.srt -o "
            "NEW.json`\n");
  RunResult titles =
      run_reel({"captions", "-"}, R"({"t": [{"tt": 7, "sg": [{"s": 0, "d": 900, "m": {"text": "Hi"}}]}]})");
  EXPECT_EQ(titles.exit_code, 1) << "a title card is not a caption";
}

TEST(CliCaptions, AddKeepsTheCuesInANewDraftAsCaptionTracksThatExportAgain) {
  auto srt = scratch("stack.srt");
  std::ofstream(srt) << "1\n00:00:01,000 --> 00:00:04,000\nA long line\n\n2\n00:00:02,000 --> 00:00:03,000\nSaid "
                        "over it\n\n3\n00:00:05,000 --> 00:00:06,000\nLater\n\n";
  auto in = scratch("plain.json"), out = scratch("captioned.json");
  std::ofstream(in) << R"({"t": [{"tt": 0, "sg": [{"s": 0, "d": 7000, "src": "a.jpg"}]},
                               {"tt": 7, "m": {"kind": "title"}, "sg": [{"s": 0, "d": 900, "m": {"text": "Title"}}]}]})";
  RunResult r = run_reel({"captions", in.string(), "--add", srt.string(), "-o", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json d = Json::parse(reel::test::slurp(out));
  ASSERT_EQ(d["t"].size(), 4u) << d.dump();
  EXPECT_EQ(d["t"][2]["m"]["kind"], "caption");
  EXPECT_EQ(d["t"][2]["sg"].size(), 2u);  // 1-4 s and 5-6 s follow each other
  EXPECT_EQ(d["t"][3]["sg"][0]["m"]["text"], "Said over it");
  EXPECT_TRUE(d["t"][3]["sg"][0]["m"]["style"]["pos"].is_object()) << "stacked above the first";
  EXPECT_EQ(run_reel({"validate", out.string()}).exit_code, 0);
  RunResult back = run_reel({"captions", out.string()});
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_EQ(back.out, reel::test::slurp(srt)) << "the same cues, not the title";
  EXPECT_EQ(run_reel({"captions", in.string(), "--add", srt.string()}).exit_code, 2) << "needs -o";
}

TEST(CliUsage, HelpNamesCommandsAsTheyAreTyped) {
  RunResult h = run_reel({"help"});
  ASSERT_EQ(h.exit_code, 0);
  for (const char* cmd : {"reel validate", "reel export", "reel render", "reel chat"})
    EXPECT_NE(h.out.find(std::string("\n  ") + cmd + " "), std::string::npos) << cmd << " in:\n" << h.out;
  EXPECT_EQ(h.out.find("\n  export "), std::string::npos) << h.out;
  RunResult he = run_reel({"help", "export"});
  EXPECT_EQ(he.exit_code, 0);
  EXPECT_NE(he.out.find("Usage: reel export"), std::string::npos) << he.out;
}

TEST(CliUsage, AnUnknownCommandIsNamedWithTheNearestOne) {
  RunResult r = run_reel({"rendr", "x.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "reel: unknown command \"rendr\"; did you mean `reel render`?\n");
  EXPECT_EQ(r.out, "");
  RunResult e = run_reel({"exprot"});
  EXPECT_EQ(e.err, "reel: unknown command \"exprot\"; did you mean `reel export`?\n");
  RunResult far = run_reel({"nosuch"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_EQ(far.err.rfind("reel: unknown command \"nosuch\"; the commands are validate, summary, fmt", 0), 0u)
      << far.err;
}
