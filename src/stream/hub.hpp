#pragma once
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/types.hpp"
#include "kv/kv.hpp"
#include "stream/send_queue.hpp"

namespace b2w::stream {

struct HubOptions {
  int max_connections = 20000;
  std::size_t max_subscriptions = 100;
  std::size_t max_message_bytes = 4 * 1024;
  std::size_t send_queue_bytes = 256 * 1024;
  std::chrono::milliseconds idle_timeout{45'000};   // pings after half of it without traffic
  std::chrono::milliseconds close_timeout{10'000};  // a closing handshake that takes longer drops the socket
};

// The user id an access token names, or nothing when the token is not a valid access token.
using TokenVerifier = std::function<std::optional<std::string>(std::string_view token)>;

// The channels of the key-value store's publish/subscribe the stream uses (payload: protocol.hpp's envelope).
inline constexpr std::string_view kEventsChannel = "stream:events";
inline constexpr std::string_view kUsersChannel = "stream:users";

// WebSocket close codes the stream uses besides the standard ones (1001 going away, 1009 too big).
inline constexpr std::uint16_t kCloseSlowConsumer = 4008;

// The process's WebSocket clients, one shard per I/O thread: a shard's connections, subscriptions
// and writes are touched on its thread only (no locks). One subscription per channel to the key-value
// store serves the whole process; each message is parsed once, its frame shared by every shard and
// every connection that gets it.
class Hub {
 public:
  Hub(kv::KeyValueStore& kv, HubOptions options, TokenVerifier verify);
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // The server's I/O threads, once, before they run; subscribes to the store's channels.
  void attach(std::span<boost::asio::io_context* const> contexts);

  // On the I/O thread that owns `socket`: answers the WebSocket handshake of `request` (checked by the
  // route: an upgrade, version 13, a valid key) with its 101 and serves the connection there.
  void accept(boost::asio::ip::tcp::socket socket, const http::Request& request, const std::string& request_id);

  int connections() const { return connections_.load(); }
  bool full() const { return connections_.load() >= options_.max_connections; }
  bool going_away() const { return going_away_.load(); }
  // Every connection closes with 1001 (going away), so its client reconnects to another task; new ones are refused.
  void close_all();

  const HubOptions& options() const { return options_; }
  const TokenVerifier& verifier() const { return verify_; }

  struct Shard;
  class Session;

 private:
  Shard* shard_of(boost::asio::ip::tcp::socket& socket);
  void on_message(bool for_users, std::string_view message);
  void on_gap();

  kv::KeyValueStore& kv_;
  HubOptions options_;
  TokenVerifier verify_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::atomic<int> connections_{0};
  std::atomic<bool> going_away_{false};
  Frame resync_;
  Frame ping_;

  friend class Session;
};

}  // namespace b2w::stream
