// Text from the network reaches the terminal without its control sequences.
#include "cli/terminal.h"

#include <gtest/gtest.h>

using reel::cli::terminal_safe;

TEST(TerminalSafe, KeepsWordsNewlinesTabsAndAnyScript) {
  EXPECT_EQ(terminal_safe("Done: 3 photos,\tslower fades.\n\xe6\x94\xb9\xe5\xa5\xbd\xe4\xba\x86 \xf0\x9f\x8e\xac"),
            "Done: 3 photos,\tslower fades.\n\xe6\x94\xb9\xe5\xa5\xbd\xe4\xba\x86 \xf0\x9f\x8e\xac");
}

TEST(TerminalSafe, DropsEveryKindOfControlSequence) {
  EXPECT_EQ(terminal_safe("\x1b[2J\x1b[H cleared"), " cleared");                 // CSI: clear screen, home
  EXPECT_EQ(terminal_safe("\x1b]0;pwned\x07title"), "title");                    // OSC ended by BEL
  EXPECT_EQ(terminal_safe("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"), "link");  // OSC 8 hyperlink, ST
  EXPECT_EQ(terminal_safe("\x1b"
                          "creset"),
            "reset");  // RIS
  EXPECT_EQ(terminal_safe("a\rb\bc\x07"
                          "d\x7f"),
            "abcd");  // CR, BS, BEL, DEL
  EXPECT_EQ(terminal_safe("x\xc2\x9b"
                          "31my"),
            "x31my");                       // C1 CSI in UTF-8
  EXPECT_EQ(terminal_safe("\x1b[31"), "");  // cut short
}
