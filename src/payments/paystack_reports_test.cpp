#include <gtest/gtest.h>

#include "payments/paystack.hpp"
#include "util/time.hpp"

using b2w::payments::ListKind;
using b2w::payments::parse_list_page;
using b2w::payments::ProviderError;

// The shape of Paystack's "List Transactions" answer (API reference), trimmed to what matters plus some noise.
TEST(PaystackListPage, TransactionsReadReferenceStatusAmountCurrencyAndPaidAt) {
  const auto page = parse_list_page(ListKind::transactions, 200, R"({
    "status": true, "message": "Transactions retrieved",
    "data": [
      {"id": 718324788, "domain": "test", "status": "success", "reference": "dep-1", "amount": 3000000,
       "gateway_response": "Approved", "paid_at": "2026-11-24T23:30:00.000Z", "created_at": "2026-11-24T23:29:00.000Z",
       "channel": "card", "currency": "NGN", "customer": {"email": "a@example.ng"}, "paidAt": "2026-11-24T23:30:00.000Z"},
      {"id": 2, "status": "success", "reference": "dep-2", "amount": 500, "currency": "NGN",
       "paid_at": null, "paidAt": "2026-11-25T10:00:00.000Z"},
      {"id": 3, "status": "abandoned", "reference": "dep-3", "amount": "12", "currency": "NGN", "paid_at": null}
    ],
    "meta": {"total": 7, "total_volume": 3000500, "skipped": 0, "perPage": 3, "page": 1, "pageCount": 3}})");
  EXPECT_EQ(page.page, 1);
  EXPECT_EQ(page.page_count, 3);
  ASSERT_EQ(page.records.size(), 3u);
  EXPECT_EQ(page.records[0].reference, "dep-1");
  EXPECT_EQ(page.records[0].status, "success");
  EXPECT_EQ(page.records[0].amount, 3000000);
  EXPECT_EQ(page.records[0].currency, "NGN");
  EXPECT_EQ(page.records[0].settled_at, b2w::parse_rfc3339("2026-11-24T23:30:00Z"));
  EXPECT_EQ(page.records[1].settled_at, b2w::parse_rfc3339("2026-11-25T10:00:00Z"));  // camelCase when null
  EXPECT_FALSE(page.records[2].amount.has_value());  // not an integer: unreadable, never guessed
  EXPECT_FALSE(page.records[2].settled_at.has_value());
}

TEST(PaystackListPage, TransfersReadUpdatedAtAndDerivePageCountFromTotal) {
  const auto page = parse_list_page(ListKind::transfers, 200, R"({
    "status": true, "message": "Transfers retrieved",
    "data": [
      {"amount": 5000, "createdAt": "2026-11-25T08:00:00.000Z", "currency": "NGN", "reference": "wd-1",
       "status": "reversed", "transfer_code": "TRF_1", "updatedAt": "2026-11-25T09:00:00.000Z"},
      {"amount": 6000, "created_at": "2026-11-25T08:00:00.000Z", "currency": "NGN", "reference": "wd-2",
       "status": "success", "updated_at": "2026-11-25T09:30:00.000Z"}
    ],
    "meta": {"total": 250, "skipped": 100, "perPage": 100, "page": 2}})");
  EXPECT_EQ(page.page, 2);
  EXPECT_EQ(page.page_count, 3);
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[0].status, "reversed");
  EXPECT_EQ(page.records[0].settled_at, b2w::parse_rfc3339("2026-11-25T09:00:00Z"));
  EXPECT_EQ(page.records[1].settled_at, b2w::parse_rfc3339("2026-11-25T09:30:00Z"));
}

TEST(PaystackListPage, AnEmptyListingIsAPageOfNothing) {
  const auto page = parse_list_page(
      ListKind::transactions, 200,
      R"({"status":true,"message":"No transactions","data":[],"meta":{"total":0,"skipped":0,"perPage":100,"page":1,"pageCount":0}})");
  EXPECT_TRUE(page.records.empty());
  EXPECT_EQ(page.page_count, 0);
}

TEST(PaystackListPage, AnythingElseIsAProviderErrorNeverAnEmptyList) {
  const char* refusals[][2] = {
      {"503", R"({"status":false,"message":"Service unavailable"})"},
      {"401", R"({"status":false,"message":"Invalid key"})"},
      {"200", R"({"status":false,"message":"nope"})"},
      {"200", "not json"},
      {"200", R"({"status":true,"data":[]})"},                                   // no meta
      {"200", R"({"status":true,"data":{},"meta":{"page":1,"pageCount":1}})"},   // data not an array
      {"200", R"({"status":true,"data":[],"meta":{"total":5}})"},                // no page numbers
      {"200", R"({"status":true,"data":[1],"meta":{"page":1,"pageCount":1}})"},  // an item not an object
      {"200", R"({"status":true,"data":[],"meta":{"page":0,"pageCount":1}})"},   // page numbers start at 1
  };
  for (const auto& [status, body] : refusals)
    EXPECT_THROW(parse_list_page(ListKind::transfers, std::stoi(status), body), ProviderError) << body;
  try {
    parse_list_page(ListKind::transactions, 400, R"({"status":false,"message":"account 0123456789 blocked"})");
    FAIL();
  } catch (const ProviderError& e) {
    EXPECT_EQ(std::string(e.what()).find("0123456789"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("HTTP 400"), std::string::npos);
  }
}
