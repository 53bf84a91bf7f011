#include <gtest/gtest.h>

#include "draft/edit.h"
#include "draft/parse.h"
#include "draft_test_util.h"

using namespace reel;
using namespace reel::draft;
using namespace reel::draft::test;

namespace {

// Every place a draft can hold keys reel does not know, each with one.
const char* kUnknownEverywhere = R"({
  "version": 3, "m": {"title": "x", "width": 640, "height": 360, "theme": {"id": 9, "tags": ["a", {"b": null}]}},
  "t": [
    {"tt": 0, "lock": true, "m": {"name": "pics", "colour": "red"}, "sg": [
      {"id": "a", "s": 0, "d": 2000, "src": "a.jpg", "filters": [{"type": "lut", "p": [1, 2.5, -3]}],
       "m": {"fit": "contain", "crop": {"l": 0.1}, "kb": {"from": {"x": 0.5, "y": 0.5, "z": 1, "r": 0},
             "to": {"x": 0.4, "y": 0.6, "z": 1.2}, "ease": "linear", "curve": [0, 1]},
             "tr": {"type": "fade", "d": 400, "extra": {"k": "v"}}}},
      {"id": "b", "s": 2000, "d": 2000, "src": "b.jpg", "m": {"kb": "left", "tr": {"type": "wipeleft", "d": 300}}}
    ]},
    {"tt": 1, "gain_db": -3, "sg": [{"s": 0, "d": 4000, "src": "m.mp3", "m": {"vol": "35%", "eq": {"low": 2}}}]},
    {"tt": 7, "sg": [{"s": 0, "d": 1000, "m": {"text": "Hi", "style": {"size": 0.1, "weight": 700, "pos": {"x": 0.5, "y": 0.8, "z": 2}},
                     "anim": {"in": "pop", "d": 300, "spring": 0.7}}}]},
    {"tt": 42, "whatever": {"deep": [[[{"x": 1}]]]}, "sg": "not even a list"},
    {"tt": 3, "sg": [{"s": 0, "d": 1, "m": {"sticker": "cat"}}]}
  ]
})";

}  // namespace

TEST(RoundTrip, SeedExampleWritesBackTheSameValueAndKeyOrder) {
  Json original = parse_json(read_file(seed_path()), "seed");
  LoadResult r = load_draft(original);
  ASSERT_TRUE(r.ok()) << r.problems.front().line();
  std::string written = write_json(r.draft.json, false);
  EXPECT_EQ(parse_json(written, "written"), original);
  EXPECT_EQ(written, original.dump());
}

TEST(RoundTrip, UnknownKeysAtEveryDepthAndUnknownTrackTypesAreKept) {
  Json original = parse_json(kUnknownEverywhere, "in");
  LoadResult r = load_draft(original);
  Json back = parse_json(write_json(r.draft.json, true), "out");
  EXPECT_EQ(back, original);
  EXPECT_EQ(back.dump(), original.dump());  // same key order, same number forms
  // The unknown keys were seen and reported as notices, never errors.
  for (const char* ptr :
       {"/version", "/m/theme", "/t/0/lock", "/t/0/m/colour", "/t/0/sg/0/filters", "/t/0/sg/0/m/crop",
        "/t/0/sg/0/m/kb/from/r", "/t/0/sg/0/m/kb/curve", "/t/0/sg/0/m/tr/extra", "/t/1/gain_db", "/t/1/sg/0/m/eq",
        "/t/2/sg/0/m/style/weight", "/t/2/sg/0/m/style/pos/z", "/t/2/sg/0/m/anim/spring"}) {
    auto found = at(r, ptr);
    ASSERT_EQ(found.size(), 1u) << ptr;
    EXPECT_EQ(found[0].severity, Severity::Notice) << ptr;
  }
  EXPECT_EQ(line_at(r, "/t/3/tt", Severity::Notice),
            "/t/3/tt: notice: track type 42 is not one reel draws; it is kept as is and passed on to the cloud");
  EXPECT_TRUE(r.ok()) << (r.problems.empty() ? "" : r.problems.front().line());
}

