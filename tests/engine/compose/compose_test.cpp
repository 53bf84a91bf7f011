// The compositor through stills and the pipeline: orientation, fits, alpha, transitions,
// determinism across thread counts, the bounded source cache, and framings never made larger
// than their decode.
#include <gtest/gtest.h>
#include <jpeglib.h>
#include <libheif/heif.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "engine/compose/pipeline.h"
#include "engine/compose/transition.h"
#include "engine/errors.h"
#include "engine/photo/decoder.h"
#include "engine/photo/focus.h"
#include "engine/photo/framing.h"
#include "engine/photo/proxy_cache.h"
#include "engine/plan/render_plan.h"
#include "engine/render.h"
#include "tests/engine/support/media_fixtures.h"

namespace reel::test {
namespace {

engine::RenderOptions opts(const TempDir& dir) {
  engine::RenderOptions o;
  o.base_dir = dir.path().string();
  return o;
}

cv::Mat still(const TempDir& dir, const Json& j, int64_t at_ms, const std::string& name = "still.png") {
  engine::render_still(load(j), at_ms, dir.file(name), opts(dir));
  cv::Mat m = cv::imread(dir.file(name), cv::IMREAD_COLOR);
  EXPECT_FALSE(m.empty());
  return m;
}

cv::Vec3d mean3(const cv::Mat& m) {
  cv::Scalar s = cv::mean(m);
  return {s[0], s[1], s[2]};
}

/// The mean colour of a small patch around (x, y).
cv::Vec3d patch(const cv::Mat& m, int x, int y) {
  cv::Scalar s = cv::mean(m(cv::Rect(x - 4, y - 4, 8, 8)));
  return {s[0], s[1], s[2]};
}

void expect_colour(const cv::Vec3d& got, cv::Vec3d want, double tol, const std::string& what) {
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(got[c], want[c], tol) << what << " channel " << c;
}

void expect_quadrants(const cv::Mat& m, const std::string& what) {
  int w = m.cols, h = m.rows;
  expect_colour(patch(m, w / 4, h / 4), {0, 0, 255}, 12, what + " top-left red");
  expect_colour(patch(m, 3 * w / 4, h / 4), {0, 255, 0}, 12, what + " top-right green");
  expect_colour(patch(m, w / 4, 3 * h / 4), {255, 0, 0}, 12, what + " bottom-left blue");
  expect_colour(patch(m, 3 * w / 4, 3 * h / 4), {255, 255, 255}, 12, what + " bottom-right white");
}

TEST(Orientation, AllEightExifOrientationsShowUpright) {
  TempDir dir;
  cv::Mat displayed = quadrant_photo(320, 180);
  for (int o = 1; o <= 8; ++o) {
    std::string name = "o" + std::to_string(o) + ".jpg";
    write_jpeg_with_orientation(dir.file(name), stored_for_orientation(displayed, o), o);
    Json j = slideshow_json(320, 180, 25, {name}, 1000, {{"kb", "none"}});
    expect_quadrants(still(dir, j, 500), "orientation " + std::to_string(o));
  }
}

TEST(Orientation, RotatedAndMirroredHeicShowsUpright) {
  if (!heif_have_encoder_for_format(heif_compression_HEVC)) GTEST_SKIP() << "libheif has no HEVC encoder here";
  TempDir dir;
  cv::Mat displayed = quadrant_photo(320, 192);
  for (int o : {6, 3, 2}) {
    // The stored picture is the upright one transformed by the inverse of o; libheif writes
    // irot/imir boxes for `image_orientation` so a reader shows it upright again.
    cv::Mat stored = stored_for_orientation(displayed, o);
    heif_context* ctx = heif_context_alloc();
    heif_encoder* enc = nullptr;
    ASSERT_EQ(heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &enc).code, heif_error_Ok);
    heif_encoder_set_lossy_quality(enc, 90);
    heif_image* img = nullptr;
    heif_image_create(stored.cols, stored.rows, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &img);
    heif_image_add_plane(img, heif_channel_interleaved, stored.cols, stored.rows, 8);
    int stride = 0;
    uint8_t* p = heif_image_get_plane(img, heif_channel_interleaved, &stride);
    cv::Mat rgb;
    cv::cvtColor(stored, rgb, cv::COLOR_BGR2RGB);
    for (int y = 0; y < rgb.rows; ++y) std::memcpy(p + y * stride, rgb.ptr(y), size_t(rgb.cols) * 3);
    heif_encoding_options* eo = heif_encoding_options_alloc();
    eo->image_orientation = heif_orientation(o);
    ASSERT_EQ(heif_context_encode_image(ctx, img, enc, eo, nullptr).code, heif_error_Ok);
    std::string name = "o" + std::to_string(o) + ".heic";
    ASSERT_EQ(heif_context_write_to_file(ctx, dir.file(name).c_str()).code, heif_error_Ok);
    heif_encoding_options_free(eo);
    heif_image_release(img);
    heif_encoder_release(enc);
    heif_context_free(ctx);
    Json j = slideshow_json(320, 192, 25, {name}, 1000, {{"kb", "none"}});
    expect_quadrants(still(dir, j, 500), "HEIC orientation " + std::to_string(o));
  }
}

TEST(Photos, GreyscaleSixteenBitAndAlphaPhotosComposeCorrectly) {
  TempDir dir;
  write_image(dir.file("grey.jpg"), cv::Mat(90, 160, CV_8UC1, cv::Scalar(128)));
  cv::Mat deep(90, 160, CV_16UC3, cv::Scalar(0, 0, 65535));  // 16-bit red
  cv::imwrite(dir.file("deep.png"), deep);
  cv::Mat alpha(90, 160, CV_8UC4, cv::Scalar(0, 0, 255, 0));
  alpha(cv::Rect(80, 0, 80, 90)).setTo(cv::Scalar(0, 0, 255, 255));  // right half opaque red
  cv::imwrite(dir.file("alpha.png"), alpha);
  Json j = slideshow_json(160, 90, 25, {"grey.jpg", "deep.png", "alpha.png"}, 1000, {{"kb", "none"}});
  j["m"]["bg"] = "#0000FF";
  expect_colour(patch(still(dir, j, 500), 80, 45), {128, 128, 128}, 4, "grey");
  expect_colour(patch(still(dir, j, 1500), 80, 45), {0, 0, 255}, 6, "16-bit red");
  cv::Mat a = still(dir, j, 2500);
  expect_colour(patch(a, 30, 45), {255, 0, 0}, 6, "transparent half shows the background");
  expect_colour(patch(a, 130, 45), {0, 0, 255}, 6, "opaque half");
}

/// Writes a CMYK JPEG the way Photoshop does (Adobe marker, inverted ink values) through
/// libjpeg itself: four flat quadrants of known colour.
void write_cmyk_jpeg(const std::string& path, int w, int h) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  jpeg_compress_struct c{};
  jpeg_error_mgr err{};
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  jpeg_stdio_dest(&c, f);
  c.image_width = JDIMENSION(w);
  c.image_height = JDIMENSION(h);
  c.input_components = 4;
  c.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 95, TRUE);
  jpeg_start_compress(&c, TRUE);
  std::vector<uint8_t> row(size_t(w) * 4);
  while (c.next_scanline < c.image_height) {
    int y = int(c.next_scanline);
    for (int x = 0; x < w; ++x) {
      // Inks (C, M, Y, K) 0..255: red, green, blue, white quadrants as in quadrant_photo.
      int q = (y >= h / 2) * 2 + (x >= w / 2);
      const uint8_t inks[4][4] = {{0, 255, 255, 0}, {255, 0, 255, 0}, {255, 255, 0, 0}, {0, 0, 0, 0}};
      for (int k = 0; k < 4; ++k) row[size_t(x) * 4 + size_t(k)] = uint8_t(255 - inks[q][k]);  // Adobe: inverted
    }
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  std::fclose(f);
}

