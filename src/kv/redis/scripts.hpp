#pragma once
// The Lua scripts behind the store's atomic commands, each sent by its SHA1 (EVALSHA) and by its
// body only when the server's script cache does not have it (after a restart or a failover).
#include <string>
#include <string_view>

namespace b2w::kv::redis {

struct Script {
  explicit Script(std::string_view body);
  std::string_view body;
  std::string sha;  // hex SHA1 of the body, as EVALSHA wants it
};

struct Scripts {
  // KEYS[1] += ARGV[1] in a fixed window of ARGV[2] ms: {value, ms left}.
  Script increment;
  // increment over every key of KEYS: {n1, ttl1, n2, ttl2, ...}.
  Script increment_each;
  // KEYS[1] = ARGV[2] (expiry ARGV[3] ms, 0: none) while it holds ARGV[1]: 0 missing, 1 mismatch, 2 swapped.
  Script compare_and_set;
  // DEL KEYS[1] while it holds ARGV[1]: 1 deleted, 0 absent or holding another value.
  Script delete_if_equals;

  Scripts();
};

}  // namespace b2w::kv::redis
