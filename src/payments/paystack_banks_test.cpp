#include <gtest/gtest.h>

#include "payments/bank_directory.hpp"
#include "payments/paystack.hpp"

using b2w::payments::BankCachePolicy;
using b2w::payments::BankList;
using b2w::payments::parse_account_resolution;
using b2w::payments::parse_bank_page;
using b2w::payments::ProviderError;

namespace {

// Paystack's documented answer of GET /bank (fields as its API reference shows them).
const char* kPage = R"({"status":true,"message":"Banks retrieved","data":[
  {"name":"Access Bank","slug":"access-bank","code":"044","longcode":"044150149","gateway":"emandate",
   "pay_with_bank":false,"active":true,"country":"Nigeria","currency":"NGN","type":"nuban","is_deleted":false,"id":1},
  {"name":"Guaranty Trust Bank","slug":"guaranty-trust-bank","code":"058","longcode":"058152036","gateway":"ibank",
   "pay_with_bank":false,"active":true,"country":"Nigeria","currency":"NGN","type":"nuban","is_deleted":false,"id":9},
  {"name":"Closed Bank","code":"999","active":false,"currency":"NGN","type":"nuban","id":3},
  {"name":"Deleted Bank","code":"998","active":true,"is_deleted":true,"currency":"NGN","type":"nuban","id":4},
  {"name":"Cedi Bank","code":"280100","active":true,"currency":"GHS","type":"ghipss","id":5},
  {"name":"Mobile Money","code":"MTN","active":true,"currency":"NGN","type":"mobile_money","id":6},
  {"name":"Odd Code","code":"AB12","active":true,"currency":"NGN","type":"nuban","id":7},
  {"name":"","code":"055","active":true,"currency":"NGN","type":"nuban","id":8},
  "not an object"
 ],"meta":{"next":"YmFuazoxNjk=","previous":null,"perPage":2}})";

}  // namespace

TEST(PaystackBankPage, KeepsActiveNgnNubanBanksAndTheNextCursor) {
  const auto page = parse_bank_page(200, kPage);
  ASSERT_EQ(page.banks.size(), 2u);
  EXPECT_EQ(page.banks[0].code, "044");
  EXPECT_EQ(page.banks[0].name, "Access Bank");
  EXPECT_EQ(page.banks[1].code, "058");
  EXPECT_EQ(page.next, "YmFuazoxNjk=");
}

TEST(PaystackBankPage, LastPageHasNoCursor) {
  for (const char* meta : {R"("meta":{"next":null,"previous":"x","perPage":50})", R"("meta":{"next":""})",
                           R"("meta":{})", R"("nometa":1)"}) {
    const auto body = std::string(R"({"status":true,"message":"Banks retrieved","data":[)") +
                      R"({"name":"Zenith Bank","code":"057","active":true,"currency":"NGN","type":"nuban"}],)" + meta +
                      "}";
    const auto page = parse_bank_page(200, body);
    EXPECT_FALSE(page.next) << meta;
    ASSERT_EQ(page.banks.size(), 1u);
    EXPECT_EQ(page.banks[0].name, "Zenith Bank");
  }
  // Without type or currency (older answers): taken when active.
  const auto page =
      parse_bank_page(200, R"({"status":true,"data":[{"name":"First Bank","code":"011","active":true}]})");
  ASSERT_EQ(page.banks.size(), 1u);
  EXPECT_EQ(page.banks[0].code, "011");
}

TEST(PaystackBankPage, AnythingElseIsAProviderError) {
  EXPECT_THROW(parse_bank_page(503, R"({"status":false,"message":"Service unavailable"})"), ProviderError);
  EXPECT_THROW(parse_bank_page(401, R"({"status":false,"message":"Invalid key"})"), ProviderError);
  EXPECT_THROW(parse_bank_page(200, R"({"status":false,"message":"no"})"), ProviderError);
  EXPECT_THROW(parse_bank_page(200, R"({"status":true,"data":{}})"), ProviderError);
  EXPECT_THROW(parse_bank_page(200, R"({"status":true})"), ProviderError);
  EXPECT_THROW(parse_bank_page(200, "<html>gateway</html>"), ProviderError);
  EXPECT_THROW(parse_bank_page(200, ""), ProviderError);
}