TEST(Photos, CmykJpegShowsItsColours) {
  TempDir dir;
  write_cmyk_jpeg(dir.file("cmyk.jpg"), 320, 180);
  Json j = slideshow_json(320, 180, 25, {"cmyk.jpg"}, 1000, {{"kb", "none"}});
  expect_quadrants(still(dir, j, 500), "CMYK");
}

TEST(Fit, ContainLetterboxesOnBackgroundBlurFillsAndStretchFills) {
  TempDir dir;
  write_image(dir.file("sq.png"), quadrant_photo(200, 200));
  Json j = slideshow_json(320, 180, 25, {"sq.png", "sq.png", "sq.png", "sq.png"}, 1000, {{"kb", "none"}});
  j["m"]["bg"] = "#00FF00";
  j["t"][0]["sg"][0]["m"]["fit"] = "contain";
  j["t"][0]["sg"][1]["m"]["fit"] = "blur";
  j["t"][0]["sg"][2]["m"]["fit"] = "stretch";
  j["t"][0]["sg"][3]["m"]["fit"] = "cover";
  cv::Mat contain = still(dir, j, 500), blur = still(dir, j, 1500), stretch = still(dir, j, 2500),
          cover = still(dir, j, 3500);
  expect_colour(patch(contain, 20, 90), {0, 255, 0}, 6, "contain: left bar is the background");
  expect_colour(patch(contain, 300, 90), {0, 255, 0}, 6, "contain: right bar is the background");
  expect_colour(patch(contain, 160 - 40, 45), {0, 0, 255}, 8, "contain: photo in the middle");
  cv::Vec3d bar = patch(blur, 20, 45);
  EXPECT_LT(bar[1], 200) << "blur: the bar is not the background colour";
  EXPECT_GT(bar[2], 20) << "blur: the bar shows the blurred photo (red in the top-left)";
  expect_quadrants(stretch, "stretch");
  // Cover crops top and bottom of the square photo: the quadrant split stays at the centre.
  expect_colour(patch(cover, 80, 60), {0, 0, 255}, 8, "cover top-left");
  expect_colour(patch(cover, 240, 120), {255, 255, 255}, 8, "cover bottom-right");
}

