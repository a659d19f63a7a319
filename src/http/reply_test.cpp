#include "http/reply.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace b2w::http;

namespace {

Reply json_reply(Status status, std::string body, unsigned version = 11) {
  Reply reply{Response{status, version}, "rid-1"};
  reply.response.set(Field::content_type, "application/json");
  reply.response.body() = std::move(body);
  return reply;
}

std::string head_of(const Reply& reply, bool keep_alive) {
  std::string out = "stale bytes";
  write_head(reply, keep_alive, out);
  return out;
}

}  // namespace

TEST(WriteHead, KeepAliveAnswer) {
  EXPECT_EQ(head_of(json_reply(Status::ok, "{\"a\":1}"), true),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 7\r\n"
            "X-Request-Id: rid-1\r\n"
            "X-Content-Type-Options: nosniff\r\n\r\n");
}

TEST(WriteHead, ClosingAnswerSaysSo) {
  const auto head = head_of(json_reply(Status::bad_request, "{}"), false);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 400 Bad Request\r\n")) << head;
  EXPECT_NE(head.find("\r\nConnection: close\r\n"), std::string::npos) << head;
}

TEST(WriteHead, Http10KeepAliveIsExplicit) {
  const auto kept = head_of(json_reply(Status::ok, "{}", 10), true);
  EXPECT_TRUE(kept.starts_with("HTTP/1.0 200 OK\r\n")) << kept;
  EXPECT_NE(kept.find("\r\nConnection: keep-alive\r\n"), std::string::npos) << kept;
  EXPECT_NE(head_of(json_reply(Status::ok, "{}", 10), false).find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_EQ(head_of(json_reply(Status::ok, "{}"), true).find("Connection"), std::string::npos);
}

TEST(WriteHead, HeadAnswerHasTheLengthButNoBody) {
  auto reply = json_reply(Status::ok, std::string(1234, 'x'));
  reply.omit_body = true;
  EXPECT_NE(head_of(reply, true).find("\r\nContent-Length: 1234\r\n"), std::string::npos);
  EXPECT_TRUE(reply.body_on_wire().empty());
}

TEST(WriteHead, NoContentHasNoLengthAndNoBody) {
  for (auto status : {Status::no_content, Status::not_modified, Status::continue_}) {
    auto reply = json_reply(status, "must not be sent");
    EXPECT_EQ(head_of(reply, true).find("Content-Length"), std::string::npos) << static_cast<int>(status);
    EXPECT_TRUE(reply.body_on_wire().empty());
  }
}

TEST(WriteHead, ResetContentHasAZeroLengthAndNoBody) {
  auto reply = json_reply(Status::reset_content, "must not be sent");
  EXPECT_NE(head_of(reply, true).find("\r\nContent-Length: 0\r\n"), std::string::npos);
  EXPECT_TRUE(reply.body_on_wire().empty());
}

TEST(WriteHead, FramingFieldsOfTheResponseAreNotWritten) {
  // The wire's framing is computed: a handler's own Content-Length or Transfer-Encoding cannot contradict it.
  auto reply = json_reply(Status::ok, "12345");
  reply.response.set(Field::content_length, "999");
  reply.response.set(Field::transfer_encoding, "chunked");
  reply.response.set(Field::connection, "upgrade");
  reply.response.set(Field::retry_after, "3");
  const auto head = head_of(reply, true);
  EXPECT_EQ(head.find("999"), std::string::npos) << head;
  EXPECT_EQ(head.find("chunked"), std::string::npos) << head;
  EXPECT_EQ(head.find("upgrade"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nContent-Length: 5\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nRetry-After: 3\r\n"), std::string::npos) << head;
}

TEST(WriteHead, UnknownStatusStillHasAStatusLine) {
  Reply reply{Response{}, "r"};
  reply.response.result(599);
  EXPECT_TRUE(head_of(reply, true).starts_with("HTTP/1.1 599 ")) << head_of(reply, true);
}
