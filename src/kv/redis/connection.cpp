#include "kv/redis/connection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <array>
#include <boost/asio/append.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <stdexcept>

namespace b2w::kv::redis {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 16 * 1024;

namespace {

bool is_ip_literal(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// Error replies that mean the command was not run and the connection is pointed at the wrong node
// or not authenticated. The code may also appear inside a script error ("... READONLY You can't...").
bool mentions(std::string_view text, std::string_view code) {
  const auto at = text.find(code);
  return at != std::string_view::npos && (at == 0 || text[at - 1] == ' ' || text[at - 1] == '-');
}

void set_keepalive(tcp::socket& s) {
  error_code ec;
  s.set_option(tcp::no_delay(true), ec);
  s.set_option(asio::socket_base::keep_alive(true), ec);
  // Notice a dead peer within about 30 s even with no traffic (the kernel default is 2 h).
  const int idle = 15, interval = 5, count = 3;
  ::setsockopt(s.native_handle(), IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  ::setsockopt(s.native_handle(), IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  ::setsockopt(s.native_handle(), IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
}

}  // namespace

std::shared_ptr<ssl::context> make_tls_context(const std::string& ca_file) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  ctx->set_verify_mode(ssl::verify_peer);
  error_code ec;
  if (ca_file.empty()) {
    ctx->set_default_verify_paths(ec);
    if (ec) throw std::invalid_argument("cannot load the system CA certificates");
  } else {
    ctx->load_verify_file(ca_file, ec);
    if (ec) throw std::invalid_argument("REDIS_CA_FILE: cannot load CA certificates from " + ca_file);
  }
  return ctx;
}

Connection::Connection(asio::io_context& ctx, std::shared_ptr<const ConnectionSettings> settings)
    : ctx_(ctx), settings_(std::move(settings)) {
  if (settings_->tls) {
    tls_.emplace(ctx_, *settings_->tls);
  } else {
    plain_.emplace(ctx_);
  }
}

Connection::~Connection() = default;

tcp::socket& Connection::socket() {
  return tls_ ? tls_->next_layer() : *plain_;
}

asio::awaitable<void> Connection::open(Clock::time_point deadline) {
  auto self = shared_from_this();
  connect_deadline_ = deadline;
  const Endpoint& ep = settings_->endpoint;

  // Resolved on every connect: after a failover the name points somewhere else.
  resolver_.emplace(ctx_);
  auto [rec, results] =
      co_await resolver_->async_resolve(ep.host, std::to_string(ep.port), tcp::resolver::numeric_service, use_tuple);
  if (state_ == State::closed) throw ConnectError(close_detail_);
  if (rec) throw ConnectError("cannot resolve the host (" + rec.message() + ")");

  auto [cec, endpoint] = co_await asio::async_connect(socket(), results, use_tuple);
  (void)endpoint;
  if (state_ == State::closed) throw ConnectError(close_detail_);
  if (cec) throw ConnectError("cannot connect (" + cec.message() + ")");
  set_keepalive(socket());

  if (tls_) {
    SSL* ssl_handle = tls_->native_handle();
    if (is_ip_literal(ep.host)) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_handle), ep.host.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl_handle, ep.host.c_str());
      SSL_set1_host(ssl_handle, ep.host.c_str());
    }
    auto [hec] = co_await tls_->async_handshake(ssl::stream_base::client, use_tuple);
    if (state_ == State::closed) throw ConnectError(close_detail_);
    if (hec) {
      const long verify = SSL_get_verify_result(ssl_handle);
      if (verify != X509_V_OK)
        throw ConnectError(std::string("TLS certificate rejected (") + X509_verify_cert_error_string(verify) + ")");
      throw ConnectError("TLS handshake failed (" + hec.message() + ")");
    }
  }

  asio::co_spawn(ctx_, read_loop(self), asio::detached);

