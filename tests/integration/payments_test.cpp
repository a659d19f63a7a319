// Deposits, webhooks and withdrawals against a fake Paystack speaking Paystack's shapes.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "harness.hpp"
#include "money_server.hpp"
#include "payments/paystack.hpp"
#include "pg_server.hpp"
#include "process.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::object;

namespace {}  // namespace

TEST(Payments, DepositHappyPathCreditsOnceThroughTheWebhook) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto token = m.user("depositor@example.ng");
  auto dep = m.post("/api/v1/wallet/deposits", {{"amount", 250000}}, token, "dep-key-1");
  ASSERT_TRUE(dep);
  ASSERT_EQ(dep->status, 201) << dep->body;
  auto d = json_of(*dep);
  EXPECT_EQ(d["status"].as_string(), "pending");
  EXPECT_EQ(d["authorization_url"].as_string().subview(0, 30), "https://checkout.paystack.com/");
  const std::string ref = std::string(d["reference"].as_string());
  // Paystack saw our reference, the amount in kobo and the Bearer secret.
  auto seen = boost::json::parse(m.paystack().requests_json()).as_array();
  ASSERT_EQ(seen.size(), 1u);
  auto& sent = seen[0].as_object();
  EXPECT_EQ(sent["path"].as_string(), "/transaction/initialize");
  EXPECT_EQ(sent["body"].as_object()["reference"].as_string(), ref);
  EXPECT_EQ(sent["body"].as_object()["amount"].as_string(), "250000");
  EXPECT_EQ(sent["body"].as_object()["email"].as_string(), "depositor@example.ng");
  EXPECT_EQ(sent["authorization"].as_string(), "Bearer " + kPaystackSecret);
  EXPECT_EQ(m.wallet(token)["balance"].as_int64(), 0) << "nothing is credited before Paystack confirms";

  ASSERT_EQ(m.webhook(Money::charge(ref, 250000))->status, 200);
  EXPECT_EQ(m.wallet(token)["balance"].as_int64(), 250000);
  auto history = json_of(*m.get_auth("/api/v1/wallet/transactions", token));
  ASSERT_EQ(history["data"].as_array().size(), 1u);
  auto line = history["data"].as_array()[0].as_object();
  EXPECT_EQ(line["type"].as_string(), "deposit");
  EXPECT_EQ(line["amount"].as_int64(), 250000);
  EXPECT_EQ(line["balance_after"].as_int64(), 250000);
  EXPECT_EQ(line["reference"].as_string(), ref);
  EXPECT_EQ(m.verify_ledger(), 0);
  EXPECT_EQ(m.server().stdout_text().find(kPaystackSecret), std::string::npos) << "the secret key leaked into a log";
}

TEST(Payments, HundredConcurrentDeliveriesOfOneWebhookCreditOnce) {
  Money m;
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("burst@example.ng");
  auto dep = m.post("/api/v1/wallet/deposits", {{"amount", 100000}}, token, "burst-1");
  ASSERT_EQ(dep->status, 201);
  const auto body = Money::charge(std::string(json_of(*dep)["reference"].as_string()), 100000);
  std::vector<std::future<int>> deliveries;
  for (int i = 0; i < 100; ++i)
    deliveries.push_back(std::async(std::launch::async, [&] {
      auto r = m.webhook(body);
      return r ? r->status : 0;
    }));
  int ok = 0;
  for (auto& d : deliveries) ok += d.get() == 200;
  EXPECT_EQ(ok, 100);
  EXPECT_EQ(m.wallet(token)["balance"].as_int64(), 100000);
  EXPECT_EQ(json_of(*m.get_auth("/api/v1/wallet/transactions", token))["data"].as_array().size(), 1u);
  EXPECT_EQ(m.verify_ledger(), 0);
}

