// The studio's draft file (cli/studio/draft_file.h): edits written whole through the history,
// refused on a stale revision or when they leave errors, changes on disk seen.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "base/error.h"
#include "cli/studio/draft_file.h"
#include "draft/edit.h"
#include "tests/support/temp_dir.h"

using namespace reel;
using namespace reel::cli::studio;

namespace {

const char* kDraft = R"({
  "t": [{"tt": 0, "sg": [{"s": 0, "d": 2000, "src": "a.jpg"}, {"s": 2000, "d": 2000, "src": "b.jpg"}]}]
}
)";

std::string read(const std::string& path) {
  std::ifstream f(path);
  return {std::istreambuf_iterator<char>(f), {}};
}
void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

DraftFile::Outcome lengthen_last(draft::Draft& d) {
  draft::set_segment_duration(d, 0, 1, 3000);
  return {"longer", true};
}

// A folder with the draft written in it.
class StudioDraftFile : public ::testing::Test {
 protected:
  void SetUp() override { write(path, kDraft); }
  reel::test::TempDir dir;
  const std::string path = dir.file("d.json");
};

}  // namespace

TEST_F(StudioDraftFile, AnEditIsWrittenWholeAndUndoGivesTheBytesBack) {
  DraftFile file(path);
  const std::string before = file.current()->revision;
  EXPECT_EQ(file.edit(before, lengthen_last).message, "longer");
  EXPECT_NE(file.current()->revision, before);
  EXPECT_EQ(file.current()->input.loaded.draft.tracks[0].segments[1].duration_ms, 3000);
  EXPECT_NE(read(path).find("3000"), std::string::npos);
  const DraftFile::Outcome undone = file.step(file.current()->revision, draft::HistoryStep::Undo);
  EXPECT_TRUE(undone.changed);
  EXPECT_EQ(read(path), kDraft);
  EXPECT_EQ(file.current()->revision, before);
  EXPECT_EQ(file.step(before, draft::HistoryStep::Undo).message, "nothing to undo");
}

TEST_F(StudioDraftFile, AnEditOnAStaleRevisionIsRefusedAndTheFileKept) {
  DraftFile file(path);
  const std::string seen = file.current()->revision;
  const std::string elsewhere = std::string(kDraft).replace(std::string(kDraft).find("b.jpg"), 5, "c.jpg");
  write(path, elsewhere);  // an editor saved meanwhile; the watch has not told yet
  EXPECT_THROW(file.edit(seen, lengthen_last), EditConflict);
  EXPECT_EQ(read(path), elsewhere);
  EXPECT_NE(file.current()->revision, seen) << "the refused edit read the file's version";
  EXPECT_EQ(file.current()->input.loaded.draft.tracks[0].segments[1].source, "c.jpg");
}

TEST_F(StudioDraftFile, AnEditThatLeavesErrorsWritesNothing) {
  DraftFile file(path);
  try {
    file.edit(file.current()->revision, [](draft::Draft& d) {
      draft::set_segment_start(d, 0, 1, 1000);  // overlaps the first
      return DraftFile::Outcome{"moved", true};
    });
    FAIL() << "an overlap was written";
  } catch (const base::Error& e) {
    EXPECT_NE(std::string(e.what()).find("the edit was not saved: it would leave the draft with errors"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(read(path), kDraft);
}

TEST_F(StudioDraftFile, AChangeOnDiskWakesTheChangeFeedAndKeepsTheLastGoodVersion) {
  DraftFile file(path);
  const std::string seen = file.current()->revision;
  std::thread editor([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    write(path, "{\"t\": [{\"tt\": 0, \"sg\": [{\"s\": 0, \"d\": -5, \"src\": \"a.jpg\"}]}]}\n");
    file.reload();
  });
  const auto start = std::chrono::steady_clock::now();
  const std::string now = file.wait_for_change(seen, std::chrono::seconds(10));
  editor.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_NE(now, seen);
  EXPECT_FALSE(file.current()->input.loaded.ok());
  EXPECT_EQ(file.last_good()->revision, seen) << "frames keep showing the version that renders";
  file.stop_waiting();
  EXPECT_EQ(file.wait_for_change(now, std::chrono::seconds(10)), now);  // at once
}
