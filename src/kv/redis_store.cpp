#include "kv/redis_store.hpp"

#include "util/digest.hpp"

#include <openssl/evp.h>

#include <array>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <atomic>
#include <future>
#include <span>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "kv/redis/connection.hpp"
#include "kv/redis/pool.hpp"
#include "kv/redis/url.hpp"
#include "observability/log.hpp"
#include "util/unavailable.hpp"

namespace b2w::kv {

namespace asio = boost::asio;
using namespace redis;
using std::chrono::milliseconds;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr milliseconds kSweepInterval{10};

namespace {

// A fixed window: a new key gets the TTL, an existing one keeps its expiry. Returns {value, ms left}.
// increment() over every key of KEYS: {n1, ttl1, n2, ttl2, ...}.
constexpr std::string_view kIncrementEachScript = R"lua(
local out = {}
local ttl = tonumber(ARGV[2])
for _, key in ipairs(KEYS) do
  local existed = redis.call('EXISTS', key)
  local n = redis.call('INCRBY', key, ARGV[1])
  local left = ttl
  if existed == 0 and ttl > 0 then
    redis.call('PEXPIRE', key, ARGV[2])
  else
    left = redis.call('PTTL', key)
    if left < 0 then left = 0 end
  end
  out[#out + 1] = n
  out[#out + 1] = left
end
return out
)lua";

constexpr std::string_view kIncrementScript = R"lua(
local existed = redis.call('EXISTS', KEYS[1])
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = tonumber(ARGV[2])
if existed == 0 and ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {n, ttl}
end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then left = 0 end
return {n, left}
)lua";

// 0: missing, 1: mismatch, 2: swapped.
constexpr std::string_view kCompareAndSetScript = R"lua(
local current = redis.call('GET', KEYS[1])
if current == false then return 0 end
if current ~= ARGV[1] then return 1 end
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[2])
end
return 2
)lua";

// 1: deleted, 0: absent or holding another value.
constexpr std::string_view kDeleteIfEqualsScript = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua";

struct Script {
  std::string_view body;
  std::string sha;
};

void check_ttl(Ttl ttl) {
  if (ttl.count() < 0) throw std::invalid_argument("kv: negative ttl");
}

