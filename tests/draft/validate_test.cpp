// Every validation rule: its JSON pointer, its severity and the exact sentence.
#include <gtest/gtest.h>

#include "draft_test_util.h"

using namespace reel;
using namespace reel::draft;
using namespace reel::draft::test;

TEST(Validate, SeedExampleHasNoProblems) {
  LoadResult r = load_draft(parse_json(read_file(seed_path()), "seed"));
  EXPECT_TRUE(r.problems.empty()) << r.problems.front().line();
}

TEST(Validate, OverlappingSegmentsOnOneTrack) {
  auto r = load_text(video_draft(R"([{"s": 0, "d": 3000, "src": "a.jpg"}, {"s": 2500, "d": 3000, "src": "b.jpg"}])"));
  EXPECT_EQ(line_at(r, "/t/0/sg/1"),
            "/t/0/sg/1: error: overlaps the segment at /t/0/sg/0 (0-3s) on the same track; start it at 3000 or later, "
            "or move it to another track (transitions are declared with \"tr\", not made by overlap)");
}

TEST(Validate, OverlapIsFoundWhateverTheOrderInTheList) {
  auto r = load_text(video_draft(R"([{"s": 5000, "d": 3000, "src": "a.jpg"}, {"s": 0, "d": 6000, "src": "b.jpg"}])"));
  EXPECT_EQ(line_at(r, "/t/0/sg/0").rfind("/t/0/sg/0: error: overlaps the segment at /t/0/sg/1 (0-6s)", 0), 0u);
}

TEST(Validate, NonPositiveLengthsAndNegativeStarts) {
  auto r = load_text(video_draft(R"([{"s": 0, "d": 0, "src": "a.jpg"}, {"s": 0, "d": -5, "src": "b.jpg"},
                                    {"s": -100, "d": 1000, "src": "c.jpg"}, {"s": 0, "src": "d.jpg"},
                                    {"s": 10, "d": 1.5, "src": "e.jpg"}])"));
  EXPECT_EQ(line_at(r, "/t/0/sg/0/d"),
            "/t/0/sg/0/d: error: length must be more than 0 ms, not 0; remove the segment or give it a length");
  EXPECT_EQ(line_at(r, "/t/0/sg/1/d"), "/t/0/sg/1/d: error: length must be more than 0 ms, not -5");
  EXPECT_EQ(line_at(r, "/t/0/sg/2/s"),
            "/t/0/sg/2/s: error: start must not be negative (-100); the timeline starts at 0");
  EXPECT_EQ(line_at(r, "/t/0/sg/3"),
            "/t/0/sg/3: error: a segment needs a length d in milliseconds, such as \"d\": 3000");
  EXPECT_EQ(line_at(r, "/t/0/sg/4/d"), "/t/0/sg/4/d: error: length must be a whole number of milliseconds, not 1.5");
}

TEST(Validate, VideoAndAudioSegmentsNeedASourceAndTextNeedsWords) {
  auto r =
      load_text(R"({"t": [{"tt": 0, "sg": [{"s": 0, "d": 1000}]}, {"tt": 1, "sg": [{"s": 0, "d": 1000, "src": ""}]},
                              {"tt": 7, "sg": [{"s": 0, "d": 1000, "m": {"style": {"size": 0.1}}}]}]})");
  EXPECT_EQ(line_at(r, "/t/0/sg/0"),
            "/t/0/sg/0: error: a video segment needs a source: give \"src\" a photo or clip path or URL");
  EXPECT_EQ(line_at(r, "/t/1/sg/0"),
            "/t/1/sg/0: error: an audio segment needs a source: give \"src\" a sound file path or URL");
  EXPECT_EQ(line_at(r, "/t/2/sg/0"),
            "/t/2/sg/0: error: a text segment needs words: give its metadata \"text\", such as \"m\": {\"text\": "
            "\"Summer in Lisbon\"}");
}

