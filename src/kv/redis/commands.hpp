#pragma once
// The store's commands as Redis commands and scripts, each run on a lane's connections with the
// retry policy described in kv/redis_store.hpp. Every call runs on the lane's thread.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kv/kv.hpp"
#include "kv/redis/resp.hpp"
#include "kv/redis/scripts.hpp"

namespace b2w::kv {
struct RedisOptions;
}

namespace b2w::kv::redis {

struct Lane;

// Throws std::invalid_argument for a negative TTL.
void check_ttl(Ttl ttl);

class Commands {
 public:
  // `stopping`: once true, a failed command is not retried.
  Commands(const RedisOptions& options, const std::atomic<bool>& stopping) : options_(options), stopping_(stopping) {}

  boost::asio::awaitable<std::optional<std::string>> get(Lane& lane, std::string key);
  boost::asio::awaitable<void> set(Lane& lane, std::string key, std::string value, Ttl ttl);
  boost::asio::awaitable<bool> set_if_absent(Lane& lane, std::string key, std::string value, Ttl ttl);
  boost::asio::awaitable<Counter> increment(Lane& lane, std::string key, std::int64_t by, Ttl ttl);
  // One script call for all of `keys`, not coalesced (IncrementCoalescer sends its batches with it).
  boost::asio::awaitable<std::vector<Counter>> increment_each_now(Lane& lane, const std::vector<std::string>& keys,
                                                                  std::int64_t by, Ttl ttl);
  boost::asio::awaitable<bool> del(Lane& lane, std::string key);
  boost::asio::awaitable<bool> delete_if_equals(Lane& lane, std::string key, std::string expected);
  boost::asio::awaitable<CasResult> compare_and_set(Lane& lane, std::string key, std::string expected,
                                                    std::string value, Ttl ttl);
  boost::asio::awaitable<void> publish(Lane& lane, std::string channel, std::string message);
  boost::asio::awaitable<Probe> probe(Lane& lane);

 private:
  // Runs one command with the retry policy. Error replies are returned.
  boost::asio::awaitable<Reply> call(Lane& lane, std::span<const std::string_view> args, bool idempotent, int retries);
  boost::asio::awaitable<Reply> eval(Lane& lane, const Script& script, std::string_view key,
                                     std::span<const std::string_view> argv, bool idempotent);
  boost::asio::awaitable<Reply> eval_keys(Lane& lane, const Script& script, std::span<const std::string_view> keys,
                                          std::span<const std::string_view> argv, bool idempotent);

  const RedisOptions& options_;
  const std::atomic<bool>& stopping_;
  Scripts scripts_;
};

}  // namespace b2w::kv::redis
