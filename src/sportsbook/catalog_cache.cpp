#include "sportsbook/catalog_cache.hpp"

#include <unordered_map>

#include "observability/log.hpp"

namespace b2w::sportsbook {
namespace {

using Clock = std::chrono::steady_clock;

struct Entry {
  std::uint64_t generation;
  Clock::time_point expires;
  std::string body;
};

// One map per thread and cache (tests build several caches in one process).
struct ThreadEntries {
  std::uint64_t generation = 0;  // every entry here belongs to this generation
  std::unordered_map<std::string, Entry> entries;
};

ThreadEntries& entries_of(const CatalogCache* cache) {
  thread_local std::unordered_map<const CatalogCache*, ThreadEntries> per_cache;
  return per_cache[cache];
}

}  // namespace

CatalogCache::CatalogCache(kv::KeyValueStore& kv, std::chrono::milliseconds ttl, std::size_t max_entries_per_thread)
    : kv_(kv), ttl_(ttl), max_entries_(max_entries_per_thread) {}

void CatalogCache::start() {
  kv_.subscribe(
      std::string(kChannel), [this](std::string_view) { drop_all(); }, [this] { drop_all(); });
}

std::optional<std::string> CatalogCache::find(std::string_view key) const {
  auto& mine = entries_of(this);
  const auto current = generation();
  if (mine.generation != current) {
    mine.entries.clear();
    mine.generation = current;
    return std::nullopt;
  }
  const auto it = mine.entries.find(std::string(key));
  if (it == mine.entries.end() || it->second.generation != current || it->second.expires <= Clock::now())
    return std::nullopt;
  return it->second.body;
}

void CatalogCache::store(std::string_view key, std::uint64_t generation, std::string body) const {
  auto& mine = entries_of(this);
  if (generation != this->generation() || mine.generation != generation) return;  // raced an invalidation
  if (mine.entries.size() >= max_entries_) mine.entries.clear();  // hostile query strings cannot grow it
  mine.entries[std::string(key)] = Entry{generation, Clock::now() + ttl_, std::move(body)};
}

kv::Awaitable<void> CatalogCache::invalidate() {
  drop_all();
  try {
    co_await kv_.publish(std::string(kChannel), "changed");
  } catch (const std::exception& e) {
    // Other tasks still drop their entries within the TTL.
    log::warn("catalogue invalidation not published").str("error", e.what());
  }
}

}  // namespace b2w::sportsbook