TEST(Validate, UnknownTransitionSuggestsTheNearestName) {
  auto r = load_text(video_draft(R"([{"s": 0, "d": 2000, "src": "a.jpg"},
      {"s": 2000, "d": 2000, "src": "b.jpg", "m": {"tr": {"type": "fadee", "d": 500}}},
      {"s": 4000, "d": 2000, "src": "c.jpg", "m": {"tr": {"type": "sparkles", "d": 500}}}])"));
  EXPECT_EQ(line_at(r, "/t/0/sg/1/m/tr/type"),
            "/t/0/sg/1/m/tr/type: error: unknown transition \"fadee\"; did you mean \"fade\"?");
  EXPECT_EQ(
      line_at(r, "/t/0/sg/2/m/tr/type"),
      "/t/0/sg/2/m/tr/type: error: unknown transition \"sparkles\"; use one of: fade, fadeblack, fadewhite, dissolve, "
      "wipeleft, wiperight, wipeup, wipedown, slideleft, slideright, slideup, slidedown, zoomin, circleopen, "
      "circleclose, radial, pixelize, none");
}

TEST(Validate, UnknownKenBurnsPresetFitAndEasingSuggestNames) {
  auto r = load_text(video_draft(R"([{"s": 0, "d": 2000, "src": "a.jpg", "m": {"kb": "lfet", "fit": "cuver"}},
      {"s": 2000, "d": 2000, "src": "b.jpg", "m": {"kb": {"from": {"x": 0.5, "y": 0.5, "z": 1}, "to": {"x": 1.5, "y": 0.5, "z": 0.5}, "ease": "in-out"}}}])"));
  EXPECT_EQ(line_at(r, "/t/0/sg/0/m/kb"),
            "/t/0/sg/0/m/kb: error: unknown Ken Burns preset \"lfet\"; did you mean \"left\"?");
  EXPECT_EQ(line_at(r, "/t/0/sg/0/m/fit"), "/t/0/sg/0/m/fit: error: unknown fit \"cuver\"; did you mean \"cover\"?");
  EXPECT_EQ(line_at(r, "/t/0/sg/1/m/kb/ease"),
            "/t/0/sg/1/m/kb/ease: error: unknown easing \"in-out\"; did you mean \"inout\"?");
  EXPECT_EQ(line_at(r, "/t/0/sg/1/m/kb/to/x"),
            "/t/0/sg/1/m/kb/to/x: error: x must be from 0 to 1 (a fraction of the photo), not 1.5");
  EXPECT_EQ(line_at(r, "/t/0/sg/1/m/kb/to/z"),
            "/t/0/sg/1/m/kb/to/z: error: zoom z must be from 1 (the whole fitted photo) to 10, not 0.5");
}

TEST(Validate, VolumeOutOfRangeSuggestsAPercentage) {
  auto r = load_text(R"({"t": [{"tt": 1, "sg": [{"s": 0, "d": 1000, "src": "a.mp3", "m": {"vol": 35}},
      {"s": 1000, "d": 1000, "src": "a.mp3", "m": {"vol": -1}}, {"s": 2000, "d": 1000, "src": "a.mp3", "m": {"vol": "loud"}},
      {"s": 3000, "d": 1000, "src": "a.mp3", "m": {"vol": "35%"}}]}]})");
  EXPECT_EQ(line_at(r, "/t/0/sg/0/m/vol"),
            "/t/0/sg/0/m/vol: error: volume 35 is out of range; use 0 to 4 (1 = unchanged), or a percentage; did you "
            "mean \"35%\"?");
  EXPECT_EQ(line_at(r, "/t/0/sg/1/m/vol"),
            "/t/0/sg/1/m/vol: error: volume -1 is out of range; use 0 to 4 (1 = unchanged), or a percentage");
  EXPECT_EQ(line_at(r, "/t/0/sg/2/m/vol"),
            "/t/0/sg/2/m/vol: error: volume \"loud\" is not a number or a percentage like \"35%\"");
  EXPECT_TRUE(at(r, "/t/0/sg/3/m/vol").empty());
  EXPECT_DOUBLE_EQ(r.draft.tracks[0].segments[3].audio.volume, 0.35);
}

TEST(Validate, CanvasMustBeEvenAndNotZero) {
  auto odd = load_text(R"({"m": {"width": 1921, "height": 0}, "t": []})");
  EXPECT_EQ(line_at(odd, "/m/width"),
            "/m/width: error: width must be an even whole number of pixels from 2 to 8192 (H.264 needs even sizes), "
            "not 1921");
  EXPECT_EQ(
      line_at(odd, "/m/height"),
      "/m/height: error: height must be an even whole number of pixels from 2 to 8192 (H.264 needs even sizes), not 0");
  auto half = load_text(R"({"m": {"width": 1280}, "t": []})");
  EXPECT_EQ(line_at(half, "/m/width"),
            "/m/width: error: give both width and height, or neither (then m.ar sets the shape)");
}

