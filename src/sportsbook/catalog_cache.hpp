#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kv/kv.hpp"

namespace b2w::sportsbook {

// Serialized public catalogue responses (events, sports), cached per I/O thread so a hit takes no
// lock. Any admin change drops every task's entries: the task that made it drops its own at once,
// then publishes on the key-value store's channel, and every subscriber drops theirs. A fill that
// raced an invalidation is discarded (generation check); a short TTL bounds what a lost message
// could leave behind, and a subscription gap drops everything.
class CatalogCache {
 public:
  static constexpr std::string_view kChannel = "b2w:catalog";

  CatalogCache(kv::KeyValueStore& kv, std::chrono::milliseconds ttl, std::size_t max_entries_per_thread = 512);
  // Subscribes to other tasks' invalidations.
  void start();

  // The generation to pass to store() after a miss; read it before reading the database.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  std::optional<std::string> find(std::string_view key) const;
  void store(std::string_view key, std::uint64_t generation, std::string body) const;

  // After an admin change commits: drop this task's entries, then tell every other task.
  kv::Awaitable<void> invalidate();
  void drop_all() { generation_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  kv::KeyValueStore& kv_;
  std::chrono::milliseconds ttl_;
  std::size_t max_entries_;
  std::atomic<std::uint64_t> generation_{1};
};

}  // namespace b2w::sportsbook