TEST(Transition, EveryTypeStartsAtTheOutgoingEndsAtTheIncomingAndMixesBetween) {
  TempDir dir;
  write_image(dir.file("red.png"), flat_photo(160, 90, cv::Scalar(0, 0, 255)));
  write_image(dir.file("blue.png"), flat_photo(160, 90, cv::Scalar(255, 0, 0)));
  for (const std::string& type : draft::transition_names()) {
    if (type == "none") continue;
    Json j = slideshow_json(160, 90, 25, {"red.png", "blue.png"}, 1000, {{"kb", "none"}});
    j["t"][0]["sg"][1]["m"]["tr"] = {{"type", type}, {"d", 800}};
    cv::Mat start = still(dir, j, 600), end = still(dir, j, 1400), mid = still(dir, j, 1000);
    expect_colour(mean3(start), {0, 0, 255}, 3, type + " at its start");
    expect_colour(mean3(end), {255, 0, 0}, 3, type + " at its end");
    cv::Scalar m = cv::mean(mid);
    if (type == "fadeblack") {
      EXPECT_LT(m[0] + m[1] + m[2], 30) << type;
    } else if (type == "fadewhite") {
      EXPECT_GT(m[0] + m[1] + m[2], 700) << type;
    } else {
      EXPECT_GT(m[0], 40) << type << ": the incoming photo shows at the cut";
      EXPECT_GT(m[2], 40) << type << ": the outgoing photo shows at the cut";
    }
  }
}

/// Composes every frame of a plan through the pipeline and returns its planes (Y, U, V).
std::vector<std::vector<cv::Mat>> compose_all(const engine::Plan& plan, int threads, int* max_held = nullptr) {
  engine::SourceCache cache(plan, 8, threads > 1 ? 2 : 0);
  engine::FramePool pool(plan.width, plan.height);
  std::vector<std::vector<cv::Mat>> frames;
  engine::run_pipeline(
      plan, cache, pool, threads,
      [&](int64_t, engine::av::FramePtr f) {
        engine::YuvView v = engine::view_of(f.get());
        frames.push_back({v.plane[0].mat().clone(), v.plane[1].mat().clone(), v.plane[2].mat().clone()});
        if (max_held) *max_held = std::max(*max_held, cache.held());
      },
      nullptr);
  return frames;
}