TEST(Payments, BadOrMissingSignaturesChangeNothing) {
  Money m;
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("sig@example.ng");
  auto dep = m.post("/api/v1/wallet/deposits", {{"amount", 5000}}, token, "sig-1");
  const auto body = Money::charge(std::string(json_of(*dep)["reference"].as_string()), 5000);
  for (const std::string& sig :
       {std::string(""), std::string(128, 'a'), b2w::payments::PaystackClient::sign("sk_wrong", body)}) {
    auto r = m.webhook(body, sig);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(code_of(*r), "invalid_signature");
  }
  auto tampered = m.webhook(Money::charge(std::string(json_of(*dep)["reference"].as_string()), 9999999),
                            b2w::payments::PaystackClient::sign(kPaystackSecret, body));
  EXPECT_EQ(tampered->status, 401);
  EXPECT_EQ(m.wallet(token)["balance"].as_int64(), 0);
}

// PAYSTACK_WEBHOOK_IPS admits webhooks by the client address the trusted load balancer forwards, never by a
// header a client could write itself.
TEST(Payments, WebhooksFromOutsideTheAllowedSourcesChangeNothing) {
  const std::string paystack_sender = "52.31.139.75";
  Money m(Env{{"TRUSTED_PROXIES", "127.0.0.1"}, {"PAYSTACK_WEBHOOK_IPS", paystack_sender + ", 52.49.173.169"}});
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("sources@example.ng");
  auto dep = m.post("/api/v1/wallet/deposits", {{"amount", 5000}}, token, "src-1");
  const auto body = Money::charge(std::string(json_of(*dep)["reference"].as_string()), 5000);
  // The balancer's own address (no X-Forwarded-For), a stranger, and a stranger who wrote Paystack's address
  // into the header himself (the balancer appends the real peer, which is what counts).
  for (const std::string& forwarded_for :
       {std::string(""), std::string("198.51.100.7"), paystack_sender + ", 198.51.100.7", std::string("not-an-ip")}) {
    auto r = forwarded_for.empty() ? m.webhook(body) : m.webhook_forwarded_for(forwarded_for, body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403) << forwarded_for;
    EXPECT_EQ(code_of(*r), "webhook_source_not_allowed") << forwarded_for;
  }
  EXPECT_EQ(m.wallet(token)["balance"].as_int64(), 0);
  EXPECT_TRUE(m.server().wait_for_log("paystack webhook refused: source not allowed", 2s));

  auto admitted = m.webhook_forwarded_for("198.51.100.7, " + paystack_sender, body);
  ASSERT_TRUE(admitted);
  EXPECT_EQ(admitted->status, 200) << admitted->body;
  EXPECT_EQ(m.wallet(token)["balance"].as_int64(), 5000);
  EXPECT_EQ(m.verify_ledger(), 0);

  // Without trusted proxies the header is never read: the loopback peer is the source, and it is not allowed.
  Money direct(Env{{"PAYSTACK_WEBHOOK_IPS", paystack_sender}});
  ASSERT_TRUE(direct.server().started());
  auto spoofed = direct.webhook_forwarded_for(paystack_sender, Money::charge("dep-spoofed", 5000));
  ASSERT_TRUE(spoofed);
  EXPECT_EQ(spoofed->status, 403);
}

TEST(Payments, AmountMismatchAndUnknownReferencesCreditNothing) {
  Money m;
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("mismatch@example.ng");
  auto dep = m.post("/api/v1/wallet/deposits", {{"amount", 5000}}, token, "mm-1");
  const std::string ref = std::string(json_of(*dep)["reference"].as_string());
  EXPECT_EQ(m.webhook(Money::charge(ref, 4999))->status, 200);
  EXPECT_EQ(m.webhook(Money::charge(ref, 5000, "USD"))->status, 200);
  EXPECT_EQ(m.webhook(Money::charge("dep-unknown-reference", 5000))->status, 200);
  EXPECT_EQ(m.wallet(token)["balance"].as_int64(), 0);
  ASSERT_TRUE(m.server().wait_for_log("webhook amount or currency differs from the payment", 2s));
  EXPECT_NE(m.server().stdout_text().find("\"level\":\"error\",\"msg\":\"webhook amount or currency differs"),
            std::string::npos);
  EXPECT_TRUE(m.server().wait_for_log("webhook for an unknown reference", 2s));
  // The right amount still credits afterwards.
  EXPECT_EQ(m.webhook(Money::charge(ref, 5000))->status, 200);
  EXPECT_EQ(m.wallet(token)["balance"].as_int64(), 5000);
}

