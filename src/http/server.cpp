#include "http/server.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <cerrno>
#include <utility>

#include "http/request_parsing.hpp"
#include "http/socket_calls.hpp"
#include "observability/log.hpp"
#include "util/coarse_clock.hpp"

namespace b2w::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using boost::system::error_code;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

using Clock = CoarseClock;  // deadlines are seconds long and set on every request

// Timeouts are deadlines swept by one timer per worker rather than a timer per
// operation: no timer churn per request, and thousands of slow clients cost a scan.
struct Server::Connection {
  tcp::socket* socket = nullptr;
  bool idle = false;
  int idle_sweeps = 0;  // sweeps seen since the connection went idle
  bool timed_out = false;
  Clock::time_point deadline = Clock::time_point::max();

  void expires_after(std::chrono::milliseconds timeout) {
    deadline = Clock::now() + timeout;
    timed_out = false;
  }
};

namespace {

constexpr std::size_t kReadChunk = 8192;
// Bodies up to this size are copied behind the header and sent as one buffer; larger ones go as a
// second buffer of the same send, so the per-connection header buffer stays small.
constexpr std::size_t kJoinBodyBytes = 4 * 1024;

// What goes on the wire after write_head: the head, then the body unless send_now joined it to the head.
std::array<asio::const_buffer, 2> wire_buffers(const Reply& reply, const std::string& head) {
  const auto body = reply.body_on_wire();
  const bool joined = body.size() <= kJoinBodyBytes;
  return {asio::buffer(head), asio::buffer(body.data(), joined ? 0 : body.size())};
}

// An accepted connection on its way to its worker's thread: closed if it never gets there.
class AcceptedFd {
 public:
  explicit AcceptedFd(int fd) : fd_(fd) {}
  AcceptedFd(AcceptedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  AcceptedFd& operator=(AcceptedFd&&) = delete;
  ~AcceptedFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  void release() { fd_ = -1; }

 private:
  int fd_;
};

// The peer closed or reset its side: a peek finds the end of the stream or an error, not "nothing yet".
bool peer_has_closed(tcp::socket& socket) {
  char byte = 0;
  const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

}  // namespace

Server::Server(ServerOptions options, const Pipeline& pipeline) : options_(std::move(options)), pipeline_(pipeline) {
  const int n = std::max(1, options_.io_threads);
  for (int i = 0; i < n; ++i) workers_.push_back(std::make_unique<Worker>());
}

Server::~Server() {
  stop();
}

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
    asio::co_spawn(w->ctx, sweep_deadlines(*w), asio::detached);
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
      error_code ec;
      for (Connection* c : worker->connections)
        if (c->idle) c->socket->cancel(ec);
    });
  }
}

void Server::stop() {
  guards_.clear();
  for (auto& w : workers_) w->ctx.stop();
  for (auto& w : workers_)
    if (w->thread.joinable()) w->thread.join();
}

Awaitable<void> Server::sweep_deadlines(Worker& worker) {
  asio::steady_timer timer(worker.ctx);
  for (;;) {
    timer.expires_after(kSweepInterval);
    auto [ec] = co_await timer.async_wait(use_tuple);
    if (ec) co_return;
    const auto now = Clock::now();
    for (Connection* c : worker.connections) {
      // ReadReadiness takes a short read to mean the socket is empty, but a FIN or a reset that came
      // right behind the last bytes raises no further event: an idle connection is looked at once,
      // after a full interval, so a client that half-closed is not kept for the keep-alive timeout.
      if (c->idle && ++c->idle_sweeps == 2 && peer_has_closed(*c->socket)) {
        error_code cancel_ec;
        c->socket->cancel(cancel_ec);
        continue;
      }
      if (c->deadline <= now) {
        c->deadline = Clock::time_point::max();
        c->timed_out = true;
        error_code cancel_ec;
        c->socket->cancel(cancel_ec);
      }
    }
  }
}