[[noreturn]] void unexpected(const Reply& r) {
  // A programming error (wrong type, not an integer...), not an outage: no ServiceUnavailable.
  if (r.is_error()) throw std::runtime_error("cache error: " + r.str);
  throw std::runtime_error("cache error: unexpected reply");
}

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
  struct Subscription {
    std::function<void(std::string_view)> on_message;
    std::function<void()> on_gap;
  };

  explicit Impl(RedisOptions o)
      : options(std::move(o)),
        settings(make_settings(options)),
        home(ctx, settings, make_pool_options(options)),
        increment_script{kIncrementScript, to_hex(sha1(kIncrementScript))},
        increment_each_script{kIncrementEachScript, to_hex(sha1(kIncrementEachScript))},
        cas_script{kCompareAndSetScript, to_hex(sha1(kCompareAndSetScript))},
        delete_if_equals_script{kDeleteIfEqualsScript, to_hex(sha1(kDeleteIfEqualsScript))} {}

  // increment_each() calls waiting for one script call that adds all of them up.
  using CountersHandler = asio::any_completion_handler<void(std::exception_ptr, std::vector<Counter>)>;
  struct IncrementBatch {
    std::vector<std::string> keys;
    Ttl ttl{0};
    std::int64_t total = 0;
    std::vector<std::pair<std::int64_t, CountersHandler>> waiters;  // (by, handler) in arrival order
  };
  struct Coalescing {
    std::unique_ptr<IncrementBatch> open;  // collecting; sent when nothing is in flight
    bool in_flight = false;
    bool launch_posted = false;
  };

  // Connections on one io_context, used only from its thread: the store's own (`home`), and one per
  // attached I/O thread, whose calls then never leave that thread.
  struct Lane {
    Lane(asio::io_context& c, std::shared_ptr<const ConnectionSettings> s, PoolOptions o)
        : ctx(c), pool(c, std::move(s), o), sweep_timer(c) {}
    asio::io_context& ctx;
    Pool pool;
    asio::steady_timer sweep_timer;
    std::promise<void> sweep_done;  // set when the sweep loop has ended (attached lanes)
    std::atomic<bool> ran{false};   // the sweep loop has started: a thread runs ctx
    // Copies of the pool's counters for stats() from other threads, refreshed by the sweep.
    std::atomic<std::size_t> open{0};
    std::atomic<std::uint64_t> connects{0};
    // increment_each() calls on the same keys and TTL, coalesced (see increment_each below).
    std::unordered_map<std::string, Coalescing> increments;
    std::atomic<std::uint64_t> increment_calls{0};     // increment_each() calls
    std::atomic<std::uint64_t> increment_commands{0};  // scripts sent for them
  };

  asio::io_context ctx{1};  // first: destroyed last
  RedisOptions options;
  std::shared_ptr<const ConnectionSettings> settings;
  Lane home;
  std::vector<std::unique_ptr<Lane>> lanes;  // fixed once attached, before any call
  Script increment_script;
  Script increment_each_script;
  Script cas_script;
  Script delete_if_equals_script;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::promise<void> exited;
  std::thread thread;
  std::atomic<bool> stopping{false};

  // Pub/sub: one dedicated connection, opened on the first subscribe.
  std::unordered_map<std::string, std::vector<Subscription>> subscriptions;
  std::shared_ptr<Connection> sub_conn;
  asio::steady_timer sub_timer{ctx};
  bool sub_running = false;
  bool sub_live = false;         // SUBSCRIBE for every channel has been sent on sub_conn
  bool sub_gap_pending = false;  // tell subscribers once the resubscription is confirmed
  bool sub_confirmed = false;
  std::uint64_t resubscribes = 0;

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
      home.sweep_timer.cancel();
      sub_timer.cancel();
      if (sub_conn) sub_conn->close("store closed");
      home.pool.close_all("store closed");
      fail_open_batches(home);
    });
    guard.reset();
    if (exited.get_future().wait_for(std::chrono::seconds(5)) != std::future_status::ready) ctx.stop();
    thread.join();
    for (auto& lane : lanes) stop_lane(*lane);
  }

  // An attached I/O thread's lane. Normally its io_context has stopped already (the server stops
  // before the store goes): then nothing runs there any more and the lane is closed from here.
  // Still running: closed on its thread, and the sweep loop is waited for.
  // Calls still waiting for a coalesced increment that was never sent fail as the pool's do.
  static void fail_open_batches(Lane& lane) {
    for (auto& [signature, slot] : lane.increments) {
      if (!slot.open) continue;
      auto failure = std::make_exception_ptr(ServiceUnavailable("cache", "store closed"));
      for (auto& [by, handler] : slot.open->waiters)
        asio::post(lane.ctx, asio::append(std::move(handler), failure, std::vector<Counter>{}));
      slot.open.reset();
    }
  }

  static void stop_lane(Lane& lane) {
    const auto close = [&lane] {
      lane.sweep_timer.cancel();
      lane.pool.close_all("store closed");
      fail_open_batches(lane);
    };
    if (!lane.ctx.stopped()) {
      // Still running: close on the lane's thread, then let what close() cancelled end there (the
      // connects in progress resume once, to fail) and the sweep loop stop (it may have ended
      // already on `stopping`, or waits on its timer, which close() cancels). Nothing touches the
      // lane on that thread after that.
      auto swept = lane.sweep_done.get_future();
      std::promise<void> drained;
      auto drained_future = drained.get_future();
      std::function<void()> check = [&lane, &drained, &check] {
        if (lane.pool.connecting() == 0) drained.set_value();
        else asio::post(lane.ctx, check);
      };
      asio::post(lane.ctx, [&close, &check] {
        close();
        check();
      });
      if (drained_future.wait_for(std::chrono::seconds(5)) != std::future_status::ready && lane.ran.load()) {
        // A thread runs the lane but is slow to get to it: closing from here would race with it (and
        // leave it the references above), so keep waiting; the task's stop timeout bounds this.
        log::error("redis client: an I/O thread is slow to close its connections; waiting");
        drained_future.wait();
      }
      if (drained_future.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        swept.wait();
        return;
      }
      // Never run: nothing else will touch the lane (the posted close is dropped with its context).
    }
    close();
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
      if (is_home && sub_conn) sub_conn->check_deadlines(now);
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
      lanes.push_back(std::make_unique<Lane>(*c, settings, per_lane));
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

  // Runs one command with the retry policy described in the header. Error replies are returned.
  asio::awaitable<Reply> call(Lane& lane, std::span<const std::string_view> args, bool idempotent, int retries) {
    const auto budget_end = Clock::now() + options.acquire_timeout + options.command_timeout;
    for (int attempt = 0;; ++attempt) {
      Failure failure = Failure::none;
      std::string detail;
      Acquired acquired = co_await lane.pool.acquire(std::min(Clock::now() + options.acquire_timeout, budget_end));
      if (!acquired.connection) {
        failure = Failure::not_sent;
        detail = std::move(acquired.error);
      } else {
        const auto deadline = std::min(Clock::now() + options.command_timeout, budget_end);
        Result r = co_await acquired.connection->execute(args, deadline, asio::use_awaitable);
        if (r.failure == Failure::none) co_return std::move(r.reply);
        failure = r.failure;
        detail = std::move(r.detail);
      }
      const bool safe = failure == Failure::not_sent || failure == Failure::not_executed || idempotent;
      const auto now = Clock::now();
      if (!safe || attempt >= retries || now >= budget_end || stopping) {
        if (!safe) detail += " (the command may have run)";
        throw ServiceUnavailable("cache", detail);
      }
      const auto backoff = std::min(milliseconds(25) * (1 << std::min(attempt, 5)), milliseconds(500));
      asio::steady_timer timer(lane.ctx);
      timer.expires_after(std::min<Clock::duration>(backoff, budget_end - now));
      co_await timer.async_wait(use_tuple);
    }
  }

  asio::awaitable<Reply> eval(Lane& lane, const Script& script, std::string_view key,
                              std::span<const std::string_view> argv, bool idempotent) {
    const std::array<std::string_view, 1> keys{key};
    co_return co_await eval_keys(lane, script, keys, argv, idempotent);
  }

  asio::awaitable<Reply> eval_keys(Lane& lane, const Script& script, std::span<const std::string_view> keys,
                                   std::span<const std::string_view> argv, bool idempotent) {
    const std::string key_count = std::to_string(keys.size());
    std::vector<std::string_view> args{"EVALSHA", script.sha, key_count};
    args.insert(args.end(), keys.begin(), keys.end());
    args.insert(args.end(), argv.begin(), argv.end());
    Reply r = co_await call(lane, args, idempotent, options.retry_attempts);
    if (r.is_error() && r.error_code() == "NOSCRIPT") {
      // Not run; the script cache is empty after a restart or a failover.
      args[0] = "EVAL";
      args[1] = script.body;
      r = co_await call(lane, args, idempotent, options.retry_attempts);
    }
    co_return r;
  }

  asio::awaitable<std::optional<std::string>> get(Lane& lane, std::string key) {
    const std::array<std::string_view, 2> args{"GET", key};
    Reply r = co_await call(lane, args, true, options.retry_attempts);
    if (r.is_nil()) co_return std::nullopt;
    if (r.type != Reply::Type::bulk) unexpected(r);
    co_return std::move(r.str);
  }

  asio::awaitable<void> set(Lane& lane, std::string key, std::string value, Ttl ttl) {
    check_ttl(ttl);
    const std::string px = std::to_string(ttl.count());
    const std::array<std::string_view, 5> args{"SET", key, value, "PX", px};
    Reply r = co_await call(lane, std::span(args).first(ttl.count() > 0 ? 5 : 3), true, options.retry_attempts);
    if (r.type != Reply::Type::simple) unexpected(r);
  }

  asio::awaitable<bool> set_if_absent(Lane& lane, std::string key, std::string value, Ttl ttl) {
    check_ttl(ttl);
    const std::string px = std::to_string(ttl.count());
    const std::array<std::string_view, 6> args{"SET", key, value, "NX", "PX", px};
    Reply r = co_await call(lane, std::span(args).first(ttl.count() > 0 ? 6 : 4), false, options.retry_attempts);
    if (r.is_nil()) co_return false;
    if (r.type != Reply::Type::simple) unexpected(r);
    co_return true;
  }

  asio::awaitable<Counter> increment(Lane& lane, std::string key, std::int64_t by, Ttl ttl) {
    check_ttl(ttl);
    const std::string by_text = std::to_string(by);
    const std::string ttl_text = std::to_string(ttl.count());
    const std::array<std::string_view, 2> argv{by_text, ttl_text};
    Reply r = co_await eval(lane, increment_script, key, argv, false);
    if (r.type != Reply::Type::array || r.elements.size() != 2 || r.elements[0].type != Reply::Type::integer ||
        r.elements[1].type != Reply::Type::integer)
      unexpected(r);
    co_return Counter{r.elements[0].integer, Ttl(r.elements[1].integer)};
  }

  // Rate limits count every request against the same few keys (an IP, a user), from many
  // requests at once. Calls on the same keys and TTL made while another such call is on its way
  // are coalesced into the next single script call that adds up all of them (INCRBY total): per
  // key set at most one call in flight per lane, and one Redis script run per batch instead of per
  // request. The counts stay exact: each caller gets the values its own increments reached within
  // the batch (the counter before the batch plus the increments up to and including its own, in
  // arrival order), exactly as if the batch's calls had run one after another, and the window's
  // expiry is the same for all. A failed call fails every caller of its batch alike.
  asio::awaitable<std::vector<Counter>> increment_each(Lane& lane, std::vector<std::string> keys, std::int64_t by,
                                                       Ttl ttl) {
    check_ttl(ttl);
    if (keys.empty()) co_return std::vector<Counter>{};
    ++lane.increment_calls;
    // A key listed twice is incremented twice per call: the arithmetic below would not hold, so
    // such a call goes out on its own.
    for (std::size_t i = 0; i < keys.size(); ++i)
      for (std::size_t j = i + 1; j < keys.size(); ++j)
        if (keys[i] == keys[j]) {
          ++lane.increment_commands;
          co_return co_await increment_each_now(lane, keys, by, ttl);
        }
    std::string signature = std::to_string(ttl.count());
    for (const auto& k : keys) {
      signature += ' ';
      signature += std::to_string(k.size());  // length-prefixed: no two key lists share a signature
      signature += ':';
      signature += k;
    }
    Coalescing& slot = lane.increments[signature];
    if (!slot.open) {
      slot.open = std::make_unique<IncrementBatch>();
      slot.open->keys = std::move(keys);
      slot.open->ttl = ttl;
    }
    IncrementBatch& batch = *slot.open;
    batch.total += by;
    if (!slot.in_flight && !slot.launch_posted) {
      // After the calls already queued on this thread have had their turn to join.
      slot.launch_posted = true;
      asio::post(lane.ctx, [this, &lane, signature] { launch_increments(lane, signature); });
    }
    co_return co_await asio::async_initiate<decltype(asio::use_awaitable),
                                            void(std::exception_ptr, std::vector<Counter>)>(
        [&batch, &by](auto handler) { batch.waiters.emplace_back(by, CountersHandler(std::move(handler))); },
        asio::use_awaitable);
  }

  void launch_increments(Lane& lane, const std::string& signature) {
    auto it = lane.increments.find(signature);
    if (it == lane.increments.end()) return;
    Coalescing& slot = it->second;
    slot.launch_posted = false;
    if (slot.in_flight) return;
    if (!slot.open) {
      lane.increments.erase(it);
      return;
    }
    slot.in_flight = true;
    asio::co_spawn(lane.ctx, run_increments(lane, signature, std::move(slot.open)), asio::detached);
  }

  asio::awaitable<void> run_increments(Lane& lane, std::string signature, std::unique_ptr<IncrementBatch> batch) {
    ++lane.increment_commands;
    std::exception_ptr failure;
    std::vector<Counter> reached;
    try {
      reached = co_await increment_each_now(lane, batch->keys, batch->total, batch->ttl);
    } catch (...) {
      failure = std::current_exception();
    }
    std::int64_t added = 0;
    for (auto& [by, handler] : batch->waiters) {
      added += by;
      std::vector<Counter> mine;
      if (!failure) {
        mine.reserve(reached.size());
        for (const auto& c : reached) mine.push_back(Counter{c.value - batch->total + added, c.ttl});
      }
      asio::post(lane.ctx, asio::append(std::move(handler), failure, std::move(mine)));
    }
    auto it = lane.increments.find(signature);
    if (it == lane.increments.end()) co_return;  // closed
    it->second.in_flight = false;
    launch_increments(lane, signature);  // the batch that gathered meanwhile, if any
  }

  asio::awaitable<std::vector<Counter>> increment_each_now(Lane& lane, const std::vector<std::string>& keys,
                                                           std::int64_t by, Ttl ttl) {
    const std::string by_text = std::to_string(by);
    const std::string ttl_text = std::to_string(ttl.count());
    const std::array<std::string_view, 2> argv{by_text, ttl_text};
    const std::vector<std::string_view> key_views(keys.begin(), keys.end());
    Reply r = co_await eval_keys(lane, increment_each_script, key_views, argv, false);
    if (r.type != Reply::Type::array || r.elements.size() != 2 * keys.size()) unexpected(r);
    std::vector<Counter> out;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const auto& n = r.elements[2 * i];
      const auto& left = r.elements[2 * i + 1];
      if (n.type != Reply::Type::integer || left.type != Reply::Type::integer) unexpected(r);
      out.push_back(Counter{n.integer, Ttl(left.integer)});
    }
    co_return out;
  }

  asio::awaitable<bool> del(Lane& lane, std::string key) {
    const std::array<std::string_view, 2> args{"DEL", key};
    Reply r = co_await call(lane, args, true, options.retry_attempts);
    if (r.type != Reply::Type::integer) unexpected(r);
    co_return r.integer > 0;
  }

  asio::awaitable<bool> delete_if_equals(Lane& lane, std::string key, std::string expected) {
    const std::array<std::string_view, 1> argv{expected};
    // Safe to resend: a second run finds the key gone (or another holder's value) and deletes nothing.
    Reply r = co_await eval(lane, delete_if_equals_script, key, argv, true);
    if (r.type != Reply::Type::integer) unexpected(r);
    co_return r.integer > 0;
  }

  asio::awaitable<CasResult> compare_and_set(Lane& lane, std::string key, std::string expected, std::string value, Ttl ttl) {
    check_ttl(ttl);
    const std::string ttl_text = std::to_string(ttl.count());
    const std::array<std::string_view, 3> argv{expected, value, ttl_text};
    Reply r = co_await eval(lane, cas_script, key, argv, false);
    if (r.type != Reply::Type::integer) unexpected(r);
    switch (r.integer) {
      case 0:
        co_return CasResult::missing;
      case 1:
        co_return CasResult::mismatch;
      case 2:
        co_return CasResult::swapped;
      default:
        unexpected(r);
    }
  }

  asio::awaitable<void> publish(Lane& lane, std::string channel, std::string message) {
    const std::array<std::string_view, 3> args{"PUBLISH", channel, message};
    Reply r = co_await call(lane, args, false, options.retry_attempts);
    if (r.type != Reply::Type::integer) unexpected(r);
  }

  asio::awaitable<Probe> probe(Lane& lane) {
    const auto start = Clock::now();
    bool ok = false;
    try {
      const std::array<std::string_view, 1> args{"PING"};
      Reply r = co_await call(lane, args, true, 0);
      ok = r.type == Reply::Type::simple && r.str == "PONG";
    } catch (...) {
      ok = false;
    }
    co_return Probe{ok, std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start)};
  }

  // --- pub/sub (store thread) ---

  void add_subscription(std::string channel, Subscription s) {
    if (stopping) return;
    auto& list = subscriptions[channel];
    list.push_back(std::move(s));
    if (list.size() == 1 && sub_live && sub_conn && sub_conn->ready()) {
      const std::array<std::string_view, 2> args{"SUBSCRIBE", channel};
      sub_conn->send(args);
    }
    if (!sub_running) {
      sub_running = true;
      asio::co_spawn(ctx, subscriber_loop(), asio::detached);
    }
  }

  void notify_gap() {
    for (auto& [channel, list] : subscriptions) {
      for (auto& s : list) {
        if (!s.on_gap) continue;
        try {
          s.on_gap();
        } catch (const std::exception& e) {
          log::error("pub/sub gap handler threw").str("channel", channel).str("error", e.what());
        }
      }
    }
  }

  void on_push(Reply& r) {
    const auto& kind = r.elements.front().str;
    if (kind == "message" && r.elements.size() >= 3) {
      auto it = subscriptions.find(r.elements[1].str);
      if (it == subscriptions.end()) return;
      for (auto& s : it->second) {
        try {
          s.on_message(r.elements[2].str);
        } catch (const std::exception& e) {
          log::error("pub/sub message handler threw").str("channel", it->first).str("error", e.what());
        }
      }
    } else if (kind == "subscribe") {
      sub_confirmed = true;
      if (sub_gap_pending) {
        sub_gap_pending = false;
        notify_gap();  // messages published while the link was down were missed
      }
    }
  }

  asio::awaitable<void> subscriber_loop() {
    int failures = 0;
    bool lost_before = false;
    while (!stopping) {
      auto conn = std::make_shared<Connection>(ctx, settings);
      conn->on_push = [this](Reply& r) { on_push(r); };
      conn->on_closed = [this] { sub_timer.cancel(); };
      sub_conn = conn;
      std::string error;
      try {
        co_await conn->open(Clock::now() + std::max(options.acquire_timeout, options.command_timeout));
      } catch (const ConnectError& e) {
        error = e.what();
      } catch (const std::exception&) {
        error = "cannot connect";
      }
      if (stopping) break;
      if (!error.empty()) {
        conn->close(error);
        sub_conn.reset();
        ++failures;
        const auto backoff =
            std::min(milliseconds(50) * (1 << std::min(failures - 1, 10)), options.reconnect_backoff_max);
        sub_timer.expires_after(backoff);
        co_await sub_timer.async_wait(use_tuple);
        continue;
      }
      failures = 0;
      if (lost_before) {
        ++resubscribes;
        sub_gap_pending = true;
      }
      std::vector<std::string_view> args{"SUBSCRIBE"};
      for (const auto& [channel, list] : subscriptions) args.push_back(channel);
      conn->send(args);
      sub_live = true;
      // PING now and then: a failed node that never closes the connection is noticed by the timeout.
      while (conn->ready() && !stopping) {
        sub_timer.expires_after(options.subscriber_ping_interval);
        co_await sub_timer.async_wait(use_tuple);
        if (!conn->ready() || stopping) break;
        const std::array<std::string_view, 1> ping{"PING"};
        Result r = co_await conn->execute(ping, Clock::now() + options.command_timeout, asio::use_awaitable);
        if (r.failure != Failure::none) break;
      }
      sub_live = false;
      sub_confirmed = false;
      conn->close("subscriber reconnecting");
      sub_conn.reset();
      if (stopping) break;
      if (!lost_before) log::warn("redis subscriber connection lost: resubscribing");
      lost_before = true;
      notify_gap();  // from now until the resubscription, messages are missed
    }
    sub_running = false;
  }
};