TEST(Payments, InvalidAmountsAndMissingKeys) {
  Money m(Env{{"MAX_TRANSACTION_AMOUNT", "1000000"}});
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("amounts@example.ng");
  int n = 0;
  for (const auto& bad : std::vector<boost::json::value>{0, -5, 1000001, 50.5, "5000", nullptr, true}) {
    auto r = m.post("/api/v1/wallet/deposits", {{"amount", bad}}, token, "amount-" + std::to_string(n++));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << boost::json::serialize(bad);
    EXPECT_EQ(code_of(*r), "invalid_amount") << boost::json::serialize(bad);
  }
  auto no_key = m.post("/api/v1/wallet/deposits", {{"amount", 100}}, token, "");
  EXPECT_EQ(no_key->status, 422);
  EXPECT_EQ(m.post("/api/v1/wallet/deposits", {{"amount", 100}}, "", "k")->status, 401);
}

TEST(Payments, IdempotencyReplayMismatchAndInProgress) {
  Money m;
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("idem@example.ng");
  auto first = m.post("/api/v1/wallet/deposits", {{"amount", 7000}}, token, "idem-1");
  ASSERT_EQ(first->status, 201);
  auto again = m.post("/api/v1/wallet/deposits", {{"amount", 7000}}, token, "idem-1");
  ASSERT_EQ(again->status, 201);
  EXPECT_EQ(again->body, first->body);
  EXPECT_EQ(again->header("idempotent-replayed"), "true");
  EXPECT_EQ(boost::json::parse(m.paystack().requests_json()).as_array().size(), 1u) << "Paystack was called twice";
  auto other = m.post("/api/v1/wallet/deposits", {{"amount", 7001}}, token, "idem-1");
  EXPECT_EQ(other->status, 422);
  EXPECT_EQ(code_of(*other), "idempotency_key_reused");
  // Another user may use the same key: keys are scoped to the user.
  const auto token2 = m.user("idem2@example.ng");
  EXPECT_EQ(m.post("/api/v1/wallet/deposits", {{"amount", 7000}}, token2, "idem-1")->status, 201);

  // A retry while the first is still running: Paystack hangs, so the first stays in progress.
  m.paystack().set_mode("hang");
  auto slow = std::async(std::launch::async, [&] {
    return m.post("/api/v1/wallet/deposits", {{"amount", 100}}, token, "idem-slow");
  });
  std::this_thread::sleep_for(300ms);
  auto during = m.post("/api/v1/wallet/deposits", {{"amount", 100}}, token, "idem-slow");
  ASSERT_TRUE(during);
  EXPECT_EQ(during->status, 409);
  EXPECT_EQ(code_of(*during), "request_in_progress");
  auto slow_result = slow.get();
  ASSERT_TRUE(slow_result);
  EXPECT_EQ(slow_result->status, 502) << "Paystack timed out";
}

TEST(Payments, ProviderOutageIs502AndLeavesNoHalfMadeState) {
  Money m;
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("outage@example.ng");
  m.fund(token, 50000, "fund-1");
  m.paystack().set_mode("down");
  auto dep = m.post("/api/v1/wallet/deposits", {{"amount", 1000}}, token, "dep-down");
  ASSERT_TRUE(dep);
  EXPECT_EQ(dep->status, 502);
  EXPECT_EQ(code_of(*dep), "payment_provider_error");
  m.paystack().set_mode("refuse");
  auto wd = m.post("/api/v1/wallet/withdrawals", m.withdrawal(token, 20000), token, "wd-refused");
  ASSERT_TRUE(wd);
  EXPECT_EQ(wd->status, 502);
  auto w = m.wallet(token);
  EXPECT_EQ(w["balance"].as_int64(), 50000) << "a refused transfer returns the money at once";
  EXPECT_EQ(w["pending_withdrawals"].as_int64(), 0);
  EXPECT_EQ(m.verify_ledger(), 0);
}

