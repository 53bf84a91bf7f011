// Input that is not a draft at all: one clear error with a position, never a crash or a hang.
#include "draft/parse.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "draft_test_util.h"
#include "support/temp_dir.h"

using namespace reel;
using namespace reel::draft;
using namespace reel::draft::test;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const DraftError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string parse_error(const std::string& text) {
  return error_of([&] { parse_json(text, "d.json"); });
}

std::filesystem::path temp_file(const std::string& name) { return reel::test::scratch(name); }

}  // namespace

TEST(Parse, EmptyInputSaysItIsEmpty) {
  EXPECT_EQ(parse_error(""), "d.json: the draft is empty; a draft is a JSON object such as {\"t\": []}");
  EXPECT_EQ(parse_error(" \n\t "), "d.json: the draft is empty; a draft is a JSON object such as {\"t\": []}");
}

TEST(Parse, TruncatedInputGivesThePositionAndSaysSo) {
  EXPECT_EQ(parse_error("{\"t\": [\n  {\"tt\": 0,"),
            "d.json:2:12: not valid JSON: syntax error while parsing object key - unexpected end of input; "
            "expected string literal (the draft looks truncated)");
}

TEST(Parse, AVideoOrPhotoUnderADraftsNameIsToldAsWhatItIs) {
  // An MP4 once read as JSON that "looks truncated" at 1:1 (its size field's NUL bytes).
  const std::string mp4(
      "\0\0\0\x20"
      "ftypisom\0\0\x02\0isomiso2avc1mp41",
      32);
  const auto told = [](const std::string& what) {
    return "d.json: is " + what + ", not a draft (JSON text); give the draft's .json file";
  };
  EXPECT_EQ(parse_error(mp4), told("an MP4 or QuickTime video"));
  EXPECT_EQ(parse_error(std::string("\0\0\0\x18"
                                    "ftypheic\0\0\0\0",
                                    16)),
            told("a HEIF or AVIF picture"));
  EXPECT_EQ(parse_error("\xFF\xD8\xFF\xE0\0\x10JFIF"), told("a JPEG photo"));
  EXPECT_EQ(parse_error("\x89PNG\r\n\x1A\n"), told("a PNG picture"));
  EXPECT_EQ(parse_error(std::string("RIFF\x24\0\0\0WAVEfmt ", 16)), told("a WAV sound"));
  EXPECT_EQ(parse_error("ID3\x04\0\0\0\0"), told("an MP3 sound"));
  EXPECT_EQ(parse_error(std::string("{\"t\": [\0]}", 10)), told("binary data"));
  // Text is still read as JSON, with its position.
  EXPECT_EQ(parse_error("RIFF").rfind("d.json:1:1: not valid JSON: ", 0), 0u);
}

TEST(Parse, TextThatIsNotJsonGivesLineAndColumn) {
  EXPECT_EQ(parse_error("hello"),
            "d.json:1:1: not valid JSON: syntax error while parsing value - invalid literal; last read: 'h'");
  EXPECT_EQ(
      parse_error("{\"t\": [],\n \"m\": {\"title\": 'x'}}"),
      "d.json:2:17: not valid JSON: syntax error while parsing value - invalid literal; last read: '\"title\": ''");
}

TEST(Parse, InvalidUtf8IsRefusedWithAPrintableMessage) {
  std::string msg = parse_error("{\"m\": {\"title\": \"caf\xC3\x28\"}}");
  EXPECT_EQ(
      msg.rfind("d.json:1:22: not valid JSON: syntax error while parsing value - invalid string: ill-formed UTF-8 byte",
                0),
      0u)
      << msg;
  EXPECT_NE(msg.find("\\xC3"), std::string::npos) << msg;  // shown escaped, not raw
  EXPECT_EQ(msg.find('\xC3'), std::string::npos);
}

TEST(Parse, HundredThousandLevelsOfNestingStopAtTheLimit) {
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  EXPECT_EQ(parse_error(deep),
            "d.json:1:129: the JSON nests deeper than 128 levels; a draft nests about 6 deep, so this is not a draft");
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  EXPECT_EQ(parse_error(objects).rfind("d.json:1:641: the JSON nests deeper than 128 levels", 0), 0u);
}

TEST(Parse, NumbersTooLargeForADoubleAreRefused) {
  EXPECT_EQ(parse_error("{\"t\": [], \"d\": 1e400}"),
            "d.json:1:16: the number 1e400 is too large; numbers in a draft must fit a double");
}

TEST(Parse, ATwoHundredMegabyteFileIsRefusedBeforeReading) {
  auto path = temp_file("huge.json");
  { std::ofstream f(path); }
  std::filesystem::resize_file(path, 200ull << 20);  // sparse: no 200 MB written to disk
  EXPECT_EQ(error_of([&] { read_json_file(path.string()); }),
            path.string() + ": the file is 200 MB; a draft may be at most 16 MB (is this the right file?)");
  std::filesystem::remove(path);
}

