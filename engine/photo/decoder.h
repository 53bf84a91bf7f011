#pragma once
// Decodes a photo once, at about the size it is needed, upright, 8-bit BGR, with any
// alpha composited over the background colour. OpenCV types stay in engine-internal headers.
#include "engine/internal.h"

#include <memory>
#include <opencv2/core.hpp>
#include <optional>
#include <string>

#include "draft/model.h"
#include "engine/photo/probe.h"

namespace reel::engine {

/// How close to `want` a decode may come.
enum class DecodeSize {
  AtLeast,  // never smaller (what a detector looks at)
  About,    // up to 15% smaller (a prepared source, made for its deepest zoom)
};

/// Decodes `path` (already probed into `info`). `want` is the displayed size the caller will
/// use: JPEG decodes at the smallest of its 1/8, 2/8, 3/8 and 4/8 DCT-domain sizes that `size`
/// allows, else whole; WebP scales while it decodes (never holding the full-size picture); the
/// result may still need a final resize. Throws DecodeError on failure.
cv::Mat decode_photo(const std::string& path, const PhotoInfo& info, cv::Size want, draft::Color background,
                     DecodeSize size = DecodeSize::AtLeast);

/// The size decode_photo gives for `want` (upright): JPEG's DCT-domain size, WebP's scaled
/// size, else the photo's own. Known from the header alone, before decoding.
cv::Size decoded_size(const PhotoInfo& info, cv::Size want, DecodeSize size);

/// Rows [first, end) of a decoded picture.
struct RowSpan {
  int first = 0, end = 0;
  bool operator==(const RowSpan&) const = default;
};

/// The rows of the picture decoded for `want` (decoded_size's) that a decode of only the rows
/// `asked` makes: `asked` widened to where the format can start and stop, or every row when it
/// cannot crop. A JPEG stored upright starts and stops at any even row (the rows above are
/// skipped, those below never read). WebP crops while it decodes (its rows below the span are
/// never decoded, those above never scaled or converted): the span starts and ends on source
/// rows that its scaling maps onto whole, even rows, so the rows are where the whole picture
/// has them. Other formats and turned JPEGs: every row. Known from the header alone.
RowSpan decoded_rows(const PhotoInfo& info, cv::Size want, DecodeSize size, RowSpan asked);

/// A photo's rows as decode_photo makes them, handed out top to bottom, so that the whole
/// picture need not be held: a JPEG stored upright (most photos) comes from libjpeg a band at
/// a time; any other photo is decoded whole when opened and handed out in bands of that. A
/// picture already decoded (a clip's) is handed out the same way. With `rows` (from
/// decoded_rows), only those rows are decoded and handed out. Throws DecodeError.
class PhotoRows {
 public:
  PhotoRows(const std::string& path, const PhotoInfo& info, cv::Size want, draft::Color background, DecodeSize size,
            std::optional<RowSpan> rows = std::nullopt);
  explicit PhotoRows(cv::Mat picture);
  ~PhotoRows();
  PhotoRows(const PhotoRows&) = delete;
  PhotoRows& operator=(const PhotoRows&) = delete;

  /// The decoded picture's size (of the rows asked for, when asked).
  cv::Size size() const;
  /// The next rows, at most `max_rows` of them (none once all are out); valid until the
  /// next call.
  cv::Mat next(int max_rows);
  /// Every row not handed out yet, in a picture of its own (nothing else holds it).
  cv::Mat rest();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Decoding failed: `what()` says why in plain words ("the PNG data is corrupt").
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace reel::engine
