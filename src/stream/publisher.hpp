#pragma once
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "kv/kv.hpp"

namespace b2w::stream {

// What the rest of the service calls after a change commits, to push it to WebSocket clients on every
// task. Each message gets the next sequence number of its topic (the event, or the user) from the
// key-value store's atomic increment, so numbers are the same on every task and a client that sees
// one skipped knows it missed something (README.md). Never throws: a push that fails is logged and
// counted (StreamPublishFailures); the change itself has committed and stands.
class Publisher {
 public:
  explicit Publisher(kv::KeyValueStore& kv) : kv_(kv) {}

  // type "odds" (selection odds changed) or "market_status"; `market` is the market as the API shows it.
  kv::Awaitable<void> market_changed(std::string type, std::string event_id, std::string market_id,
                                     std::int64_t version, boost::json::object market);
  // type "event_status"; `event` is the event as the API shows it (without its markets).
  kv::Awaitable<void> event_changed(std::string event_id, boost::json::object event);
  // type "bet": the bet as GET /bets/{id} shows it (placed, accepted, rejected, settled).
  kv::Awaitable<void> bet_changed(std::string user_id, boost::json::object bet);
  // type "balance": the wallet's balance after a change, in kobo.
  kv::Awaitable<void> balance_changed(std::string user_id, std::int64_t balance);

 private:
  // Numbers `frame` in its topic, stamps it and publishes it on `channel` for `target`.
  kv::Awaitable<void> publish(std::string_view channel, std::string topic, std::string target,
                              boost::json::object frame);

  kv::KeyValueStore& kv_;
};

}  // namespace b2w::stream
