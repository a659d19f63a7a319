#include "http/read_readiness.hpp"

#if !B2W_PORTABLE_IO
// The fast path (see read_readiness.hpp): a watch in the socket's read queue of asio's epoll reactor.
#include <boost/asio/async_result.hpp>
#include <boost/asio/detail/reactor.hpp>
#include <boost/asio/detail/reactor_op.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/version.hpp>
#include <optional>

#include "http/socket_calls.hpp"

// The watch below is a reactor operation of asio's own kind; its contract (perform() on each
// readiness event, the queue order, cancel and shutdown) is that of this Boost's epoll reactor.
static_assert(BOOST_VERSION / 100 == 1081,
              "ReadReadiness's fast path relies on Boost 1.81's epoll reactor: on another Boost, configure with "
              "-DB2W_PORTABLE_IO=ON (public asio only), or re-check the reactor's contract and update this");
static_assert(std::is_same_v<boost::asio::detail::reactor, boost::asio::detail::epoll_reactor>,
              "ReadReadiness's fast path needs asio's epoll reactor: configure with -DB2W_PORTABLE_IO=ON");

namespace b2w::http {

namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using Reactor = asio::detail::epoll_reactor;
using WaitHandler = asio::async_result<asio::use_awaitable_t<>, void()>::handler_type;

namespace {

// The socket's reactor registration, which basic_socket keeps protected.
struct SocketAccess : tcp::socket {
  static auto& implementation(tcp::socket& socket) { return (socket.*(&SocketAccess::impl_)).get_implementation(); }
};

}  // namespace

// Sits in the socket's read queue and records each readiness event. With no coroutine waiting it
// stays queued (perform() says "not done"), so an event between two requests is kept, not lost;
// with one waiting it completes and resumes it. Freed only by asio, through do_complete.
struct ReadReadiness::Watch : asio::detail::reactor_op {
  ReadReadiness* owner;  // null once the owner is gone (the socket closed, its ops still queued)
  bool arming = true;    // start_op's first perform() is a speculative try, not an event
  bool readable = false;
  std::optional<WaitHandler> waiter;

  explicit Watch(ReadReadiness* o) : reactor_op(error_code(), &Watch::do_perform, &Watch::do_complete), owner(o) {}

  static status do_perform(reactor_op* base) {
    auto* self = static_cast<Watch*>(base);
    if (self->arming) return not_done;
    self->readable = true;
    return self->waiter ? done : not_done;
  }

  // Runs when the watch leaves the queue: after an event with a waiter, on cancel or close
  // (ec_ is operation_aborted), or with owner == nullptr when the io_context is destroyed.
  static void do_complete(void* io_owner, asio::detail::operation* base, const error_code&, std::size_t) {
    auto* self = static_cast<Watch*>(base);
    std::optional<WaitHandler> waiter = std::move(self->waiter);
    if (self->owner) {
      self->owner->watch_ = nullptr;
      self->owner->maybe_readable_ = self->owner->maybe_readable_ || self->readable;
      if (self->ec_) self->owner->wait_ec_ = self->ec_;
    }
    delete self;  // before the waiter runs or is destroyed: that may end the owner
    if (io_owner && waiter) (*waiter)();
  }
};

ReadReadiness::ReadReadiness(asio::io_context& ctx, tcp::socket& socket)
    : socket_(socket), reactor_(&asio::use_service<Reactor>(ctx)) {}

ReadReadiness::~ReadReadiness() {
  if (watch_) watch_->owner = nullptr;  // asio frees it once the socket's close has aborted it
}

void ReadReadiness::release() {
  if (!watch_) return;
  watch_->owner = nullptr;
  watch_ = nullptr;
  error_code ec;
  socket_.cancel(ec);  // aborts the watch: asio frees it (owner null) from the completion queue
}

void ReadReadiness::arm() {
  if (watch_) return;
  auto& impl = SocketAccess::implementation(socket_);
  watch_ = new Watch(this);
  // The queue is empty here, so start_op makes one speculative perform() (which the arming flag
  // declines) and queues the watch without an epoll_ctl: the socket is registered edge-triggered.
  static_cast<Reactor*>(reactor_)->start_op(Reactor::read_op, impl.socket_, impl.reactor_data_, watch_, false, true);
  if (watch_) watch_->arming = false;  // (start_op completes the op at once if the socket is closed)
}

bool ReadReadiness::read_some(asio::mutable_buffer space, std::size_t& n, error_code& ec) {
  n = 0;
  ec = {};
  if (!maybe_readable_) {
    if (watch_ && !watch_->readable) return false;
    // An event came while nothing waited, or the watch is gone (the socket cancelled or closed).
    if (watch_) watch_->readable = false;
    maybe_readable_ = true;
  }
  n = recv_some(socket_.native_handle(), space.data(), space.size(), ec);  // the socket is non-blocking
  if (!ec) {
    // A short read emptied the socket: the watch will see the next byte arrive.
    maybe_readable_ = n == space.size();
    if (!maybe_readable_) arm();
    return true;
  }
  if (ec != asio::error::would_block && ec != asio::error::try_again) return true;
  ec = {};
  maybe_readable_ = false;
  arm();
  return false;
}

Awaitable<error_code> ReadReadiness::wait() {
  if (!watch_) co_return error_code{};  // gone since read_some: read again
  wait_ec_ = {};
  Watch* watch = watch_;
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [watch](WaitHandler handler) { watch->waiter.emplace(std::move(handler)); }, asio::use_awaitable);
  co_return wait_ec_;
}

}  // namespace b2w::http
#endif
