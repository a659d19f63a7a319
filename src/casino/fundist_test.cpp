#include "casino/fundist.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "casino/fundist_signature.hpp"

using namespace b2w::casino;
using namespace b2w::casino::fundist;

namespace {

constexpr const char* kSecret = "adapter-secret";

std::string signed_body(boost::json::object o) {
  o["hmac"] = sign(o, kSecret);
  return boost::json::serialize(o);
}

boost::json::object debit() {
  return {{"type", "debit"},    {"userid", "01JD5X8Q2M6T0W9YV3K7B4N1CE"},
          {"currency", "NGN"},  {"amount", "150.50"},
          {"tid", "T1"},        {"i_gameid", "R1"},
          {"i_actionid", "A1"}, {"i_gamedesc", "998:slots"}};
}

}  // namespace

TEST(Fundist, ReadsADebit) {
  auto read = read_callback(signed_body(debit()), kSecret);
  ASSERT_TRUE(std::holds_alternative<WalletCall>(read));
  const auto& call = std::get<WalletCall>(read);
  EXPECT_EQ(call.type, CallType::debit);
  EXPECT_EQ(call.user_id, "usr_01JD5X8Q2M6T0W9YV3K7B4N1CE");
  EXPECT_EQ(call.amount, 15050);
  EXPECT_EQ(call.tid, "T1");
  EXPECT_EQ(call.round_id, "R1");
  EXPECT_EQ(call.subtype, "debit") << "the type when no subtype is sent";
  EXPECT_TRUE(call.rollback_of.empty());
}

TEST(Fundist, RejectsWhatItCannotTrustOrRead) {
  const auto rejected = [](const std::string& body) {
    auto read = read_callback(body, kSecret);
    return std::holds_alternative<Rejected>(read) ? std::get<Rejected>(read).error : "(accepted)";
  };
  EXPECT_EQ(rejected("[1]"), "Invalid request");
  auto unsigned_debit = debit();
  EXPECT_EQ(rejected(boost::json::serialize(unsigned_debit)), "Invalid HMAC");
  auto o = debit();
  o["tid"] = std::string(33, 'x');
  EXPECT_EQ(rejected(signed_body(o)), "Invalid request: tid");
  o = debit();
  o["i_rollback"] = "T1";
  EXPECT_EQ(rejected(signed_body(o)), "Invalid request: i_rollback") << "a request cannot reverse itself";
  o = debit();
  o["userid"] = "has space";
  EXPECT_EQ(rejected(signed_body(o)), "Invalid request: userid");
  o = debit();
  o["i_gameid"] = boost::json::array{};
  EXPECT_EQ(rejected(signed_body(o)), "Invalid request: i_gameid");
  o = debit();
  o["type"] = "rollback";
  EXPECT_EQ(rejected(signed_body(o)), "Unknown request type");
}

TEST(Fundist, RepliesSignedWithTheFieldsOfEachType) {
  WalletCall call;
  call.type = CallType::debit;
  call.tid = "T1";
  auto ok = boost::json::parse(render_reply(call, WalletReply{.balance = 84950}, kSecret)).as_object();
  EXPECT_EQ(ok["status"], "OK");
  EXPECT_EQ(ok["balance"], "849.50");
  EXPECT_EQ(ok["tid"], "T1");
  EXPECT_TRUE(signature_valid(ok, kSecret));
  auto refused =
      boost::json::parse(
          render_reply(call, WalletReply{.refusal = WalletRefusal::insufficient_funds, .balance = 100}, kSecret))
          .as_object();
  EXPECT_FALSE(refused.contains("status"));
  EXPECT_EQ(refused["error"], "INSUFFICIENT_FUNDS");
  EXPECT_EQ(refused["balance"], "1.00");
  EXPECT_FALSE(refused.contains("tid"));
  EXPECT_TRUE(signature_valid(refused, kSecret));
  call.type = CallType::ping;
  auto ping = boost::json::parse(render_reply(call, WalletReply{}, kSecret)).as_object();
  EXPECT_EQ(ping.size(), 2u);  // status, hmac
  EXPECT_EQ(login_of("usr_01JD5X8Q2M6T0W9YV3K7B4N1CE"), "01JD5X8Q2M6T0W9YV3K7B4N1CE");
  EXPECT_EQ(user_of("01JD5X8Q2M6T0W9YV3K7B4N1CE"), "usr_01JD5X8Q2M6T0W9YV3K7B4N1CE");
}