TEST(Validate, AspectAndResolutionGiveTheCanvas) {
  struct Case {
    const char* m;
    int w, h;
  };
  for (Case c : {Case{R"({"ar": "9:16"})", 1080, 1920}, Case{R"({"ar": "1:1"})", 1080, 1080},
                 Case{R"({"ar": "4:5"})", 1080, 1350}, Case{R"({"ar": "16:9", "res": "720p"})", 1280, 720},
                 Case{R"({"ar": "4:3", "res": "540p"})", 720, 540}, Case{R"({})", 1920, 1080},
                 Case{R"({"ar": "16:9", "res": "2160p"})", 3840, 2160}}) {
    auto r = load_text(std::string(R"({"t": [], "m": )") + c.m + "}");
    EXPECT_TRUE(r.ok()) << c.m;
    EXPECT_EQ(r.draft.canvas.width, c.w) << c.m;
    EXPECT_EQ(r.draft.canvas.height, c.h) << c.m;
  }
  auto bad = load_text(R"({"t": [], "m": {"ar": "9:61"}})");
  EXPECT_EQ(line_at(bad, "/m/ar"), "/m/ar: error: unknown aspect ratio \"9:61\"; did you mean \"9:16\"?");
}

TEST(Validate, FpsOutOfRange) {
  for (const char* fps : {"0", "-30", "1000", "\"fast\""}) {
    auto r = load_text(std::string(R"({"t": [], "m": {"fps": )") + fps + "}}");
    EXPECT_EQ(line_at(r, "/m/fps"), std::string("/m/fps: error: fps ") + fps +
                                        " is out of range; use 1 to 240 (24, 25, 29.97, 30 and 60 are usual)")
        << fps;
  }
  auto ntsc = load_text(R"({"t": [], "m": {"fps": 29.97}})");
  EXPECT_EQ(ntsc.draft.canvas.fps, (Rational{30000, 1001}));
  auto text = load_text(R"({"t": [], "m": {"fps": "24000/1001"}})");
  EXPECT_EQ(text.draft.canvas.fps, (Rational{24000, 1001}));
}

TEST(Validate, UnknownKeysAndTrackTypesAreNoticesOnly) {
  auto r = load_text(
      R"({"t": [{"tt": 5, "sg": [{"s": 0, "d": 10, "anything": 1}]}, {"tt": 0, "sg": [], "zz": 1}], "x": {}})");
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(line_at(r, "/x", Severity::Notice),
            "/x: notice: unknown key \"x\" in the draft; reel keeps it as is and does not use it");
  EXPECT_EQ(line_at(r, "/t/1/zz", Severity::Notice),
            "/t/1/zz: notice: unknown key \"zz\" in a track; reel keeps it as is and does not use it");
  EXPECT_EQ(line_at(r, "/t/0/tt", Severity::Notice),
            "/t/0/tt: notice: track type 5 is not one reel draws; it is kept as is and passed on to the cloud");
  EXPECT_TRUE(at(r, "/t/0/sg/0/anything").empty());  // inside an unknown track nothing is second-guessed
}

TEST(Validate, BothSpellingsOfOneKeyIsAnError) {
  auto r = load_text(video_draft(R"([{"s": 0, "start": 10, "d": 100, "src": "a.jpg"}])"));
  EXPECT_EQ(line_at(r, "/t/0/sg/0/start"),
            "/t/0/sg/0/start: error: both \"s\" and \"start\" are given; keep one (the \"s\" value is used)");
}

TEST(Validate, WrongTypesSayWhatIsExpected) {
  auto r = load_text(
      R"({"t": [{"tt": "video", "sg": []}, {"tt": 0, "sg": [{"s": "0", "d": 1000, "src": 5, "m": {"mute": "yes"}}]}]})");
  EXPECT_EQ(line_at(r, "/t/0/tt"),
            "/t/0/tt: error: the track type must be a whole number (0 video, 1 audio, 7 text), not \"video\"");
  EXPECT_EQ(line_at(r, "/t/1/sg/0/s"), "/t/1/sg/0/s: error: must be start in milliseconds (a number), not a string");
  EXPECT_EQ(line_at(r, "/t/1/sg/0/src"), "/t/1/sg/0/src: error: must be a media path or URL (a string), not a number");
  EXPECT_EQ(line_at(r, "/t/1/sg/0/m/mute"), "/t/1/sg/0/m/mute: error: must be true or false, not a string");
}

