#pragma once
// The server's socket reads come in two builds, chosen here and nowhere else (CMake option
// B2W_PORTABLE_IO, on by default in sanitizer builds):
//
//  - the fast path (read_readiness_reactor.cpp) sits on Boost 1.81's epoll reactor internals and
//    runs each worker's io_context without asio's per-socket locking;
//  - the portable path (read_readiness_portable.cpp) uses public asio only (a non-blocking
//    read_some(), async_wait(wait_read)) and asio's default concurrency hint, so it builds on any
//    Boost, and the sanitizers check what asio does, not what the fast path assumes of it.
//
// Both offer the same ReadReadiness and pass the same tests (read_readiness_test.cpp).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <utility>

#include "http/types.hpp"

namespace b2w::http {

#if B2W_PORTABLE_IO
// asio's default: it locks each socket's reactor state, as it must if any socket were shared.
inline constexpr int kIoConcurrencyHint = BOOST_ASIO_CONCURRENCY_HINT_DEFAULT;
#else
// Each socket of a worker's io_context is used from its thread only (ReadReadiness requires it
// anyway): asio may skip the per-socket lock it takes on every readiness event and every wait.
inline constexpr int kIoConcurrencyHint = BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO;
#endif

// Reads a non-blocking TCP socket; one socket's reads all go through one ReadReadiness, on the
// socket's own single-threaded io_context.
//
// The fast path reads with one recv() per request, in the way of nginx's `ready` flag. asio's
// async_read_some always tries recv() before waiting, and after an answer the client's next
// request has not arrived yet, so every request paid a recv() that found nothing (5-8% of the
// server's CPU under load). Asio's async_wait costs an epoll_ctl instead. Here a recv() that comes
// back short means the socket is empty, and a watch left in the reactor's queue records the next
// edge-triggered event whenever it comes, so waiting costs no system call and no byte is missed.
//
// What a short read cannot tell: a FIN or a reset that arrived with the last bytes (a client
// that half-closes after its request) raises no further event. The server's deadline sweep
// peeks at each connection once it has been idle a sweep interval (Server::sweep_deadlines);
// a request left unfinished ends at its header or body timeout.
//
// The fast path's watch is a reactor operation of asio's own kind: the socket is closed when its
// ReadReadiness goes (a watch left queued would hold up any later read).
//
// The portable path tries recv() each time and waits with async_wait(wait_read).
class ReadReadiness {
 public:
  ReadReadiness(boost::asio::io_context& ctx, boost::asio::ip::tcp::socket& socket);
  ~ReadReadiness();
  ReadReadiness(const ReadReadiness&) = delete;
  ReadReadiness& operator=(const ReadReadiness&) = delete;

  // Reads what is there into `space` without waiting. False: nothing is there; co_await wait(),
  // then try again. True: `n` bytes were read, or `ec` says why none will be (eof, reset...).
  bool read_some(boost::asio::mutable_buffer space, std::size_t& n, boost::system::error_code& ec);
  // Waits for bytes after read_some() found none; operation_aborted if the socket is cancelled.
  Awaitable<boost::system::error_code> wait();
  // Both, for the colder paths: reads some bytes, waiting as needed, unless `abandon` turns true
  // between two waits (a deadline that fired while nothing was waiting).
  Awaitable<std::pair<boost::system::error_code, std::size_t>> receive(boost::asio::mutable_buffer space,
                                                                       const bool& abandon);
  // Before the socket is handed on (an upgraded connection): no watch is left in its read queue, so
  // the next owner's reads are not held up behind one. Nothing is waiting when this is called.
  void release();

 private:
  boost::asio::ip::tcp::socket& socket_;
#if !B2W_PORTABLE_IO
  struct Watch;
  void arm();

  void* reactor_;  // the io_context's epoll reactor
  Watch* watch_ = nullptr;
  bool maybe_readable_ = true;         // nothing known yet: try recv() first
  boost::system::error_code wait_ec_;  // how the last wait ended
#endif
};

}  // namespace b2w::http
