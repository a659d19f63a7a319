// ElastiCache Multi-AZ failover, with HAProxy standing in for the primary endpoint:
// a replica is promoted, the endpoint repointed and the old connections dropped (or,
// for the READONLY case, left open to the demoted node).
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <iostream>
#include <mutex>
#include <set>

#include "haproxy_proxy.hpp"
#include "kv/redis_store.hpp"
#include "kv_test_util.hpp"
#include "redis_server.hpp"
#include "util/unavailable.hpp"

namespace b2w::test {
namespace {

using kv::RedisOptions;
using kv::RedisStore;
using kv::Ttl;

RedisOptions via(const HaproxyProxy& proxy) {
  RedisOptions o;
  o.url = "redis://127.0.0.1:" + std::to_string(proxy.port());
  o.pool_min = 2;
  o.pool_max = 4;
  o.acquire_timeout = 1s;
  o.command_timeout = 1s;
  o.retry_attempts = 3;
  return o;
}

void report(const std::string& what, double ms) {
  std::cout << "[ measure  ] " << what << ": " << ms << " ms\n";
  ::testing::Test::RecordProperty(what, std::to_string(static_cast<long>(ms)));
}

long long info_number(const std::string& info, const std::string& field) {
  const auto at = info.find(field + ":");
  if (at == std::string::npos) return -1;
  return std::stoll(info.substr(at + field.size() + 1));
}

// Waits until the replica has everything the (write-paused) primary has.
void wait_caught_up(const RedisServer& primary, const RedisServer& replica) {
  ASSERT_TRUE(eventually(
      [&] {
        const auto p = info_number(primary.cli({"INFO", "replication"}), "master_repl_offset");
        const auto r = info_number(replica.cli({"INFO", "replication"}), "slave_repl_offset");
        return p >= 0 && p == r;
      },
      5s, 5ms));
}

struct Outcome {
  std::atomic<int> wrong{0};
  std::atomic<int> failures{0};
  std::atomic<int> successes{0};
  std::mutex m;
  std::vector<std::string> problems;
  void problem(std::string text) {
    ++wrong;
    std::lock_guard l(m);
    if (problems.size() < 20) problems.push_back(std::move(text));
  }
};

struct WorkerTimes {
  Clock::time_point first_success_after_switch = Clock::time_point::max();
};

// A client that checks every answer it gets: its own key must hold the last value it wrote
// (or one whose write failed and so may have landed), and its counter must only go up,
// by at most one plus the number of increments whose outcome was unknown.
asio::awaitable<void> checked_client(RedisStore* store, int id, std::atomic<bool>* stop,
                                     std::atomic<Clock::rep>* switched_at, Outcome* out, WorkerTimes* times) {
  const std::string key = "fo:k:" + std::to_string(id);
  const std::string counter = "fo:n:" + std::to_string(id);
  std::set<std::string> possible{""};
  std::int64_t last_count = 0;
  int unknown_increments = 0;
  auto success = [&] {
    ++out->successes;
    const auto sw = switched_at->load();
    if (sw != 0 && Clock::now().time_since_epoch().count() > sw &&
        times->first_success_after_switch == Clock::time_point::max())
      times->first_success_after_switch = Clock::now();
  };
  for (int i = 1; !stop->load(); ++i) {
    const std::string value = std::to_string(i);
    try {
      co_await store->set(key, value, Ttl(0));
      possible = {value};
      success();
    } catch (const ServiceUnavailable&) {
      possible.insert(value);
      ++out->failures;
    }
    try {
      auto got = co_await store->get(key);
      success();
      if (!possible.contains(got.value_or(""))) out->problem(key + " read " + got.value_or("(nil)"));
    } catch (const ServiceUnavailable&) {
      ++out->failures;
    }
    try {
      auto c = co_await store->increment(counter, 1, Ttl(0));
      success();
      if (c.value <= last_count || c.value > last_count + 1 + unknown_increments)
        out->problem(counter + " went from " + std::to_string(last_count) + " to " + std::to_string(c.value));
      last_count = c.value;
      unknown_increments = 0;
    } catch (const ServiceUnavailable&) {
      ++unknown_increments;
      ++out->failures;
    }
  }
}

TEST(RedisFailover, PromotedReplicaBehindTheEndpointWithoutWrongAnswers) {
  RedisServer primary;
  RedisServer replica({.replica_of = primary.port()});
  replica.wait_synced();
  HaproxyProxy endpoint(primary.port());
  IoThreads io;
  RedisStore store(via(endpoint));

  constexpr int kClients = 8;
  std::atomic<bool> stop{false};
  std::atomic<Clock::rep> switched_at{0};
  Outcome outcome;
  std::vector<WorkerTimes> times(kClients);
  std::vector<std::future<void>> clients;
  for (int i = 0; i < kClients; ++i)
    clients.push_back(asio::co_spawn(io.ctx(i), checked_client(&store, i, &stop, &switched_at, &outcome, &times[i]),
                                     asio::use_future));
  std::this_thread::sleep_for(700ms);
  const int before = outcome.successes.load();
  ASSERT_GT(before, 0);

  // The failover: writes stop on the old primary, the replica catches up and is promoted,
  // the endpoint moves, connections to the old node drop, the old node becomes a replica.
  const auto failover_start = Clock::now();
  primary.cli({"CLIENT", "PAUSE", "10000", "WRITE"});
  wait_caught_up(primary, replica);
  replica.promote();
  endpoint.repoint(replica.port());
  endpoint.drop_sessions();
  const auto switched = Clock::now();
  switched_at = switched.time_since_epoch().count();
  primary.cli({"CLIENT", "UNPAUSE"});
  primary.replicate_from(replica.port());

  std::this_thread::sleep_for(2500ms);
  stop = true;
  for (auto& c : clients) c.get();

  double recovery = 0;
  for (auto& t : times) {
    ASSERT_NE(t.first_success_after_switch, Clock::time_point::max()) << "a client never recovered";
    recovery =
        std::max(recovery, std::chrono::duration<double, std::milli>(t.first_success_after_switch - switched).count());
  }
  report("failover: endpoint switch to every client succeeding again", recovery);
  report("failover: write pause + catch-up + promotion",
         std::chrono::duration<double, std::milli>(switched - failover_start).count());
  std::cout << "[ measure  ] failover: " << outcome.successes.load() << " successful calls, " << outcome.failures.load()
            << " ServiceUnavailable\n";
  for (const auto& p : outcome.problems) ADD_FAILURE() << "wrong answer: " << p;
  EXPECT_EQ(outcome.wrong.load(), 0);
  EXPECT_LT(recovery, 5000.0);
  EXPECT_GT(outcome.successes.load(), before);
}

TEST(RedisFailover, ReadonlyFromADemotedPrimaryMakesTheClientReconnect) {
  RedisServer a;
  RedisServer b({.replica_of = a.port()});
  b.wait_synced();
  HaproxyProxy endpoint(a.port());
  IoThreads io;
  auto o = via(endpoint);
  o.pool_min = 1;
  RedisStore store(o);
  io.run(store.set("ro:k", "1", Ttl(0)));
  EXPECT_EQ(io.run(store.increment("ro:n", 1, Ttl(0))).value, 1);
  EXPECT_EQ(io.run(store.compare_and_set("ro:k", "1", "2", Ttl(0))), kv::CasResult::swapped);
  const auto connects = store.stats().connects;
  wait_caught_up(a, b);

  // Fail over without dropping anything: the client's connection to `a` stays open, and `a`
  // (now a replica) answers writes with READONLY.
  b.promote();
  a.replicate_from(b.port());
  a.wait_synced();
  endpoint.repoint(b.port());

  const auto start = Clock::now();
  // Not idempotent, yet retried: READONLY means it did not run. Exactly one increment lands.
  EXPECT_EQ(io.run(store.increment("ro:n", 1, Ttl(0))).value, 2);
  report("READONLY: increment answered after reconnecting", ms_since(start));
  EXPECT_EQ(io.run(store.compare_and_set("ro:k", "2", "3", Ttl(0))), kv::CasResult::swapped);
  EXPECT_TRUE(io.run(store.set_if_absent("ro:new", "x", Ttl(0))));
  io.run(store.set("ro:k", "4", Ttl(0)));
  EXPECT_EQ(io.run(store.get("ro:k")), "4");
  EXPECT_GT(store.stats().connects, connects);
  EXPECT_EQ(b.cli({"GET", "ro:n"}), "2");
  EXPECT_EQ(b.cli({"GET", "ro:k"}), "4");
}

TEST(RedisFailover, EndpointOnAReplicaRefusesUntilPromoted) {
  RedisServer a;
  RedisServer b({.replica_of = a.port()});
  b.wait_synced();
  a.cli({"SET", "rep:k", "from-a"});
  a.cli({"SET", "rep:n", "10"});
  b.wait_synced();
  ASSERT_TRUE(eventually([&] { return b.cli({"GET", "rep:n"}) == "10"; }));
  HaproxyProxy endpoint(b.port());  // a stale DNS answer: the endpoint reaches the replica
  IoThreads io;
  RedisStore store(via(endpoint));

  const auto start = Clock::now();
  std::string message;
  try {
    io.run(store.increment("rep:n", 1, Ttl(0)));
    ADD_FAILURE() << "a replica took a write";
  } catch (const ServiceUnavailable& e) {
    message = e.what();
  }
  report("endpoint on a replica: time to ServiceUnavailable", ms_since(start));
  EXPECT_NE(message.find("replica"), std::string::npos) << message;
  EXPECT_THROW(io.run(store.get("rep:k")), ServiceUnavailable);  // no possibly stale reads either
  EXPECT_EQ(b.cli({"GET", "rep:n"}), "10");

  a.cli({"CLIENT", "PAUSE", "10000", "WRITE"});
  b.promote();
  const auto promoted = Clock::now();
  ASSERT_TRUE(eventually(
      [&] {
        try {
          return io.run(store.increment("rep:n", 1, Ttl(0))).value == 11;
        } catch (const ServiceUnavailable&) {
          return false;
        }
      },
      5s, 5ms));
  report("endpoint on a replica: recovery after promotion", ms_since(promoted));
  EXPECT_EQ(io.run(store.get("rep:k")), "from-a");
}

TEST(RedisFailover, InFlightCommandsOnADroppedConnection) {
  RedisServer server;
  HaproxyProxy endpoint(server.port());
  IoThreads io;
  auto o = via(endpoint);
  o.pool_min = 1;
  o.pool_max = 1;
  o.command_timeout = 4s;  // the drop, not a timeout, ends the first attempt
  RedisStore store(o);
  io.run(store.set("drop:k", "v", Ttl(0)));
  EXPECT_EQ(io.run(store.increment("drop:n", 1, Ttl(0))).value, 1);

  server.cli({"CLIENT", "PAUSE", "1500", "ALL"});  // commands are read and held, not run
  auto incr = asio::co_spawn(io.ctx(0), store.increment("drop:n", 1, Ttl(0)), asio::use_future);
  auto claim = asio::co_spawn(io.ctx(1), store.set_if_absent("drop:lock", "x", Ttl(0)), asio::use_future);
  auto get = asio::co_spawn(io.ctx(1), store.get("drop:k"), asio::use_future);
  std::this_thread::sleep_for(300ms);
  endpoint.drop_sessions();

  // Possibly run: reported, never sent again.
  try {
    incr.get();
    ADD_FAILURE() << "increment should fail: it may have run";
  } catch (const ServiceUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("may have run"), std::string::npos) << e.what();
  }
  EXPECT_THROW(claim.get(), ServiceUnavailable);
  // Idempotent: retried on a fresh connection, answered once the pause ends.
  EXPECT_EQ(get.get(), "v");
  const auto n = std::stoll(server.cli({"GET", "drop:n"}));
  EXPECT_GE(n, 1);
  EXPECT_LE(n, 2);  // never 3
  EXPECT_EQ(io.run(store.increment("drop:n", 1, Ttl(0))).value, n + 1);
}

}  // namespace
}  // namespace b2w::test
