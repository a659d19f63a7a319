#include "kv/redis_store.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>
#include <optional>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "kv/redis/commands.hpp"
#include "kv/redis/connection.hpp"
#include "kv/redis/lane.hpp"
#include "kv/redis/pool.hpp"
#include "kv/redis/subscriber.hpp"
#include "kv/redis/url.hpp"
#include "observability/log.hpp"

// The parts, each in src/kv/redis/: a Lane is one io_context's connections (the store's own and
// one per attached I/O thread), Commands runs the store's calls on a lane with the retry policy
// (its Lua scripts in scripts.cpp), each lane's IncrementCoalescer merges concurrent rate-limit
// increments, and the Subscriber keeps the pub/sub connection. This file wires them together.

namespace b2w::kv {

namespace asio = boost::asio;
using namespace redis;
using std::chrono::milliseconds;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr milliseconds kSweepInterval{10};

namespace {

std::shared_ptr<const ConnectionSettings> make_settings(const RedisOptions& options) {
  auto s = std::make_shared<ConnectionSettings>();
  s->endpoint = parse_url(options.url);
  if (s->endpoint.tls) s->tls = make_tls_context(options.ca_file);
  return s;
}

PoolOptions make_pool_options(const RedisOptions& o) {
  if (o.pool_max < 1 || o.pool_min < 0 || o.pool_min > o.pool_max)
    throw std::invalid_argument("redis pool: need 0 <= min <= max and max >= 1");
  PoolOptions p;
  p.min = o.pool_min;
  p.max = o.pool_max;
  p.idle_timeout = o.idle_timeout;
  p.connect_timeout = std::max(o.acquire_timeout, o.command_timeout);
  p.backoff_max = o.reconnect_backoff_max;
  return p;
}

}  // namespace

RedisOptions RedisOptions::from_config(const config::Config& config) {
  RedisOptions o;
  o.url = config.redis_url.value_or("");
  o.pool_min = config.redis_pool_min;
  o.pool_max = config.redis_pool_max;
  o.idle_timeout = config.redis_pool_idle_timeout;
  o.acquire_timeout = config.redis_pool_acquire_timeout;
  o.retry_attempts = config.redis_pool_retry_attempts;
  o.command_timeout = config.redis_command_timeout;
  o.ca_file = config.redis_ca_file;
  return o;
}

struct RedisStore::Impl {
  explicit Impl(RedisOptions o)
      : options(std::move(o)),
        settings(make_settings(options)),
        commands(options, stopping),
        home(ctx, settings, make_pool_options(options), commands),
        subscriber(ctx, settings, options, stopping) {}

  asio::io_context ctx{1};  // first: destroyed last
  RedisOptions options;
  std::shared_ptr<const ConnectionSettings> settings;
  std::atomic<bool> stopping{false};
  Commands commands;
  Lane home;
  std::vector<std::unique_ptr<Lane>> lanes;  // fixed once attached, before any call
  Subscriber subscriber;                     // on the store's thread, like `home`
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::promise<void> exited;
  std::thread thread;

  void start() {
    guard.emplace(ctx.get_executor());
    asio::co_spawn(ctx, sweep_loop(home), asio::detached);
    thread = std::thread([this] {
      for (;;) {
        try {
          ctx.run();
          break;
        } catch (const std::exception& e) {
          log::error("redis client: unexpected exception").str("error", e.what());
        }
      }
      exited.set_value();
    });
  }

  void stop() {
    stopping = true;
    asio::post(ctx, [this] {
      subscriber.close("store closed");
      home.close();
    });
    guard.reset();
    if (exited.get_future().wait_for(std::chrono::seconds(5)) != std::future_status::ready) ctx.stop();
    thread.join();
    for (auto& lane : lanes) lane->stop();
  }

  asio::awaitable<void> sweep_loop(Lane& lane) {
    const bool is_home = &lane == &home;
    lane.ran.store(true);
    while (!stopping) {
      lane.sweep_timer.expires_after(kSweepInterval);
      co_await lane.sweep_timer.async_wait(use_tuple);
      if (stopping) break;
      const auto now = Clock::now();
      lane.pool.sweep(now);
      lane.open.store(lane.pool.open_connections(), std::memory_order_relaxed);
      lane.connects.store(lane.pool.connects(), std::memory_order_relaxed);
      if (is_home) subscriber.check_deadlines(now);
    }
    if (!is_home) lane.sweep_done.set_value();
  }

