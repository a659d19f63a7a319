// The payment reconciler on the real binary against the fake Paystack's verify endpoints: payments whose webhook
// was lost are credited, failed, expired, completed or returned once; a webhook racing it changes nothing more;
// Paystack down changes nothing, is counted, and the next round recovers.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <random>
#include <thread>

#include "harness.hpp"
#include "money_server.hpp"
#include "pg_server.hpp"
#include "redis_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::object;

namespace {

// Short rounds, so a test sees several within seconds; PAYMENT_RECONCILE_AFTER has a floor of 1 s.
Env reconciling(const Env& extra = {}) {
  Env env{{"PAYMENT_RECONCILE_INTERVAL", "200ms"},
          {"PAYMENT_RECONCILE_AFTER", "1s"},
          {"PAYMENT_EXPIRE_AFTER", "1h"},
          {"PAYMENT_RECONCILE_LEASE", "5s"}};
  for (const auto& [k, v] : extra) env[k] = v;
  return env;
}

template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 60s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return pred();
}

// A payment's status and message, read from the SQLite file as an operator would.
std::pair<std::string, std::string> payment_row(Money& m, const std::string& reference) {
  sqlite3* db = nullptr;
  std::pair<std::string, std::string> out;
  if (sqlite3_open_v2(m.sqlite_path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return out;
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT status, COALESCE(provider_message, '') FROM payments WHERE reference = ?", -1, &st,
                     nullptr);
  sqlite3_bind_text(st, 1, reference.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st) == SQLITE_ROW) {
    out.first = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    out.second = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

std::string deposit(Money& m, const std::string& token, std::int64_t amount, const std::string& key) {
  auto r = m.post("/api/v1/wallet/deposits", {{"amount", amount}}, token, key);
  EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "");
  return r && r->status == 201 ? std::string(json_of(*r)["reference"].as_string()) : "";
}

object withdraw(Money& m, const std::string& token, std::int64_t amount, const std::string& key) {
  auto r = m.post("/api/v1/wallet/withdrawals", m.withdrawal(token, amount), token, key);
  EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "");
  return r && r->status == 201 ? json_of(*r) : object{};
}

std::string withdrawal_status(Money& m, const std::string& token, const object& w) {
  auto r = m.get_auth("/api/v1/wallet/withdrawals/" + std::string(w.at("id").as_string()), token);
  return r && r->status == 200 ? std::string(json_of(*r)["status"].as_string()) : "";
}

std::int64_t balance(Money& m, const std::string& token) {
  auto r = m.get_auth("/api/v1/wallet", token);
  return r && r->status == 200 ? json_of(*r)["balance"].as_int64() : -1;
}

int verify_requests(Money& m, const std::string& path) {
  auto seen = boost::json::parse(m.paystack().requests_json()).as_array();
  int n = 0;
  for (const auto& r : seen) n += r.as_object().at("path").as_string() == path;
  return n;
}

}  // namespace

