#pragma once
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace b2w::app {

// Runs a coroutine to completion on the calling thread. Only for start-up and
// CLI commands, before or outside the server: never on an I/O thread.
template <typename T>
T run_blocking(boost::asio::awaitable<T> op) {
  boost::asio::io_context ctx;
  auto result = boost::asio::co_spawn(ctx, std::move(op), boost::asio::use_future);
  ctx.run();
  return result.get();
}

}  // namespace b2w::app
