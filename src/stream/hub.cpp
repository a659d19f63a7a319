#include "stream/hub.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <unordered_map>
#include <unordered_set>

#include "observability/log.hpp"
#include "stream/frame.hpp"
#include "stream/frame_reader.hpp"
#include "stream/handshake.hpp"
#include "stream/protocol.hpp"

namespace b2w::stream {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// One I/O thread's connections and who subscribed to what; touched on that thread only.
struct Hub::Shard {
  explicit Shard(asio::io_context& c) : ctx(c) {}
  asio::io_context& ctx;
  // A topic's subscribers as a plain array: every message walks one in full (each session is in it at
  // most once: its own events_ set guards the insert), so contiguity beats O(1) removal.
  using Index = std::unordered_map<std::string, std::vector<Session*>>;
  std::unordered_set<Session*> sessions;
  Index by_event;
  Index by_user;
  // Every session of the shard reads into this one buffer (it waits for readability first), so an idle
  // connection holds no read buffer of its own.
  std::array<char, 16 * 1024> read_buffer{};

  void deliver(Index& index, const std::string& target, const Frame& frame);
  void deliver_all(const Frame& frame);
};

// One WebSocket client on its raw socket. Every byte the server sends — the 101, data frames, pings,
// pongs, the closing handshake — goes through one bounded queue and one write loop, each flush one
// gathered write of pre-built frames (frame.hpp), so no frame can land inside another. The client's
// frames are parsed by FrameReader (masked, fragmented, control frames between fragments).
class Hub::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Hub& hub, Shard& shard, tcp::socket socket)
      : hub_(hub),
        shard_(shard),
        socket_(std::move(socket)),
        reader_(hub.options_.max_message_bytes),
        queue_(hub.options_.send_queue_bytes),
        close_timer_(shard.ctx),
        ping_timer_(shard.ctx) {}
  ~Session() { hub_.connections_.fetch_sub(1); }

  // The route checked the request (an upgrade, version 13, a valid key): the 101 is the first thing queued.
  void start(const std::string& key, const std::string& request_id) {
    error_code ec;
    socket_.non_blocking(true, ec);  // reads are attempted once the socket is readable: never wait in them
    if (ec) return;
    open_ = true;
    shard_.sessions.insert(this);
    queue_.push_anyway(std::make_shared<const std::string>(handshake_response(key, request_id)));
    write_next();
    arm_ping();
    if (hub_.going_away()) close(static_cast<std::uint16_t>(websocket::close_code::going_away), "server restarting");
    wait_readable();
  }

  void deliver(const Frame& frame) {
    if (closing_) return;
    if (!queue_.push(frame)) {
      log::warn("stream client closed: send queue full").num("queued_bytes", static_cast<std::int64_t>(queue_.bytes()));
      close(kCloseSlowConsumer, "send queue full: the client reads too slowly");
      return;
    }
    if (!writing_) write_next();
  }

  void send_own(std::string_view text) { deliver(std::make_shared<const std::string>(text_frame(text))); }

  // Starts the closing handshake: waiting frames are dropped, the close frame is the last thing written.
  void close(std::uint16_t code, std::string_view reason) {
    if (closing_ || !open_) return;
    closing_ = true;
    queue_.drop_waiting();
    queue_.push_anyway(std::make_shared<const std::string>(close_frame(code, reason)));
    if (!writing_) write_next();
    // A client that never reads cannot take the close frame, nor answer it: the socket goes after a while.
    close_timer_.expires_after(hub_.options_.close_timeout);
    close_timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->end();
    });
  }

 private:
  void wait_readable() {
    socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](error_code ec) { self->on_readable(ec); });
  }

  void on_readable(error_code ec) {
    if (ec || !open_) {
      end();
      return;
    }
    const std::size_t n = socket_.read_some(asio::buffer(shard_.read_buffer), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      wait_readable();
      return;
    }
    if (ec) {
      end();  // the client closed the TCP connection or it failed
      return;
    }
    heard_ = true;
    reader_.append(std::string_view(shard_.read_buffer.data(), n));
    while (open_ && !stop_reading_) {
      auto item = reader_.next();
      if (!item) break;
      on_incoming(*item);
    }
    if (open_ && !stop_reading_) wait_readable();
  }

  void on_incoming(const Incoming& in) {
    using Kind = Incoming::Kind;
    switch (in.kind) {
      case Kind::text:
        if (!closing_) handle(in.payload);
        return;
      case Kind::binary:
        if (!closing_) send_own(error_frame("invalid_message", "Messages are JSON text frames"));
        return;
      case Kind::ping:
        if (!closing_) deliver(std::make_shared<const std::string>(pong_frame(in.payload)));
        return;
      case Kind::pong:
        return;  // hearing from the client is all a pong says (heard_ is set on every read)
      case Kind::close:
        peer_closed_ = true;
        stop_reading_ = true;
        if (closing_) {
          if (close_written_) end();  // our close was answered: the server closes the TCP connection first
        } else {
          // The client began it: echo its code (RFC 6455 §5.5.1), then close once the echo is written.
          close(in.code == 1005 ? static_cast<std::uint16_t>(websocket::close_code::normal) : in.code, "");
        }
        return;
      case Kind::too_big:
        close(static_cast<std::uint16_t>(websocket::close_code::too_big), "message too big");
        return;  // the client's close frame still comes through the reader
      case Kind::protocol_error:
        log::debug("stream client closed: protocol error").str("reason", in.payload);
        stop_reading_ = true;
        peer_closed_ = true;  // nothing more can be read: close once our close frame is out
        if (!closing_)
          close(in.code, in.payload);
        else if (close_written_)
          end();
        return;
    }
  }

  void handle(std::string_view text) {
    const auto max = hub_.options_.max_subscriptions;
    auto parsed = parse_client_message(text, max);
    if (const auto* error = std::get_if<ProtocolError>(&parsed)) {
      send_own(error_frame(error->code, error->message));
      return;
    }
    auto& message = std::get<ClientMessage>(parsed);
    switch (message.op) {
      case Op::auth: {
        const auto user = hub_.verify_(message.token);
        if (!user) {
          send_own(error_frame("invalid_token", "The access token is not valid; sign in again"));
          return;
        }
        set_user(*user);
        send_own(authenticated_frame(*user));
        return;
      }
      case Op::subscribe: {
        std::size_t added = 0;
        for (const auto& e : message.events) added += events_.contains(e) ? 0 : 1;
        if (events_.size() + added > max) {
          send_own(error_frame("too_many_subscriptions", "At most " + std::to_string(max) + " events per connection"));
          return;
        }
        for (const auto& e : message.events)
          if (events_.insert(e).second) shard_.by_event[e].push_back(this);
        send_own(subscriptions_frame(Op::subscribe, message.events, events_.size()));
        return;
      }
      case Op::unsubscribe:
        for (const auto& e : message.events)
          if (events_.erase(e)) forget(shard_.by_event, e);
        send_own(subscriptions_frame(Op::unsubscribe, message.events, events_.size()));
        return;
    }
  }

  void set_user(const std::string& user) {
    if (user == user_) return;
    if (!user_.empty()) forget(shard_.by_user, user_);
    user_ = user;
    shard_.by_user[user_].push_back(this);
  }

  void forget(Shard::Index& index, const std::string& key) {
    const auto it = index.find(key);
    if (it == index.end()) return;
    auto& subscribers = it->second;
    const auto at = std::find(subscribers.begin(), subscribers.end(), this);
    if (at != subscribers.end()) {
      *at = subscribers.back();
      subscribers.pop_back();
    }
    if (subscribers.empty()) index.erase(it);
  }

  // Every queued frame in one gathered write (writev, up to 64 frames a call).
  void write_next() {
    writing_ = true;
    closes_in_flight_ = closing_;  // the close frame, once queued, is in the next write
    queue_.take(in_flight_);
    gather_.clear();
    for (const Frame& f : in_flight_) gather_.emplace_back(f->data(), f->size());
    asio::async_write(socket_, std::span<const asio::const_buffer>(gather_),
                      [self = shared_from_this()](error_code ec, std::size_t) { self->on_write(ec); });
  }

  void on_write(error_code ec) {
    writing_ = false;
    queue_.finish(in_flight_);
    if (ec) {
      end();
      return;
    }
    if (closes_in_flight_) {
      close_written_ = true;
      if (peer_closed_) end();  // both closes done (or the stream is unreadable): close the TCP connection
      return;                   // else the client's close frame ends it (or the close timer)
    }
    if (!queue_.empty()) write_next();
  }

  // Every half idle timeout: a client heard from since the last tick is pinged (its pong is hearing from
  // it); one silent for a whole half after a ping is gone.
  void arm_ping() {
    ping_timer_.expires_after(hub_.options_.idle_timeout / 2);
    ping_timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->on_ping_tick();
    });
  }

  void on_ping_tick() {
    if (!open_) return;
    if (!heard_) {
      log::debug("stream client closed: no answer to a ping");
      end();
      return;
    }
    heard_ = false;
    if (!closing_) deliver(hub_.ping_);
    arm_ping();
  }

  // The connection is over (closed by either side, failed, or timed out): out of every index, socket closed;
  // the handlers still pending end with errors and release the session.
  void end() {
    if (!open_) return;
    open_ = false;
    closing_ = true;
    shard_.sessions.erase(this);
    for (const auto& e : events_) forget(shard_.by_event, e);
    if (!user_.empty()) forget(shard_.by_user, user_);
    close_timer_.cancel();
    ping_timer_.cancel();
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  Hub& hub_;
  Shard& shard_;
  tcp::socket socket_;
  FrameReader reader_;
  SendQueue queue_;
  std::vector<Frame> in_flight_;            // the frames of the write in flight
  std::vector<asio::const_buffer> gather_;  // and their buffers
  asio::steady_timer close_timer_;
  asio::steady_timer ping_timer_;
  std::unordered_set<std::string> events_;
  std::string user_;
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;           // our close frame is queued: nothing else is sent
  bool closes_in_flight_ = false;  // the write in flight carries the close frame
  bool close_written_ = false;
  bool peer_closed_ = false;  // the client's close frame came (or its stream broke): nothing more to read
  bool stop_reading_ = false;
  bool heard_ = true;  // something (a message, a pong) came from the client since the last ping tick

  friend struct Hub::Shard;
};

