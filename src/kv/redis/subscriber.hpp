#pragma once
// Publish/subscribe's receiving side: one dedicated connection, opened on the first subscribe,
// subscribed to every channel, and reopened (with every channel subscribed again) when it is lost.
// A loss is reported to every subscriber through on_gap: once when the link goes down and once
// when the resubscription is confirmed, since messages published meanwhile were missed.
//
// Everything here runs on the store's own thread.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kv/redis/connection.hpp"

namespace b2w::kv {
struct RedisOptions;
}

namespace b2w::kv::redis {

class Subscriber {
 public:
  struct Subscription {
    std::function<void(std::string_view)> on_message;
    std::function<void()> on_gap;
  };

  // `stopping`: once true, no new subscription and no reconnect.
  Subscriber(boost::asio::io_context& ctx, std::shared_ptr<const ConnectionSettings> settings,
             const RedisOptions& options, const std::atomic<bool>& stopping);

  void add(const std::string& channel, Subscription s);
  // The sweep's deadline check for the subscriber's connection (a PING that went unanswered).
  void check_deadlines(Clock::time_point now);
  // Ends the connection and the reconnect loop's wait (with `stopping` set: for good).
  void close(const std::string& detail);

  // SUBSCRIBE sent for every channel and confirmed by the server.
  bool connected() const { return live_ && confirmed_; }
  std::uint64_t resubscribes() const { return resubscribes_; }

 private:
  void notify_gap();
  void on_push(Reply& r);
  boost::asio::awaitable<void> run();

  boost::asio::io_context& ctx_;
  std::shared_ptr<const ConnectionSettings> settings_;
  const RedisOptions& options_;
  const std::atomic<bool>& stopping_;
  std::unordered_map<std::string, std::vector<Subscription>> subscriptions_;
  std::shared_ptr<Connection> conn_;
  boost::asio::steady_timer timer_;
  bool running_ = false;
  bool live_ = false;         // SUBSCRIBE for every channel has been sent on conn_
  bool gap_pending_ = false;  // tell subscribers once the resubscription is confirmed
  bool confirmed_ = false;
  std::uint64_t resubscribes_ = 0;
};

}  // namespace b2w::kv::redis
