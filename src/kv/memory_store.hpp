#pragma once
// The in-process KeyValueStore (REDIS_URL unset): the same semantics as the Redis store
// for one process. A mutex guards one map; calls never suspend, so the caller simply
// continues on its own executor. Expired keys are dropped lazily on access and by a
// sweep of the expiry index on writes.
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "kv/kv.hpp"

namespace b2w::kv {

class MemoryStore final : public KeyValueStore {
 public:
  using Clock = std::chrono::steady_clock;

  MemoryStore() = default;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  StoreKind kind() const override { return StoreKind::memory; }
  Awaitable<std::optional<std::string>> get(std::string key) override;
  Awaitable<void> set(std::string key, std::string value, Ttl ttl) override;
  Awaitable<bool> set_if_absent(std::string key, std::string value, Ttl ttl) override;
  Awaitable<Counter> increment(std::string key, std::int64_t by, Ttl ttl) override;
  Awaitable<std::vector<Counter>> increment_each(std::vector<std::string> keys, std::int64_t by, Ttl ttl) override;
  Awaitable<bool> del(std::string key) override;
  Awaitable<CasResult> compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) override;
  Awaitable<bool> delete_if_equals(std::string key, std::string expected) override;
  // Delivers synchronously to this process's subscribers (outside the lock); on_gap never runs.
  Awaitable<void> publish(std::string channel, std::string message) override;
  void subscribe(std::string channel, std::function<void(std::string_view)> on_message,
                 std::function<void()> on_gap) override;
  Awaitable<Probe> probe() override;

  std::size_t size();  // live keys, for tests

 private:
  Counter increment_locked(const std::string& key, std::int64_t by, Ttl ttl, Clock::time_point now);
  using ExpiryIndex = std::multimap<Clock::time_point, std::string>;
  struct Entry {
    std::string value;
    ExpiryIndex::iterator expiry;  // expiries_.end() when none
  };
  struct Subscriber {
    std::function<void(std::string_view)> on_message;
  };

  // All below with mutex_ held.
  Entry* find_live(const std::string& key, Clock::time_point now);
  void put(const std::string& key, std::string value, Ttl ttl, Clock::time_point now);
  void erase(std::unordered_map<std::string, Entry>::iterator it);
  void purge_expired(Clock::time_point now);

  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  ExpiryIndex expiries_;

  std::mutex sub_mutex_;
  std::unordered_map<std::string, std::vector<std::shared_ptr<Subscriber>>> subscribers_;
};

}  // namespace b2w::kv
