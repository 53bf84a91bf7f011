#include "engine/photo/framing.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "base/files.h"
#include "engine/clip/decoder.h"
#include "engine/errors.h"
#include "engine/photo/decoder.h"
#include "engine/photo/proxy_cache.h"
#include "engine/plan/ken_burns.h"

namespace reel::engine {

namespace fs = std::filesystem;

namespace {

int even_up(double v) { return std::max(2, int(std::ceil(v / 2 - 1e-9)) * 2); }

std::string megabytes(int64_t bytes) {
  double mb = double(bytes) / (1 << 20);
  char buf[32];
  std::snprintf(buf, sizeof buf, mb < 10 ? "%.1f" : "%.0f", mb);
  return buf;
}

const char* kReexport = "re-export or re-download the photo, or replace it in the draft";

cv::Mat resize_to(const cv::Mat& m, int w, int h) {
  if (m.cols == w && m.rows == h) return m;
  cv::Mat out;
  bool shrink = w <= m.cols && h <= m.rows;
  cv::resize(m, out, cv::Size(w, h), 0, 0, shrink ? cv::INTER_AREA : cv::INTER_CUBIC);
  return out;
}

/// Places `photo` scaled to fit inside `canvas` (contain), centred.
void place_contained(const cv::Mat& photo, cv::Mat& canvas) {
  double c = std::min(double(canvas.cols) / photo.cols, double(canvas.rows) / photo.rows);
  int w = std::max(1, int(std::lround(photo.cols * c))), h = std::max(1, int(std::lround(photo.rows * c)));
  w = std::min(w, canvas.cols);
  h = std::min(h, canvas.rows);
  cv::Mat scaled = resize_to(photo, w, h);
  scaled.copyTo(canvas(cv::Rect((canvas.cols - w) / 2, (canvas.rows - h) / 2, w, h)));
}

// A covering picture is at most this many framings wide (or tall): a panorama's ends beyond
// are cropped before scaling, so what a framing produces is bounded whatever the photo's
// shape (a 100000x1 picture would otherwise cover a 1080p canvas at 100 million pixels wide).
constexpr double kMaxCoverSpans = 4;

/// The framing's size (fw x fh) at `scale` times the canvas and the picture's size when
/// covering or contained in it.
struct FitSizes {
  double scale = 1;
  int fw = 0, fh = 0;
  cv::Size cover, contain;
  // The share of the photo's width and height the cover shows (1 but for long panoramas).
  double cover_keep_w = 1, cover_keep_h = 1;
};

FitSizes fit_sizes(const Plan& plan, cv::Size shown, double scale) {
  const double W = plan.width * scale, H = plan.height * scale;
  const double pw = double(shown.width), ph = double(shown.height);
  FitSizes z;
  z.scale = scale;
  z.fw = even_up(W);
  z.fh = even_up(H);
  const double cover = std::max(W / pw, H / ph), contain = std::min(W / pw, H / ph);
  const double cw = std::min(pw * cover, kMaxCoverSpans * z.fw), ch = std::min(ph * cover, kMaxCoverSpans * z.fh);
  z.cover_keep_w = cw / (pw * cover);
  z.cover_keep_h = ch / (ph * cover);
  z.cover = cv::Size(std::max(z.fw, even_up(cw)), std::max(z.fh, even_up(ch)));
  z.contain = cv::Size(std::max(1, int(std::lround(pw * contain))), std::max(1, int(std::lround(ph * contain))));
  return z;
}

/// The centred part of a photo of size `got` that its cover shows (all of it but for long
/// panoramas).
cv::Rect cover_rect(cv::Size got, const FitSizes& z) {
  if (z.cover_keep_w >= 1 && z.cover_keep_h >= 1) return {0, 0, got.width, got.height};
  const int w = std::clamp(int(std::lround(got.width * z.cover_keep_w)), 1, got.width);
  const int h = std::clamp(int(std::lround(got.height * z.cover_keep_h)), 1, got.height);
  return {(got.width - w) / 2, (got.height - h) / 2, w, h};
}

// A picture more elongated than this is a line, not a photo: no framing shows it usefully.
constexpr int64_t kMaxAspect = 64;

void refuse_elongated(const PlanItem& item, int64_t w, int64_t h) {
  if (w <= 0 || h <= 0 || (w <= kMaxAspect * h && h <= kMaxAspect * w)) return;
  throw MediaError({{item.pointer, item.reference,
                     "is " + std::to_string(w) + "x" + std::to_string(h) + " pixels, more elongated than " +
                         std::to_string(kMaxAspect) + ":1, which no framing can show",
                     "crop it to the part you want to show"}});
}

/// Where `blur` puts the photo in its framing (fw x fh): inside the part every frame of the Ken
/// Burns path shows, so the path moves the blurred background and the photo with it but never
/// cuts the photo (the whole framing when the path holds still at zoom 1).
cv::Rect blur_photo_rect(const PlanItem& item, int fw, int fh) {
  double x0 = 0, y0 = 0, x1 = 1, y1 = 1;
  for (int i = 0; i <= 64; ++i) {
    const draft::FocusPoint p = item.kb.at(i / 64.0);
    const double w = 1 / std::max(p.zoom, 1e-3), h = w;
    const double cx = w >= 1 ? 0.5 : std::clamp(p.x, w / 2, 1 - w / 2),
                 cy = h >= 1 ? 0.5 : std::clamp(p.y, h / 2, 1 - h / 2);
    x0 = std::max(x0, cx - w / 2);
    x1 = std::min(x1, cx + w / 2);
    y0 = std::max(y0, cy - h / 2);
    y1 = std::min(y1, cy + h / 2);
  }
  // Whole pixels inside the shared view, 1% of the framing in from its edges (the warp's filter
  // reaches a few pixels, and a rim of the background keeps the photo's edge visible).
  const double ix = x1 - x0 < 1 ? 0.01 : 0, iy = y1 - y0 < 1 ? 0.01 : 0;
  int px0 = std::clamp(int(std::ceil((x0 + ix) * fw)), 0, fw - 1);
  int py0 = std::clamp(int(std::ceil((y0 + iy) * fh)), 0, fh - 1);
  int px1 = std::clamp(int(std::floor((x1 - ix) * fw)), px0 + 1, fw);
  int py1 = std::clamp(int(std::floor((y1 - iy) * fh)), py0 + 1, fh);
  return {px0, py0, px1 - px0, py1 - py0};
}

}  // namespace

cv::Size shown_size(const PlanItem& item) {
  if (item.is_clip) return {item.clip.width, item.clip.height};
  return {int(item.photo.display_width()), int(item.photo.display_height())};
}

SubjectView subject_view(const Plan& plan, const PlanItem& item, cv::Size shown, const draft::FocusBox& focus,
                         const std::vector<draft::FocusBox>& faces) {
  SubjectView v;
  if (shown.width <= 0 || shown.height <= 0) return v;
  const FitSizes z = fit_sizes(plan, shown, item.prep_scale);
  // Maps a box of the source to the framed picture: scale and offset per axis, clipped to it.
  double sx = 1, ox = 0, sy = 1, oy = 0;
  switch (item.fit) {
    case draft::Fit::Cover:
      // The framed picture is the (centred part of the) photo, larger than the canvas.
      v.view_w = std::min(1.0, double(z.fw) / z.cover.width);
      v.view_h = std::min(1.0, double(z.fh) / z.cover.height);
      sx = 1 / z.cover_keep_w;
      ox = -(1 - z.cover_keep_w) / 2 * sx;
      sy = 1 / z.cover_keep_h;
      oy = -(1 - z.cover_keep_h) / 2 * sy;
      break;
    case draft::Fit::Stretch:
      break;
    case draft::Fit::Contain:
    case draft::Fit::Blur:
      sx = double(z.contain.width) / z.fw;
      sy = double(z.contain.height) / z.fh;
      ox = (1 - sx) / 2;
      oy = (1 - sy) / 2;
      break;
  }
  auto map = [&](const draft::FocusBox& b) {
    double x0 = std::clamp(ox + b.x * sx, 0.0, 1.0), x1 = std::clamp(ox + (b.x + b.w) * sx, 0.0, 1.0);
    double y0 = std::clamp(oy + b.y * sy, 0.0, 1.0), y1 = std::clamp(oy + (b.y + b.h) * sy, 0.0, 1.0);
    return draft::FocusBox{x0, y0, std::max(x1 - x0, 1e-4), std::max(y1 - y0, 1e-4)};
  };
  v.focus = map(focus);
  for (const draft::FocusBox& f : faces) v.faces.push_back(map(f));
  return v;
}

PhotoInfo check_source(const PlanItem& item, const MediaLimits& limits) {
  auto fail = [&](std::string problem, std::string advice) {
    throw MediaError({{item.pointer, item.reference, std::move(problem), std::move(advice)}});
  };
  std::error_code ec;
  auto status = fs::status(item.path, ec);
  if (ec || !fs::exists(status))
    fail("file not found (looked for " + item.path + ")", "check the path; relative paths start at the draft's folder");
  if (fs::is_directory(status)) fail("is a folder, not a photo", "point the segment at a photo file");
  if (const std::string kind = base::special_file_kind(item.path); !kind.empty())
    fail("is " + kind + ", not a photo file", "point the segment at the photo file itself");
  int64_t bytes = int64_t(fs::file_size(item.path, ec));
  if (ec) fail("cannot be read (" + ec.message() + ")", "check the file's permissions");
  if (bytes == 0) fail("the file is empty (0 bytes)", "replace it with the photo itself");
  if (bytes > limits.max_file_bytes)
    fail("the file is " + megabytes(bytes) + " MB, over the limit of " + megabytes(limits.max_file_bytes) + " MB",
         "use a smaller export of the photo, or raise the limit with --max-file-mb");
  PhotoInfo info = probe_photo(item.path);
  if (info.format == PhotoFormat::Text)
    fail("not an image: the file holds text, not JPEG, PNG, WebP, BMP, TIFF or HEIC data",
         "replace it with the photo itself (the file name's extension does not make it one)");
  if (info.format == PhotoFormat::Gif) fail("GIF is not supported yet", "convert it to PNG or JPEG");
  if (info.format == PhotoFormat::Unknown && info.defect.rfind("a video clip", 0) == 0)
    fail(info.defect, "give the file its video extension (.mp4, .mov, .webm, ...) so it is read as a clip");
  if (info.format == PhotoFormat::Unknown)
    fail("unsupported format: not JPEG, PNG, WebP, BMP, TIFF or HEIC", "convert it to JPEG or PNG");
  if (info.width > 0 && info.height > 0 && info.width * info.height > limits.max_pixels) {
    char mp[32];
    std::snprintf(mp, sizeof mp, "%.0f", double(info.width * info.height) / 1e6);
    fail("the image is " + std::to_string(info.width) + "x" + std::to_string(info.height) + " (" + mp +
             " megapixels), over the limit of " + std::to_string(limits.max_pixels / 1'000'000) + " megapixels",
         "scale it down, or raise the limit with --max-megapixels");
  }
  if (!info.defect.empty()) fail(info.defect, kReexport);
  return info;
}

void check_item(PlanItem& item, const MediaLimits& limits) {
  if (!item.is_clip) {
    item.photo = check_source(item, limits);
    refuse_elongated(item, item.photo.display_width(), item.photo.display_height());
    return;
  }
  item.clip = probe_clip(item.path, item.pointer, item.reference, limits);
  refuse_elongated(item, item.clip.width, item.clip.height);
  if (item.in_us >= item.clip.duration_us) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", double(item.clip.duration_us) / 1e6);
    std::string len = buf;  // 0.40 -> 0.4, 12.00 -> 12
    while (len.back() == '0') len.pop_back();
    if (len.back() == '.') len.pop_back();
    throw MediaError({{item.pointer, item.reference, "`in` is past the end of the clip (" + len + " s long)",
                       "set `in` inside the clip, or trim the segment"}});
  }
}

