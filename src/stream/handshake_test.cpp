#include "stream/handshake.hpp"

#include <gtest/gtest.h>

using namespace b2w::stream;

TEST(Handshake, AcceptKeyIsRfc6455sExample) {
  // RFC 6455 §1.3's worked example.
  EXPECT_EQ(websocket_accept("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(Handshake, KeysAreSixteenBytesOfBase64) {
  EXPECT_TRUE(valid_websocket_key("dGhlIHNhbXBsZSBub25jZQ=="));
  EXPECT_TRUE(valid_websocket_key("AAAAAAAAAAAAAAAAAAAA+/=="));
  EXPECT_FALSE(valid_websocket_key(""));
  EXPECT_FALSE(valid_websocket_key("dGhlIHNhbXBsZSBub25jZQ="));     // 23 characters
  EXPECT_FALSE(valid_websocket_key("dGhlIHNhbXBsZSBub25jZQ==="));   // 25
  EXPECT_FALSE(valid_websocket_key("dGhlIHNhbXBsZSBub25jZQAA"));    // 18 bytes' worth, no padding
  EXPECT_FALSE(valid_websocket_key("dGhlIHNhbXBsZSBub25j\r\n=="));  // not base64
}

TEST(Handshake, TheResponseIsA101WithTheAcceptKeyAndASanitizedRequestId) {
  const auto r = handshake_response("dGhlIHNhbXBsZSBub25jZQ==", "req-1\r\nSet-Cookie: x");
  EXPECT_EQ(r.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0u);
  EXPECT_NE(r.find("\r\nUpgrade: websocket\r\n"), std::string::npos);
  EXPECT_NE(r.find("\r\nConnection: Upgrade\r\n"), std::string::npos);
  EXPECT_NE(r.find("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos);
  EXPECT_NE(r.find("\r\nX-Request-Id: req-1Set-Cookie: x\r\n"), std::string::npos) << "no header can be injected";
  EXPECT_EQ(r.find("\r\nSet-Cookie"), std::string::npos);
  EXPECT_TRUE(r.ends_with("\r\n\r\n"));
}
