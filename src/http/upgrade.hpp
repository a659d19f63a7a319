#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <functional>

#include "http/types.hpp"

namespace b2w::http {

// A route that takes the connection over (the WebSocket stream) answers 101 Switching Protocols and
// sets RequestContext::upgrade. The server then writes nothing: it hands the socket and the request
// to this function on the connection's own I/O thread, and the connection is no longer an HTTP one
// (no keep-alive deadline, not counted in MAX_CONNECTIONS). The request went through the pipeline
// like any other (request id, rate limit, access log), so the route's checks ran before the handoff.
using UpgradeHandler = std::function<void(boost::asio::ip::tcp::socket socket, Request request)>;

}  // namespace b2w::http