namespace {

// Source rows decoded and scaled per step of a streamed framing: a few hundred kB in flight.
constexpr int kBandRows = 32;

/// Makes `item`'s framed picture (its fit mode at z.scale times the canvas, YUV 4:2:0), or its
/// rows `rows`, from `photo`'s rows, handing it to `sink` a band of rows at a time (their
/// first row counted in the whole framed picture). Cover and stretch are one scaling by
/// swscale straight from the decoder's rows, so neither the decoded photo nor the framed
/// picture is ever held whole (together they were the largest buffers of a render); contain
/// and blur compose the framing in BGR from the whole photo first. Only a cover made at the
/// decode's own size is made in part: `photo` then holds just those rows.
void frame_rows(const Plan& plan, const PlanItem& item, PhotoRows& photo, const FitSizes& z, RowSpan rows,
                const YuvRowsSink& whole_sink) {
  const int fw = z.fw, fh = z.fh;
  const YuvRowsSink sink = [&](const YuvView& band, int y0) { whole_sink(band, y0 + rows.first); };
  cv::Mat framed;
  switch (item.fit) {
    case draft::Fit::Cover:
    case draft::Fit::Stretch: {
      const bool cover = item.fit == draft::Fit::Cover;
      const cv::Rect part = cover ? cover_rect(photo.size(), z) : cv::Rect(cv::Point(), photo.size());
      const cv::Size out = cover ? cv::Size(z.cover.width, rows.end - rows.first) : cv::Size(fw, fh);
      BgrToYuvStream stream(part.width, part.height, out.width, out.height, sink);
      for (int y = 0; y < part.y + part.height;) {
        const cv::Mat band = photo.next(kBandRows);
        if (band.empty()) break;  // finish() says what is missing
        const int from = std::max(y, part.y), to = std::min(y + band.rows, part.y + part.height);
        if (from < to) stream.push(band(cv::Rect(part.x, from - y, part.width, to - from)));
        y += band.rows;
      }
      stream.finish();
      return;
    }
    case draft::Fit::Contain: {
      const cv::Mat whole = photo.rest();
      const auto& bg = plan.background;
      framed = cv::Mat(fh, fw, CV_8UC3, cv::Scalar(bg.b, bg.g, bg.r));
      place_contained(whole, framed);
      break;
    }
    case draft::Fit::Blur: {
      // A blurred, darkened cover of the photo, made small and scaled up (cheap and smooth).
      const cv::Mat whole = photo.rest();
      const cv::Mat covered = whole(cover_rect(whole.size(), z));
      double c = std::max(double(fw) / covered.cols, double(fh) / covered.rows);
      int sw = std::max(1, int(std::lround(covered.cols * c / 16))),
          sh = std::max(1, int(std::lround(covered.rows * c / 16)));
      cv::Mat small;
      cv::resize(covered, small, cv::Size(sw, sh), 0, 0, cv::INTER_AREA);
      int cw = std::min(sw, std::max(1, fw / 16)), ch = std::min(sh, std::max(1, fh / 16));
      cv::Mat crop = small(cv::Rect((sw - cw) / 2, (sh - ch) / 2, cw, ch)).clone();
      cv::GaussianBlur(crop, crop, cv::Size(0, 0), 2.0);
      crop.convertTo(crop, -1, 0.55, 0);
      cv::resize(crop, framed, cv::Size(fw, fh), 0, 0, cv::INTER_CUBIC);
      cv::Mat place = framed(blur_photo_rect(item, fw, fh));
      place_contained(whole, place);
      break;
    }
  }
  BgrToYuvStream stream(fw, fh, fw, fh, sink);
  stream.push(framed);
  stream.finish();
}

/// The part of a framed picture (cols x rows) the Ken Burns path can show, plus the warp's
/// filter support: a square photo covering a 16:9 canvas is nearly half unused, and memory is
/// what bounds the source cache.
Region reachable_region(const Plan& plan, const PlanItem& item, double s, int cols, int rows) {
  double x0 = cols, y0 = rows, x1 = 0, y1 = 0;
  for (int i = 0; i <= 32; ++i) {
    Affine m = ken_burns_affine(item.kb.at(i / 32.0), s, cols, rows, plan.width, plan.height);
    x0 = std::min(x0, m[2]);
    y0 = std::min(y0, m[5]);
    x1 = std::max(x1, m[0] * (plan.width - 1) + m[2]);
    y1 = std::max(y1, m[4] * (plan.height - 1) + m[5]);
  }
  const double margin = 2.0 * std::max(1.0, s) + 2;
  int cx0 = std::clamp(int(std::floor(x0 - margin)) & ~1, 0, cols - 2);
  int cy0 = std::clamp(int(std::floor(y0 - margin)) & ~1, 0, rows - 2);
  int cx1 = std::clamp(int(std::ceil(x1 + margin)) + 1, cx0 + 2, cols);
  int cy1 = std::clamp(int(std::ceil(y1 + margin)) + 1, cy0 + 2, rows);
  cx1 = std::min(cols, cx0 + ((cx1 - cx0 + 1) & ~1));
  cy1 = std::min(rows, cy0 + ((cy1 - cy0 + 1) & ~1));
  return {cx0, cy0, cx1 - cx0, cy1 - cy0};
}

/// The prepared source made of `part`, the region `r` of a framed picture cols x rows.
std::shared_ptr<const PreparedSource> prepared_from(double scale, int cols, int rows, Region r, YuvImage part) {
  auto out = std::make_shared<PreparedSource>();
  out->full_width = cols;
  out->full_height = rows;
  out->offset_x = r.x;
  out->offset_y = r.y;
  out->image = std::move(part);
  out->scale = scale;
  return out;
}

cv::Size framed_size(const PlanItem& item, const FitSizes& z) {
  return item.fit == draft::Fit::Cover ? z.cover : cv::Size(z.fw, z.fh);
}

/// Frames `photo` for `item` and keeps the part its Ken Burns path reaches, copied from each
/// band as it is made; with `proxy`, the framed picture's rows `made` (all of them, or those
/// the photo was decoded for) are written there as they come.
std::shared_ptr<const PreparedSource> frame_and_keep(const Plan& plan, const PlanItem& item, PhotoRows& photo,
                                                     const FitSizes& z, RowSpan made, ProxyCache::Writer* proxy) {
  const cv::Size framed = framed_size(item, z);
  const Region r = reachable_region(plan, item, z.scale, framed.width, framed.height);
  YuvImage part(r.width, r.height);
  const YuvView kept = part.view();
  frame_rows(plan, item, photo, z, made, [&](const YuvView& rows, int y0) {
    for (int p = 0; p < 3; ++p) {
      const int shift = p ? 1 : 0, top = y0 >> shift, region_top = r.y >> shift;
      const int from = std::max(top, region_top),
                to = std::min(top + rows.plane[p].height, region_top + kept.plane[p].height);
      for (int y = from; y < to; ++y)
        std::memcpy(kept.plane[p].row(y - region_top), rows.plane[p].row(y - top) + (r.x >> shift),
                    size_t(kept.plane[p].width));
    }
    if (proxy) proxy->add(rows, y0 - made.first);
  });
  return prepared_from(z.scale, framed.width, framed.height, r, std::move(part));
}

/// The framing of a picture decoded at `got` (of a source shown at `shown`): at the item's
/// scale (its deepest zoom), unless the picture is too small to cover that, when it is made
/// at the picture's own resolution and the warp scales the rest of the way. No upscaled copy
/// is made and held (a JPEG decoded at 4/8 may be 15 % short, a small photo far more), and
/// the picture is resampled once, by the warp's cubic, instead of twice.
FitSizes framing_for(const Plan& plan, const PlanItem& item, cv::Size shown, cv::Size got) {
  const FitSizes z = fit_sizes(plan, shown, item.prep_scale);
  if (item.fit != draft::Fit::Cover || got.width <= 0 || got.height <= 0) return z;
  const double have =
      std::max(got.width * z.cover_keep_w / z.cover.width, got.height * z.cover_keep_h / z.cover.height);
  return have < 1 ? fit_sizes(plan, shown, item.prep_scale * have) : z;
}

// Rows decoded beyond those the Ken Burns path reaches: a crop's edge rows (their chroma, the
// scaling's filter) may differ from the whole picture's.
constexpr int kCropEdgeRows = 8;

/// The rows to decode, when not all: those `item`'s Ken Burns path reaches, where the format
/// crops while decoding (a square photo covering 16:9 shows 56% of its rows) and the decoded
/// picture is the framing itself (a cover made at the decode's size, with nothing cut off its
/// sides), so that its rows are the framed picture's rows too.
std::optional<RowSpan> rows_to_decode(const Plan& plan, const PlanItem& item, const PhotoInfo& info, cv::Size want,
                                      const FitSizes& z) {
  const cv::Size got = decoded_size(info, want, DecodeSize::About);
  if (item.fit != draft::Fit::Cover || got != z.cover || z.cover_keep_w < 1 || z.cover_keep_h < 1) return std::nullopt;
  const Region r = reachable_region(plan, item, z.scale, z.cover.width, z.cover.height);
  const RowSpan rows =
      decoded_rows(info, want, DecodeSize::About, {r.y - kCropEdgeRows, r.y + r.height + kCropEdgeRows});
  if (rows == RowSpan{0, got.height}) return std::nullopt;
  return rows;
}

/// The proxy key of `item`'s framed picture (its rows `rows`): the file's identity and
/// everything the framing depends on. Empty when a proxy is not worth it (a photo not much
/// larger than its framing decodes about as fast as its proxy reads) or the file cannot be
/// identified.
std::string proxy_key(const PlanItem& item, const PhotoInfo& info, const Plan& plan, const FitSizes& z, cv::Size want,
                      RowSpan rows) {
  if (int64_t(info.width) * info.height < 2 * int64_t(want.width) * want.height) return {};
  std::string id = base::file_identity(item.path);
  if (id.empty()) return {};
  char facts[160];
  std::snprintf(facts, sizeof facts, "|fit=%d|want=%dx%d|frame=%dx%d|bg=%02x%02x%02x", int(item.fit), want.width,
                want.height, z.fw, z.fh, plan.background.r, plan.background.g, plan.background.b);
  std::string place;
  if (item.fit == draft::Fit::Blur) {
    const cv::Rect r = blur_photo_rect(item, z.fw, z.fh);
    place = "|place=" + std::to_string(r.x) + "," + std::to_string(r.y) + "," + std::to_string(r.width) + "," +
            std::to_string(r.height);
  }
  if (rows != RowSpan{0, framed_size(item, z).height})
    place += "|rows=" + std::to_string(rows.first) + "," + std::to_string(rows.end);
  // The version changes whenever decoding or framing would make different pixels (2: cover
  // and stretch scaled by swscale; 3: blur's photo inside every frame of its path; 4: JPEG
  // also decoded at 3/8 of its size; 5: a cover never framed larger than its decode; 6: JPEG
  // and WebP decoded for the rows the path reaches).
  return "reel-proxy-6|" + id + facts + place;
}

}  // namespace

