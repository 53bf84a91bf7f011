// `reel still|render --subtitles FILE`: the cues show at their times and nowhere else.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "support/run_command.h"
#include "support/temp_dir.h"

using reel::test::run_command;
using reel::test::RunResult;
using reel::test::TempDir;
namespace fs = std::filesystem;

namespace {

struct Case {
  TempDir temp;
  const fs::path& dir = temp.path();
  Case() {
    cv::imwrite((dir / "grey.png").string(), cv::Mat(180, 320, CV_8UC3, cv::Scalar(90, 90, 90)));
    std::ofstream(dir / "d.json")
        << R"({"m": {"width": 320, "height": 180}, "t": [{"tt": 0, "sg": [{"s": 0, "d": 4000, "src": "grey.png"}]}]})";
    std::ofstream(dir / "subs.srt") << "1\n00:00:01,000 --> 00:00:02,000\nHello there\n\n";
  }
  RunResult still(double at, bool subs) {
    std::vector<std::string> args = {"still", "d.json", "--at", std::to_string(at), "-o", "f.png"};
    if (subs) args.insert(args.end(), {"--subtitles", "subs.srt"});
    return run_command(REEL_BINARY, args, "", dir.string());
  }
  // Pixels of the lower third that differ from the plain picture.
  int changed_in_lower_third() {
    cv::Mat f = cv::imread((dir / "f.png").string());
    int n = 0;
    for (int y = 120; y < 180; ++y)
      for (int x = 0; x < 320; ++x) n += cv::norm(f.at<cv::Vec3b>(y, x), cv::Vec3b(90, 90, 90)) > 30;
    return n;
  }
};

}  // namespace

TEST(CliSubtitles, CuesShowInsideTheirTimeAtTheBottomAndNowhereElse) {
  Case c;
  ASSERT_EQ(c.still(1.5, true).exit_code, 0);
  EXPECT_GT(c.changed_in_lower_third(), 100);
  ASSERT_EQ(c.still(2.5, true).exit_code, 0);
  EXPECT_EQ(c.changed_in_lower_third(), 0);
  ASSERT_EQ(c.still(1.5, false).exit_code, 0);
  EXPECT_EQ(c.changed_in_lower_third(), 0);
}

TEST(CliSubtitles, ABrokenSubtitlesFileNamesTheLineAndWritesNothing) {
  Case c;
  std::ofstream(c.dir / "bad.srt") << "1\n00:00:02,000 --> 00:00:01,000\nbackwards\n";
  RunResult r =
      run_command(REEL_BINARY, {"render", "d.json", "--subtitles", "bad.srt", "-o", "out.mp4"}, "", c.dir.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "reel: bad.srt:2: the cue timing \"00:00:02,000 --> 00:00:01,000\" is not start --> end (such as "
            "00:00:01,000 --> 00:00:03,500) with the end after the start\n");
  EXPECT_FALSE(fs::exists(c.dir / "out.mp4"));
}
