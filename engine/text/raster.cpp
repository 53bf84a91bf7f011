#include "engine/text/raster.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <fribidi.h>
#include <hb.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <opencv2/imgproc.hpp>

namespace reel::engine {

namespace {

struct Glyph {
  FontFace* face = nullptr;
  unsigned gid = 0;
  double x = 0, y = 0;   // pen position relative to the line's origin, y up
  double advance = 0;    // pixels the pen moves after it
  double scale = 1;      // for bitmap (emoji) faces
  uint32_t cluster = 0;  // index of its first code point in the text
};

struct Line {
  std::vector<Glyph> glyphs;
  double width = 0;
};

// Characters that belong to the one before them: marks, joiners, variation selectors, skin tones.
bool attaches_to_previous(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) ||
         (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0x064B && c <= 0x065F) || c == 0x20E3 ||
         (c >= 0xE0020 && c <= 0xE007F);
}
// Scripts written without spaces between words: a line may break between any two of them.
bool breaks_anywhere(char32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x1F000 && c <= 0x1FAFF);
}

class Layout {
 public:
  Layout(FontLibrary& fonts, FontFace* primary, int px) : fonts_(fonts), primary_(primary), px_(px) {}

  // Shapes code points [a, b) of `cps` into glyphs in visual order, left to right: runs of one
  // font and one bidi level, each shaped in its own direction, then put in display order by
  // the Unicode bidi algorithm's rule L2 (levels from fribidi, see add_paragraph).
  std::vector<Glyph> shape(const std::u32string& cps, const std::vector<FontFace*>& faces, size_t a, size_t b,
                           double* width) {
    struct Run {
      size_t a, b;
      int level;
    };
    std::vector<Run> runs;
    for (size_t i = a; i < b;) {
      size_t j = i + 1;
      while (j < b && faces[j] == faces[i] && levels_[j] == levels_[i]) ++j;
      runs.push_back({i, j, levels_[i]});
      i = j;
    }
    int top = 0, lowest_odd = 255;
    for (const Run& r : runs) {
      top = std::max(top, r.level);
      if (r.level % 2) lowest_odd = std::min(lowest_odd, r.level);
    }
    for (int level = top; level >= lowest_odd && level > 0; --level)
      for (size_t i = 0; i < runs.size();) {
        if (runs[i].level < level) {
          ++i;
          continue;
        }
        size_t j = i;
        while (j < runs.size() && runs[j].level >= level) ++j;
        std::reverse(runs.begin() + static_cast<long>(i), runs.begin() + static_cast<long>(j));
        i = j;
      }
    std::vector<Glyph> out;
    double pen = 0;
    hb_buffer_t* buf = hb_buffer_create();
    for (const Run& r : runs) {
      FontFace* face = faces[r.a];
      double scale = face->set_pixel_size(px_);
      hb_buffer_clear_contents(buf);
      hb_buffer_add_codepoints(buf, reinterpret_cast<const uint32_t*>(cps.data()), static_cast<int>(cps.size()),
                               static_cast<unsigned>(r.a), static_cast<int>(r.b - r.a));
      hb_buffer_set_direction(buf, r.level % 2 ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
      hb_buffer_guess_segment_properties(buf);  // script and language; the direction stays
      hb_shape(face->hb, buf, nullptr, 0);
      unsigned n = 0;
      hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &n);
      hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &n);
      for (unsigned i = 0; i < n; ++i) {
        Glyph g;
        g.face = face;
        g.gid = info[i].codepoint;
        g.cluster = info[i].cluster;
        g.scale = scale;
        g.x = pen + pos[i].x_offset / 64.0 * scale;
        g.y = pos[i].y_offset / 64.0 * scale;
        g.advance = pos[i].x_advance / 64.0 * scale;
        pen += g.advance;
        out.push_back(g);
      }
    }
    hb_buffer_destroy(buf);
    *width = pen;
    return out;
  }

  // Greedy wrapping of one paragraph at `max_width` pixels; each line shaped on its own. Stops
  // when `lines` holds `max_lines`: what lies below can never reach the frame.
  void add_paragraph(const std::u32string& cps, size_t a, size_t b, double max_width, size_t max_lines,
                     std::vector<Line>& lines) {
    if (lines.size() >= max_lines) return;
    std::vector<FontFace*> faces(cps.size(), primary_);
    for (size_t i = a; i < b; ++i)
      faces[i] = (i > a && attaches_to_previous(cps[i])) ? faces[i - 1] : fonts_.face_for(cps[i], primary_);
    // Bidi embedding levels of the paragraph; its base direction comes from its first strong
    // character (Arabic first: right to left).
    levels_.assign(cps.size(), 0);
    if (b > a) {
      const int n = static_cast<int>(b - a);
      const auto* text = reinterpret_cast<const FriBidiChar*>(cps.data() + a);
      std::vector<FriBidiCharType> types(n);
      std::vector<FriBidiBracketType> brackets(n);
      std::vector<FriBidiLevel> levels(n);
      fribidi_get_bidi_types(text, n, types.data());
      fribidi_get_bracket_types(text, n, types.data(), brackets.data());
      FriBidiParType base = FRIBIDI_PAR_ON;
      if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), n, &base, levels.data()) > 0)
        for (int i = 0; i < n; ++i) levels_[a + i] = levels[i];
    }
    if (a == b) {
      lines.push_back({});
      return;
    }
    // Advance of each code point, measured from one shaping of the whole paragraph.
    double total = 0;
    std::vector<Glyph> all = shape(cps, faces, a, b, &total);
    std::vector<double> advance(cps.size(), 0);
    for (const Glyph& g : all) advance[g.cluster] += g.advance;
    size_t start = a;
    while (start < b && lines.size() < max_lines) {
      while (start < b && cps[start] == U' ') ++start;  // no line starts with a space
      if (start >= b) break;
      double w = 0;
      size_t last_break = start, i = start;
      for (; i < b; ++i) {
        bool can_break_before = i > start &&
                                (cps[i - 1] == U' ' || breaks_anywhere(cps[i]) || breaks_anywhere(cps[i - 1])) &&
                                !attaches_to_previous(cps[i]);
        if (can_break_before) last_break = i;
        w += advance[i];
        if (w > max_width && i > start) {
          if (last_break == start) last_break = i;  // one word wider than the line: cut it
          break;
        }
      }
      size_t end = i >= b ? b : last_break;
      size_t trimmed = end;
      while (trimmed > start && cps[trimmed - 1] == U' ') --trimmed;
      Line line;
      line.glyphs = shape(cps, faces, start, trimmed, &line.width);
      lines.push_back(std::move(line));
      start = end;
    }
  }

 private:
  FontLibrary& fonts_;
  FontFace* primary_;
  int px_;
  std::vector<int> levels_;  // bidi level of each code point of the paragraph being laid out
};

