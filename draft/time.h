#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reel::draft {

/// A frame rate as an exact fraction (29.97 is 30000/1001). Always reduced, den > 0.
struct Rational {
  int64_t num = 30;
  int64_t den = 1;
  double value() const { return static_cast<double>(num) / static_cast<double>(den); }
  bool operator==(const Rational&) const = default;
};

Rational make_rational(int64_t num, int64_t den);

/// Reads a frame rate given as a JSON number (30, 29.97, 23.976, 59.94 → the NTSC
/// fractions) or as text ("30000/1001", "25"). Empty when it is not a positive rate.
std::optional<Rational> fps_from_double(double fps);
std::optional<Rational> fps_from_text(std::string_view text);
std::string to_string(Rational r);

/// Time on the draft clock is integer milliseconds; the renderer counts integer frames.
/// Frame n shows the draft at n * 1000 / fps ms (a fraction: exact, no drift over hours).

/// The first frame whose time is at or after `ms`: ceil(ms * fps / 1000).
int64_t first_frame_at_or_after(int64_t ms, Rational fps);
/// The number of frames of a video `ms` long: round(ms * fps / 1000), halves up.
int64_t frame_count(int64_t ms, Rational fps);
/// The time of frame n in whole milliseconds, rounded down (for display and seeking).
int64_t frame_time_ms(int64_t frame, Rational fps);
/// The time of frame n in microseconds, rounded to nearest (for sub-ms motion maths).
int64_t frame_time_us(int64_t frame, Rational fps);
/// True when frame n lies in [start_ms, start_ms + duration_ms): the segment owns it.
bool frame_in_span(int64_t frame, Rational fps, int64_t start_ms, int64_t duration_ms);
/// Audio samples before the time of frame n at `rate` Hz: floor(n * rate / fps).
int64_t samples_before_frame(int64_t frame, Rational fps, int64_t rate);

/// "2.5", "10", "0.033": seconds from ms with no trailing zeros.
std::string seconds_text(int64_t ms);

/// Seconds since 1970 of a UTC calendar time (fields as written: month 1..12), for the dates
/// read from media (capture times) and from the backend (token expiry). Not range-checked.
int64_t utc_epoch_seconds(int year, int month, int day, int hour, int minute, int second);

}  // namespace reel::draft