TEST(Validate, TextStyleRules) {
  auto r = load_text(R"({"t": [{"tt": 7, "sg": [{"s": 0, "d": 1000, "m": {"text": "Hi",
      "style": {"color": "white", "pos": "botom", "size": 2, "align": "centre"}, "anim": {"in": "slide", "out": "pop"}}}]}]})");
  EXPECT_EQ(line_at(r, "/t/0/sg/0/m/style/color"),
            "/t/0/sg/0/m/style/color: error: colour \"white\" is not #RRGGBB or #RRGGBBAA; did you mean \"#FFFFFF\"?");
  EXPECT_EQ(line_at(r, "/t/0/sg/0/m/style/pos"),
            "/t/0/sg/0/m/style/pos: error: unknown text position \"botom\"; did you mean \"bottom\"? (or give {\"x\": "
            "0.5, \"y\": 0.9})");
  EXPECT_EQ(line_at(r, "/t/0/sg/0/m/style/size"),
            "/t/0/sg/0/m/style/size: error: text size is a fraction of the frame height, more than 0 and at most 1 "
            "(0.08 is a title), not 2");
  EXPECT_EQ(line_at(r, "/t/0/sg/0/m/style/align"),
            "/t/0/sg/0/m/style/align: error: unknown alignment \"centre\"; did you mean \"center\"?");
  EXPECT_EQ(line_at(r, "/t/0/sg/0/m/anim/in"),
            "/t/0/sg/0/m/anim/in: error: unknown entrance animation \"slide\"; did you mean \"slide-up\"?");
  EXPECT_EQ(line_at(r, "/t/0/sg/0/m/anim/out"),
            "/t/0/sg/0/m/anim/out: error: unknown exit animation \"pop\"; use one of: fade, none");
}

TEST(Validate, TransitionsThatDoNotFitAreWarnedAbout) {
  auto r = load_text(video_draft(R"([{"s": 0, "d": 400, "src": "a.jpg", "m": {"tr": {"type": "fade", "d": 300}}},
      {"s": 400, "d": 2000, "src": "b.jpg", "m": {"tr": {"type": "wipeleft", "d": 1000}}}])"));
  EXPECT_EQ(line_at(r, "/t/0/sg/0", Severity::Notice),
            "/t/0/sg/0: notice: no segment ends where this one starts, so its \"fade\" transition comes from the "
            "background colour");
  EXPECT_EQ(line_at(r, "/t/0/sg/1", Severity::Warning),
            "/t/0/sg/1: warning: the transition lasts 1000 ms but the shorter of the two segments lasts 400 ms; it "
            "will be shortened to 400 ms");
  EXPECT_TRUE(r.ok());
}

TEST(Validate, DuplicateIdsAndContentBeyondTheEnd) {
  auto r = load_text(R"({"d": 1500, "t": [{"tt": 0, "sg": [{"id": "a", "s": 0, "d": 1000, "src": "a.jpg"},
                                                         {"id": "a", "s": 1000, "d": 1000, "src": "b.jpg"}]}]})");
  EXPECT_EQ(line_at(r, "/t/0/sg/1", Severity::Warning),
            "/t/0/sg/1: warning: the id \"a\" is also used by /t/0/sg/0; give each segment its own id");
  EXPECT_EQ(line_at(r, "", Severity::Warning),
            "/: warning: the draft lasts 1.5 s (d) but its segments run to 2 s; what lies beyond is cut");
}

TEST(Validate, EveryProblemIsReportedAtOnce) {
  auto r = load_text(R"({"m": {"width": 101, "height": 100, "fps": 0}, "t": [{"tt": 0, "sg": [
      {"s": -1, "d": 0, "m": {"tr": {"type": "fadee"}, "kb": "spin"}}]}]})");
  std::vector<std::string> pointers;
  for (const auto& p : r.problems)
    if (p.severity == Severity::Error) pointers.push_back(p.pointer);
  EXPECT_EQ(pointers, (std::vector<std::string>{"/m/width", "/m/fps", "/t/0/sg/0/s", "/t/0/sg/0/d", "/t/0/sg/0/m/kb",
                                                "/t/0/sg/0/m/tr/type", "/t/0/sg/0"}));
}

