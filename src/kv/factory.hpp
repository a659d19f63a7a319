#pragma once
#include <memory>

#include "kv/kv.hpp"

namespace b2w::config {
struct Config;
}

namespace b2w::kv {

// REDIS_URL set: the Redis store (connections open in the background; a bad URL or CA file
// throws std::invalid_argument without the password in the message). Unset: the in-process store.
std::unique_ptr<KeyValueStore> make_store(const config::Config& config);

}  // namespace b2w::kv
