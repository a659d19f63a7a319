#pragma once
#include <boost/asio/awaitable.hpp>

namespace b2w {

// Every coroutine of the service returns this (asio's awaitable on the default executor).
template <typename T>
using Awaitable = boost::asio::awaitable<T>;

}  // namespace b2w
