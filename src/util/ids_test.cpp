#include "util/ids.hpp"

#include <gtest/gtest.h>

#include <set>

TEST(Ids, PrefixedUlidShape) {
  const auto id = b2w::new_id("usr");
  ASSERT_EQ(id.size(), 4u + 26u);
  EXPECT_EQ(id.substr(0, 4), "usr_");
  for (char c : id.substr(4)) EXPECT_NE(std::string("0123456789ABCDEFGHJKMNPQRSTVWXYZ").find(c), std::string::npos);
}

TEST(Ids, UniqueAndTimeOrdered) {
  std::set<std::string> ids;
  std::string previous_time;
  for (int i = 0; i < 20000; ++i) {
    auto id = b2w::new_id("bet");
    EXPECT_GE(id.substr(4, 10), previous_time);  // the first 10 characters encode the millisecond time
    previous_time = id.substr(4, 10);
    ids.insert(std::move(id));
  }
  EXPECT_EQ(ids.size(), 20000u);
}

TEST(Ids, RandomHex) {
  EXPECT_EQ(b2w::random_hex(16).size(), 32u);
  EXPECT_NE(b2w::random_hex(16), b2w::random_hex(16));
}
