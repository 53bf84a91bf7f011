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

TEST(UploadTypes, TheBytesOfEachAcceptedFormatSayTheirKind) {
  using K = reel::cloud::UploadKind;
  auto kind = [](std::string bytes) { return reel::cloud::upload_kind_by_content(bytes); };
  EXPECT_EQ(kind("\xFF\xD8\xFF\xE0\x00\x10JFIF"), K::Image);
  EXPECT_EQ(kind("\x89PNG\r\n\x1A\n"), K::Image);
  EXPECT_EQ(kind("GIF89a...."), K::Image);
  EXPECT_EQ(kind(std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16)), K::Image);
  EXPECT_EQ(kind(std::string("\x00\x00\x00\x18"
                             "ftypheic\x00\x00\x00\x00",
                             16)),
            K::Image);
  EXPECT_EQ(kind(std::string("\x00\x00\x00\x18"
                             "ftypisom\x00\x00\x02\x00",
                             16)),
            K::Video);
  EXPECT_EQ(kind(std::string("\x00\x00\x00\x14"
                             "ftypqt  \x00\x00\x00\x00",
                             16)),
            K::Video);
  EXPECT_EQ(kind(std::string("\x00\x00\x00\x1C"
                             "ftypM4A \x00\x00\x00\x00",
                             16)),
            K::Audio);
  EXPECT_EQ(kind("\x1A\x45\xDF\xA3\x9F\x42\x86\x81"), K::Video);
  EXPECT_EQ(kind(std::string("RIFF\x10\x00\x00\x00"
                             "AVI LIST",
                             16)),
            K::Video);
  EXPECT_EQ(kind("ID3\x04\x00\x00\x00\x00"), K::Audio);
  EXPECT_EQ(kind("\xFF\xFB\x90\x64"), K::Audio);
  EXPECT_EQ(kind("\xFF\xF1\x50\x80"), K::Audio);  // AAC in ADTS
  EXPECT_EQ(kind(std::string("RIFF\x24\x00\x00\x00"
                             "WAVEfmt ",
                             16)),
            K::Audio);
  EXPECT_EQ(kind("password=hunter2"), std::nullopt);
  EXPECT_EQ(kind("%PDF-1.7"), std::nullopt);
  EXPECT_EQ(kind(""), std::nullopt);
}
