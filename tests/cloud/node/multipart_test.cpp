// The node's multipart receiver (cloud/node/multipart.h) on bodies held in memory, through
// httplib's own request reader and multipart parser: what a good upload keeps, byte for byte,
// and that every broken one is refused with the sentence the node sends and leaves no file.
#include "cloud/node/multipart.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/hash.h"
#include "cloud/protocol/upload_types.h"
#include "tests/support/temp_dir.h"

using namespace reel;
using namespace reel::cloud;
using namespace reel::cloud::node;
namespace fs = std::filesystem;

namespace {

const std::string kType = "multipart/form-data; boundary=XB";

std::string part(const std::string& field, const std::string& filename, const std::string& content) {
  std::string h = "--XB\r\nContent-Disposition: form-data; name=\"" + field + "\"";
  if (!filename.empty()) h += "; filename=\"" + filename + "\"";
  return h + "\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n";
}
const std::string kEnd = "--XB--\r\n";

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) out.push_back(e.path().lexically_relative(dir).string());
  std::sort(out.begin(), out.end());
  return out;
}

struct Multipart : ::testing::Test {
  test::TempDir tmp;
  std::string dir = tmp.file("files");
  int counter = 0;
  UploadTarget to{dir, "http://node/files/42", [this] { return "p" + std::to_string(++counter); }};
  UploadLimits limits{1 << 20, 8};

  void SetUp() override { fs::create_directory(dir); }
  Received receive(const std::string& body, const std::string& type = kType, size_t chunk = 4096) {
    return receive_multipart_bytes(type, body, limits, to, chunk);
  }
  /// Refused with `code` and exactly `message`, and nothing left in the folder.
  void expect_refused(const Received& got, int code, const std::string& message) {
    EXPECT_EQ(got.code, code);
    EXPECT_EQ(got.error, message);
    EXPECT_TRUE(got.files.empty());
    EXPECT_TRUE(names_in(dir).empty()) << names_in(dir).front();
  }
};

// Bytes that look like framing inside a file: a CRLF, a dash run, the boundary without its CRLF.
const std::string kTricky = std::string("\x00\xff\r\n--X\r\n-", 10) + "--XBnot\r\n\r\nend";

