#include "kv/redis/url.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace b2w::kv::redis {
namespace {

TEST(RedisUrl, ParsesPlainAndTlsUrls) {
  auto e = parse_url("redis://localhost");
  EXPECT_EQ(e.host, "localhost");
  EXPECT_EQ(e.port, 6379);
  EXPECT_FALSE(e.tls);
  EXPECT_TRUE(e.password.empty());

  e = parse_url("rediss://app:s%40cret@master.cache.amazonaws.com:6380/2");
  EXPECT_TRUE(e.tls);
  EXPECT_EQ(e.host, "master.cache.amazonaws.com");
  EXPECT_EQ(e.port, 6380);
  EXPECT_EQ(e.user, "app");
  EXPECT_EQ(e.password, "s@cret");
  EXPECT_EQ(e.db, 2);

  e = parse_url("redis://:token@127.0.0.1:7000/");
  EXPECT_EQ(e.user, "");
  EXPECT_EQ(e.password, "token");
  EXPECT_EQ(e.db, 0);

  e = parse_url("redis://[::1]:7001");
  EXPECT_EQ(e.host, "::1");
}

TEST(RedisUrl, RejectsBadUrlsWithoutShowingThePassword) {
  for (const char* bad :
       {"http://h", "redis://:pw-secret@/", "redis://:pw-secret@h/x", "redis://:pw-secret@h:0", "nope"}) {
    try {
      parse_url(bad);
      ADD_FAILURE() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).find("pw-secret"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace b2w::kv::redis
