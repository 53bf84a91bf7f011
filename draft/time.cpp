#include "draft/time.h"

#include <cmath>
#include <cstdlib>
#include <ctime>
#include <numeric>

namespace reel::draft {

namespace {
using i128 = __int128;

// floor(a / b) for b > 0 and any sign of a.
int64_t floor_div(i128 a, i128 b) {
  i128 q = a / b;
  if ((a % b != 0) && (a < 0)) --q;
  return static_cast<int64_t>(q);
}
int64_t ceil_div(i128 a, i128 b) { return -floor_div(-a, b); }
}  // namespace

Rational make_rational(int64_t num, int64_t den) {
  if (den < 0) num = -num, den = -den;
  int64_t g = std::gcd(num, den);
  if (g == 0) g = 1;
  return {num / g, den / g};
}

std::optional<Rational> fps_from_double(double fps) {
  if (!std::isfinite(fps) || fps <= 0 || fps > 1e6) return std::nullopt;
  // The NTSC family is written rounded (29.97, 23.976, 59.94); they mean N*1000/1001.
  for (int64_t base : {24, 30, 48, 60, 120, 240}) {
    double ntsc = base * 1000.0 / 1001.0;
    if (std::fabs(fps - ntsc) < 0.006) return make_rational(base * 1000, 1001);
  }
  double whole = std::round(fps);
  if (std::fabs(fps - whole) < 1e-9) return make_rational(static_cast<int64_t>(whole), 1);
  return make_rational(static_cast<int64_t>(std::llround(fps * 1000.0)), 1000);
}

std::optional<Rational> fps_from_text(std::string_view text) {
  std::string s(text);
  auto slash = s.find('/');
  char* end = nullptr;
  if (slash == std::string::npos) {
    double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size()) return std::nullopt;
    return fps_from_double(v);
  }
  std::string a = s.substr(0, slash), b = s.substr(slash + 1);
  if (a.empty() || b.empty() || a.size() > 9 || b.size() > 9) return std::nullopt;
  for (char c : a + b)
    if (c < '0' || c > '9') return std::nullopt;
  int64_t num = std::stoll(a), den = std::stoll(b);
  if (num <= 0 || den <= 0) return std::nullopt;
  return make_rational(num, den);
}

std::string to_string(Rational r) {
  return r.den == 1 ? std::to_string(r.num) : std::to_string(r.num) + "/" + std::to_string(r.den);
}

int64_t first_frame_at_or_after(int64_t ms, Rational fps) {
  return ceil_div(static_cast<i128>(ms) * fps.num, static_cast<i128>(1000) * fps.den);
}

int64_t frame_count(int64_t ms, Rational fps) {
  // round(ms * num / (1000 * den)) with halves up: floor((2 * ms * num + 1000 den) / (2000 den))
  i128 den = static_cast<i128>(1000) * fps.den;
  return floor_div(2 * static_cast<i128>(ms) * fps.num + den, 2 * den);
}

int64_t frame_time_ms(int64_t frame, Rational fps) {
  return floor_div(static_cast<i128>(frame) * 1000 * fps.den, fps.num);
}

int64_t frame_time_us(int64_t frame, Rational fps) {
  i128 num = static_cast<i128>(frame) * 1000000 * fps.den;
  return floor_div(2 * num + fps.num, 2 * static_cast<i128>(fps.num));
}

bool frame_in_span(int64_t frame, Rational fps, int64_t start_ms, int64_t duration_ms) {
  // start <= frame * 1000 * den / num < start + duration, all multiplied by num.
  i128 t = static_cast<i128>(frame) * 1000 * fps.den;
  return static_cast<i128>(start_ms) * fps.num <= t && t < static_cast<i128>(start_ms + duration_ms) * fps.num;
}

int64_t samples_before_frame(int64_t frame, Rational fps, int64_t rate) {
  return floor_div(static_cast<i128>(frame) * rate * fps.den, fps.num);
}

std::string seconds_text(int64_t ms) {
  std::string sign = ms < 0 ? "-" : "";
  int64_t a = std::llabs(ms);
  std::string out = sign + std::to_string(a / 1000);
  int64_t frac = a % 1000;
  if (frac != 0) {
    std::string f = std::to_string(frac);
    f = std::string(3 - f.size(), '0') + f;
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

int64_t utc_epoch_seconds(int year, int month, int day, int hour, int minute, int second) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<int64_t>(timegm(&tm));
}

}  // namespace reel::draft