TEST(Reconciler, ADroppedChargeSuccessIsCreditedOnceAbandonedOnesFailUnknownOnesExpire) {
  Money m(reconciling({{"PAYMENT_EXPIRE_AFTER", "4s"}}));
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto token = m.user("lost-webhook@example.ng");
  const auto paid = deposit(m, token, 250000, "paid");
  const auto abandoned = deposit(m, token, 7000, "abandoned");
  const auto ongoing = deposit(m, token, 9000, "ongoing");
  // Paystack's initialize never answered: the deposit stays pending and Paystack knows no such reference.
  m.paystack().script(11000, R"({"initialize": "down"})");
  auto unanswered = m.post("/api/v1/wallet/deposits", {{"amount", 11000}}, token, "unanswered");
  ASSERT_EQ(unanswered->status, 502);
  // The customer paid; the charge.success webhook never comes.
  m.paystack().set_verify_status("transaction", paid, "success");
  m.paystack().set_verify_status("transaction", ongoing, "ongoing");

  ASSERT_TRUE(eventually([&] { return balance(m, token) == 250000; })) << m.server().stdout_text();
  EXPECT_EQ(payment_row(m, paid).first, "completed");
  EXPECT_GE(verify_requests(m, "/transaction/verify/" + paid), 1);
  ASSERT_TRUE(eventually([&] { return payment_row(m, abandoned).first == "failed"; }));
  EXPECT_EQ(payment_row(m, abandoned).second, "Paystack: verify: abandoned");
  // Still in progress at Paystack, or unknown to it: pending until the expiry age, then failed.
  EXPECT_EQ(payment_row(m, ongoing).first, "pending");
  ASSERT_TRUE(eventually([&] { return payment_row(m, ongoing).first == "failed"; }));
  EXPECT_NE(payment_row(m, ongoing).second.find("expired"), std::string::npos);
  // (The unanswered deposit's reference: the only other deposit of this user.)
  ASSERT_TRUE(m.server().wait_for_log("Paystack knows no payment with this reference", 30s));

  // The lost webhook arrives after all: nothing more is credited. A late one for the abandoned deposit credits it.
  ASSERT_EQ(m.webhook(Money::charge(paid, 250000))->status, 200);
  ASSERT_EQ(m.webhook(Money::charge(abandoned, 7000))->status, 200);
  EXPECT_EQ(balance(m, token), 257000);
  std::this_thread::sleep_for(1s);  // more rounds pass: they find nothing left to do
  EXPECT_EQ(balance(m, token), 257000);
  EXPECT_TRUE(m.server().wait_for_log("\"msg\":\"payment reconciled\"", 10s));
  EXPECT_EQ(m.server().stdout_text().find(kPaystackSecret), std::string::npos) << "the secret key leaked into a log";
  EXPECT_EQ(m.verify_ledger(), 0);
}

TEST(Reconciler, DroppedTransferWebhooksCompleteOrReturnTheMoney) {
  Money m(reconciling());
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto token = m.user("lost-transfer@example.ng");
  m.fund(token, 100000, "fund");
  const auto succeeded = withdraw(m, token, 30000, "wd-success");
  const auto reversed = withdraw(m, token, 20000, "wd-reversed");
  const auto failed = withdraw(m, token, 10000, "wd-failed");
  const auto waiting = withdraw(m, token, 5000, "wd-otp");
  EXPECT_EQ(balance(m, token), 35000);
  m.paystack().set_verify_status("transfer", std::string(succeeded.at("reference").as_string()), "success");
  m.paystack().set_verify_status("transfer", std::string(reversed.at("reference").as_string()), "reversed");
  m.paystack().set_verify_status("transfer", std::string(failed.at("reference").as_string()), "failed");
  m.paystack().set_verify_status("transfer", std::string(waiting.at("reference").as_string()), "otp");

  ASSERT_TRUE(eventually([&] { return withdrawal_status(m, token, succeeded) == "completed"; }))
      << m.server().stdout_text();
  ASSERT_TRUE(eventually([&] { return withdrawal_status(m, token, reversed) == "reversed"; }));
  ASSERT_TRUE(eventually([&] { return withdrawal_status(m, token, failed) == "failed"; }));
  EXPECT_EQ(withdrawal_status(m, token, waiting), "pending") << "not final at Paystack: the money stays held";
  auto w = m.wallet(token);
  EXPECT_EQ(w["balance"].as_int64(), 65000) << "the reversed and failed transfers returned their money";
  EXPECT_EQ(w["pending_withdrawals"].as_int64(), 5000);
  // The lost webhooks arrive after all: nothing moves twice.
  m.webhook(Money::transfer_event("transfer.success", std::string(succeeded.at("reference").as_string()), 30000));
  m.webhook(Money::transfer_event("transfer.reversed", std::string(reversed.at("reference").as_string()), 20000));
  m.webhook(Money::transfer_event("transfer.failed", std::string(failed.at("reference").as_string()), 10000));
  EXPECT_EQ(balance(m, token), 65000);
  EXPECT_GE(verify_requests(m, "/transfer/verify/" + std::string(succeeded.at("reference").as_string())), 1);
  EXPECT_EQ(m.verify_ledger(), 0);
}

