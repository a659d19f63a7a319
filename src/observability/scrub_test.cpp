#include "observability/scrub.hpp"

#include <gtest/gtest.h>

using b2w::scrub::without_long_numbers;

TEST(Scrub, LongNumbersLikeAccountsAndBvnsBecomeAPlaceholder) {
  EXPECT_EQ(without_long_numbers("BVN 22222222221 does not match account 0111111111."),
            "BVN [number] does not match account [number].");
  EXPECT_EQ(without_long_numbers("amount 500000 is too high"), "amount 500000 is too high");
  EXPECT_EQ(without_long_numbers("123456789"), "123456789");
  EXPECT_EQ(without_long_numbers("card 4084084084084081 and phone 08012345678"), "card [number] and phone [number]");
  EXPECT_EQ(without_long_numbers(""), "");
}
