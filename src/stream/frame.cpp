#include "stream/frame.hpp"

#include <cstdint>

namespace b2w::stream {

namespace {

constexpr unsigned char kFinal = 0x80;
constexpr unsigned char kText = 0x1;
constexpr unsigned char kClose = 0x8;
constexpr unsigned char kPing = 0x9;
constexpr unsigned char kPong = 0xA;
constexpr std::size_t kMaxControlPayload = 125;

std::string frame(unsigned char opcode, std::string_view payload) {
  const std::size_t n = payload.size();
  std::string out;
  out.reserve(frame_header_bytes(n) + n);
  out.push_back(static_cast<char>(kFinal | opcode));
  if (n <= 125) {
    out.push_back(static_cast<char>(n));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(126));
    out.push_back(static_cast<char>((n >> 8) & 0xFF));
    out.push_back(static_cast<char>(n & 0xFF));
  } else {
    out.push_back(static_cast<char>(127));
    const auto wide = static_cast<std::uint64_t>(n);
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((wide >> shift) & 0xFF));
  }
  out.append(payload);
  return out;
}

}  // namespace

std::size_t frame_header_bytes(std::size_t payload_bytes) {
  if (payload_bytes <= 125) return 2;
  if (payload_bytes <= 0xFFFF) return 4;
  return 10;
}

std::string text_frame(std::string_view payload) {
  return frame(kText, payload);
}

std::string ping_frame() {
  return frame(kPing, {});
}

std::string pong_frame(std::string_view payload) {
  return frame(kPong, payload.substr(0, kMaxControlPayload));
}

std::string close_frame(std::uint16_t code, std::string_view reason) {
  std::string payload;
  payload.push_back(static_cast<char>((code >> 8) & 0xFF));
  payload.push_back(static_cast<char>(code & 0xFF));
  payload.append(reason.substr(0, kMaxControlPayload - 2));
  return frame(kClose, payload);
}

}  // namespace b2w::stream
