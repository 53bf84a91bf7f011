#include "base/cache_folder.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "base/files.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using reel::test::TempDir;

namespace {

// An entry of `bytes` written and last used `age_s` seconds ago.
void entry(const TempDir& dir, const std::string& name, size_t bytes, int age_s) {
  std::ofstream(dir.file(name), std::ios::binary) << std::string(bytes, 'x');
  const timespec then{::time(nullptr) - age_s, 0}, times[2] = {then, then};
  ASSERT_EQ(::utimensat(AT_FDCWD, dir.file(name).c_str(), times, 0), 0);
}

struct stat stat_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st;
}

}  // namespace

TEST(CacheFolder, TrimsTheLeastRecentlyUsedDownToTheTargetAndKeepsWhatItIsTold) {
  TempDir dir;
  entry(dir, "a.proxy", 100, 50);  // oldest
  entry(dir, "b.proxy", 100, 40);
  entry(dir, "c.proxy", 100, 30);
  entry(dir, "d.proxy", 100, 20);
  entry(dir, "notes.txt", 1000, 60);  // not an entry: neither counted nor removed
  const auto is_proxy = [](const std::string& n) { return fs::path(n).extension() == ".proxy"; };
  EXPECT_EQ(reel::base::folder_usage(dir.path().string(), is_proxy).bytes, 400);

  EXPECT_EQ(reel::base::trim_folder(dir.path().string(), 400, 200, is_proxy), 0);  // within the budget
  EXPECT_EQ(reel::base::trim_folder(dir.path().string(), 350, 200, is_proxy, {dir.file("a.proxy")}), 200);
  EXPECT_TRUE(fs::exists(dir.file("a.proxy")));  // kept although oldest
  EXPECT_FALSE(fs::exists(dir.file("b.proxy")));
  EXPECT_FALSE(fs::exists(dir.file("c.proxy")));
  EXPECT_TRUE(fs::exists(dir.file("d.proxy")));
  EXPECT_TRUE(fs::exists(dir.file("notes.txt")));
  const reel::base::FolderUsage left = reel::base::folder_usage(dir.path().string(), is_proxy);
  EXPECT_EQ(left.files, 2);
  EXPECT_EQ(left.bytes, 200);
}

TEST(CacheFolder, AWriteInProgressNeitherCountsNorIsRemoved) {
  TempDir dir;
  entry(dir, "old.bin", 100, 100);
  reel::base::AtomicFile writing(dir.file("new.bin"));
  std::ofstream(writing.temp_path()) << std::string(500, 'x');
  EXPECT_EQ(reel::base::folder_usage(dir.path().string()).bytes, 100);
  EXPECT_EQ(reel::base::trim_folder(dir.path().string(), 50, 0), 100);
  EXPECT_TRUE(fs::exists(writing.temp_path()));
  EXPECT_EQ(reel::base::folder_usage("/nonexistent/folder").files, 0);
}

TEST(CacheFolder, AUseIsKeptInTheAccessTimeAndTheModificationTimeStaysTheFilesOwn) {
  // A downloaded photo's mtime is part of its identity (the key of its proxies and chunks): a
  // use must make it recently used without making it look like another file.
  TempDir dir;
  entry(dir, "a.jpg", 100, 50);
  entry(dir, "b.jpg", 100, 40);
  const struct stat before = stat_of(dir.file("a.jpg"));
  reel::base::mark_used(dir.file("a.jpg"));
  const struct stat after = stat_of(dir.file("a.jpg"));
  EXPECT_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
  EXPECT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  EXPECT_GE(after.st_atim.tv_sec, ::time(nullptr) - 5);
  EXPECT_GE(reel::base::last_used(dir.file("a.jpg")), double(::time(nullptr) - 5));
  EXPECT_EQ(reel::base::last_used(dir.file("gone.jpg")), 0);

  EXPECT_EQ(reel::base::trim_folder(dir.path().string(), 150, 100), 100);
  EXPECT_TRUE(fs::exists(dir.file("a.jpg")));  // used last, though written first
  EXPECT_FALSE(fs::exists(dir.file("b.jpg")));
}