TEST(PaystackAccountResolution, TheHolderOrNotResolved) {
  const auto resolved = parse_account_resolution(
      200, R"({"status":true,"message":"Account number resolved",)"
           R"("data":{"account_number":"0001234567","account_name":"OBI ADA CHIOMA","bank_id":9}})");
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->account_number, "0001234567");
  EXPECT_EQ(resolved->account_name, "OBI ADA CHIOMA");
  EXPECT_FALSE(parse_account_resolution(
      422, R"({"status":false,"message":"Could not resolve account name. Check parameters or try again."})"));
  EXPECT_FALSE(parse_account_resolution(400, R"({"status":false,"message":"Unknown bank code: 999"})"));
}

TEST(PaystackAccountResolution, FailuresAreProviderErrorsWithoutNumbers) {
  EXPECT_THROW(parse_account_resolution(503, R"({"status":false,"message":"Service unavailable"})"), ProviderError);
  EXPECT_THROW(parse_account_resolution(401, R"({"status":false,"message":"Invalid key"})"), ProviderError);
  EXPECT_THROW(parse_account_resolution(422, "not json"), ProviderError);
  EXPECT_THROW(parse_account_resolution(200, R"({"status":true,"data":{"account_number":"0001234567"}})"),
               ProviderError);
  EXPECT_THROW(parse_account_resolution(200, R"({"status":true,"data":null})"), ProviderError);
  try {
    parse_account_resolution(500, R"({"status":false,"message":"account 0001234567 timed out"})");
    FAIL() << "no error";
  } catch (const ProviderError& e) {
    EXPECT_EQ(std::string(e.what()).find("0001234567"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[number]"), std::string::npos) << e.what();
  }
}

TEST(BankCache, ColdCallersFetchOnceAndWaitTogether) {
  BankCachePolicy policy(std::chrono::hours(6));
  const auto t0 = BankCachePolicy::Clock::now();
  const auto first = policy.next(t0);
  EXPECT_TRUE(first.start_fetch && first.wait);
  const auto second = policy.next(t0);  // the fetch is in flight: wait for it, start none
  EXPECT_TRUE(!second.start_fetch && second.wait);
  policy.failed(t0);  // cold and failed: the next caller tries again at once (nothing to serve meanwhile)
  EXPECT_FALSE(policy.banks());
  const auto third = policy.next(t0);
  EXPECT_TRUE(third.start_fetch && third.wait);
  policy.fetched(std::make_shared<const std::vector<b2w::payments::Bank>>(), t0);
  EXPECT_TRUE(policy.banks());
  EXPECT_FALSE(policy.fetching());
}

TEST(BankCache, FreshServedStaleRefreshedInTheBackgroundFailureKeepsTheList) {
  using namespace std::chrono_literals;
  BankCachePolicy policy(6h);
  const auto t0 = BankCachePolicy::Clock::now();
  policy.next(t0);
  const BankList list = std::make_shared<const std::vector<b2w::payments::Bank>>();
  policy.fetched(list, t0);
  const auto fresh = policy.next(t0 + 6h - 1s);
  EXPECT_TRUE(!fresh.start_fetch && !fresh.wait);
  const auto stale = policy.next(t0 + 6h);  // served at once, one refresh in the background
  EXPECT_TRUE(stale.start_fetch && !stale.wait);
  const auto meanwhile = policy.next(t0 + 6h);
  EXPECT_TRUE(!meanwhile.start_fetch && !meanwhile.wait);
  policy.failed(t0 + 6h);
  EXPECT_EQ(policy.banks(), list);  // kept
  const auto soon = policy.next(t0 + 6h + BankCachePolicy::kRetryAfterFailure - 1s);
  EXPECT_FALSE(soon.start_fetch);
  const auto later = policy.next(t0 + 6h + BankCachePolicy::kRetryAfterFailure);
  EXPECT_TRUE(later.start_fetch && !later.wait);
  policy.fetched(list, t0 + 7h);
  const auto renewed = policy.next(t0 + 7h + 6h - 1s);
  EXPECT_FALSE(renewed.start_fetch);
}