  // Called once, before the first call and before the contexts run.
  void attach(std::span<asio::io_context* const> contexts) {
    if (!lanes.empty()) throw std::logic_error("redis store: I/O threads attached twice");
    if (contexts.empty()) return;
    const auto n = static_cast<int>(contexts.size());
    // The configured pool is shared out: each thread keeps ceil(min / n) open and opens up to
    // max(1, max / n); the store's own lane then only serves other threads (the health probe).
    PoolOptions per_lane = make_pool_options(options);
    per_lane.min = (options.pool_min + n - 1) / n;
    per_lane.max = std::max(1, options.pool_max / n);
    for (auto* c : contexts) {
      lanes.push_back(std::make_unique<Lane>(*c, settings, per_lane, commands));
      asio::co_spawn(*c, sweep_loop(*lanes.back()), asio::detached);
    }
    asio::post(ctx, [this] { home.pool.set_min(0); });
  }

  // The calling thread's lane when it is an attached I/O thread, else the store's own.
  Lane& lane_here() {
    for (auto& lane : lanes)
      if (lane->ctx.get_executor().running_in_this_thread()) return *lane;
    return home;
  }
};

RedisStore::RedisStore(RedisOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->start();
}

// A store whose thread cannot be stopped is a bug: terminating (the destructor is noexcept) is the right end.
RedisStore::~RedisStore() {  // NOLINT(bugprone-exception-escape)
  impl_->stop();
}

namespace {

// Runs `op` on `ctx` (the store's thread, or the caller's own when it is an attached I/O thread: then
// no thread switch) and resumes the caller on its own executor. The caller's
// cancellation (an `||` with a timer, say) is not passed on: every call ends by itself within
// acquire_timeout + command_timeout, with a result, ServiceUnavailable or a cache error, never
// half-way through a command on a shared connection.
template <typename T>
Awaitable<T> hop(asio::io_context& ctx, asio::awaitable<T> op) {
  co_return co_await asio::co_spawn(ctx, std::move(op),
                                    asio::bind_cancellation_slot(asio::cancellation_slot(), asio::use_awaitable));
}

}  // namespace

Awaitable<std::optional<std::string>> RedisStore::get(std::string key) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->commands.get(lane, std::move(key)));
}

Awaitable<void> RedisStore::set(std::string key, std::string value, Ttl ttl) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->commands.set(lane, std::move(key), std::move(value), ttl));
}

Awaitable<bool> RedisStore::set_if_absent(std::string key, std::string value, Ttl ttl) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->commands.set_if_absent(lane, std::move(key), std::move(value), ttl));
}

Awaitable<Counter> RedisStore::increment(std::string key, std::int64_t by, Ttl ttl) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->commands.increment(lane, std::move(key), by, ttl));
}

Awaitable<std::vector<Counter>> RedisStore::increment_each(std::vector<std::string> keys, std::int64_t by, Ttl ttl) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, lane.increments.increment_each(std::move(keys), by, ttl));
}

Awaitable<bool> RedisStore::del(std::string key) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->commands.del(lane, std::move(key)));
}

Awaitable<CasResult> RedisStore::compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx,
             impl_->commands.compare_and_set(lane, std::move(key), std::move(expected), std::move(value), ttl));
}

Awaitable<bool> RedisStore::delete_if_equals(std::string key, std::string expected) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->commands.delete_if_equals(lane, std::move(key), std::move(expected)));
}

Awaitable<void> RedisStore::publish(std::string channel, std::string message) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->commands.publish(lane, std::move(channel), std::move(message)));
}

void RedisStore::subscribe(std::string channel, std::function<void(std::string_view)> on_message,
                           std::function<void()> on_gap) {
  asio::post(impl_->ctx, [impl = impl_.get(), channel = std::move(channel),
                          s = Subscriber::Subscription{std::move(on_message), std::move(on_gap)}]() mutable {
    impl->subscriber.add(channel, std::move(s));
  });
}

Awaitable<Probe> RedisStore::probe() {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->commands.probe(lane));
}

void RedisStore::attach(std::span<asio::io_context* const> contexts) {
  impl_->attach(contexts);
}

RedisStats RedisStore::stats() const {
  std::promise<RedisStats> p;
  asio::post(impl_->ctx, [&p, impl = impl_.get()] {
    RedisStats s;
    s.open_connections = impl->home.pool.open_connections();
    s.connects = impl->home.pool.connects();
    s.increment_calls = impl->home.increments.calls.load();
    s.increment_commands = impl->home.increments.commands.load();
    for (const auto& lane : impl->lanes) {
      s.increment_calls += lane->increments.calls.load();
      s.increment_commands += lane->increments.commands.load();
      s.lane_connections += lane->open.load(std::memory_order_relaxed);
      s.connects += lane->connects.load(std::memory_order_relaxed);
    }
    s.resubscribes = impl->subscriber.resubscribes();
    s.subscriber_connected = impl->subscriber.connected();
    p.set_value(s);
  });
  return p.get_future().get();
}

}  // namespace b2w::kv
