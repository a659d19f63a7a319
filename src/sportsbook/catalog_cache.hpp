#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kv/kv.hpp"

namespace b2w::sportsbook {

// Serialized public catalogue responses (events, sports), cached per I/O thread so a hit takes no
// lock. Entries are tagged with the catalogue's version, a counter in the shared key-value store
// that every admin change increments before it answers: a request reads the version first (one
// round trip) and only an entry of that version is served, so once a change has been acknowledged
// no task serves what came before it. A fill that raced a change carries the older version and is
// never served. When the store cannot answer, requests bypass the cache (fresh from the database).
class CatalogCache {
 public:
  static constexpr std::string_view kVersionKey = "b2w:catalog:version";

  CatalogCache(kv::KeyValueStore& kv, std::chrono::milliseconds ttl, std::size_t max_entries_per_thread = 512);

  // The current version, or nullopt when the store cannot answer (then: no cache).
  kv::Awaitable<std::optional<std::int64_t>> version();
  std::optional<std::string> find(std::string_view key, std::int64_t version) const;
  void store(std::string_view key, std::int64_t version, std::string body) const;

  // After an admin change commits, before it is acknowledged: every task's entries become stale.
  kv::Awaitable<void> invalidate();

 private:
  kv::KeyValueStore& kv_;
  std::chrono::milliseconds ttl_;
  std::size_t max_entries_;
};

}  // namespace b2w::sportsbook