TEST(Parse, MissingFilesAndFoldersNameThePath) {
  EXPECT_EQ(error_of([] { read_json_file("/nonexistent/draft.json"); }),
            "/nonexistent/draft.json: cannot read the draft: No such file or directory; check the path");
  auto dir = temp_file("folder.json");
  std::filesystem::create_directories(dir);
  EXPECT_EQ(error_of([&] { read_json_file(dir.string()); }),
            dir.string() + ": is a folder; give the draft's .json file");
}

TEST(Parse, NotAnObjectIsOneErrorAtTheRoot) {
  for (const char* text : {"[1, 2]", "42", "\"draft\"", "null"}) {
    LoadResult r = load_text(text);
    ASSERT_EQ(r.problems.size(), 1u) << text;
    EXPECT_EQ(r.problems[0].pointer, "");
    EXPECT_EQ(r.problems[0].line().rfind("/: error: a draft must be a JSON object such as {\"t\": [...]}, not ", 0),
              0u);
  }
}

// Replaces every value of the seed example in turn by a value of another type; each time
// load_draft must report an error at that very path (or inside it), and never throw.
TEST(Parse, TheWrongTypeAtAnyKeyIsAnErrorAtThatPath) {
  Json seed = parse_json(read_file(seed_path()), "seed");
  std::vector<std::string> pointers;
  std::function<void(const Json&, const std::string&)> walk = [&](const Json& v, const std::string& p) {
    if (!p.empty()) pointers.push_back(p);
    if (v.is_object())
      for (auto it = v.begin(); it != v.end(); ++it) walk(it.value(), p + "/" + it.key());
    if (v.is_array())
      for (size_t i = 0; i < v.size(); ++i) walk(v[i], p + "/" + std::to_string(i));
  };
  walk(seed, "");
  ASSERT_GT(pointers.size(), 60u);
  for (const auto& p : pointers) {
    Json broken = seed;
    Json& target = broken[Json::json_pointer(p)];
    Json wrong = target.is_string()   ? Json(true)
                 : target.is_number() ? Json("x")
                 : target.is_object() ? Json::array()
                                      : Json(7);
    target = wrong;
    LoadResult r;
    ASSERT_NO_THROW(r = load_draft(broken)) << p;
    bool found = false;
    for (const auto& prob : r.problems)
      found = found || (prob.severity == Severity::Error && (prob.pointer == p || prob.pointer.rfind(p + "/", 0) == 0));
    EXPECT_TRUE(found) << "no error at " << p;
    EXPECT_EQ(r.draft.json, broken) << p;  // the JSON itself is never changed
  }
}

TEST(Parse, AKeyThatAppearsTwiceIsRefusedWithItsPointer) {
  EXPECT_EQ(parse_error(R"({"t": [{"tt": 0, "sg": [{"s": 0, "d": 1000}, {"s": 0, "d": 500, "d": 700}]}]})"),
            "d.json:/t/0/sg/1/d: this key appears twice in its object; a key may appear once (keep the one you "
            "mean)");
  EXPECT_EQ(parse_error(R"({"a": 1, "a": 2})"),
            "d.json:/a: this key appears twice in its object; a key may appear once (keep the one you mean)");
  // The same key in two objects is fine, and order is kept as written.
  Json j = parse_json(R"({"z": {"k": 1}, "a": [{"k": 2}, {"k": 3}], "m": null})", "d.json");
  EXPECT_EQ(j.dump(), R"({"z":{"k":1},"a":[{"k":2},{"k":3}],"m":null})");
}

TEST(Parse, AnObjectWithAHundredThousandKeysParsesWhole) {
  // The ordered map's own insert looks every key up linearly (quadratic in the keys); the
  // parser appends instead, so this takes milliseconds, not tens of seconds.
  std::string text = "{";
  for (int i = 0; i < 100000; ++i) text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
  text += "}";
  Json j = parse_json(text, "d.json");
  ASSERT_EQ(j.size(), 100000u);
  EXPECT_EQ(j.begin().key(), "k0");
  EXPECT_EQ(j["k99999"], 99999);
}

TEST(Parse, AFifoOrADeviceIsRefusedWithoutReadingOrWaiting) {
  const std::filesystem::path fifo = temp_file("pipe.json");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(error_of([&] { read_json_file(fifo.string()); }),
            fifo.string() +
                ": is a FIFO (named pipe), not a file; give the draft's .json file, or '-' to read standard input");
  EXPECT_EQ(error_of([] { read_json_file("/dev/zero"); }),
            "/dev/zero: is a device or socket, not a file; give the draft's .json file, or '-' to read standard input");
}
