// What --watch says an edit changed.
#include "draft/diff.h"

#include <gtest/gtest.h>

namespace reel::draft {
namespace {

Draft parse(const std::string& text) {
  LoadResult r = load_draft(Json::parse(text));
  EXPECT_TRUE(r.ok());
  return r.draft;
}

const char* kBase = R"({"m": {"width": 640, "height": 360, "fps": 30},
  "t": [{"tt": 0, "sg": [{"id": "a", "s": 0, "d": 1000, "src": "a.jpg"},
                         {"id": "b", "s": 1000, "d": 1000, "src": "b.jpg"},
                         {"id": "c", "s": 2000, "d": 1000, "src": "c.jpg"}]},
        {"tt": 7, "sg": [{"s": 0, "d": 1000, "m": {"text": "Hi"}}]}]})";

TEST(DraftDiff, NamesTheSegmentThatChanged) {
  Json j = Json::parse(kBase);
  j["t"][0]["sg"][1]["m"] = {{"kb", "in"}};
  const DraftChanges c = diff_drafts(parse(kBase), parse(j.dump()));
  EXPECT_EQ(c.changed, std::vector<std::string>{"/t/0/sg/1"});
  EXPECT_TRUE(c.added.empty());
  EXPECT_TRUE(c.removed.empty());
  EXPECT_EQ(describe_changes(c), "/t/0/sg/1 changed");
}

TEST(DraftDiff, ARemovedSegmentWithAnIdIsRemovedAndTheOnesAfterItAreNotChanged) {
  Json j = Json::parse(kBase);
  j["t"][0]["sg"].erase(0);  // b and c keep their times, now at /t/0/sg/0 and /1
  const DraftChanges c = diff_drafts(parse(kBase), parse(j.dump()));
  EXPECT_EQ(describe_changes(c), "/t/0/sg/0 removed");
}

TEST(DraftDiff, TheDraftsOwnSettingsAndManyChangesAreSaidShortly) {
  Json j = Json::parse(kBase);
  j["m"]["bg"] = "#102030";
  for (int i = 0; i < 3; ++i) j["t"][0]["sg"][i]["src"] = "x.jpg";
  j["t"][1]["sg"][0]["m"]["text"] = "Hello";
  const DraftChanges c = diff_drafts(parse(kBase), parse(j.dump()));
  EXPECT_EQ(describe_changes(c, 3), "/, /t/0/sg/0, /t/0/sg/1 and 2 more changed");
  EXPECT_EQ(describe_changes(diff_drafts(parse(kBase), parse(kBase))), "nothing changed in the draft");
}

}  // namespace
}  // namespace reel::draft
