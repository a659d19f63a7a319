#include "raw_ws_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace b2w::test {

namespace {

std::uint8_t at(const std::string& s, std::size_t i) {
  return static_cast<std::uint8_t>(s[i]);
}

}  // namespace

RawWsClient::RawWsClient(int port, const std::string& key, const std::string& version, int receive_buffer) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return;
  if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
  const std::string request =
      "GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: " +
      key + "\r\nSec-WebSocket-Version: " + version + "\r\n\r\n";
  if (!send_raw(request)) return;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (in_.find("\r\n\r\n") == std::string::npos)
    if (!fill(deadline)) return;
  const auto end = in_.find("\r\n\r\n") + 4;
  head_ = in_.substr(0, end);
  in_.erase(0, end);
  if (head_.size() > 12 && head_.rfind("HTTP/1.1 ", 0) == 0) status_ = std::stoi(head_.substr(9, 3));
}

RawWsClient::~RawWsClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawWsClient::send_raw(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool RawWsClient::send_frame(std::uint8_t opcode, std::string_view payload, bool fin, bool masked) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
  const std::uint64_t n = payload.size();
  const char mask_bit = masked ? static_cast<char>(0x80) : 0;
  if (n <= 125) {
    out.push_back(static_cast<char>(mask_bit | static_cast<char>(n)));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | 126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n & 0xFF));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xFF));
  }
  if (!masked) return send_raw(out + std::string(payload));
  mask_ = mask_ * 1103515245u + 12345u;
  const char key[4] = {static_cast<char>(mask_ >> 24), static_cast<char>(mask_ >> 16), static_cast<char>(mask_ >> 8),
                       static_cast<char>(mask_)};
  out.append(key, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) out.push_back(static_cast<char>(payload[i] ^ key[i % 4]));
  return send_raw(out);
}

bool RawWsClient::fill(std::chrono::steady_clock::time_point deadline) {
  if (eof_ || fd_ < 0) return false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
  char buf[65536];
  const auto n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    eof_ = true;
    return false;
  }
  in_.append(buf, static_cast<std::size_t>(n));
  return true;
}

std::optional<ServerFrame> RawWsClient::read_frame(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (in_.size() >= 2) {
      const std::uint8_t b0 = at(in_, 0), b1 = at(in_, 1);
      const std::uint8_t opcode = b0 & 0x0F;
      const bool known = opcode <= 2 || (opcode >= 8 && opcode <= 10);
      // A server's frames are unmasked, use no reserved bit (no extension) and known opcodes only;
      // control frames are whole and short.
      if ((b1 & 0x80) != 0 || (b0 & 0x70) != 0 || !known || (opcode >= 8 && ((b0 & 0x80) == 0 || (b1 & 0x7F) > 125))) {
        malformed_ = true;
        return std::nullopt;
      }
      const std::uint8_t len7 = b1 & 0x7F;
      const std::size_t extra = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
      if (in_.size() >= 2 + extra) {
        std::uint64_t n = len7;
        if (extra > 0) {
          n = 0;
          for (std::size_t i = 0; i < extra; ++i) n = (n << 8) | at(in_, 2 + i);
        }
        if (in_.size() >= 2 + extra + n) {
          ServerFrame f{(b0 & 0x80) != 0, opcode, in_.substr(2 + extra, static_cast<std::size_t>(n))};
          in_.erase(0, 2 + extra + static_cast<std::size_t>(n));
          return f;
        }
      }
    }
    if (!fill(deadline)) return std::nullopt;
  }
}

bool RawWsClient::wait_eof(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!eof_) {
    in_.clear();
    if (!fill(deadline) && !eof_) return false;
  }
  return true;
}

}  // namespace b2w::test
