#include "base/hash.h"

#include <gtest/gtest.h>

using reel::base::Hash64;

TEST(Hash64, StartsFromItsDocumentedValue) {
  EXPECT_EQ(Hash64().value(), 1469598103934665603ull);
  EXPECT_EQ(Hash64().hex(), "14650fb0739d0383");
}

TEST(Hash64, IsFnv1aStepByStepFromThatStart) {
  // One byte by hand: (start ^ 'a') * prime, modulo 2^64.
  const uint64_t expected = (1469598103934665603ull ^ uint64_t('a')) * 1099511628211ull;
  EXPECT_EQ(Hash64().add("a").value(), expected);
  EXPECT_EQ(Hash64().add("ab").value(), Hash64().add("a").add("b").value());
  EXPECT_NE(reel::base::hash_hex("https://example.com/a.jpg"), reel::base::hash_hex("https://example.com/b.jpg"));
  EXPECT_EQ(reel::base::hash_hex("x").size(), 16u);
  // The name the media cache has always given this URL (computed independently): existing
  // caches stay valid.
  EXPECT_EQ(reel::base::hash_hex("https://example.com/a.jpg"), "0b8306cfca283958");
}
