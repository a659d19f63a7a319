#include "domain/text.hpp"

#include <gtest/gtest.h>

using b2w::domain::display_text_problem;

TEST(DisplayText, PlainNamesInAnyScriptPass) {
  for (const char* ok : {"Ada Obi", "O'Brien & Sons Ltd", "Chukwuemeka Ọkàfọ̀", "Ìbàdàn-Ẹ̀kọ́", "Zoë", "李小龍", "A"})
    EXPECT_EQ(display_text_problem(ok, 100), std::nullopt) << ok;
}

TEST(DisplayText, ControlCharactersMarkupAndOverridesAreRefused) {
  using namespace std::string_literals;
  for (const auto& bad : {"Ada\nObi"s, "Ada\tObi"s, "Ada\0Obi"s, "Ada\x7f"s, "Ada\xc2\x85"s /* U+0085 NEL */,
                          "<script>alert(1)</script>"s, "a>b"s,
                          "Ada \xe2\x80\xae"
                          "ibO"s /* U+202E RLO */,
                          "\xe2\x81\xa6x"s /* U+2066 LRI */})
    EXPECT_NE(display_text_problem(bad, 100), std::nullopt) << bad;
}

TEST(DisplayText, InvalidUtf8IsRefused) {
  for (const char* bad : {"\xff", "Ada\xc3", "\xc0\xaf" /* overlong '/' */, "\xed\xa0\x80" /* surrogate */,
                          "\xf4\x90\x80\x80" /* beyond U+10FFFF */})
    EXPECT_EQ(display_text_problem(bad, 100), "must be valid UTF-8") << bad;
}

TEST(DisplayText, LengthCountsCodePointsAndBlankIsRefused) {
  EXPECT_EQ(display_text_problem("", 5), "must not be empty");
  EXPECT_EQ(display_text_problem("   ", 5), "must not be empty");
  EXPECT_EQ(display_text_problem("ẹẹẹẹẹ", 5), std::nullopt);  // 5 code points, 15 bytes
  EXPECT_EQ(display_text_problem("abcdef", 5), "must be at most 5 characters");
}
