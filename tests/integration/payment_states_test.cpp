// Regression tests for the payment state machine findings of the security pass (issue 15): each failed on
// the code before the transition tables, conditional moves and business limits.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <future>
#include <latch>
#include <memory>
#include <thread>

#include "money_server.hpp"
#include "pg_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::object;

namespace {

// `amount` to the player's saved payout account.
object withdrawal_body(Money& m, const std::string& token, std::int64_t amount) {
  return m.withdrawal(token, amount);
}

// Paystack requests made for a reference: how many times each path was called with it.
int requests_for(Money& m, const std::string& path, const std::string& reference) {
  int n = 0;
  const auto seen = boost::json::parse(m.paystack().requests_json());
  for (const auto& r : seen.as_array()) {
    const auto& o = r.as_object();
    if (!o.at("body").is_object()) continue;  // a GET (the bank account's resolution, a verification)
    const auto& body = o.at("body").as_object();
    if (o.at("path").as_string() == path && body.contains("reference") && body.at("reference").as_string() == reference)
      ++n;
  }
  return n;
}

int initializations_of(Money& m, std::int64_t amount) {
  int n = 0;
  const auto seen = boost::json::parse(m.paystack().requests_json());
  for (const auto& r : seen.as_array()) {
    const auto& o = r.as_object();
    if (o.at("path").as_string() == "/transaction/initialize" &&
        o.at("body").as_object().at("amount").as_string() == std::to_string(amount))
      ++n;
  }
  return n;
}

// Finding 1: an administrator's approve and another's reject of one withdrawal, sent at the same moment
// (to two tasks on PostgreSQL), both succeeded: the money went back to the wallet and to the bank.
void approve_and_reject_race(Money& m, const std::vector<int>& tasks, int rounds) {
  const auto admin = m.admin("boss@example.ng");
  const auto token = m.user("racer@example.ng");
  const std::int64_t amount = 5000;
  m.fund(token, amount * rounds, "fund");
  std::int64_t approved_total = 0;
  int approvals = 0, rejections = 0;
  std::vector<std::string> references;
  for (int round = 0; round < rounds; ++round) {
    auto created =
        m.post("/api/v1/wallet/withdrawals", withdrawal_body(m, token, amount), token, "race-" + std::to_string(round));
    ASSERT_TRUE(created && created->status == 201) << (created ? created->body : "");
    auto w = json_of(*created);
    ASSERT_EQ(w["status"].as_string(), "awaiting_review");
    const std::string id(w["id"].as_string());
    references.emplace_back(w["reference"].as_string());
    std::latch start(2);
    auto decide = [&](const std::string& verb, int port) {
      start.arrive_and_wait();
      auto r = m.call_at(port, "POST", "/api/v1/admin/withdrawals/" + id + "/" + verb, object{}, admin);
      return r ? r->status : 0;
    };
    const auto n = static_cast<std::size_t>(round);
    auto approve = std::async(std::launch::async, decide, "approve", tasks[n % tasks.size()]);
    auto reject = std::async(std::launch::async, decide, "reject", tasks[(n + 1) % tasks.size()]);
    const int a = approve.get(), r = reject.get();
    ASSERT_EQ((a == 200) + (r == 200), 1) << "round " << round << ": approve " << a << ", reject " << r;
    ASSERT_EQ(a == 200 ? r : a, 409) << "the loser is told the withdrawal moved on";
    const std::string ref = references.back();
    if (a == 200) {
      ++approvals;
      approved_total += amount;
      EXPECT_EQ(requests_for(m, "/transfer", ref), 1);
    } else {
      ++rejections;
      EXPECT_EQ(requests_for(m, "/transfer", ref), 0) << "a rejected withdrawal reached the bank";
    }
  }
  // Paystack (or an attacker replaying its events) reports success for every one of them: only the approved
  // ones complete, and none drains another withdrawal's hold.
  for (const auto& ref : references)
    ASSERT_EQ(m.webhook(Money::transfer_event("transfer.success", ref, amount))->status, 200);
  auto wallet = m.wallet(token);
  EXPECT_EQ(wallet["balance"].as_int64(), amount * rounds - approved_total);
  EXPECT_EQ(wallet["pending_withdrawals"].as_int64(), 0);
  EXPECT_EQ(m.verify_ledger(), 0);
  std::printf("approve/reject race: %d rounds, %d approved, %d rejected, never both\n", rounds, approvals, rejections);
}

}  // namespace

TEST(PaymentStates, ApproveAndRejectAtOnceNeverBothSucceedSqlite) {
  Money m(Env{{"WITHDRAWAL_REVIEW_THRESHOLD", "1000"}});
  ASSERT_TRUE(m.server().started());
  approve_and_reject_race(m, {m.port()}, 25);
}

