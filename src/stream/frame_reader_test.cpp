#include "stream/frame_reader.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace b2w::stream;
using Kind = Incoming::Kind;

namespace {

// A client frame as a browser would send it: masked with `mask`, length in its shortest form unless
// `length_bytes` forces a longer one (2 or 8).
std::string client_frame(std::uint8_t opcode, std::string_view payload, bool fin = true,
                         std::uint32_t mask = 0x37FA213D, int length_bytes = -1, std::uint8_t extra_bits = 0) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | extra_bits | opcode));
  const std::uint64_t n = payload.size();
  const int lb = length_bytes >= 0 ? length_bytes : n <= 125 ? 0 : n <= 0xFFFF ? 2 : 8;
  if (lb == 0) {
    out.push_back(static_cast<char>(0x80 | n));
  } else {
    out.push_back(static_cast<char>(0x80 | (lb == 2 ? 126 : 127)));
    for (int shift = (lb - 1) * 8; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xFF));
  }
  const char key[4] = {static_cast<char>(mask >> 24), static_cast<char>(mask >> 16), static_cast<char>(mask >> 8),
                       static_cast<char>(mask)};
  out.append(key, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) out.push_back(static_cast<char>(payload[i] ^ key[i % 4]));
  return out;
}

std::vector<Incoming> read_all(FrameReader& r, std::string_view bytes, std::size_t chunk = 0) {
  std::vector<Incoming> out;
  if (chunk == 0) chunk = bytes.size() ? bytes.size() : 1;
  for (std::size_t at = 0; at < bytes.size(); at += chunk) {
    r.append(bytes.substr(at, chunk));
    while (auto in = r.next()) out.push_back(std::move(*in));
  }
  return out;
}

std::string close_payload(std::uint16_t code, std::string_view reason = {}) {
  std::string p{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
  p.append(reason);
  return p;
}

}  // namespace

TEST(FrameReader, ReadsMaskedTextAndBinaryMessagesWhateverTheSplit) {
  const std::string big(70'000, 'q');  // a 64-bit length
  const std::string wire = client_frame(0x1, R"({"op":"subscribe"})") + client_frame(0x2, std::string("\0\1\2", 3)) +
                           client_frame(0x1, std::string(300, 'm')) + client_frame(0x1, big);
  for (std::size_t chunk : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{7}, std::size_t{4096}}) {
    FrameReader r(100'000);
    const auto got = read_all(r, wire, chunk);
    ASSERT_EQ(got.size(), 4u) << "chunk " << chunk;
    EXPECT_EQ(got[0].kind, Kind::text);
    EXPECT_EQ(got[0].payload, R"({"op":"subscribe"})");
    EXPECT_EQ(got[1].kind, Kind::binary);
    EXPECT_EQ(got[1].payload, std::string("\0\1\2", 3));
    EXPECT_EQ(got[2].payload, std::string(300, 'm'));
    EXPECT_EQ(got[3].payload, big);
    EXPECT_EQ(r.buffered(), 0u);
  }
}

TEST(FrameReader, JoinsFragmentsAndAnswersControlFramesBetweenThem) {
  const std::string wire = client_frame(0x1, "{\"op\":", false) + client_frame(0x9, "are you there") +
                           client_frame(0x0, "\"auth\",", false, 0x01020304) + client_frame(0xA, "") +
                           client_frame(0x0, "\"token\":\"t\"}", true, 0);
  FrameReader r(1024);
  const auto got = read_all(r, wire, 5);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].kind, Kind::ping);
  EXPECT_EQ(got[0].payload, "are you there");
  EXPECT_EQ(got[1].kind, Kind::pong);
  EXPECT_EQ(got[2].kind, Kind::text);
  EXPECT_EQ(got[2].payload, R"({"op":"auth","token":"t"})");
}

