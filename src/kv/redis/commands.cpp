#include "kv/redis/commands.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <stdexcept>

#include "kv/redis/lane.hpp"
#include "kv/redis_store.hpp"
#include "util/unavailable.hpp"

namespace b2w::kv::redis {

namespace asio = boost::asio;
using std::chrono::milliseconds;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

void check_ttl(Ttl ttl) {
  if (ttl.count() < 0) throw std::invalid_argument("kv: negative ttl");
}

namespace {

[[noreturn]] void unexpected(const Reply& r) {
  // A programming error (wrong type, not an integer...), not an outage: no ServiceUnavailable.
  if (r.is_error()) throw std::runtime_error("cache error: " + r.str);
  throw std::runtime_error("cache error: unexpected reply");
}

}  // namespace

asio::awaitable<Reply> Commands::call(Lane& lane, std::span<const std::string_view> args, bool idempotent,
                                      int retries) {
  const auto budget_end = Clock::now() + options_.acquire_timeout + options_.command_timeout;
  for (int attempt = 0;; ++attempt) {
    Failure failure = Failure::none;
    std::string detail;
    Acquired acquired = co_await lane.pool.acquire(std::min(Clock::now() + options_.acquire_timeout, budget_end));
    if (!acquired.connection) {
      failure = Failure::not_sent;
      detail = std::move(acquired.error);
    } else {
      const auto deadline = std::min(Clock::now() + options_.command_timeout, budget_end);
      Result r = co_await acquired.connection->execute(args, deadline, asio::use_awaitable);
      if (r.failure == Failure::none) co_return std::move(r.reply);
      failure = r.failure;
      detail = std::move(r.detail);
    }
    const bool safe = failure == Failure::not_sent || failure == Failure::not_executed || idempotent;
    const auto now = Clock::now();
    if (!safe || attempt >= retries || now >= budget_end || stopping_) {
      if (!safe) detail += " (the command may have run)";
      throw ServiceUnavailable("cache", detail);
    }
    const auto backoff = std::min(milliseconds(25) * (1 << std::min(attempt, 5)), milliseconds(500));
    asio::steady_timer timer(lane.ctx);
    timer.expires_after(std::min<Clock::duration>(backoff, budget_end - now));
    co_await timer.async_wait(use_tuple);
  }
}

asio::awaitable<Reply> Commands::eval(Lane& lane, const Script& script, std::string_view key,
                                      std::span<const std::string_view> argv, bool idempotent) {
  const std::array<std::string_view, 1> keys{key};
  co_return co_await eval_keys(lane, script, keys, argv, idempotent);
}

asio::awaitable<Reply> Commands::eval_keys(Lane& lane, const Script& script, std::span<const std::string_view> keys,
                                           std::span<const std::string_view> argv, bool idempotent) {
  const std::string key_count = std::to_string(keys.size());
  std::vector<std::string_view> args{"EVALSHA", script.sha, key_count};
  args.insert(args.end(), keys.begin(), keys.end());
  args.insert(args.end(), argv.begin(), argv.end());
  Reply r = co_await call(lane, args, idempotent, options_.retry_attempts);
  if (r.is_error() && r.error_code() == "NOSCRIPT") {
    // Not run; the script cache is empty after a restart or a failover.
    args[0] = "EVAL";
    args[1] = script.body;
    r = co_await call(lane, args, idempotent, options_.retry_attempts);
  }
  co_return r;
}

asio::awaitable<std::optional<std::string>> Commands::get(Lane& lane, std::string key) {
  const std::array<std::string_view, 2> args{"GET", key};
  Reply r = co_await call(lane, args, true, options_.retry_attempts);
  if (r.is_nil()) co_return std::nullopt;
  if (r.type != Reply::Type::bulk) unexpected(r);
  co_return std::move(r.str);
}

asio::awaitable<void> Commands::set(Lane& lane, std::string key, std::string value, Ttl ttl) {
  check_ttl(ttl);
  const std::string px = std::to_string(ttl.count());
  const std::array<std::string_view, 5> args{"SET", key, value, "PX", px};
  Reply r = co_await call(lane, std::span(args).first(ttl.count() > 0 ? 5 : 3), true, options_.retry_attempts);
  if (r.type != Reply::Type::simple) unexpected(r);
}

asio::awaitable<bool> Commands::set_if_absent(Lane& lane, std::string key, std::string value, Ttl ttl) {
  check_ttl(ttl);
  const std::string px = std::to_string(ttl.count());
  const std::array<std::string_view, 6> args{"SET", key, value, "NX", "PX", px};
  Reply r = co_await call(lane, std::span(args).first(ttl.count() > 0 ? 6 : 4), false, options_.retry_attempts);
  if (r.is_nil()) co_return false;
  if (r.type != Reply::Type::simple) unexpected(r);
  co_return true;
}

asio::awaitable<Counter> Commands::increment(Lane& lane, std::string key, std::int64_t by, Ttl ttl) {
  check_ttl(ttl);
  const std::string by_text = std::to_string(by);
  const std::string ttl_text = std::to_string(ttl.count());
  const std::array<std::string_view, 2> argv{by_text, ttl_text};
  Reply r = co_await eval(lane, scripts_.increment, key, argv, false);
  if (r.type != Reply::Type::array || r.elements.size() != 2 || r.elements[0].type != Reply::Type::integer ||
      r.elements[1].type != Reply::Type::integer)
    unexpected(r);
  co_return Counter{r.elements[0].integer, Ttl(r.elements[1].integer)};
}

asio::awaitable<std::vector<Counter>> Commands::increment_each_now(Lane& lane, const std::vector<std::string>& keys,
                                                                   std::int64_t by, Ttl ttl) {
  const std::string by_text = std::to_string(by);
  const std::string ttl_text = std::to_string(ttl.count());
  const std::array<std::string_view, 2> argv{by_text, ttl_text};
  const std::vector<std::string_view> key_views(keys.begin(), keys.end());
  Reply r = co_await eval_keys(lane, scripts_.increment_each, key_views, argv, false);
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

asio::awaitable<bool> Commands::del(Lane& lane, std::string key) {
  const std::array<std::string_view, 2> args{"DEL", key};
  Reply r = co_await call(lane, args, true, options_.retry_attempts);
  if (r.type != Reply::Type::integer) unexpected(r);
  co_return r.integer > 0;
}

asio::awaitable<bool> Commands::delete_if_equals(Lane& lane, std::string key, std::string expected) {
  const std::array<std::string_view, 1> argv{expected};
  // Safe to resend: a second run finds the key gone (or another holder's value) and deletes nothing.
  Reply r = co_await eval(lane, scripts_.delete_if_equals, key, argv, true);
  if (r.type != Reply::Type::integer) unexpected(r);
  co_return r.integer > 0;
}

asio::awaitable<CasResult> Commands::compare_and_set(Lane& lane, std::string key, std::string expected,
                                                     std::string value, Ttl ttl) {
  check_ttl(ttl);
  const std::string ttl_text = std::to_string(ttl.count());
  const std::array<std::string_view, 3> argv{expected, value, ttl_text};
  Reply r = co_await eval(lane, scripts_.compare_and_set, key, argv, false);
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

asio::awaitable<void> Commands::publish(Lane& lane, std::string channel, std::string message) {
  const std::array<std::string_view, 3> args{"PUBLISH", channel, message};
  Reply r = co_await call(lane, args, false, options_.retry_attempts);
  if (r.type != Reply::Type::integer) unexpected(r);
}

asio::awaitable<Probe> Commands::probe(Lane& lane) {
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

}  // namespace b2w::kv::redis
