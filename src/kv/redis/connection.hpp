#pragma once
// One Redis connection (TCP or TLS) that multiplexes many commands: commands are
// appended to an output buffer and written in batches (pipelining); replies come
// back in order and are matched to the oldest waiting command.
//
// Everything here runs on one single-threaded io_context (its lane's, see lane.hpp): no locks.
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "kv/redis/resp.hpp"
#include "kv/redis/url.hpp"

namespace b2w::kv::redis {

using Clock = std::chrono::steady_clock;

// How a command ended.
enum class Failure : std::uint8_t {
  none,          // a reply arrived (it may be an error reply)
  not_sent,      // never written to the socket: safe to send again, whatever the command
  not_executed,  // refused without running (READONLY, MASTERDOWN, LOADING, NOAUTH): safe to send again
  maybe_sent,    // the connection failed after the command was written: it may have run
  timeout,       // no reply within its deadline: it may have run
};

struct Result {
  Failure failure = Failure::none;
  Reply reply;
  std::string detail;  // why, when failure != none: short, no secrets, no server text
};

// Thrown by Connection::open. what() is safe to show (no secrets, no server text).
class ConnectError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ConnectionSettings {
  Endpoint endpoint;
  std::shared_ptr<boost::asio::ssl::context> tls;  // set for rediss://
};

// A TLS client context verifying the server against `ca_file` (empty: the system CAs).
// Throws std::invalid_argument when the CA file cannot be loaded.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const std::string& ca_file);

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Handler = boost::asio::any_completion_handler<void(Result)>;
  enum class State : std::uint8_t { connecting, ready, closed };

  Connection(boost::asio::io_context& ctx, std::shared_ptr<const ConnectionSettings> settings);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Resolves the host afresh (a failover moves the DNS name), connects, does the TLS
  // handshake with hostname verification, AUTH and SELECT, and checks with ROLE that the
  // server is a primary. Throws ConnectError. The sweep closes it at `deadline`.
  boost::asio::awaitable<void> open(Clock::time_point deadline);

  // Sends one command; completes with its reply or the failure. The arguments are
  // copied into the output buffer before this returns control.
  template <typename Token>
  auto execute(std::span<const std::string_view> args, Clock::time_point deadline, Token&& token) {
    return boost::asio::async_initiate<Token, void(Result)>(
        [this](auto handler, std::span<const std::string_view> a, Clock::time_point d) {
          start(a, d, Handler(std::move(handler)));
        },
        token, args, deadline);
  }

  // Writes a command whose replies arrive as pushes (SUBSCRIBE in subscriber mode).
  void send(std::span<const std::string_view> args);

  // Fails every waiting command (maybe_sent when written, else not_sent) and closes.
  void close(const std::string& detail);
  // Closes the connection when connecting or a command has run past its deadline.
  void check_deadlines(Clock::time_point now);

  bool ready() const { return state_ == State::ready; }
  std::size_t pending() const { return pending_.size(); }

  bool retired = false;  // takes no new commands; closed once its replies are in
  Clock::time_point last_used = Clock::now();

  // Subscriber mode: pub/sub replies ("message", "subscribe"...) go here instead of to a command.
  std::function<void(Reply&)> on_push;
  // A reply said this server is not (or no longer) the primary.
  std::function<void()> on_not_primary;
  // Runs once when the connection closes.
  std::function<void()> on_closed;

 private:
  struct Pending {
    Handler handler;
    Clock::time_point deadline;
    bool sent = false;
  };

  void start(std::span<const std::string_view> args, Clock::time_point deadline, Handler handler);
  void complete(Handler handler, Result result);
  void schedule_flush();
  void flush();
  void dispatch(Reply reply);
  void fail_all(const std::string& detail, Clock::time_point timeout_cutoff);
  // Commands with a deadline at or before `timeout_cutoff` fail as timeouts.
  void close_at(const std::string& detail, Clock::time_point timeout_cutoff);
  boost::asio::ip::tcp::socket& socket();
  boost::asio::awaitable<void> read_loop(std::shared_ptr<Connection> self);
  boost::asio::awaitable<Result> handshake_command(std::span<const std::string_view> args);

  boost::asio::io_context& ctx_;
  std::shared_ptr<const ConnectionSettings> settings_;
  std::optional<boost::asio::ip::tcp::socket> plain_;
  std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
  std::optional<boost::asio::ip::tcp::resolver> resolver_;
  State state_ = State::connecting;
  Clock::time_point connect_deadline_ = Clock::time_point::max();
  std::string close_detail_;

  std::deque<Pending> pending_;
  std::string out_;          // commands not yet handed to a write
  std::string writing_buf_;  // the batch being written
  bool writing_ = false;
  bool flush_posted_ = false;
  Parser parser_;
};

}  // namespace b2w::kv::redis
