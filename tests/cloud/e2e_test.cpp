// End-to-end: the render node with the real engine, and the reel binary. Label e2e.
#include <gtest/gtest.h>

TEST(CloudE2E, Placeholder) {}
