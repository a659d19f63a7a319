#pragma once
#include <string>
#include <string_view>

// The server's side of the WebSocket opening handshake (RFC 6455 §4.2), written by the session itself so
// that the 101 goes through the same write queue as every later frame. Pure.
namespace b2w::stream {

// Sec-WebSocket-Key as RFC 6455 requires it: 16 random bytes in base64 (24 characters ending "==").
bool valid_websocket_key(std::string_view key);
// Sec-WebSocket-Accept for `key`: base64(SHA-1(key + the RFC's GUID)).
std::string websocket_accept(std::string_view key);
// The whole 101 response (status line, headers, blank line); `request_id` is echoed as X-Request-Id with
// any control character dropped.
std::string handshake_response(std::string_view key, std::string_view request_id);

}  // namespace b2w::stream