Awaitable<void> Server::accept_loop() {
  std::size_t next = 0;
  Worker& home = *workers_.front();
  asio::steady_timer backoff(home.ctx);
  const auto protocol = acceptor_->local_endpoint().protocol();
  for (;;) {
    // At the connection limit, stop accepting until some close: the kernel's backlog holds the rest.
    while (active_.load() >= options_.max_connections) {
      backoff.expires_after(std::chrono::milliseconds(10));
      co_await backoff.async_wait(use_tuple);
    }
    // Accepted into this thread's own context: a socket is registered with a worker's reactor by
    // that worker's thread only (Worker::ctx skips asio's per-socket lock), so another worker gets
    // the bare descriptor and opens its socket there.
    auto [ec, socket] = co_await acceptor_->async_accept(use_tuple);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {
      if (!acceptor_->is_open()) co_return;
      // EMFILE and friends: log, pause briefly, keep serving.
      log::warn("accept failed").str("error", ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(use_tuple);
      continue;
    }
    Worker& worker = *workers_[next];
    next = (next + 1) % workers_.size();
    active_.fetch_add(1);
    // Even when the listener closed meanwhile: an accepted client is answered (with Connection: close).
    if (&worker == &home) {
      asio::co_spawn(home.ctx, session(home, std::move(socket)), asio::detached);
    } else {
      error_code release_ec;
      asio::post(worker.ctx, [this, &worker, protocol, fd = AcceptedFd(socket.release(release_ec))]() mutable {
        tcp::socket moved(worker.ctx);
        error_code assign_ec;
        moved.assign(protocol, fd.get(), assign_ec);
        if (assign_ec) {
          active_.fetch_sub(1);
          return;
        }
        fd.release();
        asio::co_spawn(worker.ctx, session(worker, std::move(moved)), asio::detached);
      });
    }
    if (!acceptor_->is_open()) co_return;
  }
}

Awaitable<error_code> Server::read_more(Connection& conn, ReadReadiness& reader, beast::flat_buffer& buffer,
                                        RequestParser& parser, bool whole_message, HeaderBytes& header) {
  for (;;) {
    auto [ec, n] = co_await reader.receive(buffer.prepare(kReadChunk), conn.timed_out);
    if (ec == asio::error::eof) {
      if (!parser.got_some()) co_return beast_http::error::end_of_stream;
      error_code eof_ec;
      parser.put_eof(eof_ec);  // partial_message unless the request was complete
      co_return eof_ec;
    }
    if (ec) co_return ec;
    buffer.commit(n);
    const auto parsed = parse_buffered(parser, buffer, whole_message, header, options_.max_header_bytes);
    if (parsed != beast_http::error::need_more) co_return parsed;
    if (conn.timed_out) co_return asio::error::operation_aborted;
  }
}

bool Server::send_now(tcp::socket& socket, const Reply& reply, bool keep_alive, std::string& head, std::size_t& sent,
                      error_code& ec) {
  write_head(reply, keep_alive, head);
  // A small body rides in the header's buffer: one contiguous send() (no iovec to copy in) for the usual answer.
  if (const auto body = reply.body_on_wire(); body.size() <= kJoinBodyBytes) head += body;
  const auto buffers = wire_buffers(reply, head);
  sent = buffers[1].size() == 0 ? send_some(socket.native_handle(), buffers[0].data(), buffers[0].size(), ec)
                                : socket.write_some(buffers, ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) ec = {};
  return ec || sent == buffers[0].size() + buffers[1].size();
}

Awaitable<error_code> Server::send_rest(Connection& conn, tcp::socket& socket, const Reply& reply,
                                        const std::string& head, std::size_t sent) {
  // The socket's buffer is full (a large body or a slow reader): wait for the rest.
  auto buffers = wire_buffers(reply, head);
  const auto from_head = std::min(sent, buffers[0].size());
  buffers[0] += from_head;
  buffers[1] += sent - from_head;
  // Step by step rather than asio::async_write: a deadline that fires just as one step completes
  // must still end the next one (the sweep's cancel reaches only an operation in flight).
  auto rest = beast::buffers_suffix<std::array<asio::const_buffer, 2>>(buffers);
  while (beast::buffer_bytes(rest) > 0) {
    conn.expires_after(options_.write_timeout);
    auto [write_ec, n] = co_await socket.async_write_some(rest, use_tuple);
    if (write_ec) co_return write_ec;
    if (conn.timed_out) co_return asio::error::timed_out;
    rest.consume(n);
  }
  co_return error_code{};
}

Awaitable<error_code> Server::send(Connection& conn, tcp::socket& socket, const Reply& reply, bool keep_alive,
                                   std::string& head) {
  std::size_t sent = 0;
  error_code ec;
  if (send_now(socket, reply, keep_alive, head, sent, ec)) co_return ec;
  co_return co_await send_rest(conn, socket, reply, head, sent);
}

// One connection's state across its requests.
struct Server::Session {
  // Counted among the worker's connections (the deadline sweep sees it) and the server's active
  // ones while the session lasts.
  struct Registration {
    Registration(Worker& w, Connection& c, std::atomic<int>& a) : worker(w), conn(c), active(a) {
      worker.connections.insert(&conn);
    }
    ~Registration() {
      worker.connections.erase(&conn);
      active.fetch_sub(1);
    }
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    Worker& worker;
    Connection& conn;
    std::atomic<int>& active;
  };

  Session(Worker& worker, tcp::socket& s, std::atomic<int>& active)
      : conn{&s},
        registration(worker, conn, active),
        socket(prepared(s)),
        reader(worker.ctx, socket),
        peer_ip(peer_address(socket)) {}

  static tcp::socket& prepared(tcp::socket& s) {
    error_code ec;
    s.set_option(tcp::no_delay(true), ec);
    s.non_blocking(true, ec);  // lets send() try the write at once; async operations are unaffected
    return s;
  }

  static std::string peer_address(tcp::socket& s) {
    error_code ec;
    const auto peer = s.remote_endpoint(ec);
    return ec ? std::string() : peer.address().to_string();
  }

  Connection conn;
  Registration registration;
  tcp::socket& socket;
  ReadReadiness reader;  // every read of this socket goes through it
  std::string peer_ip;
  beast::flat_buffer buffer;
  std::string head;
  bool linger = false;  // a rejected request may have unread bytes: drain before closing
};

// The steps of a request, in order. What the usual request takes stays in this function: the wait
// for its first bytes, the handler, and plain functions; a coroutine of its own per request would
// cost about what ReadReadiness saves. The colder paths (a header in several reads, a body, a
// refusal, the drain before closing) are steps of their own.
Awaitable<void> Server::session(Worker& worker, tcp::socket socket) {
  Session s(worker, socket, active_);
  for (;;) {
    if (s.buffer.size() == 0) {
      // Idle keep-alive: wait for the first byte of the next request.
      s.conn.idle = true;
      s.conn.idle_sweeps = 0;
      if (closing_idle_.load()) break;
      s.conn.expires_after(options_.keepalive_timeout);
      // Inline rather than through receive(): the usual request needs one wait and one recv().
      const auto space = s.buffer.prepare(kReadChunk);
      std::size_t n = 0;
      error_code read_ec;
      while (!s.reader.read_some(space, n, read_ec)) {
        if (s.conn.timed_out) {
          read_ec = asio::error::operation_aborted;
          break;
        }
        read_ec = co_await s.reader.wait();
        if (read_ec) break;
      }
      s.conn.idle = false;
      if (read_ec) break;
      s.buffer.commit(n);
    }

    const auto started = std::chrono::steady_clock::now();  // the request's first bytes are here
    RequestParser parser;
    HeaderBytes header;
    const auto header_ec = read_header(s, parser, header);
    if (header_ec == beast_http::error::need_more) {
      // (Awaited into a variable, never inside a condition: GCC 12 miscompiles some of those.)
      const bool complete = co_await read_rest_of_header(s, parser, header);
      if (!complete) break;
    } else if (header_ec) {
      co_await refuse(s, header_refusal(header_ec, s.conn.timed_out), parser.get());
      break;
    }
    // Before any body byte is read: a request whose end is ambiguous is refused and nothing after
    // it on this connection is parsed (what a proxy took for a body could be read here as a request).
    if (const auto refusal = framing_refusal(parser, header)) {
      co_await refuse(s, refusal, parser.get());
      break;
    }
    if (!parser.is_done()) {
      const bool complete = co_await read_body(s, parser, header);
      if (!complete) break;
    }

    s.conn.deadline = Clock::time_point::max();  // handlers bound their own waits
    Request request = parser.release();
    Reply reply = co_await pipeline_.handle(request, s.peer_ip, started);
    if (reply.upgrade) {
      if (hand_over(s, reply, request)) co_return;
      break;
    }
    const bool close = !request.keep_alive() || draining_.load();
    // The usual answer goes in one send() here, without a coroutine frame for send().
    std::size_t sent = 0;
    error_code write_ec;
    if (!send_now(s.socket, reply, !close, s.head, sent, write_ec))
      write_ec = co_await send_rest(s.conn, s.socket, reply, s.head, sent);
    if (write_ec || close) break;
    if (s.head.capacity() > 2 * kJoinBodyBytes) s.head = std::string();  // an unusually large header is not kept idle
  }
  co_await close_session(s);
}

bool Server::hand_over(Session& s, Reply& reply, Request& request) const {
  // A client speaks the new protocol only after the 101 it has not seen yet (RFC 6455 4.1): bytes
  // behind the upgrade request are refused rather than handed on half-read.
  if (s.buffer.size() != 0) {
    log::warn("upgrade refused: data sent before the handshake").str("request_id", reply.request_id);
    return false;
  }
  s.reader.release();
  s.conn.deadline = Clock::time_point::max();
  auto upgrade = std::move(reply.upgrade);
  upgrade(std::move(s.socket), std::move(request));
  return true;
}

error_code Server::read_header(Session& s, RequestParser& parser, HeaderBytes& header) const {
  set_limits(parser, options_.max_header_bytes, options_.max_body_bytes);
  return parse_buffered(parser, s.buffer, false, header, options_.max_header_bytes);
}

Awaitable<bool> Server::read_rest_of_header(Session& s, RequestParser& parser, HeaderBytes& header) {
  s.conn.expires_after(options_.header_timeout);
  const auto header_ec = co_await read_more(s.conn, s.reader, s.buffer, parser, false, header);
  if (!header_ec) co_return true;
  co_await refuse(s, header_refusal(header_ec, s.conn.timed_out), parser.get());
  co_return false;
}

Awaitable<bool> Server::read_body(Session& s, RequestParser& parser, HeaderBytes& header) {
  // A chunked body's trailer must not add fields the checks above never saw (drop_trailer_fields).
  const HeaderFields header_fields = parser.chunked() ? header_fields_of(parser.get()) : HeaderFields();
  if (beast::iequals(parser.get()[Field::expect], "100-continue") && s.buffer.size() == 0) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    s.conn.expires_after(options_.write_timeout);
    auto [continue_ec, continue_n] =
        co_await asio::async_write(s.socket, asio::buffer(kContinue.data(), kContinue.size()), use_tuple);
    // A client that reads nothing for the write timeout is let go: its deadline's cancel has also
    // ended the socket's read watch, so no body could be read (nor a 408 sent) after this.
    if (continue_ec || s.conn.timed_out) co_return false;
  }
  auto body_ec = parse_buffered(parser, s.buffer, true, header, options_.max_header_bytes);
  if (body_ec == beast_http::error::need_more) {
    s.conn.expires_after(options_.body_timeout);
    body_ec = co_await read_more(s.conn, s.reader, s.buffer, parser, true, header);
  }
  if (body_ec) {
    co_await refuse(s, body_refusal(body_ec, s.conn.timed_out), parser.get());
    co_return false;
  }
  if (parser.chunked()) drop_trailer_fields(parser.get(), header_fields);
  co_return true;
}

Awaitable<void> Server::refuse(Session& s, std::optional<Refusal> refusal, const Request& partial) {
  if (!refusal) co_return;  // nobody is owed an answer
  const Reply reply = pipeline_.reject(refusal->status, refusal->code, refusal->message, partial, s.peer_ip);
  co_await send(s.conn, s.socket, reply, false, s.head);
  s.linger = true;
}

Awaitable<void> Server::close_session(Session& s) {
  error_code ec;
  s.socket.shutdown(tcp::socket::shutdown_send, ec);
  if (s.linger) {
    // Read and discard what the client is still sending, briefly, so closing
    // with unread data does not reset the connection before it reads our answer.
    s.conn.expires_after(std::chrono::seconds(2));
    std::size_t discarded = 0;
    for (;;) {
      s.buffer.clear();
      auto [drain_ec, n] = co_await s.reader.receive(s.buffer.prepare(64 * 1024), s.conn.timed_out);
      discarded += n;
      if (drain_ec || s.conn.timed_out || discarded > 4 * 1024 * 1024) break;
    }
  }
  s.socket.close(ec);
}

}  // namespace b2w::http
