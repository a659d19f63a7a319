#include "http/read_readiness.hpp"

#if B2W_PORTABLE_IO
// Public asio only: builds on any Boost (see read_readiness.hpp).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace b2w::http {

namespace asio = boost::asio;
using boost::system::error_code;

ReadReadiness::ReadReadiness(asio::io_context&, asio::ip::tcp::socket& socket) : socket_(socket) {}

ReadReadiness::~ReadReadiness() = default;

bool ReadReadiness::read_some(asio::mutable_buffer space, std::size_t& n, error_code& ec) {
  n = socket_.read_some(space, ec);  // the socket is non-blocking: would_block when empty
  if (ec != asio::error::would_block && ec != asio::error::try_again) return true;
  n = 0;
  ec = {};
  return false;
}

void ReadReadiness::release() {}  // no watch: async_wait completes before anything else runs

Awaitable<error_code> ReadReadiness::wait() {
  auto [ec] = co_await socket_.async_wait(asio::socket_base::wait_read, asio::as_tuple(asio::use_awaitable));
  co_return ec;
}

}  // namespace b2w::http
#endif