TEST(Reconciler, PaystackDownChangesNothingIsCountedAndTheNextRoundSucceeds) {
  Money m(reconciling({{"METRICS_INTERVAL", "1s"}}));
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto token = m.user("paystack-down@example.ng");
  const auto paid = deposit(m, token, 42000, "paid");
  m.paystack().set_verify_status("transaction", paid, "success");
  m.paystack().set_mode("down");
  ASSERT_TRUE(m.server().wait_for_log("Paystack did not answer; nothing changed", 60s)) << m.server().stdout_text();
  ASSERT_TRUE(m.server().wait_for_log("\"PaymentReconcilerProviderFailures\":", 30s)) << m.server().stdout_text();
  EXPECT_EQ(balance(m, token), 0);
  EXPECT_EQ(payment_row(m, paid).first, "pending");
  m.paystack().set_mode("ok");
  ASSERT_TRUE(eventually([&] { return balance(m, token) == 42000; })) << m.server().stdout_text();
  EXPECT_EQ(m.verify_ledger(), 0);
}

// 100 deposits whose charge.success webhooks are each delivered twice at random times while the reconciler (a batch
// of 10 per round) credits the same deposits from Paystack's verify answers: every deposit is credited exactly once.
TEST(Reconciler, WebhooksAndTheReconcilerRacingCreditEachDepositOnce) {
  Money m(reconciling({{"PAYMENT_RECONCILE_BATCH", "10"}}));
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  constexpr int kUsers = 4;
  constexpr int kPerUser = 25;
  std::vector<std::string> tokens;
  std::vector<std::pair<std::string, std::int64_t>> deposits;  // reference, amount
  std::vector<std::int64_t> expected(kUsers, 0);
  for (int u = 0; u < kUsers; ++u) {
    tokens.push_back(m.user("race" + std::to_string(u) + "@example.ng"));
    for (int i = 0; i < kPerUser; ++i) {
      const std::int64_t amount = 1000 + u * 100 + i;
      deposits.emplace_back(deposit(m, tokens[u], amount, "race-" + std::to_string(i)), amount);
      expected[u] += amount;
      ASSERT_FALSE(deposits.back().first.empty());
    }
  }
  for (const auto& [ref, amount] : deposits) m.paystack().set_verify_status("transaction", ref, "success");

  // The deposits are due for the reconciler (PAYMENT_RECONCILE_AFTER) while the webhooks are still arriving.
  std::this_thread::sleep_for(1200ms);
  std::atomic<int> refused{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t)
    senders.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t) * 7919u + 17u);
      std::uniform_int_distribution<int> pause_ms(0, 120);
      // Each sender delivers a quarter of the webhooks, twice, in its own random order and pace.
      std::vector<std::size_t> mine;
      for (std::size_t i = static_cast<std::size_t>(t); i < deposits.size(); i += 4) mine.push_back(i);
      mine.insert(mine.end(), mine.begin(), mine.end());
      std::shuffle(mine.begin(), mine.end(), rng);
      for (auto i : mine) {
        std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
        auto r = m.webhook(Money::charge(deposits[i].first, deposits[i].second));
        if (!r || r->status != 200) ++refused;
      }
    });
  for (auto& s : senders) s.join();
  EXPECT_EQ(refused.load(), 0);
  for (int u = 0; u < kUsers; ++u)
    ASSERT_TRUE(eventually([&] { return balance(m, tokens[u]) == expected[u]; }))
        << "user " << u << ": " << balance(m, tokens[u]) << " of " << expected[u];
  std::this_thread::sleep_for(1500ms);  // rounds after the last credit find nothing left to credit
  for (int u = 0; u < kUsers; ++u) EXPECT_EQ(balance(m, tokens[u]), expected[u]) << "user " << u;
  for (const auto& [ref, amount] : deposits) EXPECT_EQ(payment_row(m, ref).first, "completed") << ref;
  EXPECT_EQ(m.verify_ledger(), 0);
  // Both sides took part: the reconciler credited some deposits, and deliveries found them credited already.
  EXPECT_TRUE(m.server().wait_for_log("\"msg\":\"payment reconciled\"", 10s));
  EXPECT_TRUE(m.server().wait_for_log("webhook finds no move", 10s));
}

