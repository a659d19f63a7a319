// Paystack's verify answers (shapes from its documentation) parsed, and turned into the notices a webhook brings.
#include "payments/verification_notice.hpp"

#include <gtest/gtest.h>

using namespace b2w::payments;
using b2w::domain::PaymentEvent;
using b2w::domain::PaymentKind;

namespace {

// Paystack's documented answer to GET /transaction/verify/:reference, trimmed of fields we do not read.
const char* kTransactionSuccess = R"({"status":true,"message":"Verification successful","data":{"id":690075529,
  "domain":"test","status":"success","reference":"dep-abc","amount":20000,"message":null,"gateway_response":
  "Successful","paid_at":"2020-05-19T12:30:56.000Z","channel":"card","currency":"NGN","fees":300}})";
// Paystack's documented answer to GET /transfer/verify/:reference.
const char* kTransferSuccess = R"({"status":true,"message":"Transfer retrieved","data":{"amount":100000,
  "createdAt":"2025-08-04T09:59:19.000Z","currency":"NGN","domain":"test","failures":null,"id":860670817,
  "reason":"Bonus","reference":"wd-abc","source":"balance","status":"success","transfer_code":"TRF_8opc"}})";

}  // namespace

TEST(PaystackVerification, ParsesTheDocumentedAnswers) {
  const auto t = parse_verification("/transaction/verify/dep-abc", 200, kTransactionSuccess);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->status, "success");
  EXPECT_EQ(t->reference, "dep-abc");
  EXPECT_EQ(t->amount, 20000);
  EXPECT_EQ(t->currency, "NGN");
  const auto w = parse_verification("/transfer/verify/wd-abc", 200, kTransferSuccess);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->status, "success");
  EXPECT_EQ(w->amount, 100000);
  const auto odd = parse_verification("/p", 200, R"({"status":true,"data":{"status":"failed","amount":"12"}})");
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->amount, std::nullopt);  // not an integer: never matches a payment's amount
  EXPECT_EQ(odd->reference, "");
}

TEST(PaystackVerification, UnknownReferencesAreNulloptAndOtherFailuresThrow) {
  EXPECT_EQ(parse_verification("/p", 400, R"({"status":false,"message":"Transaction reference not found"})"),
            std::nullopt);
  EXPECT_EQ(parse_verification("/p", 404, R"({"status":false,"message":"Transfer not found"})"), std::nullopt);
  for (const auto& [status, body] :
       std::vector<std::pair<int, std::string>>{{503, R"({"status":false,"message":"Service unavailable"})"},
                                                {401, R"({"status":false,"message":"Invalid key"})"},
                                                {400, "<html>bad gateway</html>"},
                                                {200, R"({"status":false,"message":"x"})"},
                                                {200, R"({"status":true,"data":{}})"},
                                                {200, R"({"status":true,"data":{"status":3}})"},
                                                {200, "not json"}})
    EXPECT_THROW(parse_verification("/p", status, body), ProviderError) << status << " " << body;
}

TEST(VerificationNotice, FinalStatusesBecomeTheWebhooksEventsAndOthersNothing) {
  auto v = [](std::string status, std::string ref) {
    return Verification{std::move(status), std::move(ref), 500, "NGN"};
  };
  const auto credit = notice_from_verification(PaymentKind::deposit, "dep-1", v("success", "dep-1"));
  ASSERT_TRUE(credit);
  EXPECT_EQ(credit->event, PaymentEvent::charge_succeeded);
  EXPECT_EQ(credit->kind, PaymentKind::deposit);
  EXPECT_EQ(credit->reference, "dep-1");
  EXPECT_EQ(credit->amount, 500);
  EXPECT_EQ(credit->currency, "NGN");
  for (const char* s : {"failed", "abandoned", "reversed"})
    EXPECT_EQ(notice_from_verification(PaymentKind::deposit, "dep-1", v(s, "dep-1"))->event,
              PaymentEvent::charge_failed)
        << s;
  for (const char* s : {"pending", "ongoing", "processing", "queued", "", "SUCCESS"})
    EXPECT_EQ(notice_from_verification(PaymentKind::deposit, "dep-1", v(s, "dep-1")), std::nullopt) << s;
  EXPECT_EQ(notice_from_verification(PaymentKind::withdrawal, "wd-1", v("success", "wd-1"))->event,
            PaymentEvent::transfer_succeeded);
  EXPECT_EQ(notice_from_verification(PaymentKind::withdrawal, "wd-1", v("failed", "wd-1"))->event,
            PaymentEvent::transfer_failed);
  EXPECT_EQ(notice_from_verification(PaymentKind::withdrawal, "wd-1", v("reversed", "wd-1"))->event,
            PaymentEvent::transfer_reversed);
  for (const char* s : {"pending", "otp", "abandoned", "received"})
    EXPECT_EQ(notice_from_verification(PaymentKind::withdrawal, "wd-1", v(s, "wd-1")), std::nullopt) << s;
  // An answer about another reference is not about this payment.
  EXPECT_EQ(notice_from_verification(PaymentKind::deposit, "dep-1", v("success", "dep-2")), std::nullopt);
  const auto expiry = expiry_notice("dep-1", 700, "NGN");
  EXPECT_EQ(expiry.event, PaymentEvent::expired);
  EXPECT_EQ(expiry.amount, 700);
}
