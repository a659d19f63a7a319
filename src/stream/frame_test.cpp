#include "stream/frame.hpp"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <cstdint>
#include <thread>
#include <vector>

using namespace b2w::stream;

namespace {

std::uint64_t length_field(const std::string& f) {
  const auto b = [&](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(f[i])); };
  const auto code = b(1) & 0x7F;
  if (code < 126) return code;
  if (code == 126) return (b(2) << 8) | b(3);
  std::uint64_t n = 0;
  for (std::size_t i = 2; i < 10; ++i) n = (n << 8) | b(i);
  return n;
}

void expect_text_frame(std::size_t payload, std::size_t header) {
  const std::string body(payload, 'a');
  const auto f = text_frame(body);
  EXPECT_EQ(frame_header_bytes(payload), header) << payload;
  ASSERT_EQ(f.size(), header + payload) << payload;
  EXPECT_EQ(static_cast<unsigned char>(f[0]), 0x81) << "FIN + text";
  EXPECT_EQ(static_cast<unsigned char>(f[1]) & 0x80, 0) << "a server's frames are not masked";
  EXPECT_EQ(length_field(f), payload);
  EXPECT_EQ(f.substr(header), body);
}

}  // namespace

TEST(Frame, HeaderSizesAtTheLengthEncodingBoundaries) {
  expect_text_frame(0, 2);
  expect_text_frame(125, 2);
  expect_text_frame(126, 4);
  expect_text_frame(65535, 4);
  expect_text_frame(65536, 10);
  EXPECT_EQ(static_cast<unsigned char>(text_frame(std::string(126, 'a'))[1]), 126);
  EXPECT_EQ(static_cast<unsigned char>(text_frame(std::string(65536, 'a'))[1]), 127);
}

TEST(Frame, PingIsAnEmptyFinalControlFrame) {
  const auto p = ping_frame();
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(p[0]), 0x89);
  EXPECT_EQ(static_cast<unsigned char>(p[1]), 0x00);
}

// A client's WebSocket implementation (Beast) reads frames written back to back in one gathered write, as
// the hub flushes them, as the messages they carry; the ping in between is answered, not delivered.
TEST(Frame, ABeastClientReadsGatheredFramesAsTheirMessages) {
  namespace asio = boost::asio;
  namespace websocket = boost::beast::websocket;
  using tcp = asio::ip::tcp;
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = acceptor.local_endpoint().port();
  const std::vector<std::string> payloads{"{\"a\":1}", std::string(126, 'b'), std::string(65536, 'c')};
  std::thread server([&] {
    websocket::stream<tcp::socket> ws(acceptor.accept());
    ws.accept();
    std::vector<std::string> frames{text_frame(payloads[0]), ping_frame(), text_frame(payloads[1]),
                                    text_frame(payloads[2])};
    std::vector<asio::const_buffer> gather;
    for (const auto& f : frames) gather.emplace_back(f.data(), f.size());
    asio::write(ws.next_layer(), gather);
    boost::beast::flat_buffer ignored;
    boost::system::error_code ec;
    ws.read(ignored, ec);  // until the client closes
  });
  asio::io_context client_ctx;
  websocket::stream<tcp::socket> client(client_ctx);
  client.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  client.handshake("127.0.0.1", "/");
  for (const auto& expected : payloads) {
    boost::beast::flat_buffer in;
    client.read(in);
    EXPECT_TRUE(client.got_text());
    EXPECT_EQ(boost::beast::buffers_to_string(in.data()), expected);
  }
  client.close(websocket::close_code::normal);
  server.join();
}