TEST(Payments, WithdrawalSucceedsFailsOrIsReversed) {
  Money m;
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("withdraw@example.ng");
  m.fund(token, 100000, "fund-1");
  auto withdraw = [&](std::int64_t amount, const std::string& key) {
    auto r = m.post("/api/v1/wallet/withdrawals", m.withdrawal(token, amount), token, key);
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "");
    return json_of(*r);
  };
  auto ok = withdraw(30000, "wd-1");
  EXPECT_EQ(ok["status"].as_string(), "pending");
  EXPECT_EQ(ok["account_number"].as_string(), "******6789");
  auto w = m.wallet(token);
  EXPECT_EQ(w["balance"].as_int64(), 70000);
  EXPECT_EQ(w["pending_withdrawals"].as_int64(), 30000);
  ASSERT_EQ(
      m.webhook(Money::transfer_event("transfer.success", std::string(ok["reference"].as_string()), 30000))->status,
      200);
  EXPECT_EQ(m.wallet(token)["pending_withdrawals"].as_int64(), 0);
  auto seen = json_of(*m.get_auth("/api/v1/wallet/withdrawals/" + std::string(ok["id"].as_string()), token));
  EXPECT_EQ(seen["status"].as_string(), "completed");

  auto failed = withdraw(20000, "wd-2");
  m.webhook(Money::transfer_event("transfer.failed", std::string(failed["reference"].as_string()), 20000));
  EXPECT_EQ(m.wallet(token)["balance"].as_int64(), 70000) << "a failed transfer returns the money";

  auto reversed = withdraw(10000, "wd-3");
  const std::string ref3 = std::string(reversed["reference"].as_string());
  m.webhook(Money::transfer_event("transfer.success", ref3, 10000));
  EXPECT_EQ(m.wallet(token)["balance"].as_int64(), 60000);
  m.webhook(Money::transfer_event("transfer.reversed", ref3, 10000));
  m.webhook(Money::transfer_event("transfer.reversed", ref3, 10000));  // repeated: no double refund
  EXPECT_EQ(m.wallet(token)["balance"].as_int64(), 70000);

  auto broke = m.post("/api/v1/wallet/withdrawals", m.withdrawal(token, 70001), token, "wd-4");
  EXPECT_EQ(broke->status, 422);
  EXPECT_EQ(code_of(*broke), "insufficient_funds");
  // Bank details typed into the withdrawal (the form before payout accounts) are refused: save the account first.
  auto bad_account = m.post("/api/v1/wallet/withdrawals",
                            {{"amount", 100}, {"bank_code", "058"}, {"account_number", "0123456789"}}, token, "wd-5");
  EXPECT_EQ(bad_account->status, 422);
  EXPECT_EQ(code_of(*bad_account), "payout_account_required");

  // Someone else's withdrawal does not exist for this caller.
  const auto stranger = m.user("stranger@example.ng");
  EXPECT_EQ(m.get_auth("/api/v1/wallet/withdrawals/" + std::string(ok["id"].as_string()), stranger)->status, 404);
  EXPECT_EQ(m.verify_ledger(), 0);
}

