#include "base/error.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <system_error>

using reel::base::Access;
using reel::base::Fault;
using reel::base::FileError;

TEST(FileError, APermissionRefusalSaysWhatToDo) {
  const FileError e(Access::Write, "/srv/out.png", EACCES);
  EXPECT_EQ(e.fault(), Fault::Environment);
  EXPECT_EQ(e.error(), EACCES);
  EXPECT_EQ(
      std::string(e.what()),
      "cannot write /srv/out.png: Permission denied; choose a folder you can write to, or change its permissions");
}

TEST(FileError, AReadOnlyDiskIsTheEnvironments) {
  const FileError e(Access::Write, "/media/cd/out.mp4", std::error_code(EROFS, std::generic_category()));
  EXPECT_EQ(e.fault(), Fault::Environment);
  EXPECT_EQ(std::string(e.what()),
            "cannot write /media/cd/out.mp4: Read-only file system; that disk is read-only; choose another place");
}

TEST(FileError, AFolderWhereAFileIsWantedIsTheCommandsMistake) {
  EXPECT_EQ(FileError(Access::Write, "videos", EISDIR).fault(), Fault::Usage);
  EXPECT_EQ(FileError(Access::Write, "a/b", ENOENT).fault(), Fault::Usage);
  EXPECT_EQ(FileError(Access::Read, "a/b", ENOENT).fault(), Fault::Input);
  EXPECT_EQ(std::string(FileError(Access::Read, "subs.srt", ENOENT).what()),
            "cannot read subs.srt: No such file or directory; check the path");
}

TEST(FileError, AnErrorWithNoAdviceGivesTheReasonAlone) {
  EXPECT_EQ(std::string(FileError(Access::Write, "x", EINVAL).what()), "cannot write x: Invalid argument");
}
