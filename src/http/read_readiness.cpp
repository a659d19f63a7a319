#include "http/read_readiness.hpp"

#include <boost/asio/error.hpp>

// The part both builds share; read_readiness_reactor.cpp and read_readiness_portable.cpp hold the rest.

namespace b2w::http {

namespace asio = boost::asio;
using boost::system::error_code;

Awaitable<std::pair<error_code, std::size_t>> ReadReadiness::receive(asio::mutable_buffer space, const bool& abandon) {
  std::size_t n = 0;
  error_code ec;
  while (!read_some(space, n, ec)) {
    if (abandon) co_return std::pair{error_code(asio::error::operation_aborted), std::size_t{0}};
    ec = co_await wait();
    if (ec) co_return std::pair{ec, std::size_t{0}};
  }
  co_return std::pair{ec, n};
}

}  // namespace b2w::http