TEST(FrameReader, CloseFramesCarryTheirCodeAndReason) {
  FrameReader r(1024);
  auto got = read_all(r, client_frame(0x8, close_payload(1000, "bye")) + client_frame(0x8, ""));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].kind, Kind::close);
  EXPECT_EQ(got[0].code, 1000);
  EXPECT_EQ(got[0].payload, "bye");
  EXPECT_EQ(got[1].code, 1005) << "no status given";
  for (std::uint16_t ok : {1001, 1003, 1007, 1011, 3000, 4008, 4999}) {
    FrameReader ok_reader(64);
    got = read_all(ok_reader, client_frame(0x8, close_payload(ok)));
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].kind, Kind::close) << ok;
  }
  for (std::uint16_t bad : {0, 999, 1004, 1005, 1006, 1015, 2000, 2999, 5000}) {
    FrameReader bad_reader(64);
    got = read_all(bad_reader, client_frame(0x8, close_payload(bad)));
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].kind, Kind::protocol_error) << bad;
  }
  FrameReader one_byte(64);
  got = read_all(one_byte, client_frame(0x8, "x"));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, Kind::protocol_error);
}

TEST(FrameReader, ATooBigMessageIsRefusedOnceAndSkippedWithoutBeingHeld) {
  FrameReader r(100);
  // One frame over the bound, then a fragmented one going over on its second fragment, then a fine one.
  const std::string wire = client_frame(0x1, std::string(101, 'a')) + client_frame(0x1, std::string(60, 'b'), false) +
                           client_frame(0x0, std::string(60, 'c'), false) + client_frame(0x9, "p") +
                           client_frame(0x0, std::string(5000, 'd'), true) + client_frame(0x1, "fine");
  std::vector<Incoming> got;
  for (std::size_t at = 0; at < wire.size(); at += 64) {
    r.append(std::string_view(wire).substr(at, 64));
    EXPECT_LE(r.buffered(), 100u + 14u) << "only a frame within the bound is ever held";
    while (auto in = r.next()) got.push_back(std::move(*in));
  }
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].kind, Kind::too_big);
  EXPECT_EQ(got[0].code, 1009);
  EXPECT_EQ(got[1].kind, Kind::too_big);
  EXPECT_EQ(got[2].kind, Kind::ping) << "control frames between a refused message's fragments still count";
  EXPECT_EQ(got[3].kind, Kind::text);
  EXPECT_EQ(got[3].payload, "fine");
}

TEST(FrameReader, ProtocolErrorsStopTheReader) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"unmasked", std::string("\x81\x02hi", 4)},
      {"reserved bits", client_frame(0x1, "x", true, 0x11223344, -1, 0x40)},
      {"unknown data opcode", client_frame(0x3, "x")},
      {"unknown control opcode", client_frame(0xB, "")},
      {"fragmented ping", client_frame(0x9, "x", false)},
      {"long ping", client_frame(0x9, std::string(126, 'p'))},
      {"continuation first", client_frame(0x0, "x")},
      {"new message inside one", client_frame(0x1, "a", false) + client_frame(0x1, "b")},
      {"16-bit length for 5 bytes", client_frame(0x1, "hello", true, 1, 2)},
      {"64-bit length for 300 bytes", client_frame(0x1, std::string(300, 'x'), true, 1, 8)},
  };
  for (const auto& [name, wire] : cases) {
    FrameReader r(1 << 20);
    const auto got = read_all(r, wire + client_frame(0x1, "after"));
    ASSERT_FALSE(got.empty()) << name;
    EXPECT_EQ(got.back().kind, Kind::protocol_error) << name;
    EXPECT_EQ(got.back().code, 1002) << name;
    r.append(client_frame(0x1, "more"));
    EXPECT_FALSE(r.next()) << name << ": nothing is read after a protocol error";
  }
  // The 64-bit length's top bit must be clear.
  std::string huge = client_frame(0x1, "", true, 1, 8);
  huge[2] = static_cast<char>(0x80);
  FrameReader r(1 << 20);
  const auto got = read_all(r, huge);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, Kind::protocol_error);
}

TEST(FrameReader, WaitsForAWholeHeaderAndPayload) {
  FrameReader r(1024);
  const std::string wire = client_frame(0x1, std::string(200, 'z'));
  for (std::size_t i = 0; i + 1 < wire.size(); ++i) {
    r.append(wire.substr(i, 1));
    EXPECT_FALSE(r.next()) << "byte " << i;
  }
  r.append(wire.substr(wire.size() - 1));
  const auto in = r.next();
  ASSERT_TRUE(in);
  EXPECT_EQ(in->payload, std::string(200, 'z'));
}
