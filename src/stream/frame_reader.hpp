#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The client's side of a WebSocket connection as the server reads it (RFC 6455 §5): frames are parsed
// here, not by Beast, so that every byte the server writes (data, pings, pongs, the closing handshake)
// goes through the session's one write queue and no reply can land inside a partly written frame. Pure.
namespace b2w::stream {

// One thing the client said.
struct Incoming {
  enum class Kind {
    text,            // a whole text message (fragments joined)
    binary,          // a whole binary message
    ping,            // payload: to be echoed in a pong
    pong,            //
    close,           // code (1005 when the frame had none) and reason
    too_big,         // a message longer than the bound: its bytes are skipped, the connection can close cleanly
    protocol_error,  // the stream cannot be parsed further: close with `code` (1002) and stop reading
  };
  Kind kind;
  std::string payload;  // the message, the ping's payload, the close or error reason
  std::uint16_t code = 0;
};

class FrameReader {
 public:
  explicit FrameReader(std::size_t max_message_bytes) : max_message_bytes_(max_message_bytes) {}

  // Bytes as they came off the socket (any split).
  void append(std::string_view bytes);
  // The next complete item, or nothing until more bytes come (and nothing ever again after a protocol error).
  std::optional<Incoming> next();
  // Bytes held for an item not yet complete (bounded by the message bound plus one frame header).
  std::size_t buffered() const { return buffer_.size() - pos_; }

 private:
  std::optional<Incoming> fail(std::string reason);
  void compact();

  std::size_t max_message_bytes_;
  std::string buffer_;
  std::size_t pos_ = 0;
  std::uint64_t skip_ = 0;   // payload bytes of a refused message still to drop
  std::string message_;      // the fragments so far of a message in progress
  bool in_message_ = false;  // a fragmented message has begun
  bool message_text_ = false;
  bool discarding_ = false;  // the message in progress was refused as too big
  bool failed_ = false;
};

}  // namespace b2w::stream
