#include "casino/fundist_signature.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

using namespace b2w::casino::fundist;

namespace {

// Golden vectors computed independently of this code, in Python (hashlib/hmac), from the rule as public
// implementations state it: key = sha256(secret) raw; values of the sorted fields but hmac, concatenated;
// arrays element after element, objects by sorted names; True -> "1", False/None -> "".
//   key = hashlib.sha256(b"test-hmac-secret").digest()
//   hmac.new(key, msg.encode(), hashlib.sha256).hexdigest()
constexpr const char* kSecret = "test-hmac-secret";

boost::json::object parse(const char* text) {
  return boost::json::parse(text).as_object();
}

}  // namespace

TEST(FundistSignature, DebitAsFundistSendsIt) {
  const auto debit =
      parse(R"({"type":"debit","tid":"T1001","userid":"01JD5X8Q2M6T0W9YV3K7B4N1CE","currency":"NGN","amount":"150.50",)"
            R"("i_gameid":"R77","i_actionid":"A1","i_extparam":"","i_gamedesc":"998:slots","subtype":"debit",)"
            R"("round_start":true,"round_ended":false,"hmac":"ignored"})");
  EXPECT_EQ(signing_message(debit), "150.50NGNA1998:slotsR771debitT1001debit01JD5X8Q2M6T0W9YV3K7B4N1CE");
  EXPECT_EQ(sign(debit, kSecret), "f3cb16c9a047b481195fdc87101de252ea57f0740766b0da6b43bdf9e6de0bc2");
}

TEST(FundistSignature, RoundInfoActionsAreFlattenedByTheirSortedNames) {
  const auto round =
      parse(R"({"type":"roundinfo","gameid":"R77","userid":"01JD5X8Q2M6T0W9YV3K7B4N1CE","i_gamedesc":"998:slots",)"
            R"("actions":[{"actid":"A1","type":"bet","amount":"150.50","timestamp":"1764680000"},)"
            R"({"type":"win","actid":"A2","amount":"300.00","timestamp":"1764680001"}]})");
  EXPECT_EQ(signing_message(round),
            "A1150.501764680000betA2300.001764680001winR77998:slotsroundinfo01JD5X8Q2M6T0W9YV3K7B4N1CE");
  EXPECT_EQ(sign(round, kSecret), "f9a78210418c2746fc3e9e35e8ce9d6601aeae82bdec8189ee70809932bad3a1");
}

TEST(FundistSignature, RepliesAreSignedTheSameWay) {
  const auto reply = parse(R"({"status":"OK","balance":"849.50","tid":"T1001"})");
  EXPECT_EQ(sign(reply, kSecret), "f5c0da551861a17ce44ec5c11be482a0fcbd3f74518de4b64f232bd09ce818a4");
}

TEST(FundistSignature, ValidOnlyWithTheRightSecretAndAnUntouchedBody) {
  auto debit = parse(R"({"type":"debit","tid":"T1","amount":"1.00"})");
  debit["hmac"] = sign(debit, kSecret);
  EXPECT_TRUE(signature_valid(debit, kSecret));
  EXPECT_FALSE(signature_valid(debit, "another-secret"));
  EXPECT_FALSE(signature_valid(debit, ""));
  auto changed = debit;
  changed["amount"] = "1.01";
  EXPECT_FALSE(signature_valid(changed, kSecret));
  auto added = debit;
  added["extra"] = "x";
  EXPECT_FALSE(signature_valid(added, kSecret)) << "every field is signed, known or not";
  auto upper = debit;
  std::string h(upper["hmac"].as_string());
  for (auto& c : h) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  upper["hmac"] = h;
  EXPECT_FALSE(signature_valid(upper, kSecret));
  debit.erase("hmac");
  EXPECT_FALSE(signature_valid(debit, kSecret));
}
