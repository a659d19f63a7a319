// One conformance suite for every KeyValueStore: the in-process store and Redis must agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "kv/memory_store.hpp"
#include "kv/redis_store.hpp"
#include "kv_test_util.hpp"
#include "redis_server.hpp"
#include "util/unavailable.hpp"

namespace b2w::test {
namespace {

using kv::CasResult;
using kv::KeyValueStore;
using kv::Ttl;

class KvConformance : public ::testing::TestWithParam<std::string> {
 protected:
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override { store_ = make_store(); }
  void TearDown() override {
    publisher_.reset();
    store_.reset();
  }

  bool redis() const { return GetParam() != "memory"; }

  std::unique_ptr<KeyValueStore> make_store() {
    if (!redis()) return std::make_unique<kv::MemoryStore>();
    if (!server_) server_ = std::make_unique<RedisServer>();
    kv::RedisOptions o;
    o.url = server_->url();
    o.pool_min = 1;
    o.pool_max = 4;
    auto store = std::make_unique<kv::RedisStore>(o);
    if (GetParam() == "redis_attached") {
      // As the server does: calls made on these I/O threads use their own connections there.
      std::array<asio::io_context*, 2> contexts{&io_.ctx(0), &io_.ctx(1)};
      store->attach(contexts);
    }
    return store;
  }

  std::string key(const std::string& name) const {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return std::string("conf:") + info->name() + ":" + name;
  }

  template <typename T>
  T run(asio::awaitable<T> aw, std::size_t thread = 0) {
    return io_.run(std::move(aw), thread);
  }

  // Who publishes to store_'s subscribers: on Redis a second store instance (another task, in production).
  KeyValueStore& publisher() {
    if (!redis()) return *store_;
    if (!publisher_) publisher_ = make_store();
    return *publisher_;
  }

  // Subscribing is asynchronous on Redis: publishes `message` until `arrived()` holds, for up to 5 s.
  bool publish_until(const std::string& channel, const std::string& message, const std::function<bool()>& arrived,
                     std::size_t thread = 0) {
    return eventually(
        [&] {
          run(publisher().publish(channel, message), thread);
          return arrived();
        },
        5s, 50ms);
  }