// Two tasks sharing PostgreSQL and Redis: one holds the reconciler's lease and does the work; killed, the other takes
// the lease over after its expiry and recovers the next lost webhook.
TEST(Reconciler, OneTaskHoldsTheLeaseAndAnotherTakesOverWhenItDies) {
  PgServer pg;
  pg.create_database("reconcile");
  RedisServer redis;
  Money m(reconciling(
      {{"DATABASE_URL", pg.url("reconcile")}, {"REDIS_URL", redis.url()}, {"PAYMENT_RECONCILE_LEASE", "3s"}}));
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  ASSERT_TRUE(m.server().wait_for_log("payment reconciler lease taken", 30s)) << m.server().stdout_text();
  ServerProcess other(m.env());
  ASSERT_TRUE(other.started()) << other.stdout_text();

  const auto token = m.user("two-tasks@example.ng");
  const auto first = deposit(m, token, 31000, "first");
  m.paystack().set_verify_status("transaction", first, "success");
  ASSERT_TRUE(eventually([&] { return balance(m, token) == 31000; })) << m.server().stdout_text();
  // (The log line follows the commit: waited for, not read at once.)
  EXPECT_TRUE(m.server().wait_for_log("\"msg\":\"payment reconciled\"", 10s));
  EXPECT_EQ(other.stdout_text().find("payment reconciler lease taken"), std::string::npos) << "two holders at once";
  EXPECT_EQ(other.stdout_text().find("\"msg\":\"payment reconciled\""), std::string::npos);

  m.server().signal(SIGKILL);
  m.server().wait_exit(10s);
  auto second = m.call_at(other.port(), "POST", "/api/v1/wallet/deposits", {{"amount", 5000}}, token, "second");
  ASSERT_TRUE(second && second->status == 201) << (second ? second->body : "");
  const std::string second_ref(json_of(*second)["reference"].as_string());
  m.paystack().set_verify_status("transaction", second_ref, "success");
  ASSERT_TRUE(other.wait_for_log("payment reconciler lease taken", 60s)) << other.stdout_text();
  auto other_balance = [&] {
    auto r = get(other.port(), "/api/v1/wallet", {{"Authorization", "Bearer " + token}});
    return r && r->status == 200 ? json_of(*r)["balance"].as_int64() : -1;
  };
  ASSERT_TRUE(eventually([&] { return other_balance() == 36000; })) << other.stdout_text();
  EXPECT_EQ(m.verify_ledger(), 0);
}

// A task leaving gracefully (SIGTERM, a deploy) gives the lease up: another takes over long before it would expire.
TEST(Reconciler, AGracefulExitReleasesTheLease) {
  PgServer pg;
  pg.create_database("release");
  RedisServer redis;
  Env env = reconciling(
      {{"DATABASE_URL", pg.url("release")}, {"REDIS_URL", redis.url()}, {"PAYMENT_RECONCILE_LEASE", "10m"}});
  env["JWT_SECRET"] = "release-jwt-secret-0123456789abcdefghij";
  env["JWT_REFRESH_SECRET"] = "release-refresh-secret-0123456789abcdefg";
  ServerProcess first(env);
  ASSERT_TRUE(first.started()) << first.stdout_text();
  ASSERT_TRUE(first.wait_for_log("payment reconciler lease taken", 30s)) << first.stdout_text();
  ServerProcess second(env);
  ASSERT_TRUE(second.started()) << second.stdout_text();
  first.signal(SIGTERM);
  ASSERT_TRUE(first.wait_exit(30s));
  EXPECT_NE(first.stdout_text().find("payment reconciler lease released"), std::string::npos) << first.stdout_text();
  EXPECT_TRUE(second.wait_for_log("payment reconciler lease taken", 60s)) << second.stdout_text();
}