TEST(PaymentStates, ApproveAndRejectAtOnceNeverBothSucceedPostgresTwoTasks) {
  PgServer pg;
  pg.create_database("race");
  Money m(Env{{"DATABASE_URL", pg.url("race")}, {"WITHDRAWAL_REVIEW_THRESHOLD", "1000"}});
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  ServerProcess second(m.env());
  ASSERT_TRUE(second.started());
  approve_and_reject_race(m, {m.port(), second.port()}, 16);
}

// Finding 2: Paystack's webhook for a transfer can arrive while our /transfer call is still being answered.
// The withdrawal was written back to pending after its money had left the hold, and a following
// transfer.reversed took the money out of another withdrawal's hold.
TEST(PaymentStates, ATransferWebhookDuringTheTransferCallIsKept) {
  Money m;
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("early@example.ng");
  m.fund(token, 100000, "fund");
  auto other = m.post("/api/v1/wallet/withdrawals", withdrawal_body(m, token, 30000), token, "wd-other");
  ASSERT_EQ(other->status, 201);
  m.paystack().script(20001, R"({"transfer": "early_success"})");
  auto early = m.post("/api/v1/wallet/withdrawals", withdrawal_body(m, token, 20001), token, "wd-early");
  ASSERT_TRUE(early && early->status == 201) << (early ? early->body : "");
  auto w = json_of(*early);
  EXPECT_EQ(w["status"].as_string(), "completed") << "the answer shows what the webhook did meanwhile";
  const std::string id(w["id"].as_string()), ref(w["reference"].as_string());
  auto wallet = m.wallet(token);
  EXPECT_EQ(wallet["balance"].as_int64(), 100000 - 30000 - 20001);
  EXPECT_EQ(wallet["pending_withdrawals"].as_int64(), 30000) << "only the other withdrawal is still held";
  // The bank sends it back: the money returns from Paystack, the other hold is untouched.
  ASSERT_EQ(m.webhook(Money::transfer_event("transfer.reversed", ref, 20001))->status, 200);
  EXPECT_EQ(json_of(*m.get_auth("/api/v1/wallet/withdrawals/" + id, token))["status"].as_string(), "reversed");
  wallet = m.wallet(token);
  EXPECT_EQ(wallet["balance"].as_int64(), 100000 - 30000);
  EXPECT_EQ(wallet["pending_withdrawals"].as_int64(), 30000);
  // The other one's own events still work (they failed with 500 forever once its hold was drained).
  const std::string other_ref(json_of(*other)["reference"].as_string());
  EXPECT_EQ(m.webhook(Money::transfer_event("transfer.success", other_ref, 30000))->status, 200);
  EXPECT_EQ(m.wallet(token)["pending_withdrawals"].as_int64(), 0);
  EXPECT_EQ(m.verify_ledger(), 0);
}

// Finding 2, second part: a transfer.success for 1 USD completed a ₦10,000 withdrawal.
TEST(PaymentStates, TransferEventsWithAnotherAmountOrCurrencyChangeNothing) {
  Money m;
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("currency@example.ng");
  m.fund(token, 1000000, "fund");
  auto created = m.post("/api/v1/wallet/withdrawals", withdrawal_body(m, token, 1000000), token, "wd-1");
  ASSERT_EQ(created->status, 201);
  const std::string id(json_of(*created)["id"].as_string()), ref(json_of(*created)["reference"].as_string());
  const auto status = [&] {
    return std::string(json_of(*m.get_auth("/api/v1/wallet/withdrawals/" + id, token))["status"].as_string());
  };
  for (const auto& [amount, currency] :
       {std::pair<std::int64_t, std::string>{100, "USD"}, {1000000, "USD"}, {999999, "NGN"}}) {
    for (const char* event : {"transfer.success", "transfer.failed", "transfer.reversed"})
      ASSERT_EQ(m.webhook(Money::transfer_event(event, ref, amount, currency))->status, 200) << "acknowledged";
    EXPECT_EQ(status(), "pending") << amount << " " << currency;
    EXPECT_EQ(m.wallet(token)["pending_withdrawals"].as_int64(), 1000000);
  }
  EXPECT_TRUE(m.server().wait_for_log("webhook amount or currency differs from the payment", 2s));
  ASSERT_EQ(m.webhook(Money::transfer_event("transfer.success", ref, 1000000))->status, 200);
  EXPECT_EQ(status(), "completed");
  EXPECT_EQ(m.verify_ledger(), 0);
}