TEST(Validate, ASourceWithANulRawOrPercentEncodedIsAnErrorAtItsPointer) {
  auto r = load_text(video_draft(
      R"([{"s": 0, "d": 1000, "src": "file:///home/me/secret.txt%00.jpg"}, {"s": 1000, "d": 1000, "src": "a.txt\u0000.jpg"},
          {"s": 2000, "d": 1000, "src": "ok%20name.jpg"}])"));
  const std::string says =
      "error: the source holds a NUL character (raw, or written %00): no file name or URL can, and the part after it "
      "would be dropped; write the path or URL without it";
  EXPECT_EQ(line_at(r, "/t/0/sg/0/src"), "/t/0/sg/0/src: " + says);
  EXPECT_EQ(line_at(r, "/t/0/sg/1/src"), "/t/0/sg/1/src: " + says);
  EXPECT_EQ(line_at(r, "/t/0/sg/2/src"), "");
}

TEST(Validate, LoudnessIsATargetInLufsOrOff) {
  auto ok = load_text(R"({"m": {"loudness": -16.5}, "t": []})");
  EXPECT_TRUE(ok.draft.loudness.normalise);
  EXPECT_EQ(ok.draft.loudness.lufs, -16.5);
  EXPECT_TRUE(line_at(ok, "/m/loudness").empty());
  auto none = load_text(R"({"t": []})");
  EXPECT_TRUE(none.draft.loudness.normalise);
  EXPECT_EQ(none.draft.loudness.lufs, -14);
  auto off = load_text(R"({"m": {"loudness": "off"}, "t": []})");
  EXPECT_FALSE(off.draft.loudness.normalise);

  EXPECT_EQ(line_at(load_text(R"({"m": {"loudness": 14}, "t": []})"), "/m/loudness"),
            "/m/loudness: error: loudness 14 is above full scale; did you mean -14? (use a target in LUFS from -40 to "
            "-5 (-14 for social platforms, -23 for broadcast) or \"off\")");
  EXPECT_EQ(line_at(load_text(R"({"m": {"loudness": "loud"}, "t": []})"), "/m/loudness"),
            "/m/loudness: error: loudness must be a target in LUFS or \"off\", not \"loud\"; use a target in LUFS "
            "from -40 to -5 (-14 for social platforms, -23 for broadcast) or \"off\"");
  EXPECT_FALSE(line_at(load_text(R"({"m": {"loudness": -60}, "t": []})"), "/m/loudness").empty());
  EXPECT_FALSE(line_at(load_text(R"({"metadata": {"loudness": false}, "tracks": []})"), "/metadata/loudness").empty());
}

TEST(Validate, SuggestsTheNamesPeopleReachForFromOtherEditors) {
  auto r = load_text(R"({"t": [{"tt": 0, "sg": [
      {"s": 0, "d": 2000, "src": "a.jpg", "m": {"kb": "zoom"}},
      {"s": 2000, "d": 2000, "src": "b.jpg", "m": {"tr": "crossfade", "kb": "zoom-out"}},
      {"s": 4000, "d": 2000, "src": "c.jpg", "m": {"tr": "zoom"}}]},
    {"tt": 7, "sg": [{"s": 0, "d": 1000, "m": {"text": "Hi", "style": {"pos": "upper-left", "color": "red",
                                                                        "box": "Navy", "stroke": "reddish"}}}]}]})");
  EXPECT_EQ(line_at(r, "/t/0/sg/0/m/kb"),
            "/t/0/sg/0/m/kb: error: unknown Ken Burns preset \"zoom\"; did you mean \"in\"?");
  EXPECT_EQ(line_at(r, "/t/0/sg/1/m/kb"),
            "/t/0/sg/1/m/kb: error: unknown Ken Burns preset \"zoom-out\"; did you mean \"out\"?");
  EXPECT_EQ(line_at(r, "/t/0/sg/1/m/tr"),
            "/t/0/sg/1/m/tr: error: unknown transition \"crossfade\"; did you mean \"fade\"?");
  EXPECT_EQ(line_at(r, "/t/0/sg/2/m/tr"),
            "/t/0/sg/2/m/tr: error: unknown transition \"zoom\"; did you mean \"zoomin\"?");
  EXPECT_EQ(line_at(r, "/t/1/sg/0/m/style/pos"),
            "/t/1/sg/0/m/style/pos: error: unknown text position \"upper-left\"; did you mean \"top-left\"? (or give "
            "{\"x\": 0.5, \"y\": 0.9})");
  EXPECT_EQ(line_at(r, "/t/1/sg/0/m/style/color"),
            "/t/1/sg/0/m/style/color: error: colour \"red\" is not #RRGGBB or #RRGGBBAA; did you mean \"#FF0000\"?");
  EXPECT_EQ(line_at(r, "/t/1/sg/0/m/style/box"),
            "/t/1/sg/0/m/style/box: error: colour \"Navy\" is not #RRGGBB or #RRGGBBAA; did you mean \"#000080\"?");
  EXPECT_EQ(line_at(r, "/t/1/sg/0/m/style/stroke"),
            "/t/1/sg/0/m/style/stroke: error: colour \"reddish\" is not #RRGGBB or #RRGGBBAA (for example \"#FFFFFF\" "
            "or \"#00000099\")");
}

