#include "kv/factory.hpp"

#include "config/config.hpp"
#include "kv/memory_store.hpp"
#include "kv/redis_store.hpp"

namespace b2w::kv {

std::unique_ptr<KeyValueStore> make_store(const config::Config& config) {
  if (config.redis_url && !config.redis_url->empty())
    return std::make_unique<RedisStore>(RedisOptions::from_config(config));
  return std::make_unique<MemoryStore>();
}

}  // namespace b2w::kv
