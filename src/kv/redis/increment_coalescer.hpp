#pragma once
// Rate limits count every request against the same few keys (an IP, a user), from many requests
// at once. increment_each() calls on the same keys and TTL made while another such call is on its
// way are coalesced into the next single script call that adds up all of them (INCRBY total): per
// key set at most one call in flight per lane, and one Redis script run per batch instead of per
// request. The counts stay exact: each caller gets the values its own increments reached within
// the batch (the counter before the batch plus the increments up to and including its own, in
// arrival order), exactly as if the batch's calls had run one after another, and the window's
// expiry is the same for all. A failed call fails every caller of its batch alike.
//
// One per lane, used on the lane's thread only.
#include <atomic>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kv/kv.hpp"

namespace b2w::kv::redis {

struct Lane;
class Commands;

class IncrementCoalescer {
 public:
  IncrementCoalescer(Lane& lane, Commands& commands) : lane_(lane), commands_(commands) {}

  boost::asio::awaitable<std::vector<Counter>> increment_each(std::vector<std::string> keys, std::int64_t by, Ttl ttl);
  // Calls still waiting for a batch that was never sent fail as the pool's do ("store closed").
  void fail_waiting();

  std::atomic<std::uint64_t> calls{0};     // increment_each() calls
  std::atomic<std::uint64_t> commands{0};  // scripts sent for them

 private:
  // increment_each() calls waiting for one script call that adds all of them up.
  using CountersHandler = boost::asio::any_completion_handler<void(std::exception_ptr, std::vector<Counter>)>;
  struct Batch {
    std::vector<std::string> keys;
    Ttl ttl{0};
    std::int64_t total = 0;
    std::vector<std::pair<std::int64_t, CountersHandler>> waiters;  // (by, handler) in arrival order
  };
  struct Slot {
    std::unique_ptr<Batch> open;  // collecting; sent when nothing is in flight
    bool in_flight = false;
    bool launch_posted = false;
  };

  void launch(const std::string& signature);
  boost::asio::awaitable<void> run(std::string signature, std::unique_ptr<Batch> batch);

  Lane& lane_;
  Commands& commands_;
  std::unordered_map<std::string, Slot> slots_;  // by signature: the TTL and the keys
};

}  // namespace b2w::kv::redis
