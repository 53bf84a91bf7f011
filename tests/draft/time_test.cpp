#include "draft/time.h"

#include <gtest/gtest.h>

using namespace reel::draft;

namespace {
const Rational kRates[] = {{24, 1}, {25, 1}, {30000, 1001}, {30, 1}, {60, 1}};
}

TEST(Time, FpsFromNumbersUnderstandsTheNtscFamily) {
  EXPECT_EQ(*fps_from_double(29.97), (Rational{30000, 1001}));
  EXPECT_EQ(*fps_from_double(23.976), (Rational{24000, 1001}));
  EXPECT_EQ(*fps_from_double(59.94), (Rational{60000, 1001}));
  EXPECT_EQ(*fps_from_double(25), (Rational{25, 1}));
  EXPECT_EQ(*fps_from_double(12.5), (Rational{25, 2}));
  EXPECT_FALSE(fps_from_double(0));
  EXPECT_EQ(*fps_from_text("30000/1001"), (Rational{30000, 1001}));
  EXPECT_EQ(*fps_from_text("50/2"), (Rational{25, 1}));
  EXPECT_FALSE(fps_from_text("30/0"));
  EXPECT_FALSE(fps_from_text("abc"));
}

TEST(Time, FrameCountsRoundTheDuration) {
  EXPECT_EQ(frame_count(10000, {30, 1}), 300);
  EXPECT_EQ(frame_count(10000, {24, 1}), 240);
  EXPECT_EQ(frame_count(10000, {25, 1}), 250);
  EXPECT_EQ(frame_count(10000, {60, 1}), 600);
  EXPECT_EQ(frame_count(10000, {30000, 1001}), 300);       // 299.7 -> 300
  EXPECT_EQ(frame_count(3600000, {30000, 1001}), 107892);  // 107892.1
  EXPECT_EQ(frame_count(20, {25, 1}), 1);                  // 0.5 rounds up
  EXPECT_EQ(frame_count(10 * 3600000, {60, 1}), 2160000);
}

TEST(Time, FrameTimesAreExactAfterHours) {
  EXPECT_EQ(frame_time_ms(107892, {30000, 1001}), 3599996);  // 3599996.4 ms
  EXPECT_EQ(frame_time_us(1, {30000, 1001}), 33367);         // 33366.67 us
  EXPECT_EQ(frame_time_ms(2160000, {60, 1}), 36000000);      // 10 hours, not a ms off
  EXPECT_EQ(frame_time_ms(3, {30, 1}), 100);
}

// For every rate, frame n is owned by exactly the segment whose span holds n*1000/fps, and
// first_frame_at_or_after agrees with it — checked by exact cross-multiplication over 10 hours.
TEST(Time, FrameSpansAgreeWithExactArithmeticAtEveryRate) {
  for (Rational r : kRates) {
    for (int64_t ms : {0ll, 1ll, 33ll, 34ll, 1000ll, 5000ll, 3600000ll, 35999999ll, 36000000ll}) {
      int64_t n = first_frame_at_or_after(ms, r);
      // n * 1000 * den >= ms * num, and n - 1 is before ms.
      EXPECT_GE(static_cast<__int128>(n) * 1000 * r.den, static_cast<__int128>(ms) * r.num)
          << to_string(r) << " " << ms;
      EXPECT_LT(static_cast<__int128>(n - 1) * 1000 * r.den, static_cast<__int128>(ms) * r.num)
          << to_string(r) << " " << ms;
      EXPECT_TRUE(frame_in_span(n, r, ms, 1000000)) << to_string(r);
      EXPECT_FALSE(frame_in_span(n - 1, r, ms, 1000000)) << to_string(r);
    }
  }
}

TEST(Time, AdjacentSegmentsShareNoFrameAndMissNone) {
  for (Rational r : kRates) {
    int64_t frames = frame_count(30000, r);
    for (int64_t n = 0; n < frames; ++n) {
      int owners = 0;
      for (int64_t s = 0; s < 30000; s += 1234) owners += frame_in_span(n, r, s, std::min<int64_t>(1234, 30000 - s));
      EXPECT_EQ(owners, 1) << to_string(r) << " frame " << n;
    }
  }
}

TEST(Time, AudioSamplesStayOnTheFrameClock) {
  EXPECT_EQ(samples_before_frame(1, {30, 1}, 48000), 1600);
  EXPECT_EQ(samples_before_frame(107892, {30000, 1001}, 48000), 172799827);  // floor(107892 * 48000 * 1001 / 30000)
  EXPECT_EQ(samples_before_frame(2160000, {60, 1}, 48000), 1728000000);
}

TEST(Time, SecondsTextHasNoTrailingZeros) {
  EXPECT_EQ(seconds_text(0), "0");
  EXPECT_EQ(seconds_text(10000), "10");
  EXPECT_EQ(seconds_text(2500), "2.5");
  EXPECT_EQ(seconds_text(25500), "25.5");
  EXPECT_EQ(seconds_text(33), "0.033");
  EXPECT_EQ(seconds_text(150), "0.15");
}
