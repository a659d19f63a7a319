#include "kv/memory_store.hpp"

#include <charconv>
#include <stdexcept>

#include "observability/log.hpp"

namespace b2w::kv {

namespace {

void check_ttl(Ttl ttl) {
  if (ttl.count() < 0) throw std::invalid_argument("kv: negative ttl");
}

Ttl remaining(MemoryStore::Clock::time_point expires, MemoryStore::Clock::time_point now) {
  // Rounded up, as Redis' PTTL never reports 0 for a live key.
  const auto left = expires - now;
  auto ms = std::chrono::ceil<Ttl>(left);
  return ms.count() < 1 ? Ttl(1) : ms;
}

}  // namespace

MemoryStore::Entry* MemoryStore::find_live(const std::string& key, Clock::time_point now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  if (it->second.expiry != expiries_.end() && it->second.expiry->first <= now) {
    erase(it);
    return nullptr;
  }
  return &it->second;
}

void MemoryStore::erase(std::unordered_map<std::string, Entry>::iterator it) {
  if (it->second.expiry != expiries_.end()) expiries_.erase(it->second.expiry);
  entries_.erase(it);
}

void MemoryStore::put(const std::string& key, std::string value, Ttl ttl, Clock::time_point now) {
  auto [it, inserted] = entries_.try_emplace(key, Entry{{}, expiries_.end()});
  Entry& e = it->second;
  if (e.expiry != expiries_.end()) {
    expiries_.erase(e.expiry);
    e.expiry = expiries_.end();
  }
  e.value = std::move(value);
  if (ttl.count() > 0) e.expiry = expiries_.emplace(now + ttl, key);
}

void MemoryStore::purge_expired(Clock::time_point now) {
  // Bounded work per call so a burst of expiries never stalls one caller.
  for (int i = 0; i < 64 && !expiries_.empty() && expiries_.begin()->first <= now; ++i) {
    auto it = entries_.find(expiries_.begin()->second);
    if (it != entries_.end()) {
      erase(it);
    } else {
      expiries_.erase(expiries_.begin());
    }
  }
}

Awaitable<std::optional<std::string>> MemoryStore::get(std::string key) {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  if (Entry* e = find_live(key, now)) co_return e->value;
  co_return std::nullopt;
}

Awaitable<void> MemoryStore::set(std::string key, std::string value, Ttl ttl) {
  check_ttl(ttl);
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  purge_expired(now);
  put(key, std::move(value), ttl, now);
  co_return;
}

Awaitable<bool> MemoryStore::set_if_absent(std::string key, std::string value, Ttl ttl) {
  check_ttl(ttl);
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  purge_expired(now);
  if (find_live(key, now)) co_return false;
  put(key, std::move(value), ttl, now);
  co_return true;
}

Awaitable<Counter> MemoryStore::increment(std::string key, std::int64_t by, Ttl ttl) {
  check_ttl(ttl);
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  purge_expired(now);
  co_return increment_locked(key, by, ttl, now);
}

Awaitable<std::vector<Counter>> MemoryStore::increment_each(std::vector<std::string> keys, std::int64_t by, Ttl ttl) {
  check_ttl(ttl);
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  purge_expired(now);
  std::vector<Counter> out;
  for (const auto& key : keys) out.push_back(increment_locked(key, by, ttl, now));
  co_return out;
}

Counter MemoryStore::increment_locked(const std::string& key, std::int64_t by, Ttl ttl, Clock::time_point now) {
  Entry* e = find_live(key, now);
  if (!e) {
    put(key, std::to_string(by), ttl, now);
    return Counter{by, ttl};
  }
  std::int64_t current = 0;
  const auto* first = e->value.data();
  const auto* last = first + e->value.size();
  auto [ptr, ec] = std::from_chars(first, last, current);
  std::int64_t next = 0;
  if (ec != std::errc() || ptr != last || e->value.empty() || __builtin_add_overflow(current, by, &next))
    throw std::runtime_error("cache error: value is not an integer or out of range");
  e->value = std::to_string(next);
  const Ttl left = e->expiry == expiries_.end() ? Ttl(0) : remaining(e->expiry->first, now);
  return Counter{next, left};
}

Awaitable<bool> MemoryStore::del(std::string key) {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  if (!find_live(key, now)) co_return false;
  erase(entries_.find(key));
  co_return true;
}

Awaitable<bool> MemoryStore::delete_if_equals(std::string key, std::string expected) {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  Entry* e = find_live(key, now);
  if (!e || e->value != expected) co_return false;
  erase(entries_.find(key));
  co_return true;
}

Awaitable<CasResult> MemoryStore::compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) {
  check_ttl(ttl);
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  Entry* e = find_live(key, now);
  if (!e) co_return CasResult::missing;
  if (e->value != expected) co_return CasResult::mismatch;
  put(key, std::move(value), ttl, now);
  co_return CasResult::swapped;
}

Awaitable<void> MemoryStore::publish(std::string channel, std::string message) {
  std::vector<std::shared_ptr<Subscriber>> targets;
  {
    std::lock_guard lock(sub_mutex_);
    auto it = subscribers_.find(channel);
    if (it != subscribers_.end()) targets = it->second;
  }
  for (auto& s : targets) {
    try {
      s->on_message(message);
    } catch (const std::exception& e) {
      log::error("pub/sub message handler threw").str("channel", channel).str("error", e.what());
    }
  }
  co_return;
}

void MemoryStore::subscribe(std::string channel, std::function<void(std::string_view)> on_message,
                            std::function<void()> /*on_gap: nothing is ever missed in-process*/) {
  std::lock_guard lock(sub_mutex_);
  subscribers_[channel].push_back(std::make_shared<Subscriber>(Subscriber{std::move(on_message)}));
}

Awaitable<Probe> MemoryStore::probe() {
  const auto start = Clock::now();
  {
    std::lock_guard lock(mutex_);
    purge_expired(start);
  }
  co_return Probe{true, std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start)};
}

std::size_t MemoryStore::size() {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  while (!expiries_.empty() && expiries_.begin()->first <= now) purge_expired(now);
  return entries_.size();
}

}  // namespace b2w::kv