// dst = src + dst * (1 - src.alpha), premultiplied float BGRA.
void over(cv::Mat& dst, const cv::Mat& src) {
  for (int y = 0; y < dst.rows; ++y) {
    auto* d = dst.ptr<cv::Vec4f>(y);
    const auto* s = src.ptr<cv::Vec4f>(y);
    for (int x = 0; x < dst.cols; ++x) d[x] = s[x] + d[x] * (1.0f - s[x][3]);
  }
}

// A layer of one colour through a coverage mask (0..255).
cv::Mat tinted(const cv::Mat& mask, const draft::Color& c) {
  cv::Mat out(mask.size(), CV_32FC4);
  float a = c.a / 255.0f;
  cv::Vec4f pm(c.b / 255.0f * a, c.g / 255.0f * a, c.r / 255.0f * a, a);
  for (int y = 0; y < mask.rows; ++y) {
    const uint8_t* m = mask.ptr<uint8_t>(y);
    auto* o = out.ptr<cv::Vec4f>(y);
    for (int x = 0; x < mask.cols; ++x) o[x] = pm * (m[x] / 255.0f);
  }
  return out;
}

draft::Align default_align(const draft::TextPosition& pos) {
  if (!pos.anchor) return draft::Align::Center;
  switch (*pos.anchor) {
    case draft::Anchor::TopLeft:
    case draft::Anchor::Left:
    case draft::Anchor::BottomLeft:
      return draft::Align::Left;
    case draft::Anchor::TopRight:
    case draft::Anchor::Right:
    case draft::Anchor::BottomRight:
      return draft::Align::Right;
    default:
      return draft::Align::Center;
  }
}

}  // namespace

