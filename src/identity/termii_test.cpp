#include "identity/termii.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

using namespace b2w::identity;

TEST(Termii, SendTokenBodyCarriesTheDocumentedFields) {
  TermiiOptions o;
  o.api_key = "TLkey";
  o.sender_id = "B2W";
  o.channel = "dnd";
  o.pin_minutes = 10;
  o.pin_attempts = 5;
  o.pin_length = 6;
  auto body = boost::json::parse(send_token_body(o, "2348031234567")).as_object();
  EXPECT_EQ(body.at("api_key"), "TLkey");
  EXPECT_EQ(body.at("to"), "2348031234567");
  EXPECT_EQ(body.at("from"), "B2W");
  EXPECT_EQ(body.at("channel"), "dnd");
  EXPECT_EQ(body.at("message_type"), "NUMERIC");
  EXPECT_EQ(body.at("pin_type"), "NUMERIC");
  EXPECT_EQ(body.at("pin_attempts").as_int64(), 5);
  EXPECT_EQ(body.at("pin_time_to_live").as_int64(), 10);
  EXPECT_EQ(body.at("pin_length").as_int64(), 6);
  const std::string placeholder(body.at("pin_placeholder").as_string());
  EXPECT_NE(std::string(body.at("message_text").as_string()).find(placeholder), std::string::npos)
      << "Termii puts the pin where the placeholder is";
  auto verify = boost::json::parse(verify_token_body(o, "pin-1", "123456")).as_object();
  EXPECT_EQ(verify, (boost::json::object{{"api_key", "TLkey"}, {"pin_id", "pin-1"}, {"pin", "123456"}}));
}

TEST(Termii, SendReplyGivesThePinIdOrThrows) {
  EXPECT_EQ(read_send_reply(200, R"({"pinId":"29ae67c2","to":"2348031234567","smsStatus":"Message Sent"})"),
            "29ae67c2");
  EXPECT_THROW(read_send_reply(400, R"({"message":"ApplicationSenderId not found"})"), std::runtime_error);
  EXPECT_THROW(read_send_reply(200, R"({"smsStatus":"Message Sent"})"), std::runtime_error);
  EXPECT_THROW(read_send_reply(200, R"({"pinId":""})"), std::runtime_error);
  EXPECT_THROW(read_send_reply(200, "<html>"), std::runtime_error);
}

TEST(Termii, VerifyReplyIsVerifiedOnlyWhenTermiiSaysSo) {
  EXPECT_EQ(read_verify_reply(200, R"({"pinId":"p","verified":"True","msisdn":"2348031234567"})"), PinCheck::verified);
  EXPECT_EQ(read_verify_reply(200, R"({"verified":true})"), PinCheck::verified);
  EXPECT_EQ(read_verify_reply(200, R"({"verified":"False"})"), PinCheck::rejected);
  EXPECT_EQ(read_verify_reply(200, R"({"verified":"Expired"})"), PinCheck::rejected);
  EXPECT_EQ(read_verify_reply(200, R"({"verified":false})"), PinCheck::rejected);
  EXPECT_EQ(read_verify_reply(400, R"({"verified":"Expired"})"), PinCheck::rejected);
  EXPECT_EQ(read_verify_reply(404, "not json"), PinCheck::rejected);
  EXPECT_THROW(read_verify_reply(500, R"({"verified":"True"})"), std::runtime_error) << "Termii's trouble";
  EXPECT_THROW(read_verify_reply(200, R"({"status":"ok"})"), std::runtime_error);
  EXPECT_THROW(read_verify_reply(200, "True"), std::runtime_error);
}
