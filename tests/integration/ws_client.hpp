#pragma once
// A WebSocket client for the tests (Beast): messages are read in the background of next() only, so a
// client that is not asked for messages reads nothing (a slow reader).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace b2w::test {

class WsClient {
 public:
  // Connects and completes the handshake for `target`; see open() and refused_status().
  // receive_buffer > 0 shrinks the socket's receive buffer (a slow reader fills up sooner).
  WsClient(int port, const std::string& target = "/api/v1/stream",
           const std::map<std::string, std::string>& headers = {}, int receive_buffer = 0);
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  bool open() const { return open_; }
  // The HTTP status of a refused handshake (0 when it was accepted or never answered).
  int refused_status() const { return refused_status_; }
  const std::string& refused_body() const { return refused_body_; }

  void send(const boost::json::object& message);
  void send_text(const std::string& text);
  // The next message, waiting up to `timeout`; nothing on timeout or once the connection ended.
  std::optional<boost::json::object> next(std::chrono::milliseconds timeout);
  // Messages until one satisfies `match` (the others are returned through `skipped`, if given).
  std::optional<boost::json::object> wait_for(const std::function<bool(const boost::json::object&)>& match,
                                              std::chrono::milliseconds timeout,
                                              std::vector<boost::json::object>* skipped = nullptr);
  // The type of message `type` next (others skipped).
  std::optional<boost::json::object> wait_type(const std::string& type, std::chrono::milliseconds timeout);
  // Reads until the server ends the connection; true if it did within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout);
  bool ended() const { return ended_; }
  // The close frame's code from the server (0 when the connection ended without one).
  int close_code() const { return close_code_; }
  std::string close_reason() const { return close_reason_; }
  std::size_t received() const { return received_; }

 private:
  void read_next();
  bool pump(std::chrono::steady_clock::time_point deadline);

  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_{ioc_};
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> inbox_;
  bool open_ = false;
  bool reading_ = false;
  bool ended_ = false;
  int refused_status_ = 0;
  std::string refused_body_;
  int close_code_ = 0;
  std::string close_reason_;
  std::size_t received_ = 0;
};

}  // namespace b2w::test
