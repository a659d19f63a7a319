#include "stream/publisher.hpp"

#include <boost/json/serialize.hpp>
#include <chrono>
#include <exception>

#include "observability/log.hpp"
#include "observability/metrics.hpp"
#include "stream/hub.hpp"
#include "stream/protocol.hpp"

namespace b2w::stream {

namespace json = boost::json;

namespace {

// A topic's counter outlives any client's interest in it; one that expires restarts at 1, which a
// client reads as a gap (and refetches).
constexpr kv::Ttl kSequenceTtl = std::chrono::hours(24 * 7);

std::int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

kv::Awaitable<void> Publisher::market_changed(std::string type, std::string event_id, std::string market_id,
                                              std::int64_t version, json::object market) {
  json::object frame{{"type", type}, {"event_id", event_id}, {"market_id", market_id}, {"version", version}};
  frame["market"] = std::move(market);
  std::string topic = "e:" + event_id;
  co_await publish(kEventsChannel, std::move(topic), std::move(event_id), std::move(frame));
}

kv::Awaitable<void> Publisher::event_changed(std::string event_id, json::object event) {
  json::object frame{{"type", "event_status"}, {"event_id", event_id}};
  frame["event"] = std::move(event);
  std::string topic = "e:" + event_id;
  co_await publish(kEventsChannel, std::move(topic), std::move(event_id), std::move(frame));
}

kv::Awaitable<void> Publisher::bet_changed(std::string user_id, json::object bet) {
  json::object frame{{"type", "bet"}};
  frame["bet"] = std::move(bet);
  std::string topic = "u:" + user_id;
  co_await publish(kUsersChannel, std::move(topic), std::move(user_id), std::move(frame));
}

kv::Awaitable<void> Publisher::balance_changed(std::string user_id, std::int64_t balance) {
  json::object frame{{"type", "balance"}, {"balance", balance}, {"currency", "NGN"}};
  std::string topic = "u:" + user_id;
  co_await publish(kUsersChannel, std::move(topic), std::move(user_id), std::move(frame));
}

kv::Awaitable<void> Publisher::publish(std::string_view channel, std::string topic, std::string target,
                                       json::object frame) {
  bool failed = false;
  try {
    std::string key = "stream:seq:" + topic;
    const auto counter = co_await kv_.increment(std::move(key), 1, kSequenceTtl);
    frame["seq"] = counter.value;
    frame["published_at_us"] = now_micros();  // for clients' (and the benchmark's) latency figures
    std::string message = envelope(target, json::serialize(frame));
    std::string channel_name(channel);
    co_await kv_.publish(std::move(channel_name), std::move(message));
  } catch (const std::exception& e) {
    failed = true;
    log::warn("stream publish failed").str("channel", channel).str("error", e.what());
  }
  if (failed) metrics::add(metrics::Counter::stream_publish_failures);
}

}  // namespace b2w::stream