TEST(EndFades, ThePictureRisesFromTheBackgroundAndSinksBackToItWordsIncluded) {
  TempDir dir;
  write_image(dir.file("white.png"), flat_photo(160, 90, cv::Scalar(255, 255, 255)));
  Json j = slideshow_json(160, 90, 25, {"white.png", "white.png"}, 1000, {{"kb", "none"}});
  j["m"]["bg"] = "#000000";
  j["m"]["fi"] = 400;
  j["m"]["fo"] = 800;
  engine::Plan plan = engine::make_plan(load(j), opts(dir));
  EXPECT_DOUBLE_EQ(plan.ends_opacity(0), 0.0);
  EXPECT_DOUBLE_EQ(plan.ends_opacity(5), 0.5);   // 200 ms of 400
  EXPECT_DOUBLE_EQ(plan.ends_opacity(25), 1.0);  // the middle
  EXPECT_DOUBLE_EQ(plan.ends_opacity(40), 0.5);  // 1600 ms: 400 ms before the end, of 800
  auto frames = compose_all(plan, 1);
  ASSERT_EQ(frames.size(), 50u);
  auto luma = [&](size_t f) { return cv::mean(frames[f][0])[0]; };
  EXPECT_NEAR(luma(0), 16, 1) << "the first frame is the background (black)";
  EXPECT_NEAR(luma(5), (16 + 235) / 2.0, 2);
  EXPECT_NEAR(luma(25), 235, 1);
  EXPECT_NEAR(luma(40), (16 + 235) / 2.0, 2);
  EXPECT_NEAR(luma(49), 16 + 0.05 * 219, 2) << "the last frame (40 ms before the end of 800) is all but black";
  EXPECT_NEAR(cv::mean(frames[0][1])[0], 128, 1) << "no colour cast while fading";
  // Without m.fi / m.fo nothing fades.
  j["m"].erase("fi");
  j["m"].erase("fo");
  engine::Plan plain = engine::make_plan(load(j), opts(dir));
  EXPECT_DOUBLE_EQ(plain.ends_opacity(0), 1.0);
  EXPECT_DOUBLE_EQ(plain.ends_opacity(49), 1.0);
}

TEST(Pipeline, FramesAreIdenticalWithOneAndManyThreads) {
  TempDir dir;
  std::vector<std::string> names;
  for (int i = 0; i < 5; ++i) {
    names.push_back("p" + std::to_string(i) + ".jpg");
    write_image(dir.file(names.back()), detailed_photo(400 + 40 * i, 300, uint32_t(20 + i)));
  }
  Json j = slideshow_json(160, 96, 25, names, 600, {{"kb", "auto"}});
  const char* types[] = {"fade", "dissolve", "slideleft", "circleopen"};
  for (int i = 1; i < 5; ++i) j["t"][0]["sg"][i]["m"]["tr"] = {{"type", types[i - 1]}, {"d", 300}};
  engine::Plan plan = engine::make_plan(load(j), opts(dir));
  auto serial = compose_all(plan, 1);
  auto parallel = compose_all(plan, 4);
  ASSERT_EQ(serial.size(), 75u);
  ASSERT_EQ(parallel.size(), serial.size());
  for (size_t i = 0; i < serial.size(); ++i)
    for (int p = 0; p < 3; ++p)
      ASSERT_EQ(cv::norm(serial[i][size_t(p)], parallel[i][size_t(p)], cv::NORM_INF), 0)
          << "frame " << i << " plane " << p;
}

TEST(Pipeline, HoldsOnlyThePhotosNearThePlayhead) {
  TempDir dir;
  std::vector<std::string> names;
  for (int i = 0; i < 16; ++i) {
    names.push_back("p" + std::to_string(i) + ".png");
    write_image(dir.file(names.back()), detailed_photo(200, 120, uint32_t(40 + i)));
  }
  Json j = slideshow_json(160, 90, 25, names, 400, {{"kb", "in"}, {"tr", {{"type", "fade"}, {"d", 200}}}});
  engine::Plan plan = engine::make_plan(load(j), opts(dir));
  int held = 0;
  compose_all(plan, 2, &held);
  EXPECT_LE(held, 6) << "of 16 photos";
}

