#include "stream/frame_reader.hpp"

#include <algorithm>

namespace b2w::stream {

namespace {

constexpr std::uint8_t kContinuation = 0x0;
constexpr std::uint8_t kText = 0x1;
constexpr std::uint8_t kBinary = 0x2;
constexpr std::uint8_t kClose = 0x8;
constexpr std::uint8_t kPing = 0x9;
constexpr std::uint8_t kPong = 0xA;
constexpr std::uint16_t kProtocolError = 1002;
constexpr std::uint16_t kNoStatus = 1005;
constexpr std::size_t kCompactAfter = 4096;

std::uint8_t byte_at(const std::string& s, std::size_t i) {
  return static_cast<std::uint8_t>(s[i]);
}

// Close codes a peer may send (RFC 6455 §7.4): the defined ones that may appear on the wire, and the
// ranges for libraries (3000-3999) and applications (4000-4999).
bool valid_close_code(std::uint16_t code) {
  if (code >= 3000 && code <= 4999) return true;
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011);
}

}  // namespace

void FrameReader::append(std::string_view bytes) {
  if (failed_) return;
  // A refused message's payload is dropped as it comes, never held.
  while (skip_ > 0 && !bytes.empty() && buffered() == 0) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(skip_, bytes.size()));
    skip_ -= n;
    bytes.remove_prefix(n);
  }
  buffer_.append(bytes);
}

std::optional<Incoming> FrameReader::fail(std::string reason) {
  failed_ = true;
  buffer_.clear();
  buffer_.shrink_to_fit();
  message_.clear();
  pos_ = 0;
  return Incoming{Incoming::Kind::protocol_error, std::move(reason), kProtocolError};
}

void FrameReader::compact() {
  if (pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
    if (buffer_.capacity() > 4 * kCompactAfter) buffer_.shrink_to_fit();  // a big message came once
  } else if (pos_ > kCompactAfter) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
}

std::optional<Incoming> FrameReader::next() {
  while (!failed_) {
    if (skip_ > 0) {
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(skip_, buffered()));
      skip_ -= n;
      pos_ += n;
      compact();
      if (skip_ > 0) return std::nullopt;
    }
    const std::size_t avail = buffered();
    if (avail < 2) return std::nullopt;
    const std::uint8_t b0 = byte_at(buffer_, pos_);
    const std::uint8_t b1 = byte_at(buffer_, pos_ + 1);
    const bool fin = (b0 & 0x80) != 0;
    const std::uint8_t opcode = b0 & 0x0F;
    if ((b0 & 0x70) != 0) return fail("reserved bits set (no extension was negotiated)");
    if ((b1 & 0x80) == 0) return fail("a client's frames must be masked");
    const std::uint8_t len7 = b1 & 0x7F;
    const std::size_t length_bytes = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
    const std::size_t header = 2 + length_bytes + 4;
    if (avail < header) return std::nullopt;
    std::uint64_t length = len7;
    if (length_bytes > 0) {
      length = 0;
      for (std::size_t i = 0; i < length_bytes; ++i) length = (length << 8) | byte_at(buffer_, pos_ + 2 + i);
      if ((length_bytes == 2 && length < 126) || (length_bytes == 8 && (length <= 0xFFFF || (length >> 63) != 0)))
        return fail("frame length not in its shortest form");
    }
    const bool control = (opcode & 0x8) != 0;
    if (control) {
      if (opcode != kClose && opcode != kPing && opcode != kPong) return fail("unknown control opcode");
      if (!fin || length > 125) return fail("control frames are whole and at most 125 bytes");
    } else {
      if (opcode != kContinuation && opcode != kText && opcode != kBinary) return fail("unknown data opcode");
      if (opcode == kContinuation && !in_message_) return fail("a continuation frame with no message begun");
      if (opcode != kContinuation && in_message_) return fail("a new message inside a fragmented one");
    }

    if (!control) {
      const bool refuse_now = !discarding_ && message_.size() + length > max_message_bytes_;
      if (discarding_ || refuse_now) {
        // Too big: this frame's payload and the message's further fragments are dropped unread.
        pos_ += header;
        skip_ = length;
        discarding_ = !fin;
        in_message_ = !fin;
        message_.clear();
        compact();
        if (refuse_now) return Incoming{Incoming::Kind::too_big, {}, 1009};
        continue;
      }
    }
    if (avail < header + length) return std::nullopt;  // nothing consumed: the frame is parsed again
    if (!control && opcode != kContinuation) {
      message_text_ = opcode == kText;
      in_message_ = true;
    }

    const std::size_t mask_at = pos_ + 2 + length_bytes;
    const std::size_t payload_at = mask_at + 4;
    std::string payload;
    std::string& out = control ? payload : message_;
    const std::size_t start = out.size();
    out.append(buffer_, payload_at, static_cast<std::size_t>(length));
    for (std::size_t i = 0; i < length; ++i)
      out[start + i] = static_cast<char>(static_cast<std::uint8_t>(out[start + i]) ^ byte_at(buffer_, mask_at + i % 4));
    pos_ = payload_at + static_cast<std::size_t>(length);
    compact();

    switch (opcode) {
      case kPing:
        return Incoming{Incoming::Kind::ping, std::move(payload)};
      case kPong:
        return Incoming{Incoming::Kind::pong, std::move(payload)};
      case kClose: {
        if (payload.empty()) return Incoming{Incoming::Kind::close, {}, kNoStatus};
        if (payload.size() == 1) return fail("a close frame's code is two bytes");
        const auto code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) |
                                                     static_cast<std::uint8_t>(payload[1]));
        if (!valid_close_code(code)) return fail("a close code a peer may not send");
        return Incoming{Incoming::Kind::close, payload.substr(2), code};
      }
      default:
        break;
    }
    if (!fin) continue;  // more fragments to come
    in_message_ = false;
    Incoming whole{message_text_ ? Incoming::Kind::text : Incoming::Kind::binary, std::move(message_)};
    message_.clear();
    return whole;
  }
  return std::nullopt;
}

}  // namespace b2w::stream