// Finding 6: after a provider error, the same Idempotency-Key with another amount returned 201 for the new
// amount and initialized Paystack for it, while the deposit kept the old amount (a charge without credit).
TEST(PaymentStates, ADepositRetriedWithAnotherAmountIsRefusedAndTheSameOneWorks) {
  Money m;
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("retry@example.ng");
  m.paystack().script(5000, R"({"initialize": ["refuse", "ok"]})");
  auto first = m.post("/api/v1/wallet/deposits", {{"amount", 5000}}, token, "dep-k");
  ASSERT_EQ(first->status, 502);
  auto other = m.post("/api/v1/wallet/deposits", {{"amount", 7000}}, token, "dep-k");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 422);
  EXPECT_EQ(code_of(*other), "idempotency_key_reused");
  EXPECT_EQ(initializations_of(m, 7000), 0) << "Paystack was asked to charge an amount we would never credit";

  const auto token2 = m.user("retry2@example.ng");
  m.paystack().script(6000, R"({"initialize": ["refuse", "ok"]})");
  ASSERT_EQ(m.post("/api/v1/wallet/deposits", {{"amount", 6000}}, token2, "dep-k")->status, 502);
  auto again = m.post("/api/v1/wallet/deposits", {{"amount", 6000}}, token2, "dep-k");
  ASSERT_TRUE(again && again->status == 201) << (again ? again->body : "");
  const auto d = json_of(*again);
  EXPECT_EQ(d.at("amount").as_int64(), 6000);
  EXPECT_EQ(d.at("status").as_string(), "pending");
  // A second retry (its first answer lost) gets the same checkout page without asking Paystack again.
  const auto before = initializations_of(m, 6000);
  auto replay = m.post("/api/v1/wallet/deposits", {{"amount", 6000}}, token2, "dep-k");
  ASSERT_EQ(replay->status, 201);
  EXPECT_EQ(json_of(*replay)["authorization_url"], d.at("authorization_url"));
  EXPECT_EQ(initializations_of(m, 6000), before);
  ASSERT_EQ(m.webhook(Money::charge(std::string(d.at("reference").as_string()), 6000))->status, 200);
  EXPECT_EQ(m.wallet(token2)["balance"].as_int64(), 6000);
  EXPECT_EQ(m.verify_ledger(), 0);
}

// Finding 7 (payments): no minimum amounts (a 1-kobo withdrawal reached Paystack), no withdrawal velocity
// limit, and account names with control characters or markup (now resolved by the bank, never typed).
TEST(PaymentStates, MinimumAmountsDailyWithdrawalsAndAccountNames) {
  Money m(Env{{"MIN_DEPOSIT", "10000"}, {"MIN_WITHDRAWAL", "100000"}, {"MAX_WITHDRAWALS_PER_DAY", "3"}});
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("limits@example.ng");
  auto small_deposit = m.post("/api/v1/wallet/deposits", {{"amount", 9999}}, token, "dep-small");
  EXPECT_EQ(small_deposit->status, 422);
  EXPECT_EQ(code_of(*small_deposit), "invalid_amount");
  m.fund(token, 2000000, "fund");
  auto tiny = m.post("/api/v1/wallet/withdrawals", withdrawal_body(m, token, 1), token, "wd-tiny");
  EXPECT_EQ(tiny->status, 422);
  EXPECT_EQ(code_of(*tiny), "invalid_amount");
  // Account names are no longer typed into a withdrawal (the bank resolves them when the payout account is saved):
  // the old form, however its name is written, is refused before anything is checked or held.
  int n = 0;
  for (const char* name : {"Ada Obi", "<b>Ada</b>", "Ada\x7f"}) {
    const object old_form{
        {"amount", 100000}, {"bank_code", "058"}, {"account_number", "0123456789"}, {"account_name", name}};
    auto bad = m.post("/api/v1/wallet/withdrawals", old_form, token, "wd-name-" + std::to_string(++n));
    EXPECT_EQ(bad->status, 422) << name;
    EXPECT_EQ(code_of(*bad), "payout_account_required") << bad->body;
  }
  // Eight at once with room for three: exactly three are accepted.
  const auto body = withdrawal_body(m, token, 100000);
  std::latch start(8);
  std::vector<std::future<int>> tries;
  for (int i = 0; i < 8; ++i)
    tries.push_back(std::async(std::launch::async, [&, i] {
      start.arrive_and_wait();
      auto r = m.post("/api/v1/wallet/withdrawals", body, token, "wd-day-" + std::to_string(i));
      return r ? r->status : 0;
    }));
  int accepted = 0, limited = 0;
  for (auto& t : tries) {
    const int status = t.get();
    accepted += status == 201;
    limited += status == 422;
  }
  EXPECT_EQ(accepted, 3);
  EXPECT_EQ(limited, 5);
  auto after = m.post("/api/v1/wallet/withdrawals", withdrawal_body(m, token, 100000), token, "wd-day-late");
  EXPECT_EQ(code_of(*after), "withdrawal_limit_reached");
  // Nothing of the refused ones reached Paystack: three transfers (to one recipient, the payout account's).
  int transfers = 0;
  const auto seen = boost::json::parse(m.paystack().requests_json());
  for (const auto& r : seen.as_array()) transfers += r.as_object().at("path").as_string() == "/transfer";
  EXPECT_EQ(transfers, 3);
  EXPECT_EQ(m.wallet(token)["balance"].as_int64(), 2000000 - 3 * 100000);
  EXPECT_EQ(m.verify_ledger(), 0);
}
