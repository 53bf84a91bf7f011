#include "base/cache_folder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "base/files.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using reel::test::TempDir;

namespace {

// An entry of `bytes` used `age_s` seconds ago.
void entry(const TempDir& dir, const std::string& name, size_t bytes, int age_s) {
  std::ofstream(dir.file(name), std::ios::binary) << std::string(bytes, 'x');
  fs::last_write_time(dir.file(name), fs::file_time_type::clock::now() - std::chrono::seconds(age_s));
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
  EXPECT_EQ(reel::base::trim_folder(dir.path().string(), 350, 200, is_proxy, dir.file("a.proxy")), 200);
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