void Hub::Shard::deliver(Index& index, const std::string& target, const Frame& frame) {
  const auto it = index.find(target);
  if (it == index.end()) return;
  // A session closed by deliver() stays in the index until its read loop ends: iterating is safe.
  for (Session* s : it->second) s->deliver(frame);
}

void Hub::Shard::deliver_all(const Frame& frame) {
  for (Session* s : sessions) s->deliver(frame);
}

Hub::Hub(kv::KeyValueStore& kv, HubOptions options, TokenVerifier verify)
    : kv_(kv),
      options_(options),
      verify_(std::move(verify)),
      resync_(std::make_shared<const std::string>(text_frame(resync_frame()))),
      ping_(std::make_shared<const std::string>(ping_frame())) {}

Hub::~Hub() = default;

void Hub::attach(std::span<asio::io_context* const> contexts) {
  for (auto* ctx : contexts) shards_.push_back(std::make_unique<Shard>(*ctx));
  kv_.subscribe(
      std::string(kEventsChannel), [this](std::string_view m) { on_message(false, m); }, [this] { on_gap(); });
  kv_.subscribe(
      std::string(kUsersChannel), [this](std::string_view m) { on_message(true, m); }, [this] { on_gap(); });
}

Hub::Shard* Hub::shard_of(tcp::socket& socket) {
  auto& ctx = static_cast<asio::io_context&>(socket.get_executor().context());
  for (auto& shard : shards_)
    if (&shard->ctx == &ctx) return shard.get();
  return nullptr;
}