  static inline std::unique_ptr<RedisServer> server_;
  IoThreads io_{2};
  std::unique_ptr<KeyValueStore> store_;
  std::unique_ptr<KeyValueStore> publisher_;
};

asio::awaitable<bool> try_claim(KeyValueStore* store, std::string key, std::string value) {
  co_return co_await store->set_if_absent(std::move(key), std::move(value), Ttl(10'000));
}

asio::awaitable<std::vector<std::int64_t>> count_up(KeyValueStore* store, std::string key, int times) {
  std::vector<std::int64_t> seen;
  for (int i = 0; i < times; ++i) {
    auto c = co_await store->increment(key, 1, Ttl(60'000));
    seen.push_back(c.value);
    if (c.ttl <= Ttl(0) || c.ttl > Ttl(60'000)) throw std::runtime_error("window ttl out of range");
  }
  co_return seen;
}

TEST_P(KvConformance, KindNamesTheBackend) {
  EXPECT_EQ(store_->kind(), redis() ? kv::StoreKind::redis : kv::StoreKind::memory);
}

TEST_P(KvConformance, IncrementEachCountsSeveralKeysInOneCall) {
  const auto a = key("each-a"), b = key("each-b");
  run(store_->increment(a, 5, Ttl(60'000)));
  auto first = run(store_->increment_each({a, b}, 1, Ttl(30'000)));
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].value, 6);
  EXPECT_GT(first[0].ttl, Ttl(30'000)) << "an existing key keeps its own window";
  EXPECT_EQ(first[1].value, 1);
  EXPECT_GT(first[1].ttl, Ttl(0));
  EXPECT_LE(first[1].ttl, Ttl(30'000));
  auto second = run(store_->increment_each({a, b}, 2, Ttl(30'000)));
  EXPECT_EQ(second[0].value, 8);
  EXPECT_EQ(second[1].value, 3);
  EXPECT_EQ(run(store_->get(b)), "3");
}

// Concurrent calls on the same keys (coalesced on Redis) each see their own count; a key listed
// twice in one call counts twice, as it does alone.
TEST_P(KvConformance, IncrementEachIsExactUnderConcurrencyAndWithARepeatedKey) {
  const auto a = key("burst-a"), b = key("burst-b");
  auto burst = [](KeyValueStore* s, std::string ka, std::string kb) -> asio::awaitable<std::vector<std::int64_t>> {
    auto ex = co_await asio::this_coro::executor;
    std::vector<std::future<std::vector<kv::Counter>>> pending;
    for (int i = 0; i < 50; ++i) {
      std::vector<std::string> keys{ka, kb};
      pending.push_back(asio::co_spawn(ex, s->increment_each(std::move(keys), 2, Ttl(60'000)), asio::use_future));
    }
    asio::steady_timer timer(ex);
    std::vector<std::int64_t> seen;
    for (auto& f : pending) {
      while (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        timer.expires_after(std::chrono::milliseconds(2));
        co_await timer.async_wait(asio::use_awaitable);
      }
      const auto c = f.get();
      if (c.size() != 2 || c[0].value != c[1].value) throw std::runtime_error("keys counted apart");
      seen.push_back(c[0].value);
    }
    co_return seen;
  };
  auto first = std::async(std::launch::async, [&] { return run(burst(store_.get(), a, b), 0); });
  auto second = std::async(std::launch::async, [&] { return run(burst(store_.get(), a, b), 1); });
  auto seen = first.get();
  for (auto v : second.get()) seen.push_back(v);
  std::sort(seen.begin(), seen.end());
  ASSERT_EQ(seen.size(), 100u);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 2 * static_cast<std::int64_t>(i + 1));

  const auto r = key("repeated");
  std::vector<std::string> repeated{r, r};
  auto twice = run(store_->increment_each(std::move(repeated), 1, Ttl(60'000)));
  ASSERT_EQ(twice.size(), 2u);
  EXPECT_EQ(twice[0].value, 1);
  EXPECT_EQ(twice[1].value, 2);
  EXPECT_EQ(run(store_->get(r)), "2");
}

TEST_P(KvConformance, GetSetDelete) {
  const auto k = key("k");
  EXPECT_EQ(run(store_->get(k)), std::nullopt);
  run(store_->set(k, "v1", Ttl(0)));
  EXPECT_EQ(run(store_->get(k)), "v1");
  run(store_->set(k, "v2", Ttl(0)));
  EXPECT_EQ(run(store_->get(k), 1), "v2");
  EXPECT_TRUE(run(store_->del(k)));
  EXPECT_FALSE(run(store_->del(k)));
  EXPECT_EQ(run(store_->get(k)), std::nullopt);
}

TEST_P(KvConformance, ValuesAreBinarySafe) {
  using namespace std::string_literals;
  const std::string odd = "a\0b\r\n$3\r\n*1\r\n"s;
  run(store_->set(key("odd"), odd, Ttl(0)));
  EXPECT_EQ(run(store_->get(key("odd"))), odd);
  const std::string big(300'000, 'x');
  run(store_->set(key("big"), big, Ttl(0)));
  EXPECT_EQ(run(store_->get(key("big"))), big);
  run(store_->set(key("empty"), "", Ttl(0)));
  EXPECT_EQ(run(store_->get(key("empty"))), "");
}

TEST_P(KvConformance, CallsResumeOnTheCallersThread) {
  auto check = [](KeyValueStore* store, std::string k) -> asio::awaitable<bool> {
    const auto before = std::this_thread::get_id();
    co_await store->set(k, "x", Ttl(0));
    const auto mid = std::this_thread::get_id();
    auto v = co_await store->get(k);
    co_return before == mid&& mid == std::this_thread::get_id() && v == "x";
  };
  EXPECT_TRUE(run(check(store_.get(), key("k")), 0));
  EXPECT_TRUE(run(check(store_.get(), key("k")), 1));
}

TEST_P(KvConformance, TtlExpires) {
  const auto k = key("ttl");
  run(store_->set(k, "v", Ttl(150)));
  run(store_->set(key("forever"), "v", Ttl(0)));
  EXPECT_EQ(run(store_->get(k)), "v");
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(run(store_->get(k)), std::nullopt);
  EXPECT_EQ(run(store_->get(key("forever"))), "v");
  // A plain set replaces the expiry too.
  run(store_->set(k, "v", Ttl(150)));
  run(store_->set(k, "w", Ttl(0)));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(run(store_->get(k)), "w");
}

TEST_P(KvConformance, NegativeTtlIsRejected) {
  EXPECT_THROW(run(store_->set(key("k"), "v", Ttl(-1))), std::invalid_argument);
}

TEST_P(KvConformance, SetIfAbsentHasExactlyOneWinner) {
  const auto k = key("lock");
  constexpr int kContenders = 64;
  std::vector<std::future<bool>> results;
  for (int i = 0; i < kContenders; ++i)
    results.push_back(asio::co_spawn(io_.ctx(i), try_claim(store_.get(), k, std::to_string(i)), asio::use_future));
  int wins = 0;
  int winner = -1;
  for (int i = 0; i < kContenders; ++i) {
    if (results[i].get()) {
      ++wins;
      winner = i;
    }
  }
  EXPECT_EQ(wins, 1);
  EXPECT_EQ(run(store_->get(k)), std::to_string(winner));
}

TEST_P(KvConformance, SetIfAbsentSucceedsAgainAfterExpiry) {
  const auto k = key("lock");
  EXPECT_TRUE(run(store_->set_if_absent(k, "a", Ttl(150))));
  EXPECT_FALSE(run(store_->set_if_absent(k, "b", Ttl(150))));
  EXPECT_EQ(run(store_->get(k)), "a");
  std::this_thread::sleep_for(400ms);
  EXPECT_TRUE(run(store_->set_if_absent(k, "c", Ttl(0))));
  EXPECT_EQ(run(store_->get(k)), "c");
}

TEST_P(KvConformance, IncrementIsAtomicUnderConcurrency) {
  const auto k = key("counter");
  constexpr int kWorkers = 16, kEach = 40;
  std::vector<std::future<std::vector<std::int64_t>>> workers;
  for (int i = 0; i < kWorkers; ++i)
    workers.push_back(asio::co_spawn(io_.ctx(i), count_up(store_.get(), k, kEach), asio::use_future));
  std::set<std::int64_t> all;
  for (auto& w : workers) {
    auto seen = w.get();
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    all.insert(seen.begin(), seen.end());
  }
  // Every value from 1 to N handed out exactly once.
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kWorkers * kEach));
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kWorkers * kEach);
  EXPECT_EQ(run(store_->get(k)), std::to_string(kWorkers * kEach));
}

TEST_P(KvConformance, IncrementUsesAFixedWindow) {
  const auto k = key("window");
  auto first = run(store_->increment(k, 1, Ttl(400)));
  EXPECT_EQ(first.value, 1);
  EXPECT_EQ(first.ttl, Ttl(400));
  std::this_thread::sleep_for(100ms);
  auto second = run(store_->increment(k, 5, Ttl(400)));
  EXPECT_EQ(second.value, 6);
  // The window keeps its expiry: not reset by later increments.
  EXPECT_GT(second.ttl, Ttl(0));
  EXPECT_LE(second.ttl, Ttl(320));
  std::this_thread::sleep_for(450ms);
  auto fresh = run(store_->increment(k, -2, Ttl(400)));
  EXPECT_EQ(fresh.value, -2);
  EXPECT_EQ(fresh.ttl, Ttl(400));
}

TEST_P(KvConformance, IncrementKeepsNoExpiryOnAPersistentKey) {
  const auto k = key("persistent");
  run(store_->set(k, "40", Ttl(0)));
  auto c = run(store_->increment(k, 2, Ttl(1000)));
  EXPECT_EQ(c.value, 42);
  EXPECT_EQ(c.ttl, Ttl(0));
  auto no_ttl = run(store_->increment(key("no-ttl"), 1, Ttl(0)));
  EXPECT_EQ(no_ttl.value, 1);
  EXPECT_EQ(no_ttl.ttl, Ttl(0));
}

TEST_P(KvConformance, IncrementOfANonIntegerIsAnErrorNotAnOutage) {
  const auto k = key("text");
  run(store_->set(k, "abc", Ttl(0)));
  try {
    run(store_->increment(k, 1, Ttl(0)));
    ADD_FAILURE() << "no exception";
  } catch (const ServiceUnavailable&) {
    ADD_FAILURE() << "reported as unavailable";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("not an integer"), std::string::npos) << e.what();
  }
  EXPECT_EQ(run(store_->get(k)), "abc");
}

TEST_P(KvConformance, CompareAndSet) {
  const auto k = key("cas");
  EXPECT_EQ(run(store_->compare_and_set(k, "a", "b", Ttl(0))), CasResult::missing);
  EXPECT_EQ(run(store_->get(k)), std::nullopt);
  run(store_->set(k, "a", Ttl(0)));
  EXPECT_EQ(run(store_->compare_and_set(k, "x", "b", Ttl(0))), CasResult::mismatch);
  EXPECT_EQ(run(store_->get(k)), "a");
  EXPECT_EQ(run(store_->compare_and_set(k, "a", "b", Ttl(150))), CasResult::swapped);
  EXPECT_EQ(run(store_->get(k)), "b");
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(run(store_->get(k)), std::nullopt);
}

TEST_P(KvConformance, DeleteIfEqualsReleasesOnlyItsOwnLock) {
  const auto k = key("lock");
  EXPECT_FALSE(run(store_->delete_if_equals(k, "token-a")));
  ASSERT_TRUE(run(store_->set_if_absent(k, "token-a", Ttl(10'000))));
  EXPECT_FALSE(run(store_->set_if_absent(k, "token-b", Ttl(10'000))));
  EXPECT_FALSE(run(store_->delete_if_equals(k, "token-b"))) << "another holder's token must not release the lock";
  EXPECT_EQ(run(store_->get(k)), "token-a");
  EXPECT_TRUE(run(store_->delete_if_equals(k, "token-a")));
  EXPECT_EQ(run(store_->get(k)), std::nullopt);
  EXPECT_TRUE(run(store_->set_if_absent(k, "token-b", Ttl(10'000))));
}

TEST_P(KvConformance, CompareAndSetRaceHasOneWinnerPerValue) {
  const auto k = key("cas-race");
  run(store_->set(k, "0", Ttl(0)));
  // Each worker tries to move the value from n to n+1; exactly one swap per step.
  auto worker = [](KeyValueStore* s, std::string key) -> asio::awaitable<int> {
    int swaps = 0;
    for (int i = 0; i < 30; ++i) {
      auto cur = co_await s->get(key);
      const int n = std::stoi(cur.value());
      if (co_await s->compare_and_set(key, std::to_string(n), std::to_string(n + 1), Ttl(0)) == CasResult::swapped)
        ++swaps;
    }
    co_return swaps;
  };
  std::vector<std::future<int>> f;
  for (int i = 0; i < 8; ++i) f.push_back(asio::co_spawn(io_.ctx(i), worker(store_.get(), k), asio::use_future));
  int total = 0;
  for (auto& x : f) total += x.get();
  EXPECT_EQ(run(store_->get(k)), std::to_string(total));
}

// What a subscriber received (handlers run on the store's threads).
struct Inbox {
  std::mutex m;
  std::vector<std::string> messages;
  std::atomic<int> gaps{0};
  std::size_t size() {
    std::lock_guard l(m);
    return messages.size();
  }
  std::vector<std::string> copy() {
    std::lock_guard l(m);
    return messages;
  }
};

void subscribe_into(KeyValueStore& store, const std::string& channel, const std::shared_ptr<Inbox>& inbox) {
  store.subscribe(
      channel,
      [inbox](std::string_view msg) {
        std::lock_guard l(inbox->m);
        inbox->messages.emplace_back(msg);
      },
      [inbox] { ++inbox->gaps; });
}

TEST_P(KvConformance, PublishReachesSubscribers) {
  auto inbox = std::make_shared<Inbox>();
  auto other = std::make_shared<Inbox>();
  const auto channel = key("chan");
  subscribe_into(*store_, channel, inbox);
  subscribe_into(*store_, key("other"), other);
  ASSERT_TRUE(publish_until(channel, "hello", [&] { return inbox->size() > 0; }));
  // Delivery is asynchronous: more "hello"s may still land; the numbered ones must arrive in order.
  for (int i = 0; i < 20; ++i) run(publisher().publish(channel, "m" + std::to_string(i)), i % 2);
  auto numbered = [&] {
    std::lock_guard l(inbox->m);
    std::vector<std::string> out;
    for (const auto& m : inbox->messages)
      if (m != "hello") out.push_back(m);
    return out;
  };
  ASSERT_TRUE(eventually([&] { return numbered().size() >= 20; }));
  const auto got = numbered();
  ASSERT_EQ(got.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(got[i], "m" + std::to_string(i));
  EXPECT_EQ(other->size(), 0u);
  EXPECT_EQ(inbox->gaps.load(), 0);
  store_.reset();  // no deliveries after this test's state is gone
}

// Live odds push subscribes a channel per event as events open, while the subscriber is long live
// (on Redis: a SUBSCRIBE on the open connection, not one sent with the connection's first ones).
// Every handler of a channel gets each message, one that throws does not keep it from the others,
// and a message reaches no other channel.
TEST_P(KvConformance, ChannelsSubscribedOnceLiveReachEveryHandler) {
  auto first = std::make_shared<Inbox>();
  auto later_a = std::make_shared<Inbox>();
  auto later_b = std::make_shared<Inbox>();
  const auto first_channel = key("first");
  const auto later_channel = key("later");
  subscribe_into(*store_, first_channel, first);
  ASSERT_TRUE(publish_until(first_channel, "first", [&] { return first->size() > 0; }));

  // The subscriber is live: a new channel, with a handler that throws ahead of two that collect.
  store_->subscribe(
      later_channel, [](std::string_view) { throw std::runtime_error("a broken handler"); }, nullptr);
  subscribe_into(*store_, later_channel, later_a);
  subscribe_into(*store_, later_channel, later_b);
  ASSERT_TRUE(publish_until(
      later_channel, "later", [&] { return later_a->size() > 0 && later_b->size() > 0; }, 1));
  for (const auto& m : later_a->copy()) EXPECT_EQ(m, "later");
  for (const auto& m : later_b->copy()) EXPECT_EQ(m, "later");
  for (const auto& m : first->copy()) EXPECT_EQ(m, "first");
  EXPECT_EQ(first->gaps.load() + later_a->gaps.load() + later_b->gaps.load(), 0);
  store_.reset();  // no deliveries after this test's state is gone
}

TEST_P(KvConformance, CancellationByTheCallerDoesNotBreakCalls) {
  // The health-check races probe() against a timer with `||`; the loser is cancelled.
  auto race = [](KeyValueStore* s, std::string k, int i) -> asio::awaitable<bool> {
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::microseconds(i % 3 * 50));
    auto r = co_await (s->increment(k, 1, Ttl(0)) || timer.async_wait(asio::as_tuple(asio::use_awaitable)));
    auto p = co_await (s->probe() || timer.async_wait(asio::as_tuple(asio::use_awaitable)));
    co_return r.index() <= 1 && p.index() <= 1;
  };
  for (int i = 0; i < 30; ++i) EXPECT_TRUE(run(race(store_.get(), key("n"), i), i % 2));
  // Every increment ran exactly once, cancelled or not.
  EXPECT_EQ(run(store_->get(key("n"))), "30");
}

TEST_P(KvConformance, ProbeAnswers) {
  auto p = run(store_->probe());
  EXPECT_TRUE(p.ok);
  EXPECT_GE(p.latency.count(), 0);
  EXPECT_LT(p.latency, std::chrono::microseconds(1'000'000));
}

INSTANTIATE_TEST_SUITE_P(Stores, KvConformance, ::testing::Values("memory", "redis", "redis_attached"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace b2w::test
