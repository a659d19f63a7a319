#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "observability/log.hpp"

namespace b2w::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using boost::system::error_code;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct Server::Connection {
  beast::tcp_stream* stream = nullptr;
  bool idle = false;
};

Server::Server(ServerOptions options, const Pipeline& pipeline) : options_(std::move(options)), pipeline_(pipeline) {
  const int n = std::max(1, options_.io_threads);
  for (int i = 0; i < n; ++i) workers_.push_back(std::make_unique<Worker>());
}

Server::~Server() { stop(); }

void Server::listen() {
  auto& ctx = workers_.front()->ctx;
  tcp::endpoint endpoint(asio::ip::make_address(options_.address), options_.port);
  acceptor_ = std::make_unique<tcp::acceptor>(ctx);
  acceptor_->open(endpoint.protocol());
  acceptor_->set_option(asio::socket_base::reuse_address(true));
  acceptor_->bind(endpoint);
  acceptor_->listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_->local_endpoint().port();
}

void Server::start() {
  asio::co_spawn(workers_.front()->ctx, accept_loop(), asio::detached);
  for (auto& w : workers_) {
    guards_.push_back(asio::make_work_guard(w->ctx));
    w->thread = std::thread([ctx = &w->ctx] { ctx->run(); });
  }
}

void Server::stop_accepting() {
  asio::post(workers_.front()->ctx, [this] {
    error_code ec;
    if (acceptor_) acceptor_->close(ec);
  });
}

void Server::close_idle() {
  closing_idle_.store(true);
  for (auto& w : workers_) {
    asio::post(w->ctx, [worker = w.get()] {
      for (Connection* c : worker->connections)
        if (c->idle) c->stream->socket().cancel();
    });
  }
}

void Server::stop() {
  guards_.clear();
  for (auto& w : workers_) w->ctx.stop();
  for (auto& w : workers_)
    if (w->thread.joinable()) w->thread.join();
}

Awaitable<void> Server::accept_loop() {
  std::size_t next = 0;
  asio::steady_timer backoff(workers_.front()->ctx);
  for (;;) {
    // At the connection limit, stop accepting until some close: the kernel's backlog holds the rest.
    while (active_.load() >= options_.max_connections) {
      backoff.expires_after(std::chrono::milliseconds(10));
      co_await backoff.async_wait(use_tuple);
    }
    Worker& worker = *workers_[next];
    next = (next + 1) % workers_.size();
    auto [ec, socket] = co_await acceptor_->async_accept(worker.ctx, use_tuple);
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) co_return;
    if (ec) {
      // EMFILE and friends: log, pause briefly, keep serving.
      log::warn("accept failed").str("error", ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(use_tuple);
      continue;
    }
    active_.fetch_add(1);
    asio::co_spawn(worker.ctx, session(worker, std::move(socket)), asio::detached);
  }
}

Awaitable<void> Server::session(Worker& worker, tcp::socket socket) {
  Connection conn;
  worker.connections.insert(&conn);
  struct Unregister {
    Worker& worker;
    Connection* conn;
    std::atomic<int>& active;
    ~Unregister() {
      worker.connections.erase(conn);
      active.fetch_sub(1);
    }
  } unregister{worker, &conn, active_};

  error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  const auto peer = socket.remote_endpoint(ec);
  const std::string peer_ip = ec ? std::string() : peer.address().to_string();
  beast::tcp_stream stream(std::move(socket));
  conn.stream = &stream;
  beast::flat_buffer buffer;
  bool linger = false;  // a rejected request may have unread bytes: drain before closing

  auto send_reject = [&](Status status, std::string_view code, std::string_view message,
                         const Request& partial) -> Awaitable<void> {
    auto res = pipeline_.reject(status, code, message, partial, peer_ip);
    stream.expires_after(options_.write_timeout);
    co_await beast_http::async_write(stream, res, use_tuple);
    linger = true;
  };

  for (;;) {
    if (buffer.size() == 0) {
      // Idle keep-alive: wait for the first byte of the next request.
      conn.idle = true;
      if (closing_idle_.load()) break;
      stream.expires_after(options_.keepalive_timeout);
      auto [read_ec, n] = co_await stream.async_read_some(buffer.prepare(8192), use_tuple);
      conn.idle = false;
      if (read_ec) break;
      buffer.commit(n);
    }

    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    parser.body_limit(options_.max_body_bytes);
    stream.expires_after(options_.header_timeout);
    auto [header_ec, header_n] = co_await beast_http::async_read_header(stream, buffer, parser, use_tuple);
    if (header_ec) {
      if (header_ec == beast_http::error::header_limit)
        co_await send_reject(Status::request_header_fields_too_large, "header_too_large",
                             "The request header block is larger than allowed", parser.get());
      else if (header_ec == beast_http::error::body_limit)
        co_await send_reject(Status::payload_too_large, "payload_too_large",
                             "The request body is larger than allowed", parser.get());
      else if (header_ec != beast::error::timeout && header_ec != beast_http::error::end_of_stream &&
               header_ec != beast_http::error::partial_message && header_ec != asio::error::eof &&
               header_ec != asio::error::operation_aborted && header_ec != asio::error::connection_reset)
        co_await send_reject(Status::bad_request, "bad_request", "The request is malformed", parser.get());
      break;
    }

    if (!parser.is_done()) {
      if (beast::iequals(parser.get()[Field::expect], "100-continue")) {
        beast_http::response<beast_http::empty_body> cont{Status::continue_, 11};
        stream.expires_after(options_.write_timeout);
        co_await beast_http::async_write(stream, cont, use_tuple);
      }
      stream.expires_after(options_.body_timeout);
      auto [body_ec, body_n] = co_await beast_http::async_read(stream, buffer, parser, use_tuple);
      if (body_ec) {
        if (body_ec == beast_http::error::body_limit)
          co_await send_reject(Status::payload_too_large, "payload_too_large",
                               "The request body is larger than allowed", parser.get());
        else if (body_ec == beast::error::timeout)
          co_await send_reject(Status::request_timeout, "request_timeout",
                               "The request body did not arrive in time", parser.get());
        else if (body_ec != beast_http::error::partial_message && body_ec != asio::error::eof &&
                 body_ec != asio::error::connection_reset && body_ec != asio::error::operation_aborted)
          co_await send_reject(Status::bad_request, "bad_request", "The request body is malformed", parser.get());
        break;
      }
    }

    Request request = parser.release();
    Response response = co_await pipeline_.handle(request, peer_ip);
    const bool close = !request.keep_alive() || draining_.load();
    response.keep_alive(!close);
    stream.expires_after(options_.write_timeout);
    auto [write_ec, write_n] = co_await beast_http::async_write(stream, response, use_tuple);
    if (write_ec || close) break;
  }

  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (linger) {
    // Read and discard what the client is still sending, briefly, so closing
    // with unread data does not reset the connection before it reads our answer.
    stream.expires_after(std::chrono::seconds(2));
    std::size_t discarded = 0;
    for (;;) {
      buffer.clear();
      auto [drain_ec, n] = co_await stream.async_read_some(buffer.prepare(64 * 1024), use_tuple);
      discarded += n;
      if (drain_ec || discarded > 4 * 1024 * 1024) break;
    }
  }
  stream.socket().close(ec);
}

}  // namespace b2w::http