TEST(Payments, LargeWithdrawalsWaitForAnAdmin) {
  Money m(Env{{"WITHDRAWAL_REVIEW_THRESHOLD", "50000"}});
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("whale@example.ng");
  m.fund(token, 200000, "fund-1");
  auto big = m.post("/api/v1/wallet/withdrawals", m.withdrawal(token, 80000), token, "big-1");
  ASSERT_EQ(big->status, 201) << big->body;
  EXPECT_EQ(json_of(*big)["status"].as_string(), "awaiting_review");
  const auto before = boost::json::parse(m.paystack().requests_json()).as_array().size();
  auto big2 = m.post("/api/v1/wallet/withdrawals", m.withdrawal(token, 60000), token, "big-2");
  EXPECT_EQ(boost::json::parse(m.paystack().requests_json()).as_array().size(), before) << "no transfer before review";
  EXPECT_EQ(m.wallet(token)["pending_withdrawals"].as_int64(), 140000);

  // Users cannot review.
  EXPECT_EQ(m.get_auth("/api/v1/admin/withdrawals?status=awaiting_review", token)->status, 403);
  EXPECT_EQ(
      m.post("/api/v1/admin/withdrawals/" + std::string(json_of(*big)["id"].as_string()) + "/approve", {}, token, "")
          ->status,
      403);

  auto admin = run_binary(m.env(), {"admin", "create", "--email", "reviewer@bet2wealth.co"}, 10s, "reviewer-pass-1\n");
  ASSERT_EQ(admin.status, 0) << admin.err;
  auto login =
      m.post("/api/v1/auth/login", {{"email", "reviewer@bet2wealth.co"}, {"password", "reviewer-pass-1"}}, "", "");
  ASSERT_EQ(login->status, 200) << login->body;
  const std::string admin_token = std::string(json_of(*login)["access_token"].as_string());
  auto queue_response = m.get_auth("/api/v1/admin/withdrawals?status=awaiting_review", admin_token);
  if (queue_response->status != 200) {
    std::this_thread::sleep_for(200ms);
    const auto logs = m.server().stdout_text();
    const auto at = logs.find("unhandled error");
    ADD_FAILURE() << (at == std::string::npos ? logs : logs.substr(at, 500));
  }
  ASSERT_EQ(queue_response->status, 200) << queue_response->body;
  auto queue = json_of(*queue_response);
  EXPECT_EQ(queue["data"].as_array().size(), 2u);

  auto approved = m.post("/api/v1/admin/withdrawals/" + std::string(json_of(*big)["id"].as_string()) + "/approve", {},
                         admin_token, "");
  ASSERT_EQ(approved->status, 200) << approved->body;
  EXPECT_EQ(json_of(*approved)["status"].as_string(), "pending");
  EXPECT_GT(boost::json::parse(m.paystack().requests_json()).as_array().size(), before)
      << "approval sends the transfer";
  auto rejected = m.post("/api/v1/admin/withdrawals/" + std::string(json_of(*big2)["id"].as_string()) + "/reject", {},
                         admin_token, "");
  ASSERT_EQ(rejected->status, 200);
  EXPECT_EQ(json_of(*rejected)["status"].as_string(), "rejected");
  EXPECT_EQ(m.wallet(token)["balance"].as_int64(), 200000 - 80000);
  auto twice = m.post("/api/v1/admin/withdrawals/" + std::string(json_of(*big2)["id"].as_string()) + "/reject", {},
                      admin_token, "");
  EXPECT_EQ(twice->status, 409);
  EXPECT_EQ(m.verify_ledger(), 0);
}

namespace {

// 200 concurrent withdrawals on a wallet that affords exactly 100 of them.
void concurrent_money_operations(Money& m) {
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto token = m.user("concurrent@example.ng");
  m.fund(token, 100 * 1000, "fund-1");
  const auto body = m.withdrawal(token, 1000);
  std::atomic<int> accepted{0}, refused{0}, other{0};
  std::vector<std::future<void>> clients;
  for (int c = 0; c < 20; ++c)
    clients.push_back(std::async(std::launch::async, [&, c] {
      for (int i = 0; i < 10; ++i) {
        auto r = m.post("/api/v1/wallet/withdrawals", body, token, "c" + std::to_string(c) + "-" + std::to_string(i));
        if (r && r->status == 201)
          accepted.fetch_add(1);
        else if (r && r->status == 422)
          refused.fetch_add(1);
        else
          other.fetch_add(1);
      }
    }));
  for (auto& c : clients) c.get();
  EXPECT_EQ(accepted.load(), 100);
  EXPECT_EQ(refused.load(), 100);
  EXPECT_EQ(other.load(), 0);
  auto w = m.wallet(token);
  EXPECT_EQ(w["balance"].as_int64(), 0);
  EXPECT_EQ(w["pending_withdrawals"].as_int64(), 100 * 1000);
  EXPECT_EQ(m.verify_ledger(), 0);
}

}  // namespace

TEST(Payments, TwoHundredConcurrentOperationsOnOneWalletSqlite) {
  Money m;
  concurrent_money_operations(m);
}

TEST(Payments, TwoHundredConcurrentOperationsOnOneWalletPostgres) {
  PgServer pg;
  pg.create_database("money");
  Money m(Env{{"DATABASE_URL", pg.url("money")}});
  concurrent_money_operations(m);
}

