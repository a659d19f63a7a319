// kv::Lease on the in-process store and on Redis: one holder at a time, renewed while held, taken over after
// its holder stops renewing, and released only by its holder.
#include "kv/lease.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "kv/memory_store.hpp"
#include "kv/redis_store.hpp"
#include "kv_test_util.hpp"
#include "redis_server.hpp"

namespace b2w::test {
namespace {

using kv::Lease;
using kv::Ttl;

class LeaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    if (GetParam() == "memory") {
      store_ = std::make_unique<kv::MemoryStore>();
      return;
    }
    if (!server_) server_ = std::make_unique<RedisServer>();
    kv::RedisOptions o;
    o.url = server_->url();
    o.pool_min = 1;
    o.pool_max = 2;
    store_ = std::make_unique<kv::RedisStore>(o);
  }
  void TearDown() override { store_.reset(); }

  std::string key() const {
    return std::string("lease:") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  bool hold(Lease& lease) { return io_.run(lease.hold()); }

  static inline std::unique_ptr<RedisServer> server_;
  IoThreads io_{1};
  std::unique_ptr<kv::KeyValueStore> store_;
};

TEST_P(LeaseTest, OneHolderAtATimeRenewedWhileHeld) {
  Lease a(*store_, key(), Ttl(400));
  Lease b(*store_, key(), Ttl(400));
  EXPECT_NE(a.holder(), b.holder());
  EXPECT_TRUE(hold(a));
  EXPECT_FALSE(hold(b));
  // Renewed more often than it expires, it stays with its holder.
  for (int i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(150ms);
    EXPECT_TRUE(hold(a)) << i;
    EXPECT_FALSE(hold(b)) << i;
  }
  EXPECT_TRUE(a.held());
  EXPECT_FALSE(b.held());
}

TEST_P(LeaseTest, TakenOverAfterItsHolderStopsRenewingAndTheOldHolderKnowsIt) {
  Lease a(*store_, key(), Ttl(200));
  Lease b(*store_, key(), Ttl(200));
  ASSERT_TRUE(hold(a));
  EXPECT_TRUE(eventually([&] { return hold(b); }, 5s, 50ms));
  EXPECT_FALSE(hold(a));  // its renewal finds another holder
  EXPECT_FALSE(a.held());
}

TEST_P(LeaseTest, ReleaseFreesItOnlyForItsHolder) {
  Lease a(*store_, key(), Ttl(60000));
  Lease b(*store_, key(), Ttl(60000));
  ASSERT_TRUE(hold(a));
  io_.run(b.release());  // not b's to give
  EXPECT_FALSE(hold(b));
  io_.run(a.release());
  EXPECT_TRUE(hold(b));
  EXPECT_FALSE(hold(a));
}

INSTANTIATE_TEST_SUITE_P(Stores, LeaseTest, ::testing::Values("memory", "redis"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace b2w::test
