#include "base/files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/error.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using reel::base::AtomicFile;
using reel::base::Fault;
using reel::base::FileError;
using reel::test::TempDir;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t entries(const fs::path& dir) { return size_t(std::distance(fs::directory_iterator(dir), {})); }

}  // namespace

TEST(AtomicFile, AppearsUnderItsNameOnlyWhenCommitted) {
  TempDir dir;
  const std::string out = dir.file("out.txt");
  std::ofstream(out) << "old";
  {
    AtomicFile f(out);
    EXPECT_EQ(fs::path(f.temp_path()).parent_path(), dir.path());
    std::ofstream(f.temp_path()) << "new";
    EXPECT_EQ(read(out), "old");
    f.commit();
  }
  EXPECT_EQ(read(out), "new");
  EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(AtomicFile, LeavesNothingWhenDroppedUncommitted) {
  TempDir dir;
  const std::string out = dir.file("out.txt");
  std::ofstream(out) << "old";
  {
    AtomicFile f(out);
    std::ofstream(f.temp_path()) << "half";
  }
  EXPECT_EQ(read(out), "old");
  EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(AtomicFile, RefusesToReplaceAFolderAndSaysSo) {
  TempDir dir;
  fs::create_directory(dir.file("folder"));
  AtomicFile f(dir.file("folder"));
  std::ofstream(f.temp_path()) << "x";
  try {
    f.commit();
    FAIL() << "committed over a folder";
  } catch (const FileError& e) {
    EXPECT_EQ(e.fault(), Fault::Usage);
    EXPECT_EQ(std::string(e.what()), "cannot move the finished file to " + dir.file("folder") +
                                         ": Is a directory; it is a folder; name a file inside it");
  }
}

TEST(WriteFileAtomically, WritesTheContentWithTheModeAsked) {
  TempDir dir;
  const std::string out = dir.file("token.json");
  reel::base::write_file_atomically(out, "secret", 0600);
  EXPECT_EQ(read(out), "secret");
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(WriteFileAtomically, NamesTheFileAndTheReasonWhenTheFolderIsMissing) {
  TempDir dir;
  const std::string out = dir.file("missing/out.txt");
  try {
    reel::base::write_file_atomically(out, "x");
    FAIL() << "wrote into a missing folder";
  } catch (const FileError& e) {
    EXPECT_EQ(e.path(), out);
    EXPECT_EQ(std::string(e.what()),
              "cannot write " + out + ": No such file or directory; check that the folder exists");
  }
}

TEST(WriteFileAtomically, ReportsAFullDiskAsTheEnvironmentsFailure) {
  // /dev/full answers every write with ENOSPC, as a full disk does; a temporary file cannot be
  // made beside it, so the test writes through the same error path by hand.
  std::FILE* f = std::fopen("/dev/full", "w");
  if (!f) GTEST_SKIP() << "no /dev/full here";
  std::fputs("x", f);
  const bool flushed = std::fflush(f) == 0;
  const int err = errno;
  std::fclose(f);
  ASSERT_FALSE(flushed);
  const FileError e(reel::base::Access::Write, "/videos/out.mp4", err);
  EXPECT_EQ(e.fault(), Fault::Environment);
  EXPECT_EQ(
      std::string(e.what()),
      "cannot write /videos/out.mp4: No space left on device; free some space on that disk or choose another place");
}

TEST(AtomicFile, ADownloadsPartIsKeptForTheNextAttemptAndCommittedWhole) {
  TempDir dir;
  const std::string out = dir.file("song.mp3");
  {
    AtomicFile f(out, reel::base::Uncommitted::Keep);
    EXPECT_EQ(f.temp_path(), out + ".part");
    std::ofstream(f.temp_path()) << "first half";
  }
  EXPECT_EQ(read(out + ".part"), "first half");
  EXPECT_FALSE(fs::exists(out));
  {
    AtomicFile f(out, reel::base::Uncommitted::Keep);
    std::ofstream(f.temp_path(), std::ios::app) << ", second half";
    f.commit();
  }
  EXPECT_EQ(read(out), "first half, second half");
  EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(TemporaryNames, AreRecognisedAndOrdinaryNamesAreNot) {
  TempDir dir;
  AtomicFile f(dir.file("video.mp4"));
  EXPECT_TRUE(reel::base::is_temporary_name(fs::path(f.temp_path()).filename().string()));
  EXPECT_FALSE(reel::base::is_temporary_name("video.mp4"));
  EXPECT_FALSE(reel::base::is_temporary_name(".hidden"));
  EXPECT_FALSE(reel::base::is_temporary_name("notes.tmp"));
  EXPECT_TRUE(reel::base::is_temporary_name("0b8306cfca283958.jpg.part"));
}

TEST(ReadInputFile, ReadsARegularFileWhole) {
  TempDir dir;
  std::ofstream(dir.file("subs.srt")) << "1\n00:00:01,000 --> 00:00:02,000\nhi\n";
  EXPECT_EQ(reel::base::read_input_file(dir.file("subs.srt"), 1024, "a subtitles file"),
            "1\n00:00:01,000 --> 00:00:02,000\nhi\n");
}

TEST(ReadInputFile, RefusesAFifoWithoutWaitingForAWriter) {
  TempDir dir;
  const std::string fifo = dir.file("pipe.srt");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  try {
    reel::base::read_input_file(fifo, 1024, "a subtitles file");
    FAIL() << "read a FIFO";
  } catch (const reel::base::Error& e) {
    EXPECT_EQ(e.fault(), Fault::Input);
    EXPECT_EQ(std::string(e.what()), fifo + " is a FIFO (named pipe), not a file; give a subtitles file itself");
  }
}

TEST(ReadInputFile, RefusesADeviceAndAFolderAndTooLargeAFile) {
  TempDir dir;
  EXPECT_THROW(reel::base::read_input_file("/dev/zero", 1024, "a draft"), reel::base::Error);
  EXPECT_THROW(reel::base::read_input_file(dir.path().string(), 1024, "a draft"), reel::base::Error);
  std::ofstream(dir.file("big.srt")) << std::string(2048, 'x');
  try {
    reel::base::read_input_file(dir.file("big.srt"), 1024, "a subtitles file");
    FAIL() << "read past the limit";
  } catch (const reel::base::Error& e) {
    EXPECT_EQ(std::string(e.what()),
              dir.file("big.srt") + " is 2 kB, more than the 1 kB allowed for a subtitles file; is it the right file?");
  }
}

TEST(ReadInputFile, AMissingFileIsBadInputNamingThePath) {
  try {
    reel::base::read_input_file("/nonexistent/subs.srt", 1024, "a subtitles file");
    FAIL();
  } catch (const FileError& e) {
    EXPECT_EQ(e.fault(), Fault::Input);
    EXPECT_EQ(std::string(e.what()), "cannot read /nonexistent/subs.srt: No such file or directory; check the path");
  }
}
