#include "domain/decimal_amount.hpp"

#include <gtest/gtest.h>

using b2w::domain::format_decimal_naira;
using b2w::domain::kMaxPosting;
using b2w::domain::parse_decimal_naira;

TEST(DecimalNaira, ParsesExactlyToKobo) {
  EXPECT_EQ(parse_decimal_naira("0"), 0);
  EXPECT_EQ(parse_decimal_naira("0.00"), 0);
  EXPECT_EQ(parse_decimal_naira("12"), 1200);
  EXPECT_EQ(parse_decimal_naira("12.3"), 1230);
  EXPECT_EQ(parse_decimal_naira("12.34"), 1234);
  EXPECT_EQ(parse_decimal_naira("0.01"), 1);
  EXPECT_EQ(parse_decimal_naira("007.10"), 710);
  EXPECT_EQ(parse_decimal_naira("10000000000000.00"), kMaxPosting);
}

TEST(DecimalNaira, RefusesEverythingElse) {
  for (const char* bad : {"", ".", "12.", ".5", "1.234", "-1", "+1", "1e2", "1,00", " 1", "1 ", "0x10", "1.2.3", "١",
                          "10000000000000.01", "99999999999999999"})
    EXPECT_FALSE(parse_decimal_naira(bad).has_value()) << bad;
}

TEST(DecimalNaira, FormatsWithTwoDecimals) {
  EXPECT_EQ(format_decimal_naira(0), "0.00");
  EXPECT_EQ(format_decimal_naira(5), "0.05");
  EXPECT_EQ(format_decimal_naira(1230), "12.30");
  EXPECT_EQ(format_decimal_naira(123456789), "1234567.89");
  EXPECT_EQ(format_decimal_naira(-5), "-0.05");
  EXPECT_EQ(format_decimal_naira(INT64_MIN), "-92233720368547758.08");
  for (std::int64_t k : {0LL, 1LL, 99LL, 100LL, 101LL, 123456LL})
    EXPECT_EQ(parse_decimal_naira(format_decimal_naira(k)), k);
}