namespace {

// Deposits (confirmed by webhook) and withdrawals from several clients; SIGKILL mid-load;
// restart; every acknowledged operation is there and the ledger balances.
void crash_under_money_load(Money& m) {
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  constexpr int kClients = 4;
  std::vector<std::string> tokens;
  std::vector<object> withdrawals;  // each client's body, to its payout account saved before the load
  for (int c = 0; c < kClients; ++c) {
    tokens.push_back(m.user("crash" + std::to_string(c) + "@example.ng"));
    m.fund(tokens.back(), 1'000'000, "seed-" + std::to_string(c));
    withdrawals.push_back(m.withdrawal(tokens.back(), 500));
  }
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::pair<int, std::string>> credited, withdrawn;  // (client, reference / id) acknowledged with 2xx
  std::vector<std::thread> load;
  // The load threads read the port from here, never from `m`, whose process crash_and_restart() replaces.
  std::atomic<int> port{m.port()};
  for (int c = 0; c < kClients; ++c)
    load.emplace_back([&, c] {
      for (int i = 0; !stop.load(); ++i) {
        const std::string key = "load-" + std::to_string(c) + "-" + std::to_string(i);
        if (i % 2 == 0) {
          const object deposit{{"amount", 1000 + i}};
          auto dep = m.call_at(port.load(), "POST", "/api/v1/wallet/deposits", deposit, tokens[c], key);
          if (!dep || dep->status != 201) continue;
          const std::string ref = std::string(json_of(*dep)["reference"].as_string());
          auto hook = m.webhook_at(port.load(), Money::charge(ref, 1000 + i));
          if (hook && hook->status == 200) {
            std::lock_guard lock(mu);
            credited.emplace_back(c, ref);
          }
        } else {
          auto wd = m.call_at(port.load(), "POST", "/api/v1/wallet/withdrawals", withdrawals[c], tokens[c], key);
          if (wd && wd->status == 201) {
            std::lock_guard lock(mu);
            withdrawn.emplace_back(c, std::string(json_of(*wd)["id"].as_string()));
          }
        }
      }
    });
  std::this_thread::sleep_for(1500ms);
  m.crash_and_restart();
  port.store(m.port());
  std::this_thread::sleep_for(300ms);
  stop.store(true);
  for (auto& t : load) t.join();
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  std::printf("crash under load: %zu credited deposits and %zu withdrawals acknowledged before and after a SIGKILL\n",
              credited.size(), withdrawn.size());
  EXPECT_GT(credited.size() + withdrawn.size(), 20u) << "the load did not run";

  for (const auto& [c, id] : withdrawn) {
    auto r = m.get_auth("/api/v1/wallet/withdrawals/" + id, tokens[c]);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << "acknowledged withdrawal " << id << " is gone";
  }
  for (int c = 0; c < kClients; ++c) {
    std::set<std::string> seen;
    std::string cursor;
    for (;;) {
      auto page = json_of(*m.get_auth(
          "/api/v1/wallet/transactions?limit=100" + (cursor.empty() ? "" : "&cursor=" + cursor), tokens[c]));
      for (auto& line : page["data"].as_array()) seen.insert(std::string(line.as_object()["reference"].as_string()));
      if (page["next_cursor"].is_null()) break;
      cursor = std::string(page["next_cursor"].as_string());
    }
    for (const auto& [owner, ref] : credited) {
      if (owner == c) {
        EXPECT_TRUE(seen.count(ref)) << "acknowledged deposit " << ref << " was lost";
      }
    }
  }
  EXPECT_EQ(m.verify_ledger(), 0);
}

}  // namespace

TEST(Payments, SigkillUnderMoneyLoadLosesNothingAcknowledgedSqlite) {
  Money m;
  crash_under_money_load(m);
}

TEST(Payments, SigkillUnderMoneyLoadLosesNothingAcknowledgedPostgres) {
  PgServer pg;
  pg.create_database("crash");
  Money m(Env{{"DATABASE_URL", pg.url("crash")}});
  crash_under_money_load(m);
}