TEST(RoundTrip, LongKeysStayLongAndReadTheSameAsShortOnes) {
  const char* shorter = R"({"m": {"fps": 25}, "d": 6000, "t": [{"tt": 0, "m": {"name": "v"}, "sg": [
      {"s": 1000, "d": 5000, "src": "a.jpg", "in": 0, "m": {"kb": "in"}}]}]})";
  const char* longer =
      R"({"metadata": {"fps": 25}, "duration": 6000, "tracks": [{"track_type": 0, "metadata": {"name": "v"},
      "segments": [{"start": 1000, "duration": 5000, "source": "a.jpg", "source_in": 0, "metadata": {"kb": "in"}}]}]})";
  LoadResult s = load_text(shorter), l = load_text(longer);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(l.ok()) << l.problems.front().line();
  EXPECT_EQ(write_json(l.draft.json, false), parse_json(longer, "x").dump());
  EXPECT_NE(write_json(l.draft.json, false).find("\"tracks\""), std::string::npos);
  const Segment& a = s.draft.tracks[0].segments[0];
  const Segment& b = l.draft.tracks[0].segments[0];
  EXPECT_EQ(a.start_ms, b.start_ms);
  EXPECT_EQ(a.duration_ms, b.duration_ms);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.video.ken_burns.preset, b.video.ken_burns.preset);
  EXPECT_EQ(s.draft.canvas.fps, l.draft.canvas.fps);
  EXPECT_EQ(s.draft.duration_ms(), l.draft.duration_ms());
  EXPECT_EQ(l.draft.tracks[0].segments[0].pointer, "/tracks/0/segments/0");
}

TEST(RoundTrip, NumbersKeepTheirForm) {
  const char* text =
      R"({"t": [], "i": 1, "f": 1.0, "v": 0.35, "big": 18446744073709551615, "neg": -7, "e": 1e-7, "x": 12345678901234})";
  Json original = parse_json(text, "n");
  std::string out = write_json(load_draft(original).draft.json, false);
  EXPECT_EQ(out, R"({"t":[],"i":1,"f":1.0,"v":0.35,"big":18446744073709551615,"neg":-7,"e":1e-07,"x":12345678901234})");
  EXPECT_EQ(parse_json(out, "again"), original);
}

TEST(RoundTrip, TextInAnyScriptIsWrittenAsUtf8) {
  const char* text = R"({"t": [{"tt": 7, "sg": [{"s": 0, "d": 1000, "m": {"text": "城市之梦 · Мечта 🌆"}}]}]})";
  LoadResult r = load_text(text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.draft.tracks[0].segments[0].text.text, "城市之梦 · Мечта 🌆");
  EXPECT_NE(write_json(r.draft.json, false).find("城市之梦 · Мечта 🌆"), std::string::npos);
}

TEST(RoundTrip, LoudnessIsWrittenBackAsWritten) {
  for (const char* text : {R"({"m":{"loudness":-14.0},"t":[]})", R"({"m":{"loudness":"off"},"t":[]})"}) {
    LoadResult r = load_draft(parse_json(text, "l"));
    EXPECT_TRUE(r.problems.empty()) << r.problems.front().line();
    EXPECT_EQ(write_json(r.draft.json, false), text);
  }
}

TEST(RoundTrip, FocusIsKeptAsWrittenAndSetFocusWritesFourDecimals) {
  const std::string text =
      R"({"t":[{"tt":0,"sg":[{"s":0,"d":1000,"src":"a.jpg","m":{"focus":{"x":0.25,"y":0.1,"w":0.5,"h":0.4}}},)"
      R"({"s":1000,"d":1000,"src":"b.jpg"}]}]})";
  LoadResult r = load_draft(parse_json(text, "draft"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(write_json(r.draft.json, false), text);
  set_segment_focus(r.draft, 0, 1, FocusBox{1.0 / 3, 0.123456, 0.5, 0.25});
  EXPECT_EQ(write_json(r.draft.json["t"][0]["sg"][1]["m"], false),
            R"({"focus":{"x":0.3333,"y":0.1235,"w":0.5,"h":0.25}})");
  ASSERT_TRUE(r.draft.tracks[0].segments[1].video.focus);
  EXPECT_NEAR(r.draft.tracks[0].segments[1].video.focus->x, 0.3333, 1e-12);
}
