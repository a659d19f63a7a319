#include "sportsbook/catalog_cache.hpp"

#include <charconv>
#include <unordered_map>

#include "observability/log.hpp"

namespace b2w::sportsbook {
namespace {

using Clock = std::chrono::steady_clock;

struct Entry {
  std::int64_t version;
  Clock::time_point expires;
  std::string body;
};

// One map per thread and cache (tests build several caches in one process).
std::unordered_map<std::string, Entry>& entries_of(const CatalogCache* cache) {
  thread_local std::unordered_map<const CatalogCache*, std::unordered_map<std::string, Entry>> per_cache;
  return per_cache[cache];
}

}  // namespace

CatalogCache::CatalogCache(kv::KeyValueStore& kv, std::chrono::milliseconds ttl, std::size_t max_entries_per_thread)
    : kv_(kv), ttl_(ttl), max_entries_(max_entries_per_thread) {}

kv::Awaitable<std::optional<std::int64_t>> CatalogCache::version() {
  std::optional<std::string> text;
  try {
    text = co_await kv_.get(std::string(kVersionKey));
  } catch (const std::exception&) {
    co_return std::nullopt;  // the store is down: serve from the database
  }
  std::int64_t v = 0;
  if (text) std::from_chars(text->data(), text->data() + text->size(), v);
  co_return v;
}

std::optional<std::string> CatalogCache::find(std::string_view key, std::int64_t version) const {
  auto& mine = entries_of(this);
  const auto it = mine.find(std::string(key));
  if (it == mine.end() || it->second.version != version || it->second.expires <= Clock::now()) return std::nullopt;
  return it->second.body;
}

void CatalogCache::store(std::string_view key, std::int64_t version, std::string body) const {
  auto& mine = entries_of(this);
  if (mine.size() >= max_entries_) mine.clear();  // hostile query strings cannot grow it
  mine[std::string(key)] = Entry{version, Clock::now() + ttl_, std::move(body)};
}

kv::Awaitable<void> CatalogCache::invalidate() {
  try {
    co_await kv_.increment(std::string(kVersionKey), 1, kv::Ttl{0});
  } catch (const std::exception& e) {
    // Tasks that can still reach the store keep their entries until the TTL ends them.
    log::error("catalogue version not incremented: other tasks may serve the old catalogue until the cache TTL")
        .str("error", e.what());
  }
}

}  // namespace b2w::sportsbook