std::shared_ptr<const PreparedSource> prepare_source(const Plan& plan, const PlanItem& item,
                                                     const ProxyCache* proxies) {
  // Checked up front (render_to_file, render_still): the probe reads a whole file (JPEG
  // markers, PNG checksums), not to be done again in the middle of a render.
  const PhotoInfo info =
      item.photo.format != PhotoFormat::Unknown ? item.photo : check_source(item, MediaLimits{INT64_MAX, INT64_MAX});
  const cv::Size shown(info.display_width(), info.display_height());
  // The size the fit needs the photo at, so decoders can scale while decoding.
  const FitSizes needed = fit_sizes(plan, shown, item.prep_scale);
  cv::Size want;
  switch (item.fit) {
    case draft::Fit::Cover:
      want = needed.cover;
      break;
    case draft::Fit::Contain:
    case draft::Fit::Blur:
      want = needed.contain;
      break;
    case draft::Fit::Stretch:
      want = cv::Size(needed.fw, needed.fh);
      break;
  }
  const FitSizes z = framing_for(plan, item, shown, decoded_size(info, want, DecodeSize::About));
  const cv::Size framed = framed_size(item, z);
  // The framed picture's rows made: those decoded, when not all are.
  const std::optional<RowSpan> crop = rows_to_decode(plan, item, info, want, z);
  const RowSpan rows = crop.value_or(RowSpan{0, framed.height});
  const std::string key = proxies ? proxy_key(item, info, plan, z, want, rows) : std::string();
  if (!key.empty()) {
    // The entry holds the framed picture's rows `rows` (its key says which).
    const Region part = reachable_region(plan, item, z.scale, framed.width, framed.height);
    auto reachable = [&](int w, int h) {
      if (w != framed.width || h != rows.end - rows.first) return Region{-1, -1, 0, 0};  // not this framing's
      return Region{part.x, part.y - rows.first, part.width, part.height};
    };
    if (std::optional<YuvImage> image = proxies->load(key, reachable))
      return prepared_from(z.scale, framed.width, framed.height, part, std::move(*image));
  }
  try {
    PhotoRows photo(item.path, info, want, plan.background, DecodeSize::About, crop);
    std::unique_ptr<ProxyCache::Writer> proxy;
    if (!key.empty()) proxy = proxies->writer(key, cv::Size(framed.width, rows.end - rows.first));
    auto prepared = frame_and_keep(plan, item, photo, z, rows, proxy.get());
    if (proxy) proxy->commit();
    return prepared;
  } catch (const DecodeError& e) {
    throw MediaError({{item.pointer, item.reference, e.what(), kReexport}});
  } catch (const cv::Exception& e) {
    throw MediaError({{item.pointer, item.reference, std::string("cannot be decoded (") + e.err + ")", kReexport}});
  }
}

std::shared_ptr<const PreparedSource> frame_picture(const Plan& plan, const PlanItem& item, cv::Mat photo,
                                                    cv::Size shown) {
  if (shown.width <= 0 || shown.height <= 0) shown = photo.size();
  const FitSizes z = framing_for(plan, item, shown, photo.size());
  PhotoRows rows(std::move(photo));
  return frame_and_keep(plan, item, rows, z, RowSpan{0, framed_size(item, z).height}, nullptr);
}

}  // namespace reel::engine