  if (!ep.password.empty()) {
    // AUTH <password> works on every Redis version and means the default user on Redis 6+.
    Result r;
    if (ep.user.empty() || ep.user == "default") {
      std::array<std::string_view, 2> auth{"AUTH", ep.password};
      r = co_await handshake_command(auth);
    } else {
      std::array<std::string_view, 3> auth{"AUTH", ep.user, ep.password};
      r = co_await handshake_command(auth);
    }
    if (r.reply.is_error()) throw ConnectError("authentication failed");
  }
  if (ep.db != 0) {
    const std::string db = std::to_string(ep.db);
    std::array<std::string_view, 2> select{"SELECT", db};
    auto r = co_await handshake_command(select);
    if (r.reply.is_error()) throw ConnectError("cannot select the database");
  }
  // A demoted primary (or a replica behind a stale DNS answer) must not take writes. Servers
  // that do not allow ROLE to this user answer an error: then READONLY replies are the guard.
  std::array<std::string_view, 1> role{"ROLE"};
  auto r = co_await handshake_command(role);
  if (r.reply.is_error()) {
    if (r.reply.error_code() == "NOAUTH") throw ConnectError("authentication required");
  } else if (r.reply.type == Reply::Type::array && !r.reply.elements.empty() &&
             r.reply.elements.front().str != "master") {
    throw ConnectError("the server is a read-only replica");
  }
  state_ = State::ready;
  connect_deadline_ = Clock::time_point::max();
  last_used = Clock::now();
}

asio::awaitable<Result> Connection::handshake_command(std::span<const std::string_view> args) {
  Result r = co_await execute(args, connect_deadline_, asio::use_awaitable);
  if (state_ == State::closed) throw ConnectError(close_detail_.empty() ? "connection lost" : close_detail_);
  if (r.failure != Failure::none) throw ConnectError(r.detail);
  co_return r;
}

void Connection::start(std::span<const std::string_view> args, Clock::time_point deadline, Handler handler) {
  if (state_ == State::closed) {
    complete(std::move(handler),
             Result{Failure::not_sent, {}, close_detail_.empty() ? "connection closed" : close_detail_});
    return;
  }
  append_command(out_, args);
  pending_.push_back(Pending{std::move(handler), deadline, false});
  schedule_flush();
}

void Connection::send(std::span<const std::string_view> args) {
  if (state_ == State::closed) return;
  append_command(out_, args);
  schedule_flush();
}

void Connection::complete(Handler handler, Result result) {
  // Posted, not called: the waiting coroutine resumes after the current reply batch is parsed.
  asio::post(ctx_, asio::append(std::move(handler), std::move(result)));
}

void Connection::schedule_flush() {
  if (flush_posted_ || writing_) return;
  // Deferred so every command issued in this turn of the event loop goes out in one write.
  flush_posted_ = true;
  asio::post(ctx_, [self = shared_from_this()] {
    self->flush_posted_ = false;
    self->flush();
  });
}

void Connection::flush() {
  if (writing_ || out_.empty() || state_ == State::closed) return;
  writing_ = true;
  std::swap(out_, writing_buf_);
  out_.clear();
  for (auto it = pending_.rbegin(); it != pending_.rend() && !it->sent; ++it) it->sent = true;
  auto done = [self = shared_from_this()](error_code ec, std::size_t) {
    self->writing_ = false;
    self->writing_buf_.clear();
    if (ec) {
      self->close("connection lost");
      return;
    }
    self->flush();
  };
  if (tls_) {
    asio::async_write(*tls_, asio::buffer(writing_buf_), std::move(done));
  } else {
    asio::async_write(*plain_, asio::buffer(writing_buf_), std::move(done));
  }
}

asio::awaitable<void> Connection::read_loop(std::shared_ptr<Connection> self) {
  (void)self;  // keeps the connection alive while reading
  for (;;) {
    char* space = parser_.prepare(kReadChunk);
    auto [ec, n] = tls_ ? co_await tls_->async_read_some(asio::buffer(space, kReadChunk), use_tuple)
                        : co_await plain_->async_read_some(asio::buffer(space, kReadChunk), use_tuple);
    if (ec) {
      close("connection lost");
      co_return;
    }
    parser_.commit(n);
    try {
      Reply reply;
      while (state_ != State::closed && parser_.next(reply)) {
        dispatch(std::move(reply));
        reply = Reply{};
      }
    } catch (const ProtocolError&) {
      close("protocol error");
    }
    if (state_ == State::closed) co_return;
  }
}

void Connection::dispatch(Reply reply) {
  if (on_push && reply.type == Reply::Type::array && !reply.elements.empty()) {
    const auto& kind = reply.elements.front().str;
    if (kind == "message" || kind == "subscribe" || kind == "unsubscribe" || kind == "pmessage" ||
        kind == "psubscribe" || kind == "punsubscribe") {
      on_push(reply);
      return;
    }
  }
  if (pending_.empty()) {
    close("unexpected reply");
    return;
  }
  Pending p = std::move(pending_.front());
  pending_.pop_front();
  last_used = Clock::now();
  Result result;
  if (reply.is_error()) {
    const std::string_view text = reply.str;
    if (mentions(text, "READONLY") || mentions(text, "MASTERDOWN")) {
      result.failure = Failure::not_executed;
      result.detail = "the server is no longer the primary";
      retired = true;
      if (on_not_primary) on_not_primary();
    } else if (mentions(text, "NOAUTH")) {
      result.failure = Failure::not_executed;
      result.detail = "authentication required";
      retired = true;
    } else if (mentions(text, "LOADING")) {
      result.failure = Failure::not_executed;
      result.detail = "the server is loading its data";
    }
  }
  result.reply = std::move(reply);
  complete(std::move(p.handler), std::move(result));
}

void Connection::fail_all(const std::string& detail, Clock::time_point timeout_cutoff) {
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& p : pending) {
    Result r;
    if (p.deadline <= timeout_cutoff) {
      r.failure = Failure::timeout;
      r.detail = "no reply in time";
    } else {
      r.failure = p.sent ? Failure::maybe_sent : Failure::not_sent;
      r.detail = detail;
    }
    complete(std::move(p.handler), std::move(r));
  }
}

void Connection::close(const std::string& detail) {
  close_at(detail, Clock::time_point::min());
}

void Connection::close_at(const std::string& detail, Clock::time_point timeout_cutoff) {
  if (state_ == State::closed) return;
  state_ = State::closed;
  close_detail_ = detail;
  error_code ec;
  if (resolver_) resolver_->cancel();
  socket().shutdown(tcp::socket::shutdown_both, ec);
  socket().close(ec);
  fail_all(detail, timeout_cutoff);
  out_.clear();
  if (on_closed) {
    auto f = std::move(on_closed);
    on_closed = nullptr;
    f();
  }
}

void Connection::check_deadlines(Clock::time_point now) {
  if (state_ == State::closed) return;
  if (state_ == State::connecting) {
    if (now >= connect_deadline_) close("connect timed out");
    return;
  }
  for (const auto& p : pending_) {
    if (p.deadline <= now) {
      // A reply stream cannot skip a reply: the connection goes, the late command fails as a
      // timeout and the others as lost. A stalled connection (a failed node) is also caught here.
      close_at("connection abandoned after a timeout", now);
      return;
    }
  }
}

}  // namespace b2w::kv::redis