std::u32string utf8_to_u32(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

TextRenderer::TextRenderer(SourceResolver resolve) : resolve_(std::move(resolve)) {}

int TextRenderer::char_count(const draft::TextProps& props) const {
  return static_cast<int>(utf8_to_u32(props.text).size());
}

namespace {

// A script's English name and a Debian package with fonts for it (Noto's core set covers every
// living script but the CJK ones and colour emoji), by the ISO 15924 tag HarfBuzz gives.
TextRenderer::MissingScript script_and_package(char32_t cp) {
  const hb_script_t script = hb_unicode_script(hb_unicode_funcs_get_default(), cp);
  struct Known {
    const char* tag;
    const char* name;
    const char* package;
  };
  static const Known known[] = {
      {"Hani", "Chinese (Han)", "fonts-noto-cjk"},
      {"Hira", "Japanese (Hiragana)", "fonts-noto-cjk"},
      {"Kana", "Japanese (Katakana)", "fonts-noto-cjk"},
      {"Hang", "Korean (Hangul)", "fonts-noto-cjk"},
      {"Bopo", "Bopomofo", "fonts-noto-cjk"},
      {"Arab", "Arabic", "fonts-noto-core"},
      {"Hebr", "Hebrew", "fonts-noto-core"},
      {"Thai", "Thai", "fonts-noto-core"},
      {"Deva", "Devanagari", "fonts-noto-core"},
      {"Beng", "Bengali", "fonts-noto-core"},
      {"Taml", "Tamil", "fonts-noto-core"},
      {"Telu", "Telugu", "fonts-noto-core"},
      {"Knda", "Kannada", "fonts-noto-core"},
      {"Mlym", "Malayalam", "fonts-noto-core"},
      {"Gujr", "Gujarati", "fonts-noto-core"},
      {"Guru", "Gurmukhi", "fonts-noto-core"},
      {"Orya", "Odia", "fonts-noto-core"},
      {"Sinh", "Sinhala", "fonts-noto-core"},
      {"Khmr", "Khmer", "fonts-noto-core"},
      {"Laoo", "Lao", "fonts-noto-core"},
      {"Mymr", "Myanmar", "fonts-noto-core"},
      {"Tibt", "Tibetan", "fonts-noto-core"},
      {"Ethi", "Ethiopic", "fonts-noto-core"},
      {"Geor", "Georgian", "fonts-noto-core"},
      {"Armn", "Armenian", "fonts-noto-core"},
      {"Grek", "Greek", "fonts-noto-core"},
      {"Cyrl", "Cyrillic", "fonts-noto-core"},
      {"Latn", "Latin", "fonts-noto-core"},
  };
  char tag[5] = {0};
  hb_tag_to_string(hb_script_to_iso15924_tag(script), tag);
  for (const Known& k : known)
    if (std::string_view(tag) == k.tag) return {k.name, k.package};
  // Pictographs are script Common: emoji have their own font.
  if ((cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF)) return {"emoji", "fonts-noto-color-emoji"};
  return {script == HB_SCRIPT_COMMON ? "symbols" : std::string("the ") + tag + " script", "fonts-noto-core"};
}

}  // namespace

std::string TextRenderer::font_of(const draft::TextStyle& st) const {
  if (resolve_ && names_font_file(st.font)) {
    try {
      return resolve_(st.font);
    } catch (const std::exception&) {
      // Not found where the draft says: matched by name, then sans-serif, as an unknown
      // family is (the font is a preference, not a source the video cannot do without).
    }
  }
  return st.font;
}

std::vector<TextRenderer::MissingScript> TextRenderer::missing_scripts(const draft::TextProps& props) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<MissingScript> out;
  FontFace* primary = fonts_.face(font_of(props.style), props.kind == "title" && props.style.font.empty());
  for (char32_t cp : utf8_to_u32(props.text)) {
    // Spacing, joiners and variation selectors draw nothing of their own.
    if (cp < 0x21 || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
        (cp >= 0xE0020 && cp <= 0xE007F))
      continue;
    if (fonts_.face_for(cp, primary)->has_char(cp)) continue;
    MissingScript m = script_and_package(cp);
    if (std::none_of(out.begin(), out.end(), [&](const MissingScript& o) { return o.script == m.script; }))
      out.push_back(std::move(m));
  }
  return out;
}

