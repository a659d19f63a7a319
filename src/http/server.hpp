#pragma once
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "http/pipeline.hpp"
#include "http/read_readiness.hpp"
#include "http/request_parsing.hpp"

namespace b2w::http {

struct ServerOptions {
  std::string address = "0.0.0.0";
  std::uint16_t port = 4000;
  int io_threads = 1;
  std::uint64_t max_header_bytes = 16 * 1024;
  std::uint64_t max_body_bytes = 1024 * 1024;
  int max_connections = 10000;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds keepalive_timeout{65'000};
  std::chrono::milliseconds write_timeout{30'000};
};

// HTTP/1.1 server: one acceptor handing connections round-robin to one
// single-threaded io_context per I/O thread. Requests on a connection are
// handled one after another, so pipelined requests are answered in order.
//
// Shutdown is phased (see app/): begin_drain() makes every response carry
// Connection: close; stop_accepting() closes the listener; close_idle()
// ends connections waiting for a next request; busy ones finish their request.
class Server {
 public:
  Server(ServerOptions options, const Pipeline& pipeline);
  ~Server();

  // Binds and listens; throws boost::system::system_error (e.g. port in use).
  void listen();
  std::uint16_t port() const { return port_; }
  void start();

  void begin_drain() { draining_.store(true); }
  bool draining() const { return draining_.load(); }
  void stop_accepting();
  void close_idle();
  int active_connections() const { return active_.load(); }
  void stop();

  // The executor of I/O thread i, for components that run there.
  boost::asio::io_context& io_context(std::size_t i) { return workers_[i]->ctx; }
  std::size_t io_threads() const { return workers_.size(); }

 private:
  struct Connection;
  struct Worker {
    // Before ctx: destroying ctx destroys the sessions still in it, and they unregister from this.
    std::unordered_set<Connection*> connections;  // touched only on this worker's thread
    // Each socket of this context is used from its thread only: the hint (read_readiness.hpp) says
    // whether asio may skip its per-socket lock.
    boost::asio::io_context ctx{kIoConcurrencyHint};
    std::thread thread;
  };

  static constexpr std::chrono::milliseconds kSweepInterval{100};
  Awaitable<void> accept_loop();
  Awaitable<void> sweep_deadlines(Worker& worker);
  struct Session;
  // One connection, request after request, in steps (server.cpp).
  Awaitable<void> session(Worker& worker, boost::asio::ip::tcp::socket socket);
  // Parses the header from the bytes already buffered; need_more: read_rest_of_header().
  boost::system::error_code read_header(Session& s, RequestParser& parser, HeaderBytes& header) const;
  // The rest of the header, the body: false when the connection is to end (after a refusal, if one is owed).
  Awaitable<bool> read_rest_of_header(Session& s, RequestParser& parser, HeaderBytes& header);
  Awaitable<bool> read_body(Session& s, RequestParser& parser, HeaderBytes& header);
  // Hands an upgraded connection's socket to its route (http/upgrade.hpp); false: refused, close it.
  bool hand_over(Session& s, Reply& reply, Request& request) const;
  Awaitable<void> refuse(Session& s, std::optional<Refusal> refusal, const Request& partial);
  // Shuts down the sending side, drains what the client still sends after a refusal, closes.
  Awaitable<void> close_session(Session& s);
  // Reads until the parser has the header (or the whole request); the bytes already buffered were not enough.
  Awaitable<boost::system::error_code> read_more(Connection& conn, ReadReadiness& reader,
                                                 boost::beast::flat_buffer& buffer, RequestParser& parser,
                                                 bool whole_message, HeaderBytes& header);
  Awaitable<boost::system::error_code> send(Connection& conn, boost::asio::ip::tcp::socket& socket, const Reply& reply,
                                            bool keep_alive, std::string& head);
  // send() in two parts, so the usual answer costs no coroutine frame: what the socket takes at once
  // (true: all of it, or an error in `ec`), then the rest, awaited.
  static bool send_now(boost::asio::ip::tcp::socket& socket, const Reply& reply, bool keep_alive, std::string& head,
                       std::size_t& sent, boost::system::error_code& ec);
  Awaitable<boost::system::error_code> send_rest(Connection& conn, boost::asio::ip::tcp::socket& socket,
                                                 const Reply& reply, const std::string& head, std::size_t sent);

  ServerOptions options_;
  const Pipeline& pipeline_;
  std::atomic<bool> draining_{false};
  std::atomic<bool> closing_idle_{false};
  std::atomic<int> active_{0};  // before workers_: sessions destroyed with them count themselves out
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::uint16_t port_ = 0;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guards_;
};

}  // namespace b2w::http
