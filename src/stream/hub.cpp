#include "stream/hub.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <unordered_map>
#include <unordered_set>

#include "observability/log.hpp"
#include "stream/frame.hpp"
#include "stream/protocol.hpp"

namespace b2w::stream {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
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

  void deliver(Index& index, const std::string& target, const Frame& frame);
  void deliver_all(const Frame& frame);
};

// One WebSocket client: a read loop for its requests (Beast), a write loop over its bounded queue.
// Data frames and pings are pre-built wire frames (frame.hpp) written straight to the socket, every
// frame queued while a write was in flight going out in the next single gathered write. Beast writes
// only the closing handshake, after the write loop has stopped for good (close()), and its own replies
// while reading: a pong to a client's ping, the echo of a client's close, a close for a protocol error
// (a client that pings while a flush is only partly written could see that pong inside a data frame;
// browsers never ping).
class Hub::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Hub& hub, Shard& shard, tcp::socket socket)
      : hub_(hub),
        shard_(shard),
        ws_(std::move(socket)),
        queue_(hub.options_.send_queue_bytes),
        close_timer_(shard.ctx),
        ping_timer_(shard.ctx) {}
  ~Session() { hub_.connections_.fetch_sub(1); }

  void start(http::Request request, std::string request_id) {
    const auto& o = hub_.options_;
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = o.handshake_timeout;
    // Idle pings are ours (on_ping_tick): Beast's own would be written beside the write loop's.
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    // Frames are shared by every connection: no per-connection compression.
    websocket::permessage_deflate no_deflate;
    no_deflate.server_enable = false;
    ws_.set_option(no_deflate);
    ws_.control_callback([this](websocket::frame_type, beast::string_view) { heard_ = true; });
    // Beast's own refusal of a message too big closes the socket with the rest of the message unread, so the
    // client may get a reset instead of the 1009 close frame. Messages up to a hard cap are read whole and refused
    // by on_read with a clean closing handshake; only beyond the cap does Beast refuse them itself.
    ws_.read_message_max(std::max<std::size_t>(o.max_message_bytes * 16, 64 * 1024));
    ws_.auto_fragment(false);
    ws_.text(true);
    ws_.set_option(websocket::stream_base::decorator(
        [id = std::move(request_id)](websocket::response_type& res) { res.set("X-Request-Id", id); }));
    request_ = std::move(request);
    ws_.async_accept(request_, [self = shared_from_this()](error_code ec) { self->on_accept(ec); });
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

  void close(std::uint16_t code, std::string_view reason) {
    if (closing_ || !open_) return;
    closing_ = true;
    close_code_ = code;
    close_reason_ = reason;
    queue_.drop_waiting();
    if (!writing_) send_close();  // else once the write in flight ends (on_write)
    // A client that never reads cannot take the close frame either: the socket goes after a while.
    close_timer_.expires_after(hub_.options_.close_timeout);
    close_timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec) return;
      error_code close_ec;
      beast::get_lowest_layer(self->ws_).close(close_ec);
    });
  }

 private:
  void on_accept(error_code ec) {
    if (ec) return;  // Beast answered the refusal (or the client left)
    open_ = true;
    shard_.sessions.insert(this);
    arm_ping();
    if (hub_.going_away()) close(static_cast<std::uint16_t>(websocket::close_code::going_away), "server restarting");
    read_next();
  }

  void read_next() {
    ws_.async_read(in_, [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(error_code ec) {
    if (ec) {
      end();
      return;
    }
    heard_ = true;
    if (in_.size() > hub_.options_.max_message_bytes) {
      in_.consume(in_.size());
      close(static_cast<std::uint16_t>(websocket::close_code::too_big), "message too big");
      read_next();  // the closing handshake completes in a read: the client's close frame
      return;
    }
    const std::string_view text(static_cast<const char*>(in_.data().data()), in_.size());
    if (!ws_.got_text()) {
      send_own(error_frame("invalid_message", "Messages are JSON text frames"));
    } else {
      handle(text);
    }
    in_.consume(in_.size());
    read_next();
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
    queue_.take(in_flight_);
    gather_.clear();
    for (const Frame& f : in_flight_) gather_.emplace_back(f->data(), f->size());
    asio::async_write(ws_.next_layer(), std::span<const asio::const_buffer>(gather_),
                      [self = shared_from_this()](error_code ec, std::size_t) { self->on_write(ec); });
  }

  void on_write(error_code ec) {
    writing_ = false;
    queue_.finish(in_flight_);
    if (ec) return;
    if (closing_) {
      send_close();
      return;
    }
    if (!queue_.empty()) write_next();
  }

  // Beast writes the close frame and waits for the client's; nothing of ours is written after it.
  void send_close() {
    if (close_sent_ || !open_) return;
    close_sent_ = true;
    ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(close_code_), close_reason_),
                    [self = shared_from_this()](error_code) {});
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
      error_code ec;
      beast::get_lowest_layer(ws_).close(ec);  // the read loop ends
      return;
    }
    heard_ = false;
    if (!closing_) deliver(hub_.ping_);
    arm_ping();
  }

  // The read loop ended: the connection is closed (by either side) or failed.
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
    beast::get_lowest_layer(ws_).close(ec);
  }

  Hub& hub_;
  Shard& shard_;
  websocket::stream<tcp::socket> ws_;
  http::Request request_;
  beast::flat_buffer in_;
  SendQueue queue_;
  std::vector<Frame> in_flight_;            // the frames of the write in flight
  std::vector<asio::const_buffer> gather_;  // and their buffers
  asio::steady_timer close_timer_;
  asio::steady_timer ping_timer_;
  std::unordered_set<std::string> events_;
  std::string user_;
  std::uint16_t close_code_ = 0;
  std::string close_reason_;
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool close_sent_ = false;
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

void Hub::accept(tcp::socket socket, http::Request request, std::string request_id) {
  Shard* shard = shard_of(socket);
  if (!shard) {
    log::error("stream: a connection from an I/O thread the hub was not attached to");
    return;
  }
  connections_.fetch_add(1);
  auto session = std::make_shared<Session>(*this, *shard, std::move(socket));
  session->start(std::move(request), std::move(request_id));
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
