// The accepted upload types: one table, and the sentence and every check derived from it.
#include "cloud/protocol/upload_types.h"

#include <gtest/gtest.h>

#include <set>

using namespace reel::cloud;

TEST(UploadTypes, TheSentenceListsTheNamedTypesOfEachKindInOrder) {
  EXPECT_EQ(accepted_formats_text(),
            "video mp4, mov, avi, webm, mkv; images jpg, png, gif, webp, heic; audio mp3, wav, m4a, aac");
}

TEST(UploadTypes, ChecksGoByTheExtensionInAnyCase) {
  EXPECT_TRUE(accepted_upload_type("a.MP4"));
  EXPECT_TRUE(accepted_upload_type("/x/y/photo.jpeg"));  // a second spelling: accepted, not named
  EXPECT_FALSE(accepted_upload_type("notes.txt"));
  EXPECT_FALSE(accepted_upload_type("mp4"));
  ASSERT_NE(upload_type_of("clip.MoV"), nullptr);
  EXPECT_STREQ(upload_type_of("clip.MoV")->mime, "video/quicktime");
  EXPECT_STREQ(to_string(upload_type_of("clip.mov")->kind), "video");
  EXPECT_STREQ(to_string(upload_type_of("song.m4a")->kind), "audio");
  EXPECT_STREQ(to_string(upload_type_of("pic.HEIF")->kind), "image");
}

TEST(UploadTypes, EveryExtensionAppearsOnce) {
  std::set<std::string> seen;
  for (const UploadType& t : upload_types()) EXPECT_TRUE(seen.insert(t.extension).second) << t.extension;
  EXPECT_EQ(seen.size(), 16u);
}
