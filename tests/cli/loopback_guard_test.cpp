#include <gtest/gtest.h>

#include <set>

#include "cli/loopback/guard.h"

using namespace reel::cli::loopback;

TEST(LoopbackGuard, TokensAreThirtyTwoHexDigitsAndNeverRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string token = new_token();
    EXPECT_EQ(token.size(), 32u);
    EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos) << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(LoopbackGuard, ATokenMatchesOnlyItself) {
  EXPECT_TRUE(same_token("0123abcd", "0123abcd"));
  EXPECT_FALSE(same_token("0123abce", "0123abcd"));
  EXPECT_FALSE(same_token("0123abc", "0123abcd"));
  EXPECT_FALSE(same_token("0123abcdd", "0123abcd"));
  EXPECT_FALSE(same_token("", "0123abcd"));
  EXPECT_FALSE(same_token("", ""));  // a server with no token set accepts nobody by this check
}

TEST(LoopbackGuard, AcceptsTheLoopbackNamesWithItsPort) {
  EXPECT_EQ(refusal("127.0.0.1:8123", "", 8123), "");
  EXPECT_EQ(refusal("localhost:8123", "", 8123), "");
  EXPECT_EQ(refusal("[::1]:8123", "", 8123), "");
  EXPECT_EQ(refusal("127.0.0.1:8123", "http://127.0.0.1:8123", 8123), "");
  EXPECT_EQ(refusal("localhost:8123", "http://localhost:8123", 8123), "");
}

TEST(LoopbackGuard, RefusesARebindedHostAnotherPortOrNoHost) {
  EXPECT_EQ(refusal("evil.example:8123", "", 8123),
            "the Host header 'evil.example:8123' is not this server's loopback address (DNS rebinding?)");
  EXPECT_NE(refusal("127.0.0.1:8124", "", 8123), "");
  EXPECT_NE(refusal("127.0.0.1", "", 8123), "");
  EXPECT_NE(refusal("localhost.evil.example:8123", "", 8123), "");
  EXPECT_EQ(refusal("", "", 8123), "the request names no Host");
}

TEST(LoopbackGuard, RefusesAnotherPagesOrigin) {
  EXPECT_EQ(refusal("127.0.0.1:8123", "http://evil.example", 8123),
            "requests from the page 'http://evil.example' are not accepted; open the address reel printed");
  EXPECT_NE(refusal("127.0.0.1:8123", "https://127.0.0.1:8123", 8123), "");
  EXPECT_NE(refusal("127.0.0.1:8123", "http://127.0.0.1:9999", 8123), "");
  EXPECT_NE(refusal("127.0.0.1:8123", "null", 8123), "");
}
