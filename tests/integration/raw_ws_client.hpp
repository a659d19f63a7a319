#pragma once
// A WebSocket client that writes and reads raw frames (RFC 6455 §5.2), for tests of what a library client
// never sends: pings in the middle of a burst, fragments, unmasked or malformed frames. Every server frame
// is parsed strictly: a frame that is not well formed fails the read, so a reply written inside another
// frame cannot go unnoticed. Blocking, with deadlines (poll), one thread.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace b2w::test {

struct ServerFrame {
  bool fin = true;
  std::uint8_t opcode = 0;  // 1 text, 2 binary, 8 close, 9 ping, 10 pong
  std::string payload;
  // A close frame's status code (1005 when it carries none).
  int close_code() const {
    if (payload.size() < 2) return 1005;
    return (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
  }
};

class RawWsClient {
 public:
  // Connects and sends the handshake with `key` and `version`; see status() for the answer.
  RawWsClient(int port, const std::string& key = "dGhlIHNhbXBsZSBub25jZQ==", const std::string& version = "13",
              int receive_buffer = 0);
  ~RawWsClient();
  RawWsClient(const RawWsClient&) = delete;
  RawWsClient& operator=(const RawWsClient&) = delete;

  int status() const { return status_; }  // the handshake's HTTP status (0: no answer)
  const std::string& response_head() const { return head_; }

  // A masked client frame (the mask varies frame to frame); `masked` false sends it unmasked (a protocol error).
  bool send_frame(std::uint8_t opcode, std::string_view payload, bool fin = true, bool masked = true);
  bool send_raw(std::string_view bytes);
  // The next whole frame; nothing on timeout, when the connection ended, or when the bytes are not a
  // well-formed server frame (malformed() then says so).
  std::optional<ServerFrame> read_frame(std::chrono::milliseconds timeout);
  bool malformed() const { return malformed_; }
  // True if the server closed the TCP connection within `timeout` (reading and dropping what comes).
  bool wait_eof(std::chrono::milliseconds timeout);

 private:
  bool fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  int status_ = 0;
  std::string head_;
  std::string in_;
  std::uint32_t mask_ = 0x9A3C5E71;
  bool eof_ = false;
  bool malformed_ = false;
};

}  // namespace b2w::test