TEST(KenBurns, AutoNeverRepeatsTheSameMoveTwiceInARow) {
  TempDir dir;
  std::vector<std::string> names(40, "x.jpg");
  Json j = slideshow_json(160, 90, 25, names, 1000, {{"kb", "auto"}});
  engine::Plan plan = engine::make_plan(load(j), opts(dir));
  int distinct_moves = 0;
  for (size_t i = 1; i < plan.items.size(); ++i) {
    const auto& a = plan.items[i - 1].kb;
    const auto& b = plan.items[i].kb;
    EXPECT_FALSE(a.from == b.from && a.to == b.to) << "items " << i - 1 << " and " << i;
    distinct_moves += (a.from == b.from) ? 0 : 1;
  }
  EXPECT_GT(distinct_moves, 20);
}

TEST(KenBurns, AutoPicksTheSameMovesWhenTheSourcesAreReplacedByUrls) {
  // The cloud renders the same draft with cdn_urls for its sources: the moves must not change.
  TempDir dir;
  std::vector<std::string> local, remote;
  for (int i = 0; i < 8; ++i) {
    local.push_back("p" + std::to_string(i) + ".jpg");
    remote.push_back("https://cdn.example/u/" + std::to_string(1000 + i) + ".jpg");
  }
  engine::RenderOptions o = opts(dir);
  o.resolve_source = [&](const std::string&) { return dir.file("any.jpg"); };
  engine::Plan a = engine::make_plan(load(slideshow_json(160, 90, 25, local, 1000, {{"kb", "auto"}})), o);
  engine::Plan b = engine::make_plan(load(slideshow_json(160, 90, 25, remote, 1000, {{"kb", "auto"}})), o);
  ASSERT_EQ(a.items.size(), b.items.size());
  for (size_t i = 0; i < a.items.size(); ++i) {
    EXPECT_TRUE(a.items[i].kb.from == b.items[i].kb.from && a.items[i].kb.to == b.items[i].kb.to) << "item " << i;
  }
}

/// `name` planned on a canvas with a zoom from 1 to `zoom`, checked, and its source prepared.
std::shared_ptr<const engine::PreparedSource> prepared(const TempDir& dir, const std::string& name, int w, int h,
                                                       double zoom) {
  Json j = slideshow_json(w, h, 25, {name}, 1000);
  j["t"][0]["sg"][0]["m"] = {
      {"kb", {{"from", {{"x", 0.5}, {"y", 0.5}, {"z", 1.0}}}, {"to", {{"x", 0.5}, {"y", 0.5}, {"z", zoom}}}}}};
  engine::Plan plan = engine::make_plan(load(j), opts(dir));
  engine::check_item(plan.items[0], engine::MediaLimits{});
  EXPECT_DOUBLE_EQ(plan.items[0].prep_scale, zoom);
  return engine::prepare_source(plan, plan.items[0]);
}

TEST(Framing, APictureTooSmallToCoverItsDeepestZoomIsPreparedAtItsOwnSize) {
  TempDir dir;
  // 400x300 covering 640x360 at 1.25x would be 800x600: kept at 400x300, the warp scales it.
  const cv::Mat small = detailed_photo(400, 300, 70);
  write_image(dir.file("small.png"), small);
  auto src = prepared(dir, "small.png", 640, 360, 1.25);
  EXPECT_EQ(src->full_width, 400);
  EXPECT_EQ(src->full_height, 300);
  EXPECT_NEAR(src->scale, 0.625, 1e-9);
  EXPECT_LE(src->image.width(), 400);
  // A 2800x2100 JPEG needs 1536 columns at 1.2x on 1280x720: libjpeg's 4/8 gives 1400 (less
  // than 15 % short, so not decoded whole), and the framing is made at those 1400.
  write_image(dir.file("big.jpg"), detailed_photo(2800, 2100, 71));
  src = prepared(dir, "big.jpg", 1280, 720, 1.2);
  EXPECT_EQ(src->full_width, 1400);
  EXPECT_EQ(src->full_height, 1050);
  EXPECT_NEAR(src->scale, 1.2 * 1400 / 1536, 1e-3);
  // A photo larger than its framing is framed at the deepest zoom, as before.
  write_image(dir.file("large.png"), detailed_photo(1200, 900, 72));
  src = prepared(dir, "large.png", 640, 360, 1.25);
  EXPECT_EQ(src->full_width, 800);
  EXPECT_EQ(src->full_height, 600);
  EXPECT_DOUBLE_EQ(src->scale, 1.25);
  // What shows at zoom 1 is still the photo covering the canvas: its centred 16:9 part.
  Json j = slideshow_json(640, 360, 25, {"small.png"}, 1000);
  j["t"][0]["sg"][0]["m"] = {
      {"kb", {{"from", {{"x", 0.5}, {"y", 0.5}, {"z", 1.0}}}, {"to", {{"x", 0.5}, {"y", 0.5}, {"z", 1.25}}}}}};
  cv::Mat expected;
  cv::resize(small(cv::Rect(0, 37, 400, 225)), expected, cv::Size(640, 360), 0, 0, cv::INTER_CUBIC);
  EXPECT_GT(psnr(still(dir, j, 0), expected), 30.0);
}

