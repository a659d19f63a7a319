#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

// WebSocket frames as the server writes them (RFC 6455 §5.2), built once per message and shared by every
// connection that sends it: a server's frames are unmasked and the stream negotiates no extension
// (no permessage-deflate), so the same bytes are right for every client and a connection's flush is one
// gathered write of many shared frames, with no per-connection serialization. Pure.
namespace b2w::stream {

// The header's size for a payload of `payload_bytes`: 2 up to 125, 4 up to 65,535, else 10.
std::size_t frame_header_bytes(std::size_t payload_bytes);

// A final (unfragmented) text frame carrying `payload`.
std::string text_frame(std::string_view payload);
// An empty ping (the client answers with a pong, which proves it still reads).
std::string ping_frame();
// The answer to a client's ping: a pong carrying the ping's payload (at most 125 bytes).
std::string pong_frame(std::string_view payload);
// A close frame with `code` and a reason cut to fit a control frame (125 bytes in all).
std::string close_frame(std::uint16_t code, std::string_view reason);

}  // namespace b2w::stream
