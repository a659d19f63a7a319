#include "http/read_readiness.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <string>

// Whichever ReadReadiness the build chose (read_readiness.hpp): both pass these.
using namespace b2w::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using namespace std::chrono_literals;

namespace {

// A connected pair on loopback: `server` is read through a ReadReadiness, `client` writes.
struct Pair {
  asio::io_context ctx{1};
  tcp::socket server{ctx};
  tcp::socket client{ctx};
  Pair() {
    tcp::acceptor acceptor(ctx, {asio::ip::address_v4::loopback(), 0});
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
    server.non_blocking(true);
  }
};

Awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(asio::use_awaitable);
}

// Reads until `want` bytes arrived, waiting as needed.
Awaitable<std::string> read_exactly(ReadReadiness& reader, std::size_t want) {
  std::string got;
  std::array<char, 4> chunk{};  // small on purpose: full reads must not wait
  while (got.size() < want) {
    bool never = false;
    auto [ec, n] = co_await reader.receive(asio::buffer(chunk), never);
    if (ec) throw boost::system::system_error(ec);
    got.append(chunk.data(), n);
  }
  co_return got;
}

// read_some() finds the socket empty (and arms the watch).
bool finds_nothing(ReadReadiness& reader) {
  std::array<char, 8> space{};
  std::size_t n = 0;
  error_code ec;
  return !reader.read_some(asio::buffer(space), n, ec);
}

// Waits as needed, then returns the bytes one read got.
Awaitable<std::string> next_bytes(ReadReadiness& reader) {
  std::array<char, 64> space{};
  std::size_t n = 0;
  error_code ec;
  while (!reader.read_some(asio::buffer(space), n, ec))
    if (const auto wait_ec = co_await reader.wait()) throw boost::system::system_error(wait_ec);
  if (ec) throw boost::system::system_error(ec);
  co_return std::string(space.data(), n);
}

// How receive() ends when no bytes come.
Awaitable<error_code> receive_error(ReadReadiness& reader, const bool& abandon) {
  std::array<char, 64> space{};
  auto [ec, n] = co_await reader.receive(asio::buffer(space), abandon);
  co_return ec;
}

template <class T>
T run(Pair& p, Awaitable<T> task) {
  p.ctx.restart();  // a previous run may have run out of work
  auto fut = asio::co_spawn(p.ctx, std::move(task), asio::use_future);
  // A queued watch is outstanding work, so run() would not return: run until the task is done.
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (fut.wait_for(0s) != std::future_status::ready && std::chrono::steady_clock::now() < give_up)
    p.ctx.run_one_for(10ms);
  if (fut.wait_for(0s) != std::future_status::ready) {
    ADD_FAILURE() << "the reader hung";
    return T{};
  }
  return fut.get();
}

}  // namespace

TEST(ReadReadiness, WaitsForBytesThenReadsThem) {
  Pair p;
  ReadReadiness reader(p.ctx, p.server);
  auto task = [&]() -> Awaitable<std::string> {
    EXPECT_TRUE(finds_nothing(reader));
    asio::co_spawn(
        p.ctx,
        [&]() -> Awaitable<void> {
          co_await sleep_for(20ms);
          co_await asio::async_write(p.client, asio::buffer(std::string_view("hello")), asio::use_awaitable);
        },
        asio::detached);
    co_return co_await next_bytes(reader);
  };
  EXPECT_EQ(run(p, task()), "hello");
}

// The case the watch exists for: bytes arrive while the reader is busy elsewhere (a handler
// awaiting the database), and the loop's epoll_wait consumes their event meanwhile. Without a
// record of that event the next wait would never end.
TEST(ReadReadiness, BytesThatArriveWhileNothingWaitsAreNotMissed) {
  Pair p;
  ReadReadiness reader(p.ctx, p.server);
  auto task = [&]() -> Awaitable<std::string> {
    EXPECT_TRUE(finds_nothing(reader));
    p.client.write_some(asio::buffer(std::string_view("next request")));
    co_await sleep_for(50ms);  // the loop runs epoll_wait while this coroutine sleeps
    co_return co_await next_bytes(reader);
  };
  EXPECT_EQ(run(p, task()), "next request");
}

TEST(ReadReadiness, AShortReadMeansEmptyAndAFullOneReadsOn) {
  Pair p;
  ReadReadiness reader(p.ctx, p.server);
  const std::string message(10'000, 'x');
  asio::write(p.client, asio::buffer(message));
  EXPECT_EQ(run(p, read_exactly(reader, message.size())), message);
  // And again after a pause, across many small reads and waits.
  auto later = [&]() -> Awaitable<std::string> {
    co_await sleep_for(20ms);
    p.client.write_some(asio::buffer(std::string_view("0123456789")));
    co_return co_await read_exactly(reader, 10);
  };
  EXPECT_EQ(run(p, later()), "0123456789");
}

TEST(ReadReadiness, CancelEndsAWaitWithOperationAborted) {
  Pair p;
  ReadReadiness reader(p.ctx, p.server);
  auto task = [&]() -> Awaitable<error_code> {
    EXPECT_TRUE(finds_nothing(reader));
    asio::co_spawn(
        p.ctx,
        [&]() -> Awaitable<void> {
          co_await sleep_for(20ms);
          p.server.cancel();
        },
        asio::detached);
    co_return co_await reader.wait();
  };
  EXPECT_EQ(run(p, task()), asio::error::operation_aborted);
}

TEST(ReadReadiness, ThePeerClosingEndsWithEof) {
  Pair p;
  ReadReadiness reader(p.ctx, p.server);
  asio::co_spawn(
      p.ctx,
      [&]() -> Awaitable<void> {
        co_await sleep_for(20ms);
        p.client.close();
      },
      asio::detached);
  const bool never = false;
  EXPECT_EQ(run(p, receive_error(reader, never)), asio::error::eof);
}

TEST(ReadReadiness, AbandonStopsReceiveBeforeItWaits) {
  Pair p;
  ReadReadiness reader(p.ctx, p.server);
  const bool abandon = true;  // a deadline that fired while nothing was waiting
  EXPECT_EQ(run(p, receive_error(reader, abandon)), asio::error::operation_aborted);
}

// The watch outlives its reader when the socket closes with it queued: asio frees it later.
// (The fast path's case; make test-asan builds the portable one, so to check this under ASan
// configure with -DB2W_SANITIZE=ON -DB2W_PORTABLE_IO=OFF.)
TEST(ReadReadiness, ClosingWithAWatchQueuedFreesItSafely) {
  Pair p;
  {
    ReadReadiness reader(p.ctx, p.server);
    EXPECT_TRUE(finds_nothing(reader));  // arms the watch
  }
  p.server.close();
  p.client.write_some(asio::buffer(std::string_view("late")));
  p.ctx.run_for(50ms);
  // And a reader destroyed with the io_context still holding its watch.
  Pair q;
  auto reader = std::make_unique<ReadReadiness>(q.ctx, q.server);
  EXPECT_TRUE(finds_nothing(*reader));
  reader.reset();
  SUCCEED();
}
