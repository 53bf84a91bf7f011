// Text rasters: real glyphs in every script, wrapping, positions, styles.
#include <ft2build.h>
#include FT_FREETYPE_H
#include <fontconfig/fontconfig.h>
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "engine/text/raster.h"

using namespace reel;
using namespace reel::engine;

namespace {

draft::TextProps text(const std::string& words, double size = 0.1) {
  draft::TextProps p;
  p.text = words;
  p.style.size = size;
  return p;
}

cv::Mat alpha_of(const TextRaster& r) {
  std::vector<cv::Mat> planes;
  cv::split(r.bgra, planes);
  return planes[3];
}

// The tight box around pixels with alpha above half.
cv::Rect ink_box(const cv::Mat& alpha) {
  cv::Mat mask = alpha > 127;
  std::vector<cv::Point> pts;
  cv::findNonZero(mask, pts);
  return pts.empty() ? cv::Rect() : cv::boundingRect(pts);
}

// The glyph of `cp` drawn by FreeType directly from the font fontconfig picks for `family`.
cv::Mat freetype_glyph(const std::string& family, char32_t cp, int px) {
  FcConfig* fc = FcInitLoadConfigAndFonts();
  FcPattern* pat = FcNameParse(reinterpret_cast<const FcChar8*>(family.c_str()));
  FcConfigSubstitute(fc, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res;
  FcPattern* found = FcFontMatch(fc, pat, &res);
  FcChar8* file = nullptr;
  int index = 0;
  FcPatternGetString(found, FC_FILE, 0, &file);
  FcPatternGetInteger(found, FC_INDEX, 0, &index);
  FT_Library lib;
  FT_Init_FreeType(&lib);
  FT_Face face;
  EXPECT_EQ(FT_New_Face(lib, reinterpret_cast<const char*>(file), index, &face), 0);
  FT_Set_Pixel_Sizes(face, 0, px);
  FT_Load_Char(face, cp, FT_LOAD_RENDER);
  const FT_Bitmap& bm = face->glyph->bitmap;
  cv::Mat out = cv::Mat(bm.rows, bm.width, CV_8U, bm.buffer, bm.pitch).clone();
  FT_Done_Face(face);
  FT_Done_FreeType(lib);
  FcPatternDestroy(found);
  FcPatternDestroy(pat);
  FcConfigDestroy(fc);
  return out;
}

// Normalised correlation of two glyph images after cropping to their ink and matching sizes.
double glyph_similarity(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat ca = a(ink_box(a)), cb = b(ink_box(b));
  cv::Mat ra, rb;
  cv::resize(ca, ra, cv::Size(48, 48), 0, 0, cv::INTER_AREA);
  cv::resize(cb, rb, cv::Size(48, 48), 0, 0, cv::INTER_AREA);
  cv::Mat score;
  cv::matchTemplate(ra, rb, score, cv::TM_CCOEFF_NORMED);
  return score.at<float>(0, 0);
}

}  // namespace

TEST(TextRender, CjkTitleIsDrawnWithTheRealGlyphs) {
  TextRenderer r;
  for (char32_t cp : {U'城', U'梦'}) {
    std::u32string one(1, cp);
    std::string utf8;
    // Encode the one CJK character (3 bytes in UTF-8).
    utf8 += static_cast<char>(0xE0 | (cp >> 12));
    utf8 += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    utf8 += static_cast<char>(0x80 | (cp & 0x3F));
    // The default font (DejaVu Sans) has no CJK: the fallback must find a CJK font.
    TextRaster raster = r.render(text(utf8, 0.2), 640, 360);
    cv::Mat expected = freetype_glyph("Noto Sans CJK SC", cp, 72);
    EXPECT_GT(glyph_similarity(alpha_of(raster), expected), 0.85) << static_cast<uint32_t>(cp);
  }
}

TEST(TextRender, LatinAndCyrillicGlyphsMatchFreeType) {
  TextRenderer r;
  TextRaster a = r.render(text("R", 0.2), 640, 360);
  EXPECT_GT(glyph_similarity(alpha_of(a), freetype_glyph("DejaVu Sans", U'R', 72)), 0.9);
  TextRaster zh = r.render(text("Ж", 0.2), 640, 360);
  EXPECT_GT(glyph_similarity(alpha_of(zh), freetype_glyph("DejaVu Sans", U'Ж', 72)), 0.9);
}

TEST(TextRender, EmojiAreColourGlyphsNotBoxes) {
  TextRenderer r;
  TextRaster raster = r.render(text("🌆", 0.2), 640, 360);
  int coloured = 0;
  for (int y = 0; y < raster.bgra.rows; ++y)
    for (int x = 0; x < raster.bgra.cols; ++x) {
      cv::Vec4b p = raster.bgra.at<cv::Vec4b>(y, x);
      if (p[3] > 200 && (std::abs(p[0] - p[2]) > 60 || std::abs(p[1] - p[2]) > 60)) ++coloured;
    }
  EXPECT_GT(coloured, 200);
}

TEST(TextRender, ArabicIsLaidOutRightToLeft) {
  TextRenderer r;
  draft::TextProps p = text("مرحبا", 0.15);
  TextRaster all = r.render(p, 640, 360);
  TextRaster first = r.render(p, 640, 360, 1);  // only the first letter (logical order)
  cv::Rect whole = ink_box(alpha_of(all)), one = ink_box(alpha_of(first));
  ASSERT_GT(whole.width, 0);
  ASSERT_GT(one.width, 0);
  // The first letter of a right-to-left word sits at its right end.
  EXPECT_GT(one.x + one.width / 2, whole.x + whole.width * 3 / 4);
}

TEST(TextRender, ArabicInsideALatinLineStillReadsRightToLeft) {
  TextRenderer r;
  draft::TextProps p = text("abc مرحبا", 0.15);
  cv::Rect whole = ink_box(alpha_of(r.render(p, 640, 360)));
  cv::Rect latin = ink_box(alpha_of(r.render(p, 640, 360, 3)));         // "abc"
  cv::Rect first_arabic = ink_box(alpha_of(r.render(p, 640, 360, 5)));  // "abc" and the first Arabic letter
  // The Latin word starts the line; the Arabic word's first letter ends it (at its right).
  EXPECT_LT(latin.x - whole.x, 4);
  EXPECT_GT(first_arabic.x + first_arabic.width, whole.x + whole.width - 6);
}

TEST(TextRender, LongTextWrapsAtMaxWidthAndLineBreaksAreKept) {
  TextRenderer r;
  draft::TextProps p = text("the quick brown fox jumps over the lazy dog again and again", 0.08);
  p.style.max_width = 0.5;
  TextRaster wrapped = r.render(p, 640, 360);
  cv::Rect ink = ink_box(alpha_of(wrapped));
  EXPECT_LE(ink.width, 320);
  EXPECT_GT(ink.height, 3 * 0.08 * 360);  // at least four lines of text
  TextRaster two = r.render(text("one\ntwo", 0.08), 640, 360);
  cv::Rect two_ink = ink_box(alpha_of(two));
  EXPECT_GT(two_ink.height, 1.5 * 0.08 * 360);
  EXPECT_LT(two_ink.width, 0.08 * 360 * 3);
  // CJK wraps between characters, without spaces.
  draft::TextProps cjk = text("第一天海边的日落真美丽第一天海边的日落真美丽", 0.1);
  cjk.style.max_width = 0.4;
  EXPECT_LE(ink_box(alpha_of(r.render(cjk, 640, 360))).width, 256);
}

TEST(TextRender, PositionsPlaceTheBlockAndKeepItInsideTheFrame) {
  TextRenderer r;
  auto centre_of = [&](draft::TextProps p) {
    TextRaster t = r.render(p, 640, 360);
    cv::Rect ink = ink_box(alpha_of(t));
    return cv::Point(t.x + ink.x + ink.width / 2, t.y + ink.y + ink.height / 2);
  };
  draft::TextProps p = text("Hi", 0.1);
  cv::Point c = centre_of(p);
  EXPECT_NEAR(c.x, 320, 6);
  EXPECT_NEAR(c.y, 180, 10);
  p.style.position.anchor = draft::Anchor::TopLeft;
  c = centre_of(p);
  EXPECT_LT(c.x, 100);
  EXPECT_LT(c.y, 70);
  p.style.position.anchor = draft::Anchor::BottomRight;
  c = centre_of(p);
  EXPECT_GT(c.x, 540);
  EXPECT_GT(c.y, 290);
  p.style.position.anchor.reset();
  p.style.position.x = 1.0;
  p.style.position.y = 1.0;
  TextRaster edge = r.render(p, 640, 360);
  cv::Rect ink = ink_box(alpha_of(edge));
  EXPECT_LE(edge.x + ink.x + ink.width, 640);
  EXPECT_LE(edge.y + ink.y + ink.height, 360);
}

TEST(TextRender, BoxStrokeAndColourAreDrawnWithTheirAlpha) {
  TextRenderer r;
  draft::TextProps p = text("I", 0.2);
  p.style.color = {255, 0, 0, 255};
  p.style.box = draft::Color{0, 0, 255, 128};
  TextRaster t = r.render(p, 640, 360);
  cv::Rect ink = ink_box(alpha_of(t));
  // Inside the glyph: opaque red (premultiplied BGRA).
  cv::Vec4b mid = t.bgra.at<cv::Vec4b>(ink.y + ink.height / 2, ink.x + ink.width / 2);
  EXPECT_EQ(mid[3], 255);
  EXPECT_GT(mid[2], 240);
  EXPECT_LT(mid[0], 15);
  // Beside the glyph, inside the box: half-transparent blue.
  cv::Vec4b side = t.bgra.at<cv::Vec4b>(ink.y + ink.height / 2, ink.x + ink.width + 4);
  EXPECT_NEAR(side[3], 128, 2);
  EXPECT_NEAR(side[0], 128, 2);
  EXPECT_EQ(side[2], 0);

  draft::TextProps s = text("I", 0.2);
  s.style.stroke = draft::Color{0, 0, 0, 255};
  TextRaster st = r.render(s, 640, 360);
  cv::Rect outline = ink_box(alpha_of(st));
  cv::Rect plain = ink_box(alpha_of(r.render(text("I", 0.2), 640, 360)));
  EXPECT_GE(outline.width, plain.width + 6);  // the stroke grows the ink on both sides
}

namespace {

// Whether any installed font has `cp`, asked of fontconfig directly.
bool some_font_has(char32_t cp) {
  FcConfig* fc = FcInitLoadConfigAndFonts();
  FcPattern* pat = FcPatternCreate();
  FcCharSet* cs = FcCharSetCreate();
  FcCharSetAddChar(cs, FcChar32(cp));
  FcPatternAddCharSet(pat, FC_CHARSET, cs);
  FcObjectSet* os = FcObjectSetBuild(FC_FILE, nullptr);
  FcFontSet* fonts = FcFontList(fc, pat, os);
  const bool any = fonts && fonts->nfont > 0;
  if (fonts) FcFontSetDestroy(fonts);
  FcObjectSetDestroy(os);
  FcCharSetDestroy(cs);
  FcPatternDestroy(pat);
  FcConfigDestroy(fc);
  return any;
}

}  // namespace

TEST(TextRaster, ScriptsNoInstalledFontHasAreNamedWithAPackageThatHasThem) {
  TextRenderer r;
  const bool thai = some_font_has(U'\u0E2A'), devanagari = some_font_has(U'\u0928');
  if (thai && devanagari) GTEST_SKIP() << "this machine has fonts for Thai and Devanagari";
  std::vector<std::string> expected;
  if (!thai) expected.push_back("Thai fonts-noto-core");
  if (!devanagari) expected.push_back("Devanagari fonts-noto-core");
  std::vector<std::string> got;
  for (const auto& m : r.missing_scripts(text("Hello สวัสดี नमस्ते 東京 مرحبا 🌅 สวัสดี")))
    got.push_back(m.script + " " + m.package);
  EXPECT_EQ(got, expected) << "Latin, Han, Arabic and emoji have fonts here (setup.sh installs them)";
  EXPECT_TRUE(r.missing_scripts(text("Hello 東京 🌅")).empty());
}
