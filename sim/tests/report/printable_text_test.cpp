// UTF-8 validation and control-character escaping.
#include "sim/report/printable_text.h"

#include <gtest/gtest.h>

namespace dlsim {
namespace {

TEST(PrintableText, KeepsValidUtf8AndTabs) {
  EXPECT_EQ(printableText("h\xC3\xA9llo\t\xE2\x82\xAC \xF0\x9F\x98\x80", false),
            "h\xC3\xA9llo\t\xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(PrintableText, Newlines) {
  EXPECT_EQ(printableText("a\r\nb\nc\r", true), "a\nb\nc\\x0d");
  EXPECT_EQ(printableText("a\nb", false), "a\\x0ab");
}

TEST(PrintableText, EscapesControlsAndMalformedBytes) {
  EXPECT_EQ(printableText(std::string("\0\x01\x1b\x7f", 4), true), "\\x00\\x01\\x1b\\x7f");
  EXPECT_EQ(printableText("\xC2\x85", true), "\\xc2\\x85");        // U+0085 (C1 control)
  EXPECT_EQ(printableText("\xEF\xBF\xBE", true), "\\xef\\xbf\\xbe");  // U+FFFE
  EXPECT_EQ(printableText("\xFF", true), "\\xff");
  EXPECT_EQ(printableText("\xC0\xAF", true), "\\xc0\\xaf");        // overlong '/'
  EXPECT_EQ(printableText("\xED\xA0\x80", true), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(printableText("\xE2\x82", true), "\\xe2\\x82");        // truncated
  EXPECT_EQ(printableText("\xF4\x90\x80\x80", true), "\\xf4\\x90\\x80\\x80");  // > U+10FFFF
  EXPECT_EQ(printableText("\xE2\x82" "A", true), "\\xe2\\x82A");
}

}  // namespace
}  // namespace dlsim