TEST_F(Multipart, TwoPartsGiveTheirFilesWithTheirExactBytesWhateverTheReadSize) {
  const std::string a = kTricky + std::string(5000, 'a'), b = "\x89PNG" + std::string(300, '\0');
  const std::string body =
      part("note", "", "a field that is not a file") + part("files", "a.jpg", a) + part("files", "b.png", b) + kEnd;
  for (size_t chunk : {6, 7, 4096}) {  // 6: the opening boundary line in one read (next test)
    SCOPED_TRACE(chunk);
    fs::remove_all(dir);
    fs::create_directory(dir);
    Received got = receive(body, kType, chunk);
    ASSERT_EQ(got.code, 0) << got.error;
    ASSERT_EQ(got.files.size(), 2u);
    EXPECT_EQ(read_all(got.files[0].path), a);
    EXPECT_EQ(read_all(got.files[1].path), b);
    EXPECT_EQ(got.files[0].info.filename, "a.jpg");
    EXPECT_EQ(got.files[1].info.file_type, "image");
    EXPECT_EQ(got.files[0].info.hash, base::hash_hex(a));
    const std::string stored = fs::path(got.files[1].path).filename().string();
    EXPECT_EQ(fs::path(got.files[1].path).parent_path(), fs::path(dir));
    EXPECT_EQ(got.files[1].info.cdn_url, "http://node/files/42/" + stored);
    EXPECT_EQ(names_in(dir).size(), 2u);  // the field that is not `files` wrote nothing
    struct stat st {};
    ASSERT_EQ(stat(got.files[0].path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }
}

// httplib 0.11.4 drops an opening boundary line that arrives split across reads, so such a
// body is refused. If this fails, a newer httplib reads it: drop this test and the note in
// docs/cloud.md.
TEST_F(Multipart, AnOpeningBoundarySplitAcrossReadsIsRefusedByHttplib0114) {
  const std::string body = part("files", "a.jpg", "abc") + kEnd;
  expect_refused(receive(body, kType, 5), 400, "the upload was cut short");
  EXPECT_EQ(receive(body, kType, 6).files.size(), 1u);
}

TEST_F(Multipart, ABodyCutMidPartIsRefusedAndKeepsNothing) {
  const std::string body = part("files", "a.jpg", "first file") + part("files", "b.jpg", std::string(3000, 'b'));
  expect_refused(receive(body.substr(0, body.size() - 1000)), 400, "the upload was cut short");
}

TEST_F(Multipart, AMissingClosingBoundaryIsRefusedAndKeepsNothing) {
  expect_refused(receive(part("files", "a.jpg", "one") + part("files", "b.jpg", "two")), 400,
                 "the upload was cut short");
  expect_refused(receive(part("files", "a.jpg", "one") + "--XB-"), 400, "the upload was cut short");
}

TEST_F(Multipart, APartOverTheSizeCapIsRefusedAndTheEarlierFilesRemoved) {
  const std::string body =
      part("files", "small.jpg", "fits") + part("files", "big.mp4", std::string((1 << 20) + 1, 'x')) + kEnd;
  expect_refused(receive(body), kCodeTooLarge, "file too large: the limit is 1 MB");
  limits.max_bytes = (1 << 20) + 1;  // the same body one byte within the cap is kept
  EXPECT_EQ(receive(body).files.size(), 2u);
}

TEST_F(Multipart, AWrongBoundaryIsRefusedAndKeepsNothing) {
  const std::string body = part("files", "a.jpg", "bytes") + kEnd;
  expect_refused(receive(body, "multipart/form-data; boundary=OTHER"), 400, "the upload was cut short");
  expect_refused(receive(body, "multipart/form-data; boundary=XBX"), 400, "the upload was cut short");
  // No boundary at all: httplib refuses to read the body, which the node tells the same way.
  expect_refused(receive(body, "multipart/form-data"), 400, "the upload was cut short");
}

TEST_F(Multipart, ABodyOverTheRequestCapIsRefusedBeforeAnyPartIsRead) {
  // Each file is within the 1 MB cap; the body is over upload_body_cap (the cap + 1 MB).
  std::string body;
  for (const char* name : {"a.jpg", "b.jpg", "c.jpg"}) body += part("files", name, std::string(700 << 10, 'x'));
  expect_refused(receive(body + kEnd), 400, "the upload was cut short");
  limits.max_bytes = 2 << 20;
  EXPECT_EQ(receive(body + kEnd).files.size(), 3u);
}

TEST_F(Multipart, NamesWithDotDotOrNulStayInTheFolderUnderASafeName) {
  // Today's rule (kept as it was): a name is reduced to its last component and made safe,
  // not refused; what a client cannot do is write outside the folder.
  Received got = receive(part("files", "../../outside.jpg", "x") + part("files", std::string("a\0b.jpg", 7), "y") +
                         part("files", "..\\..\\win.jpg", "z") + kEnd);
  ASSERT_EQ(got.code, 0) << got.error;
  ASSERT_EQ(got.files.size(), 3u);
  EXPECT_EQ(got.files[0].info.filename, "outside.jpg");
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"p1-outside.jpg", "p2-a_b.jpg", "p3-file.._.._win.jpg"}));
  EXPECT_FALSE(fs::exists(tmp.file("outside.jpg")));
  EXPECT_FALSE(fs::exists(fs::path(dir).parent_path().parent_path() / "outside.jpg"));
}

TEST_F(Multipart, NamesThatAreNoFileAndUnknownTypesAreRefusedWithTheAcceptedFormats) {
  expect_refused(receive(part("files", "a.jpg", "kept until") + part("files", "..", "x") + kEnd), kCodeUnsupportedType,
                 "unsupported file type: file..; accepted formats: " + accepted_formats_text());
  expect_refused(receive(part("files", "../run.exe", "MZ") + kEnd), kCodeUnsupportedType,
                 "unsupported file type: run.exe; accepted formats: " + accepted_formats_text());
}

TEST_F(Multipart, EmptyFilesAndTooManyPartsAreRefusedAndKeepNothing) {
  expect_refused(receive(part("files", "a.jpg", "x") + part("files", "b.jpg", "") + kEnd), 400,
                 "an uploaded file is empty: b.jpg");
  std::string body;
  for (int i = 0; i < 9; ++i) body += part("files", std::to_string(i) + ".jpg", "x");
  expect_refused(receive(body + kEnd), 400, "an upload request carries at most 8 parts");
}

}  // namespace
