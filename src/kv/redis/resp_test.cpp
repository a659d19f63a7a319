#include "kv/redis/resp.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstring>

namespace b2w::kv::redis {
namespace {

TEST(Resp, EncodesCommandsAsBulkArrays) {
  std::string out;
  const std::array<std::string_view, 3> args{"SET", "k", std::string_view("a\r\n\0b", 5)};
  append_command(out, args);
  EXPECT_EQ(out, std::string("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\na\r\n\0b\r\n", 31));
  const std::array<std::string_view, 1> empty{""};
  out.clear();
  append_command(out, empty);
  EXPECT_EQ(out, "*1\r\n$0\r\n\r\n");
}

TEST(Resp, ParsesEveryReplyType) {
  const std::string data =
      "+OK\r\n-ERR bad thing\r\n:-42\r\n$5\r\nhe\r\no\r\n$-1\r\n*2\r\n:1\r\n*1\r\n$0\r\n\r\n*-1\r\n";
  std::size_t pos = 0;
  Reply r;
  ASSERT_TRUE(parse_reply(data, pos, r));
  EXPECT_EQ(r.type, Reply::Type::simple);
  EXPECT_EQ(r.str, "OK");
  ASSERT_TRUE(parse_reply(data, pos, r));
  EXPECT_TRUE(r.is_error());
  EXPECT_EQ(r.error_code(), "ERR");
  ASSERT_TRUE(parse_reply(data, pos, r));
  EXPECT_EQ(r.integer, -42);
  ASSERT_TRUE(parse_reply(data, pos, r));
  EXPECT_EQ(r.str, "he\r\no");
  ASSERT_TRUE(parse_reply(data, pos, r));
  EXPECT_TRUE(r.is_nil());
  ASSERT_TRUE(parse_reply(data, pos, r));
  ASSERT_EQ(r.type, Reply::Type::array);
  ASSERT_EQ(r.elements.size(), 2u);
  EXPECT_EQ(r.elements[1].elements.at(0).str, "");
  ASSERT_TRUE(parse_reply(data, pos, r));
  EXPECT_TRUE(r.is_nil());
  EXPECT_EQ(pos, data.size());
}

TEST(Resp, IncompleteInputLeavesThePositionAlone) {
  const std::string whole = "*2\r\n$3\r\nfoo\r\n:7\r\n";
  for (std::size_t cut = 0; cut < whole.size(); ++cut) {
    std::size_t pos = 0;
    Reply r;
    EXPECT_FALSE(parse_reply(std::string_view(whole).substr(0, cut), pos, r)) << cut;
    EXPECT_EQ(pos, 0u);
  }
}

TEST(Resp, ParserReassemblesRepliesSplitAcrossReads) {
  const std::string stream = "+PONG\r\n$11\r\nhello world\r\n:5\r\n";
  Parser parser;
  std::vector<Reply> replies;
  for (char c : stream) {  // one byte at a time
    std::memcpy(parser.prepare(1), &c, 1);
    parser.commit(1);
    Reply r;
    while (parser.next(r)) replies.push_back(std::move(r));
  }
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[0].str, "PONG");
  EXPECT_EQ(replies[1].str, "hello world");
  EXPECT_EQ(replies[2].integer, 5);
  EXPECT_EQ(parser.buffered(), 0u);
}

TEST(Resp, RejectsMalformedReplies) {
  for (std::string bad : {"?x\r\n", ":12a\r\n", "$-5\r\n", "$3\r\nabcd\r\n", "*-2\r\n", ":\r\n", "+a\rb\r\n"}) {
    std::size_t pos = 0;
    Reply r;
    EXPECT_THROW(parse_reply(bad, pos, r), ProtocolError) << bad;
  }
}

}  // namespace
}  // namespace b2w::kv::redis