void Hub::accept(tcp::socket socket, const http::Request& request, const std::string& request_id) {
  Shard* shard = shard_of(socket);
  if (!shard) {
    log::error("stream: a connection from an I/O thread the hub was not attached to");
    return;
  }
  connections_.fetch_add(1);
  const std::string key(request[http::Field::sec_websocket_key]);
  auto session = std::make_shared<Session>(*this, *shard, std::move(socket));
  session->start(key, request_id);
}

void Hub::on_message(bool for_users, std::string_view message) {
  std::string_view target, frame_text;
  if (!open_envelope(message, target, frame_text)) {
    log::warn("stream: a message that is not an envelope").num("bytes", static_cast<std::int64_t>(message.size()));
    return;
  }
  // Serialized once at publish time, framed once here, shared by every connection.
  auto frame = std::make_shared<const std::string>(text_frame(frame_text));
  for (auto& shard : shards_) {
    asio::post(shard->ctx, [s = shard.get(), for_users, key = std::string(target), frame] {
      s->deliver(for_users ? s->by_user : s->by_event, key, frame);
    });
  }
}

void Hub::on_gap() {
  log::warn("stream: messages may have been lost; telling every client to resync");
  for (auto& shard : shards_) asio::post(shard->ctx, [s = shard.get(), frame = resync_] { s->deliver_all(frame); });
}

void Hub::close_all() {
  going_away_.store(true);
  for (auto& shard : shards_) {
    asio::post(shard->ctx, [s = shard.get()] {
      // close() does not remove a session from the set (its read loop's end does).
      for (Session* session : s->sessions)
        session->close(static_cast<std::uint16_t>(websocket::close_code::going_away), "server restarting");
    });
  }
}

}  // namespace b2w::stream