// A cover made at the decode's own size decodes only the rows its Ken Burns path reaches (JPEG
// skips the rows above them and stops after them; WebP crops while it decodes), and those rows
// are the whole picture's: the prepared source is the one a decode of every row gives. A cover
// scaled from a larger decode (swscale) decodes every row.
TEST(Framing, OnlyTheRowsThePathReachesAreDecodedAndTheyAreTheWholePicturesRows) {
  TempDir dir;
  write_image(dir.file("square.jpg"), detailed_photo(2048, 2048, 73));
  write_image(dir.file("square.webp"), detailed_photo(2048, 2048, 73));
  write_image(dir.file("wide.jpg"), detailed_photo(4000, 2250, 74));
  struct Case {
    const char* name;
    cv::Size shown, want;  // the photo, and the cover it is decoded for (640x360 at 1.2x)
    bool cropped;
  };
  // 2048 rows: 768 (JPEG's 3/8, WebP scaled while decoding), the framing itself. 4000x2250:
  // 3/8 is 1500x844, larger than the 768x432 cover, which swscale makes from every row.
  const Case cases[] = {{"square.jpg", {2048, 2048}, {768, 768}, true},
                        {"square.webp", {2048, 2048}, {768, 768}, true},
                        {"wide.jpg", {4000, 2250}, {768, 432}, false}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Json j = slideshow_json(640, 360, 25, {c.name}, 1000);
    j["t"][0]["sg"][0]["m"] = {
        {"kb", {{"from", {{"x", 0.5}, {"y", 0.3}, {"z", 1.0}}}, {"to", {{"x", 0.5}, {"y", 0.6}, {"z", 1.2}}}}}};
    engine::Plan plan = engine::make_plan(load(j), opts(dir));
    engine::check_item(plan.items[0], engine::MediaLimits{});
    const engine::PlanItem& item = plan.items[0];
    const engine::ProxyCache proxies(dir.file(std::string("proxies-") + c.name));
    const auto prepared = engine::prepare_source(plan, item, &proxies);
    const cv::Mat whole =
        engine::decode_photo(item.path, item.photo, c.want, plan.background, engine::DecodeSize::About);
    EXPECT_EQ(whole.size() == c.want, c.cropped);
    const auto reference = engine::frame_picture(plan, item, whole, c.shown);
    EXPECT_EQ(prepared->full_width, reference->full_width);
    EXPECT_EQ(prepared->full_height, reference->full_height);
    EXPECT_EQ(prepared->offset_x, reference->offset_x);
    EXPECT_EQ(prepared->offset_y, reference->offset_y);
    // The proxy entry holds the rows made: fewer than the framing's when cropped, else all.
    ASSERT_EQ(proxies.stores(), 1);
    int64_t stored = 0;
    for (const auto& e : fs::directory_iterator(proxies.dir())) stored += int64_t(fs::file_size(e.path()));
    const int64_t framing = int64_t(prepared->full_width) * prepared->full_height * 3 / 2;
    if (c.cropped) {
      EXPECT_LT(stored, framing * 94 / 100);
      EXPECT_GT(stored, int64_t(prepared->full_width) * prepared->image.height() * 3 / 2);
    } else {
      EXPECT_GT(stored, framing);
    }
    // Read back from the proxy entry: the same part, at the same place.
    const auto again = engine::prepare_source(plan, item, &proxies);
    EXPECT_EQ(proxies.hits(), 1);
    EXPECT_EQ(again->offset_y, reference->offset_y);
    for (const auto* src : {prepared.get(), again.get()}) {
      ASSERT_EQ(src->image.width(), reference->image.width());
      ASSERT_EQ(src->image.height(), reference->image.height());
      for (int p = 0; p < 3; ++p)
        EXPECT_EQ(cv::norm(src->image.view().plane[p].mat(), reference->image.view().plane[p].mat(), cv::NORM_INF), 0)
            << "plane " << p;
    }
  }
}