RedisStore::RedisStore(RedisOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->start();
}

RedisStore::~RedisStore() {
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
  return hop(lane.ctx, impl_->get(lane, std::move(key)));
}

Awaitable<void> RedisStore::set(std::string key, std::string value, Ttl ttl) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->set(lane, std::move(key), std::move(value), ttl));
}

Awaitable<bool> RedisStore::set_if_absent(std::string key, std::string value, Ttl ttl) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->set_if_absent(lane, std::move(key), std::move(value), ttl));
}

Awaitable<Counter> RedisStore::increment(std::string key, std::int64_t by, Ttl ttl) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->increment(lane, std::move(key), by, ttl));
}

Awaitable<std::vector<Counter>> RedisStore::increment_each(std::vector<std::string> keys, std::int64_t by, Ttl ttl) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->increment_each(lane, std::move(keys), by, ttl));
}

Awaitable<bool> RedisStore::del(std::string key) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->del(lane, std::move(key)));
}

Awaitable<CasResult> RedisStore::compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->compare_and_set(lane, std::move(key), std::move(expected), std::move(value), ttl));
}

Awaitable<bool> RedisStore::delete_if_equals(std::string key, std::string expected) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->delete_if_equals(lane, std::move(key), std::move(expected)));
}

Awaitable<void> RedisStore::publish(std::string channel, std::string message) {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->publish(lane, std::move(channel), std::move(message)));
}

void RedisStore::subscribe(std::string channel, std::function<void(std::string_view)> on_message,
                           std::function<void()> on_gap) {
  asio::post(impl_->ctx, [impl = impl_.get(), channel = std::move(channel),
                          s = Impl::Subscription{std::move(on_message), std::move(on_gap)}]() mutable {
    impl->add_subscription(std::move(channel), std::move(s));
  });
}

Awaitable<Probe> RedisStore::probe() {
  auto& lane = impl_->lane_here();
  return hop(lane.ctx, impl_->probe(lane));
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
    s.increment_calls = impl->home.increment_calls.load();
    s.increment_commands = impl->home.increment_commands.load();
    for (const auto& lane : impl->lanes) {
      s.increment_calls += lane->increment_calls.load();
      s.increment_commands += lane->increment_commands.load();
      s.lane_connections += lane->open.load(std::memory_order_relaxed);
      s.connects += lane->connects.load(std::memory_order_relaxed);
    }
    s.resubscribes = impl->resubscribes;
    s.subscriber_connected = impl->sub_live && impl->sub_confirmed;
    p.set_value(s);
  });
  return p.get_future().get();
}

}  // namespace b2w::kv
