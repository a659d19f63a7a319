#include "kv/redis/scripts.hpp"

#include "util/digest.hpp"

namespace b2w::kv::redis {

namespace {

// A fixed window: a new key gets the TTL, an existing one keeps its expiry. Returns {value, ms left}.
constexpr std::string_view kIncrementScript = R"lua(
local existed = redis.call('EXISTS', KEYS[1])
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = tonumber(ARGV[2])
if existed == 0 and ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {n, ttl}
end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then left = 0 end
return {n, left}
)lua";

// increment() over every key of KEYS: {n1, ttl1, n2, ttl2, ...}.
constexpr std::string_view kIncrementEachScript = R"lua(
local out = {}
local ttl = tonumber(ARGV[2])
for _, key in ipairs(KEYS) do
  local existed = redis.call('EXISTS', key)
  local n = redis.call('INCRBY', key, ARGV[1])
  local left = ttl
  if existed == 0 and ttl > 0 then
    redis.call('PEXPIRE', key, ARGV[2])
  else
    left = redis.call('PTTL', key)
    if left < 0 then left = 0 end
  end
  out[#out + 1] = n
  out[#out + 1] = left
end
return out
)lua";

// 0: missing, 1: mismatch, 2: swapped.
constexpr std::string_view kCompareAndSetScript = R"lua(
local current = redis.call('GET', KEYS[1])
if current == false then return 0 end
if current ~= ARGV[1] then return 1 end
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[2])
end
return 2
)lua";

// 1: deleted, 0: absent or holding another value.
constexpr std::string_view kDeleteIfEqualsScript = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua";

}  // namespace

Script::Script(std::string_view b) : body(b), sha(to_hex(sha1(b))) {}

Scripts::Scripts()
    : increment(kIncrementScript),
      increment_each(kIncrementEachScript),
      compare_and_set(kCompareAndSetScript),
      delete_if_equals(kDeleteIfEqualsScript) {}

}  // namespace b2w::kv::redis