TEST(Transitions, BlendedABandOfRowsAtATimeEveryOneGivesTheWholeFramesPixels) {
  // Two busy pictures, odd sizes of band included; every transition at a few instants.
  const int w = 96, h = 70;
  auto picture = [&](uint32_t seed) {
    engine::YuvImage img(w, h);
    cv::theRNG().state = seed;
    const engine::YuvView v = img.view();
    for (int p = 0; p < 3; ++p) cv::randu(v.plane[p].mat(), 0, 256);
    return img;
  };
  const engine::YuvImage a = picture(1), b = picture(2);
  const engine::Yuv black = engine::to_yuv709(0, 0, 0), white = engine::to_yuv709(255, 255, 255);
  auto same = [](const engine::YuvImage& x, const engine::YuvImage& y) {
    for (int p = 0; p < 3; ++p)
      if (cv::norm(x.view().plane[p].mat(), y.view().plane[p].mat(), cv::NORM_INF) != 0) return false;
    return true;
  };
  for (int t = 0; t <= int(draft::TransitionType::Pixelize); ++t) {
    const auto type = draft::TransitionType(t);
    for (double progress : {0.2, 0.5, 0.83}) {
      engine::YuvImage whole(w, h);
      engine::copy(a.view(), whole.view());
      engine::apply_transition(type, progress, whole.view(), b.view(), black, white);
      engine::finish_transition(type, progress, whole.view());
      for (int band : {2, 6, 64}) {
        engine::YuvImage banded(w, h);
        engine::copy(a.view(), banded.view());
        for (int y = 0; y < h; y += band) {
          const int rows = std::min(band, h - y);
          engine::apply_transition(type, progress, banded.view().rows(y, rows), b.view().rows(y, rows), black, white, y,
                                   h);
        }
        engine::finish_transition(type, progress, banded.view());
        EXPECT_TRUE(same(whole, banded)) << "transition " << t << " at " << progress << " in bands of " << band;
      }
    }
  }
}

TEST(Still, IsExactlyTheFrameTheRenderComposes) {
  TempDir dir;
  write_image(dir.file("a.jpg"), detailed_photo(400, 300, 60));
  write_image(dir.file("b.jpg"), detailed_photo(400, 300, 61));
  Json j = slideshow_json(160, 90, 25, {"a.jpg", "b.jpg"}, 1000, {{"kb", "in"}});
  j["t"][0]["sg"][1]["m"]["tr"] = {{"type", "wipeleft"}, {"d", 400}};
  // The render's plan: sources checked, moves aimed at each photo's subject.
  engine::Plan plan = engine::make_plan(load(j), opts(dir));
  for (engine::PlanItem& it : plan.items) engine::check_item(it, engine::MediaLimits{});
  engine::aim_at_subjects(plan, nullptr);
  auto frames = compose_all(plan, 1);
  cv::Mat png = still(dir, j, 1050);  // frame 26 covers 1040..1080 ms
  // The still is the composed YUV frame converted to RGB by the same BT.709 conversion.
  cv::Mat expected = to_bgr(frames[26]);
  EXPECT_EQ(cv::norm(png, expected, cv::NORM_INF), 0);
  cv::Mat other = to_bgr(frames[25]);
  EXPECT_GT(cv::norm(png, other, cv::NORM_INF), 0) << "neighbouring frames differ (the wipe moves)";
}

}  // namespace
}  // namespace reel::test