TEST(Validate, FocusIsABoxInsideThePhotoWithEachMistakeAtItsPointer) {
  auto ok = load_text(video_draft(R"([{"s": 0, "d": 1000, "src": "a.jpg",
                                       "m": {"focus": {"x": 0.6, "y": 0.1, "w": 0.3, "h": 0.4}}}])"));
  EXPECT_TRUE(ok.problems.empty()) << ok.problems.front().line();
  ASSERT_TRUE(ok.draft.tracks[0].segments[0].video.focus);
  EXPECT_EQ(*ok.draft.tracks[0].segments[0].video.focus, (FocusBox{0.6, 0.1, 0.3, 0.4}));
  auto r = load_text(video_draft(R"([{"s": 0, "d": 1000, "src": "a.jpg", "m": {"focus": [0.5, 0.5]}},
      {"s": 1000, "d": 1000, "src": "b.jpg", "m": {"focus": {"x": 1.2, "y": 0.1, "w": 0, "h": "big"}}},
      {"s": 2000, "d": 1000, "src": "c.jpg", "m": {"focus": {"x": 0.8, "y": 0.1, "w": 0.3, "h": 0.2, "z": 1}}},
      {"s": 3000, "d": 1000, "src": "d.jpg", "m": {"focus": {"x": 0.1, "y": 0.9, "w": 0.3}}},
      {"s": 4000, "d": 1000, "src": "e.jpg", "m": {"focus": {"x": 0.1, "y": 0.7, "w": 0.3, "h": 0.5}}}])"));
  EXPECT_EQ(line_at(r, "/t/0/sg/0/m/focus"),
            "/t/0/sg/0/m/focus: error: must be a box like {\"x\": 0.6, \"y\": 0.2, \"w\": 0.25, \"h\": 0.3} (0..1 of "
            "the photo), not a list");
  EXPECT_EQ(line_at(r, "/t/0/sg/1/m/focus/x"),
            "/t/0/sg/1/m/focus/x: error: x must be from 0 to 1 (a fraction of the photo), not 1.2");
  EXPECT_EQ(line_at(r, "/t/0/sg/1/m/focus/w"),
            "/t/0/sg/1/m/focus/w: error: w must be more than 0 and at most 1 (a fraction of the photo), not 0");
  EXPECT_EQ(line_at(r, "/t/0/sg/1/m/focus/h"),
            "/t/0/sg/1/m/focus/h: error: must be a fraction of the photo from 0 to 1 (a number), not a string");
  EXPECT_EQ(line_at(r, "/t/0/sg/2/m/focus/w"),
            "/t/0/sg/2/m/focus/w: error: the box reaches past the photo's right edge (x + w = 1.1); make x + w at "
            "most 1");
  EXPECT_EQ(line_at(r, "/t/0/sg/2/m/focus/z", Severity::Notice),
            "/t/0/sg/2/m/focus/z: notice: unknown key \"z\" in a focus box; reel keeps it as is and does not use it");
  EXPECT_EQ(line_at(r, "/t/0/sg/3/m/focus"),
            "/t/0/sg/3/m/focus: error: a focus box needs h, like {\"x\": 0.6, \"y\": 0.2, \"w\": 0.25, \"h\": 0.3}");
  EXPECT_EQ(line_at(r, "/t/0/sg/4/m/focus/h"),
            "/t/0/sg/4/m/focus/h: error: the box reaches past the photo's bottom edge (y + h = 1.2); make y + h at "
            "most 1");
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(r.draft.tracks[0].segments[size_t(i)].video.focus) << i;
}