TextRaster TextRenderer::render(const draft::TextProps& props, int canvas_w, int canvas_h, int visible_chars) {
  std::lock_guard lock(mu_);
  const draft::TextStyle& st = props.style;
  const int px = std::clamp(static_cast<int>(std::lround(st.size * canvas_h)), 6, std::max(6, 2 * canvas_h));
  FontFace* primary = fonts_.face(font_of(st), props.kind == "title" && st.font.empty());
  primary->set_pixel_size(px);

  // Padding around the glyphs for the stroke, the shadow and the box.
  const int stroke_r = st.stroke ? std::max(1, static_cast<int>(std::lround(px * 0.06))) : 0;
  const int shadow_off = st.shadow ? std::max(1, static_cast<int>(std::lround(px * 0.05))) : 0;
  const double shadow_sigma = st.shadow ? std::max(1.0, px * 0.04) : 0;
  const int box_px = st.box ? static_cast<int>(std::lround(px * 0.3)) : 0;
  const int box_py = st.box ? static_cast<int>(std::lround(px * 0.15)) : 0;
  const int pad = stroke_r + shadow_off + static_cast<int>(std::ceil(3 * shadow_sigma)) + std::max(box_px, box_py) + 2;

  const double max_width = std::max<double>(px, st.max_width * canvas_w - 2.0 * box_px);
  // Only what can reach the frame is laid out and drawn: lines down to twice the frame's height
  // (room for any anchor and the animations' reach), so a text layer's memory is a small
  // multiple of the frame whatever the text (50,000 characters, a word a line at size 1).
  const size_t max_lines = std::max<size_t>(1, size_t(std::ceil(2.0 * canvas_h / std::lround(px * 1.25))) + 1);
  std::u32string cps = utf8_to_u32(props.text);
  Layout layout(fonts_, primary, px);
  std::vector<Line> lines;
  for (size_t a = 0; a <= cps.size() && lines.size() < max_lines;) {
    size_t b = cps.find(U'\n', a);
    if (b == std::u32string::npos) b = cps.size();
    layout.add_paragraph(cps, a, b, max_width, max_lines, lines);
    a = b + 1;
  }

  primary->set_pixel_size(px);
  const double asc = primary->ft->size->metrics.ascender / 64.0;
  const double desc = -primary->ft->size->metrics.descender / 64.0;
  const int line_h = static_cast<int>(std::lround(px * 1.25));
  const double baseline0 = (line_h - (asc + desc)) / 2.0 + asc;
  double block_w = 0;
  for (const auto& l : lines) block_w = std::max(block_w, l.width);
  const int bw = static_cast<int>(std::ceil(block_w));
  const int bh = line_h * static_cast<int>(std::max<size_t>(1, lines.size()));
  const draft::Align align = st.align.value_or(default_align(st.position));

  cv::Mat coverage = cv::Mat::zeros(bh + 2 * pad, bw + 2 * pad, CV_8U);
  cv::Mat colour = cv::Mat::zeros(coverage.size(), CV_32FC4);  // colour glyphs (emoji)
  for (size_t li = 0; li < lines.size(); ++li) {
    const Line& line = lines[li];
    double x0 = pad + (align == draft::Align::Left    ? 0
                       : align == draft::Align::Right ? block_w - line.width
                                                      : (block_w - line.width) / 2);
    double base = pad + li * line_h + baseline0;
    for (const Glyph& g : line.glyphs) {
      if (visible_chars >= 0 && g.cluster >= static_cast<uint32_t>(visible_chars)) continue;
      g.face->set_pixel_size(px);
      FT_Face ft = g.face->ft;
      if (FT_Load_Glyph(ft, g.gid, g.face->color ? FT_LOAD_COLOR : FT_LOAD_DEFAULT) != 0) continue;
      if (FT_Render_Glyph(ft->glyph, FT_RENDER_MODE_NORMAL) != 0) continue;
      const FT_Bitmap& bm = ft->glyph->bitmap;
      if (bm.width == 0 || bm.rows == 0) continue;
      if (bm.pixel_mode == FT_PIXEL_MODE_BGRA) {
        cv::Mat src(bm.rows, bm.width, CV_8UC4, bm.buffer, bm.pitch);
        cv::Mat scaled;
        cv::resize(src, scaled, cv::Size(), g.scale, g.scale, cv::INTER_AREA);
        int left = static_cast<int>(std::lround(x0 + g.x + ft->glyph->bitmap_left * g.scale));
        int top = static_cast<int>(std::lround(base - g.y - ft->glyph->bitmap_top * g.scale));
        cv::Rect r = cv::Rect(left, top, scaled.cols, scaled.rows) & cv::Rect(0, 0, colour.cols, colour.rows);
        for (int y = r.y; y < r.y + r.height; ++y)
          for (int x = r.x; x < r.x + r.width; ++x) {
            cv::Vec4b s = scaled.at<cv::Vec4b>(y - top, x - left);
            cv::Vec4f sf(s[0] / 255.0f, s[1] / 255.0f, s[2] / 255.0f,
                         s[3] / 255.0f);  // FreeType's BGRA is premultiplied
            cv::Vec4f& d = colour.at<cv::Vec4f>(y, x);
            d = sf + d * (1.0f - sf[3]);
          }
      } else if (bm.pixel_mode == FT_PIXEL_MODE_GRAY) {
        int left = static_cast<int>(std::lround(x0 + g.x)) + ft->glyph->bitmap_left;
        int top = static_cast<int>(std::lround(base - g.y)) - ft->glyph->bitmap_top;
        for (unsigned y = 0; y < bm.rows; ++y) {
          int cy = top + static_cast<int>(y);
          if (cy < 0 || cy >= coverage.rows) continue;
          uint8_t* row = coverage.ptr<uint8_t>(cy);
          const uint8_t* src = bm.buffer + static_cast<ptrdiff_t>(y) * bm.pitch;
          for (unsigned x = 0; x < bm.width; ++x) {
            int cx = left + static_cast<int>(x);
            if (cx >= 0 && cx < coverage.cols) row[cx] = std::max(row[cx], src[x]);
          }
        }
      }
    }
  }

  // Layers, bottom to top: box, shadow, stroke, fill, colour glyphs.
  cv::Mat out = cv::Mat::zeros(coverage.size(), CV_32FC4);
  std::vector<cv::Mat> colour_planes;
  cv::split(colour, colour_planes);
  cv::Mat colour_alpha;
  colour_planes[3].convertTo(colour_alpha, CV_8U, 255.0);
  cv::Mat shape_mask = cv::max(coverage, colour_alpha);
  if (st.box) {
    cv::Mat box = cv::Mat::zeros(coverage.size(), CV_8U);
    cv::rectangle(box, cv::Rect(pad - box_px, pad - box_py, bw + 2 * box_px, bh + 2 * box_py), cv::Scalar(255),
                  cv::FILLED);
    over(out, tinted(box, *st.box));
  }
  if (st.shadow) {
    cv::Mat shadow = cv::Mat::zeros(coverage.size(), CV_8U);
    cv::Mat shifted = shape_mask(cv::Rect(0, 0, shape_mask.cols - shadow_off, shape_mask.rows - shadow_off));
    shifted.copyTo(shadow(cv::Rect(shadow_off, shadow_off, shifted.cols, shifted.rows)));
    cv::GaussianBlur(shadow, shadow, cv::Size(), shadow_sigma);
    over(out, tinted(shadow, *st.shadow));
  }
  if (st.stroke) {
    cv::Mat grown;
    cv::dilate(shape_mask, grown,
               cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * stroke_r + 1, 2 * stroke_r + 1)));
    over(out, tinted(grown, *st.stroke));
  }
  over(out, tinted(coverage, st.color));
  over(out, colour);

  TextRaster raster;
  out.convertTo(raster.bgra, CV_8UC4, 255.0);

  // Place the block (without its padding) at the anchor, inside a 5% safe margin, and keep
  // it inside the frame whatever the position says.
  const int mx = static_cast<int>(std::lround(canvas_w * 0.05)), my = static_cast<int>(std::lround(canvas_h * 0.05));
  const int ow = bw + 2 * box_px, oh = bh + 2 * box_py;  // what shows: the block and its box
  int bx = (canvas_w - ow) / 2, by = (canvas_h - oh) / 2;
  if (st.position.anchor) {
    using draft::Anchor;
    Anchor a = *st.position.anchor;
    if (a == Anchor::TopLeft || a == Anchor::Left || a == Anchor::BottomLeft) bx = mx;
    if (a == Anchor::TopRight || a == Anchor::Right || a == Anchor::BottomRight) bx = canvas_w - ow - mx;
    if (a == Anchor::TopLeft || a == Anchor::Top || a == Anchor::TopRight) by = my;
    if (a == Anchor::BottomLeft || a == Anchor::Bottom || a == Anchor::BottomRight) by = canvas_h - oh - my;
  } else {
    bx = static_cast<int>(std::lround(st.position.x * canvas_w - ow / 2.0));
    by = static_cast<int>(std::lround(st.position.y * canvas_h - oh / 2.0));
  }
  bx = std::clamp(bx, 0, std::max(0, canvas_w - ow));
  by = std::clamp(by, 0, std::max(0, canvas_h - oh));
  raster.x = bx + box_px - pad;
  raster.y = by + box_py - pad;
  return raster;
}

}  // namespace reel::engine
