#include "auth/rate_limiter.hpp"

#include <algorithm>
#include <charconv>

#include "util/ids.hpp"

namespace b2w::auth {

RateDecision decide(std::int64_t count, std::chrono::milliseconds ttl, std::int64_t limit) {
  RateDecision d;
  d.limit = limit;
  d.allowed = count <= limit;
  d.remaining = std::max<std::int64_t>(0, limit - count);
  d.reset_seconds = std::max<std::int64_t>(1, (ttl.count() + 999) / 1000);
  return d;
}

kv::Awaitable<RateDecision> RateLimiter::hit(const std::string& key, std::int64_t limit,
                                             std::chrono::milliseconds window, std::int64_t cost) {
  const auto counter = co_await kv_.increment(key, cost, window);
  co_return decide(counter.value, counter.ttl, limit);
}

kv::Awaitable<std::vector<RateDecision>> RateLimiter::hit_each(std::vector<std::string> keys, std::int64_t limit,
                                                               std::chrono::milliseconds window) {
  const auto counters = co_await kv_.increment_each(std::move(keys), 1, window);
  std::vector<RateDecision> out;
  for (const auto& c : counters) out.push_back(decide(c.value, c.ttl, limit));
  co_return out;
}

kv::Awaitable<std::int64_t> RateLimiter::count(const std::string& key, std::chrono::milliseconds window) {
  co_return (co_await kv_.increment(key, 1, window)).value;
}

kv::Awaitable<void> RateLimiter::uncount(const std::string& key, std::chrono::milliseconds window) {
  co_await kv_.increment(key, -1, window);
}

kv::Awaitable<std::int64_t> RateLimiter::peek(const std::string& key) {
  const auto value = co_await kv_.get(key);
  std::int64_t n = 0;
  if (value) std::from_chars(value->data(), value->data() + value->size(), n);
  co_return n;
}

kv::Awaitable<void> RateLimiter::reset(const std::string& key) {
  co_await kv_.del(key);
}

kv::Awaitable<std::optional<std::string>> RateLimiter::try_lock(const std::string& key, std::chrono::milliseconds ttl) {
  std::string token = random_hex(16);
  const bool taken = co_await kv_.set_if_absent(key, token, ttl);
  if (!taken) co_return std::nullopt;
  co_return token;
}

kv::Awaitable<void> RateLimiter::unlock(const std::string& key, const std::string& token) {
  co_await kv_.delete_if_equals(key, token);
}

namespace {
std::int64_t epoch_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

kv::Awaitable<void> RateLimiter::hold(const std::string& key, std::chrono::milliseconds duration) {
  co_await kv_.set(key, std::to_string(epoch_ms() + duration.count()), duration);
}

kv::Awaitable<std::chrono::milliseconds> RateLimiter::held_for(const std::string& key) {
  const auto value = co_await kv_.get(key);
  std::int64_t until = 0;
  if (value) std::from_chars(value->data(), value->data() + value->size(), until);
  co_return std::chrono::milliseconds(std::max<std::int64_t>(0, until - epoch_ms()));
}

}  // namespace b2w::auth
