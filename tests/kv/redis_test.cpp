// Redis drills: AUTH, TLS, pipelining, pool behaviour, a stopped or hung server, resubscription.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>
#include <iostream>
#include <mutex>

#include "kv/redis_store.hpp"
#include "kv_test_util.hpp"
#include "observability/log.hpp"
#include "redis_server.hpp"
#include "util/unavailable.hpp"

namespace b2w::test {
namespace {

using kv::RedisOptions;
using kv::RedisStore;
using kv::Ttl;

RedisOptions options_for(const std::string& url) {
  RedisOptions o;
  o.url = url;
  o.pool_min = 1;
  o.pool_max = 4;
  o.acquire_timeout = 1s;
  o.command_timeout = 1s;
  o.retry_attempts = 3;
  return o;
}

// The message of the ServiceUnavailable a call throws ("" when it succeeds or throws something else).
template <typename T>
std::string unavailable_message(IoThreads& io, asio::awaitable<T> aw) {
  try {
    io.run(std::move(aw));
  } catch (const ServiceUnavailable& e) {
    EXPECT_EQ(e.dependency(), "cache");
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception: " << e.what();
  }
  return "";
}

void report(const std::string& what, double ms) {
  std::cout << "[ measure  ] " << what << ": " << ms << " ms\n";
  ::testing::Test::RecordProperty(what, std::to_string(static_cast<long>(ms)));
}

TEST(RedisAuth, PasswordFromTheUrl) {
  RedisServer server({.password = "s3cret-pw"});
  IoThreads io;
  RedisStore store(options_for(server.url()));
  io.run(store.set("auth:k", "v", Ttl(0)));
  EXPECT_EQ(io.run(store.get("auth:k")), "v");
}

TEST(RedisAuth, WrongPasswordIsUnavailableAndNeverShown) {
  RedisServer server({.password = "s3cret-pw"});
  IoThreads io;
  ::testing::internal::CaptureStdout();
  std::string message, no_password_message;
  bool probe_ok = true;
  {
    RedisStore store(options_for(server.url_with_password("wr0ng-pw-123")));
    message = unavailable_message(io, store.get("auth:k"));
    probe_ok = io.run(store.probe()).ok;
    RedisStore anonymous(options_for(server.url_with_password("")));
    no_password_message = unavailable_message(io, anonymous.get("auth:k"));
  }
  log::flush();
  const std::string logged = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(message.find("authentication failed"), std::string::npos) << message;
  EXPECT_EQ(message.find("wr0ng-pw-123"), std::string::npos) << message;
  EXPECT_EQ(message.find("s3cret-pw"), std::string::npos) << message;
  EXPECT_NE(no_password_message.find("authentication required"), std::string::npos) << no_password_message;
  EXPECT_FALSE(probe_ok);
  EXPECT_EQ(logged.find("wr0ng-pw-123"), std::string::npos) << logged;
}

TEST(RedisAuth, AclUserAndPassword) {
  RedisServer server({.password = "s3cret-pw"});
  server.cli({"ACL", "SETUSER", "app", "on", ">app-pw", "~*", "&*", "+@all"});
  IoThreads io;
  RedisStore store(options_for(server.url_with_password("app-pw", "127.0.0.1", "app")));
  io.run(store.set("acl:k", "v", Ttl(0)));
  EXPECT_EQ(io.run(store.get("acl:k")), "v");
  RedisStore wrong(options_for(server.url_with_password("nope-pw", "127.0.0.1", "app")));
  const auto message = unavailable_message(io, wrong.get("acl:k"));
  EXPECT_NE(message.find("authentication failed"), std::string::npos) << message;
  EXPECT_EQ(message.find("nope-pw"), std::string::npos);
}

TEST(RedisTls, VerifiedAgainstTheGivenCa) {
  RedisServer server({.password = "tls-pw", .tls = true});
  IoThreads io;
  for (const std::string host : {"127.0.0.1", "localhost"}) {  // IP and DNS subjectAltNames
    auto o = options_for(server.url(host));
    o.ca_file = server.ca_file();
    RedisStore store(o);
    io.run(store.set("tls:k", host, Ttl(0)));
    EXPECT_EQ(io.run(store.get("tls:k")), host);
    EXPECT_EQ(io.run(store.increment("tls:n", 1, Ttl(0))).value, host == "localhost" ? 2 : 1);
  }
  // Pub/sub over TLS too.
  auto o = options_for(server.url());
  o.ca_file = server.ca_file();
  RedisStore sub(o), pub(o);
  auto got = std::make_shared<std::atomic<int>>(0);
  sub.subscribe(
      "tls:chan",
      [got](std::string_view m) {
        if (m == "hi") ++*got;
      },
      nullptr);
  EXPECT_TRUE(eventually(
      [&] {
        io.run(pub.publish("tls:chan", "hi"));
        return got->load() > 0;
      },
      5s, 50ms));
}

TEST(RedisTls, WrongCaIsAClearConnectionError) {
  RedisServer server({.tls = true});
  IoThreads io;
  auto o = options_for(server.url());
  o.ca_file = server.other_ca_file();
  RedisStore store(o);
  const auto start = Clock::now();
  const auto message = unavailable_message(io, store.get("tls:k"));
  report("wrong CA: time to ServiceUnavailable", ms_since(start));
  EXPECT_NE(message.find("TLS certificate rejected"), std::string::npos) << message;
  EXPECT_FALSE(io.run(store.probe()).ok);
}

TEST(RedisTls, HostnameIsVerified) {
  RedisServer server({.tls = true, .tls_san = "DNS:cache.example.internal"});
  IoThreads io;
  auto o = options_for(server.url("127.0.0.1"));
  o.ca_file = server.ca_file();
  RedisStore store(o);
  const auto message = unavailable_message(io, store.get("tls:k"));
  EXPECT_NE(message.find("TLS certificate rejected"), std::string::npos) << message;
  EXPECT_NE(message.find("mismatch"), std::string::npos) << message;
}

TEST(RedisTls, BadCaFileIsRejectedAtConstruction) {
  auto o = options_for("rediss://127.0.0.1:6380");
  o.ca_file = "/nonexistent/ca.pem";
  EXPECT_THROW(RedisStore store(o), std::invalid_argument);
}

TEST(RedisPipelining, ManyConcurrentCommandsShareOneConnection) {
  RedisServer server;
  IoThreads io;
  auto o = options_for(server.url());
  o.pool_max = 1;
  RedisStore store(o);
  auto worker = [](RedisStore* s, int id) -> asio::awaitable<int> {
    int bad = 0;
    for (int i = 0; i < 25; ++i) {
      const auto k = "pipe:" + std::to_string(id) + ":" + std::to_string(i);
      co_await s->set(k, k, Ttl(0));
      if (co_await s->get(k) != k) ++bad;
    }
    co_return bad;
  };
  std::vector<std::future<int>> f;
  for (int i = 0; i < 200; ++i) f.push_back(asio::co_spawn(io.ctx(i), worker(&store, i), asio::use_future));
  int bad = 0;
  for (auto& x : f) bad += x.get();
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(store.stats().open_connections, 1u);
  EXPECT_EQ(store.stats().connects, 1u);
}

// Many requests at once counting the same IP and user, on two attached I/O threads and one other
// thread: the increments are coalesced (fewer script calls than calls) and every caller still gets
// a distinct count, 1..N for each key, as if they had run one after another.
TEST(RedisLanes, CoalescedIncrementsOnAttachedThreadsStayExact) {
  RedisServer server;
  IoThreads io(3);
  RedisStore store(options_for(server.url()));
  std::array<asio::io_context*, 2> attached{&io.ctx(0), &io.ctx(1)};
  store.attach(attached);

  constexpr int kPerThread = 300;
  auto burst = [](RedisStore* s) -> asio::awaitable<std::vector<std::vector<kv::Counter>>> {
    auto ex = co_await asio::this_coro::executor;
    std::vector<std::future<std::vector<kv::Counter>>> pending;
    for (int i = 0; i < kPerThread; ++i)
      pending.push_back(
          asio::co_spawn(ex, s->increment_each({"lane:ip", "lane:user"}, 1, Ttl(60'000)), asio::use_future));
    // Let them run on this thread, then collect (the futures are ready once every call ended).
    asio::steady_timer timer(ex);
    for (;;) {
      bool all = true;
      for (auto& f : pending) all = all && f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
      if (all) break;
      timer.expires_after(std::chrono::milliseconds(5));
      co_await timer.async_wait(asio::use_awaitable);
    }
    std::vector<std::vector<kv::Counter>> out;
    for (auto& f : pending) out.push_back(f.get());
    co_return out;
  };
  auto a = std::async(std::launch::async, [&] { return io.run(burst(&store), 0); });
  auto b = std::async(std::launch::async, [&] { return io.run(burst(&store), 1); });
  auto c = std::async(std::launch::async, [&] { return io.run(burst(&store), 2); });  // not attached
  std::vector<std::vector<kv::Counter>> all;
  for (auto* f : {&a, &b, &c})
    for (auto& counters : f->get()) all.push_back(std::move(counters));

  const int total = 3 * kPerThread;
  ASSERT_EQ(all.size(), static_cast<std::size_t>(total));
  for (std::size_t k = 0; k < 2; ++k) {
    std::vector<std::int64_t> seen;
    for (const auto& counters : all) {
      ASSERT_EQ(counters.size(), 2u);
      seen.push_back(counters[k].value);
      EXPECT_GT(counters[k].ttl.count(), 0);
      EXPECT_LE(counters[k].ttl.count(), 60'000);
    }
    std::sort(seen.begin(), seen.end());
    for (int i = 0; i < total; ++i) ASSERT_EQ(seen[static_cast<std::size_t>(i)], i + 1) << "key " << k;
  }
  EXPECT_EQ(io.run(store.get("lane:ip")), std::to_string(total));
  EXPECT_EQ(io.run(store.get("lane:user")), std::to_string(total));
  const auto stats = store.stats();
  EXPECT_EQ(stats.increment_calls, static_cast<std::uint64_t>(total));
  EXPECT_LT(stats.increment_commands, stats.increment_calls / 4) << "calls were not coalesced";
  EXPECT_TRUE(eventually([&] { return store.stats().lane_connections >= 2; }));
}

// A coalesced call that fails fails every caller of its batch, as a cache outage.
TEST(RedisLanes, AFailedBatchFailsEveryCaller) {
  RedisServer server;
  IoThreads io(1);
  RedisStore store(options_for(server.url()));
  std::array<asio::io_context*, 1> attached{&io.ctx(0)};
  store.attach(attached);
  io.run(store.set("lane:warm", "1", Ttl(0)));
  server.stop();
  auto burst = [](RedisStore* s) -> asio::awaitable<int> {
    auto ex = co_await asio::this_coro::executor;
    std::vector<std::future<std::vector<kv::Counter>>> pending;
    for (int i = 0; i < 20; ++i)
      pending.push_back(asio::co_spawn(ex, s->increment_each({"lane:down"}, 1, Ttl(60'000)), asio::use_future));
    asio::steady_timer timer(ex);
    int unavailable = 0;
    for (auto& f : pending) {
      while (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        timer.expires_after(std::chrono::milliseconds(5));
        co_await timer.async_wait(asio::use_awaitable);
      }
      try {
        f.get();
      } catch (const ServiceUnavailable&) {
        ++unavailable;
      }
    }
    co_return unavailable;
  };
  EXPECT_EQ(io.run(burst(&store)), 20);
  server.start();
  // Recovers: the next call counts from 1 (the server kept no data).
  EXPECT_TRUE(eventually(
      [&] {
        try {
          return io.run(store.increment_each({"lane:after"}, 1, Ttl(60'000))).front().value == 1;
        } catch (const ServiceUnavailable&) {
          return false;
        }
      },
      10s, 100ms));
}

// As in the server: the attached I/O threads stop before the store goes.
TEST(RedisLanes, StoreOutlivesItsStoppedIoThreads) {
  RedisServer server;
  asio::io_context ctx{1};
  auto guard = asio::make_work_guard(ctx);
  std::thread thread([&] { ctx.run(); });
  {
    RedisStore store(options_for(server.url()));
    std::array<asio::io_context*, 1> attached{&ctx};
    store.attach(attached);
    auto n = asio::co_spawn(ctx, store.increment_each({"lane:stop"}, 1, Ttl(60'000)), asio::use_future).get();
    EXPECT_EQ(n.front().value, 1);
    EXPECT_TRUE(eventually([&] { return store.stats().lane_connections == 1; }));
    ctx.stop();
    thread.join();
  }  // the store closes the lane's connections from this thread
}

TEST(RedisPool, IdleConnectionsAboveMinClose) {
  RedisServer server;
  IoThreads io;
  auto o = options_for(server.url());
  o.pool_min = 0;
  o.idle_timeout = 200ms;
  RedisStore store(o);
  io.run(store.set("idle:k", "v", Ttl(0)));
  EXPECT_EQ(store.stats().open_connections, 1u);
  EXPECT_TRUE(eventually([&] { return store.stats().open_connections == 0; }, 3s));
  EXPECT_EQ(io.run(store.get("idle:k")), "v");  // reconnects on demand
}

TEST(RedisScripts, NoscriptFallsBackToEval) {
  RedisServer server;
  IoThreads io;
  RedisStore store(options_for(server.url()));
  EXPECT_EQ(io.run(store.increment("script:n", 1, Ttl(0))).value, 1);
  server.cli({"SCRIPT", "FLUSH"});
  EXPECT_EQ(io.run(store.increment("script:n", 1, Ttl(0))).value, 2);
  io.run(store.set("script:c", "a", Ttl(0)));
  server.cli({"SCRIPT", "FLUSH"});
  EXPECT_EQ(io.run(store.compare_and_set("script:c", "a", "b", Ttl(0))), kv::CasResult::swapped);
}

TEST(RedisOutage, StoppedServerFailsFastAndRecovers) {
  RedisServer server;
  IoThreads io;
  auto o = options_for(server.url());
  o.acquire_timeout = 2s;
  o.command_timeout = 2s;
  RedisStore store(o);
  io.run(store.set("down:k", "v", Ttl(0)));
  server.stop();

  double worst = 0;
  for (int i = 0; i < 20; ++i) {
    const auto start = Clock::now();
    const auto message = unavailable_message(io, store.get("down:k"));
    worst = std::max(worst, ms_since(start));
    EXPECT_FALSE(message.empty());
  }
  report("stopped server: slowest of 20 failing calls", worst);
  EXPECT_LT(worst, 1000.0);  // refused connections fail at once, far under acquire + command timeout
  const auto probe_start = Clock::now();
  EXPECT_FALSE(io.run(store.probe()).ok);
  EXPECT_LT(ms_since(probe_start), 1000.0);

  server.start();  // empty again: no persistence
  const auto restarted = Clock::now();
  ASSERT_TRUE(eventually(
      [&] {
        try {
          return !io.run(store.get("down:k")).has_value();
        } catch (const ServiceUnavailable&) {
          return false;
        }
      },
      5s, 5ms));
  report("stopped server: recovery after restart", ms_since(restarted));
  io.run(store.set("down:k", "again", Ttl(0)));
  EXPECT_EQ(io.run(store.get("down:k")), "again");
}

TEST(RedisOutage, HungServerTimesOutAndRecovers) {
  RedisServer server;
  IoThreads io;
  auto o = options_for(server.url());
  o.acquire_timeout = 500ms;
  o.command_timeout = 500ms;
  RedisStore store(o);
  io.run(store.set("hung:k", "v", Ttl(0)));
  server.pause();  // SIGSTOP: connections stay open, nothing answers

  auto start = Clock::now();
  auto message = unavailable_message(io, store.get("hung:k"));
  const double first = ms_since(start);
  report("hung server: idempotent GET gives up after", first);
  EXPECT_GE(first, 450.0);
  EXPECT_LT(first, 1000.0 + 300.0);  // within acquire + command timeout
  start = Clock::now();
  message = unavailable_message(io, store.increment("hung:n", 1, Ttl(0)));
  report("hung server: increment (not retried) gives up after", ms_since(start));
  EXPECT_LT(ms_since(start), 1300.0);

  server.resume();
  const auto resumed = Clock::now();
  ASSERT_TRUE(eventually(
      [&] {
        try {
          return io.run(store.get("hung:k")) == "v";
        } catch (const ServiceUnavailable&) {
          return false;
        }
      },
      5s, 5ms));
  report("hung server: recovery after resume", ms_since(resumed));
}

TEST(RedisOutage, UnresponsiveEndpointHitsTheAcquireTimeout) {
  // A listener that never accepts: TCP connects (the kernel's backlog) but nothing answers.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 16), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  {
    IoThreads io;
    auto o = options_for("redis://127.0.0.1:" + std::to_string(port));
    o.acquire_timeout = 300ms;
    o.command_timeout = 300ms;
    RedisStore store(o);
    const auto start = Clock::now();
    const auto message = unavailable_message(io, store.get("void:k"));
    const double took = ms_since(start);
    report("unresponsive endpoint: time to ServiceUnavailable", took);
    EXPECT_GE(took, 250.0);
    EXPECT_LT(took, 600.0 + 300.0);
    EXPECT_FALSE(message.empty());
  }
  ::close(fd);
}

TEST(RedisPubSub, ResubscribesAfterTheServerRestartsAndReportsTheGap) {
  RedisServer server;
  IoThreads io;
  auto o = options_for(server.url());
  o.subscriber_ping_interval = 200ms;
  RedisStore sub(o), pub(o);
  struct State {
    std::atomic<int> messages{0};
    std::atomic<int> gaps{0};
  };
  auto state = std::make_shared<State>();
  sub.subscribe(
      "resub:chan", [state](std::string_view) { ++state->messages; }, [state] { ++state->gaps; });
  ASSERT_TRUE(eventually([&] { return sub.stats().subscriber_connected; }));
  io.run(pub.publish("resub:chan", "one"));
  ASSERT_TRUE(eventually([&] { return state->messages.load() == 1; }));

  server.kill();
  server.start();
  ASSERT_TRUE(eventually([&] { return state->gaps.load() >= 1 && sub.stats().subscriber_connected; }, 10s));
  EXPECT_GE(sub.stats().resubscribes, 1u);
  ASSERT_TRUE(eventually(
      [&] {
        try {
          io.run(pub.publish("resub:chan", "two"));
        } catch (const ServiceUnavailable&) {
        }
        return state->messages.load() >= 2;
      },
      5s, 50ms));
}

TEST(RedisPubSub, SubscriberNoticesAHungServer) {
  RedisServer server;
  IoThreads io;
  auto o = options_for(server.url());
  o.subscriber_ping_interval = 100ms;
  o.command_timeout = 300ms;
  RedisStore sub(o);
  auto gaps = std::make_shared<std::atomic<int>>(0);
  sub.subscribe(
      "hang:chan", [](std::string_view) {}, [gaps] { ++*gaps; });
  ASSERT_TRUE(eventually([&] { return sub.stats().subscriber_connected; }));
  server.pause();
  EXPECT_TRUE(eventually([&] { return gaps->load() >= 1; }, 3s));
  server.resume();
  EXPECT_TRUE(eventually([&] { return sub.stats().subscriber_connected; }, 5s));
}

}  // namespace
}  // namespace b2w::test
