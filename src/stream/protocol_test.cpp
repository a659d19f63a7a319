#include "stream/protocol.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

using namespace b2w::stream;

namespace {

ClientMessage ok(std::string_view text, std::size_t max = 100) {
  auto parsed = parse_client_message(text, max);
  EXPECT_TRUE(std::holds_alternative<ClientMessage>(parsed)) << text;
  return std::holds_alternative<ClientMessage>(parsed) ? std::get<ClientMessage>(parsed) : ClientMessage{};
}

std::string error_code_of(std::string_view text, std::size_t max = 100) {
  auto parsed = parse_client_message(text, max);
  if (const auto* e = std::get_if<ProtocolError>(&parsed)) return e->code;
  return "accepted";
}

}  // namespace

TEST(StreamProtocol, SubscribeUnsubscribeAuth) {
  const auto sub = ok(R"({"op":"subscribe","events":["evt_1","evt_2"]})");
  EXPECT_EQ(sub.op, Op::subscribe);
  EXPECT_EQ(sub.events, (std::vector<std::string>{"evt_1", "evt_2"}));
  const auto unsub = ok(R"({"op":"unsubscribe","events":["evt_1"]})");
  EXPECT_EQ(unsub.op, Op::unsubscribe);
  EXPECT_EQ(unsub.events.size(), 1u);
  const auto auth = ok(R"({"op":"auth","token":"abc.def.ghi"})");
  EXPECT_EQ(auth.op, Op::auth);
  EXPECT_EQ(auth.token, "abc.def.ghi");
}

TEST(StreamProtocol, RefusesMalformedMessagesWithACode) {
  EXPECT_EQ(error_code_of("not json"), "invalid_message");
  EXPECT_EQ(error_code_of("[1,2]"), "invalid_message");
  EXPECT_EQ(error_code_of(R"({"events":["a"]})"), "invalid_message");
  EXPECT_EQ(error_code_of(R"({"op":7})"), "invalid_message");
  EXPECT_EQ(error_code_of(R"({"op":"dance"})"), "unknown_op");
  EXPECT_EQ(error_code_of(R"({"op":"subscribe"})"), "invalid_message");
  EXPECT_EQ(error_code_of(R"({"op":"subscribe","events":[]})"), "invalid_message");
  EXPECT_EQ(error_code_of(R"({"op":"subscribe","events":[1]})"), "invalid_message");
  EXPECT_EQ(error_code_of(R"({"op":"subscribe","events":[""]})"), "invalid_message");
  EXPECT_EQ(error_code_of(R"({"op":"subscribe","events":["a\nb"]})"), "invalid_message")
      << "a newline breaks the envelope";
  EXPECT_EQ(error_code_of(R"({"op":"subscribe","events":["a b"]})"), "invalid_message");
  EXPECT_EQ(error_code_of(R"({"op":"subscribe","events":[")" + std::string(65, 'x') + R"("]})"), "invalid_message");
  EXPECT_EQ(error_code_of(R"({"op":"subscribe","events":[")" + std::string(64, 'x') + R"("]})"), "accepted");
  EXPECT_EQ(error_code_of(R"({"op":"auth"})"), "invalid_message");
  EXPECT_EQ(error_code_of(R"({"op":"auth","token":""})"), "invalid_message");
}

TEST(StreamProtocol, AMessageNamingMoreEventsThanAllowedIsRefusedWhole) {
  EXPECT_EQ(error_code_of(R"({"op":"subscribe","events":["a","b","c"]})", 2), "too_many_subscriptions");
  EXPECT_EQ(error_code_of(R"({"op":"subscribe","events":["a","b"]})", 2), "accepted");
}

TEST(StreamProtocol, ServerFramesAreJson) {
  const auto error = boost::json::parse(error_frame("unknown_op", "say \"what\"")).as_object();
  EXPECT_EQ(error.at("type").as_string(), "error");
  EXPECT_EQ(error.at("code").as_string(), "unknown_op");
  EXPECT_EQ(error.at("message").as_string(), "say \"what\"");
  EXPECT_EQ(boost::json::parse(resync_frame()).as_object().at("type").as_string(), "resync");
  const auto subscribed = boost::json::parse(subscriptions_frame(Op::subscribe, {"e1"}, 3)).as_object();
  EXPECT_EQ(subscribed.at("type").as_string(), "subscribed");
  EXPECT_EQ(subscribed.at("subscriptions").as_int64(), 3);
  EXPECT_EQ(boost::json::parse(subscriptions_frame(Op::unsubscribe, {"e1"}, 0)).as_object().at("type").as_string(),
            "unsubscribed");
  EXPECT_EQ(boost::json::parse(authenticated_frame("usr_1")).as_object().at("user_id").as_string(), "usr_1");
}

TEST(StreamProtocol, EnvelopeRoundTrip) {
  const auto message = envelope("evt_9", R"({"type":"odds","seq":4})");
  std::string_view target, frame;
  ASSERT_TRUE(open_envelope(message, target, frame));
  EXPECT_EQ(target, "evt_9");
  EXPECT_EQ(frame, R"({"type":"odds","seq":4})");
  EXPECT_FALSE(open_envelope("no newline", target, frame));
  EXPECT_FALSE(open_envelope("\n{}", target, frame)) << "no target";
  EXPECT_FALSE(open_envelope("evt\n", target, frame)) << "no frame";
}
