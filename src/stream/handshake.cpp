#include "stream/handshake.hpp"

#include <algorithm>

#include "security/base64url.hpp"
#include "util/digest.hpp"

namespace b2w::stream {

namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";  // RFC 6455 §1.3

bool base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

}  // namespace

bool valid_websocket_key(std::string_view key) {
  if (key.size() != 24 || !key.ends_with("==")) return false;
  return std::all_of(key.begin(), key.end() - 2, base64_char);
}

std::string websocket_accept(std::string_view key) {
  std::string joined(key);
  joined.append(kGuid);
  return security::base64_encode(sha1(joined));
}

std::string handshake_response(std::string_view key, std::string_view request_id) {
  std::string out =
      "HTTP/1.1 101 Switching Protocols\r\n"
      "Upgrade: websocket\r\n"
      "Connection: Upgrade\r\n"
      "Sec-WebSocket-Accept: ";
  out.append(websocket_accept(key));
  out.append("\r\nX-Request-Id: ");
  for (const char c : request_id)
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) out.push_back(c);
  out.append("\r\n\r\n");
  return out;
}

}  // namespace b2w::stream
