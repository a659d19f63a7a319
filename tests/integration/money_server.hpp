#pragma once
// A server wired to a fake Paystack: users, deposits, webhooks, ledger checks. Shared by the
// payments and sportsbook tests.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <ctime>
#include <memory>

#include "fake_paystack.hpp"
#include "harness.hpp"
#include "payments/paystack.hpp"
#include "process.hpp"

namespace b2w::test {

using namespace std::chrono_literals;
using boost::json::object;

inline const std::string kPaystackSecret = "sk_test_fake_paystack_0123456789";

inline object json_of(const HttpResponse& r) {
  return boost::json::parse(r.body).as_object();
}
inline std::string code_of(const HttpResponse& r) {
  return std::string(json_of(r)["error"].as_object()["code"].as_string());
}
// RFC 3339 (UTC) `hours` from now: an event's start time.
inline std::string in_hours(int hours) {
  const auto t = std::chrono::system_clock::now() + std::chrono::hours(hours);
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A server wired to a fake Paystack, with helpers for users, deposits and webhooks.
class Money {
 public:
  explicit Money(const Env& extra = {}) : paystack_(kPaystackSecret), data_dir_(make_temp_dir("b2w-money")) {
    Env env{{"PAYSTACK_SECRET_KEY", kPaystackSecret},
            {"PAYSTACK_BASE_URL", paystack_.base_url()},
            {"PAYSTACK_TIMEOUT", "2s"},
            {"RATE_LIMIT_PERMISSION_POINTS", "1000000"},
            {"REGISTER_MAX_PER_IP", "100000"},
            // Small amounts and many withdrawals keep these tests short; the limits have tests of their own.
            {"MIN_DEPOSIT", "1"},
            {"MIN_WITHDRAWAL", "1"},
            {"MAX_WITHDRAWALS_PER_DAY", "1000"},
            // KYC tier caps out of the way too (kyc_test.cpp sets its own).
            {"KYC_TIER0_WITHDRAWALS_PER_DAY", "1000"},
            {"KYC_TIER0_WITHDRAWAL_DAILY_AMOUNT", "1000000000000"},
            {"KYC_TIER0_MAX_WITHDRAWAL", "1000000000000"},
            {"KYC_TIER1_WITHDRAWALS_PER_DAY", "1000"},
            {"KYC_TIER1_WITHDRAWAL_DAILY_AMOUNT", "1000000000000"},
            {"KYC_TIER1_MAX_WITHDRAWAL", "1000000000000"},
            {"KYC_TIER2_WITHDRAWALS_PER_DAY", "1000"},
            {"KYC_TIER2_WITHDRAWAL_DAILY_AMOUNT", "1000000000000"},
            {"KYC_TIER2_MAX_WITHDRAWAL", "1000000000000"},
            {"JWT_SECRET", "payments-jwt-secret-0123456789abcdefgh"},
            {"JWT_REFRESH_SECRET", "payments-refresh-secret-0123456789abcd"},
            {"DATA_DIR", data_dir_}};  // shared with the CLI runs (ledger verify, admin create)
    for (const auto& [k, v] : extra) env[k] = v;
    env_ = env;
    server_ = std::make_unique<ServerProcess>(env);
    wire_webhooks();
  }
  ~Money() {
    server_.reset();
    remove_tree(data_dir_);
  }
  ServerProcess& server() { return *server_; }
  FakePaystack& paystack() { return paystack_; }
  int port() { return server_->port(); }
  const Env& env() const { return env_; }
  // The SQLite database's file (DATA_DIR is shared with the CLI runs).
  std::string sqlite_path() const { return data_dir_ + "/bet2wealth.db"; }

  std::optional<HttpResponse> call(const std::string& method, const std::string& path, const object& body,
                                   const std::string& token, const std::string& key = "") {
    return call_at(port(), method, path, body, token, key);
  }
  // call() on another task sharing this one's stores (e.g. a second ServerProcess with env()).
  std::optional<HttpResponse> call_at(int port, const std::string& method, const std::string& path, const object& body,
                                      const std::string& token, const std::string& key = "") {
    Client c(port, 15s);
    std::map<std::string, std::string> h{{"Content-Type", "application/json"}};
    if (!token.empty()) h["Authorization"] = "Bearer " + token;
    if (!key.empty()) h["Idempotency-Key"] = key;
    return c.request(method, path, h, boost::json::serialize(body));
  }
  std::optional<HttpResponse> post(const std::string& path, const object& body, const std::string& token,
                                   const std::string& key) {
    return call("POST", path, body, token, key);
  }
  // A superadmin's access token (created with the CLI, as an operator would): admitted to every admin route.
  std::string admin(const std::string& email) { return staff(email, "superadmin"); }
  // A staff account with `role` (trader, finance, support, superadmin), created with the CLI; its access token.
  std::string staff(const std::string& email, const std::string& role) {
    auto created = run_binary(env_, {"admin", "create", "--email", email, "--role", role}, 10s, "admin-pass-123\n");
    EXPECT_EQ(created.status, 0) << created.out << created.err;
    auto login = post("/api/v1/auth/login", {{"email", email}, {"password", "admin-pass-123"}}, "", "");
    EXPECT_TRUE(login && login->status == 200) << (login ? login->body : "");
    return std::string(json_of(*login)["access_token"].as_string());
  }
  std::optional<HttpResponse> get_auth(const std::string& path, const std::string& token) {
    return get(port(), path, {{"Authorization", "Bearer " + token}});
  }
  // A player named `full_name` (the name payout accounts are compared with; kPayoutHolder matches the default).
  std::string user(const std::string& email, const std::string& full_name = "Ada Obi") {
    auto r = post(
        "/api/v1/auth/register",
        {{"email", email}, {"password", "money-pass-1"}, {"date_of_birth", "1990-06-15"}, {"full_name", full_name}}, "",
        "");
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "");
    return std::string(json_of(*r)["access_token"].as_string());
  }
  std::optional<HttpResponse> webhook(const std::string& body,
                                      const std::optional<std::string>& signature = std::nullopt) {
    return webhook_at(port(), body, signature);
  }
  std::optional<HttpResponse> webhook_at(int port, const std::string& body,
                                         const std::optional<std::string>& signature = std::nullopt) {
    return deliver_webhook(port, body, {{"x-paystack-signature", signature.value_or(sign(body))}});
  }
  // A signed webhook as a load balancer forwards it: `forwarded_for` is its X-Forwarded-For line.
  std::optional<HttpResponse> webhook_forwarded_for(const std::string& forwarded_for, const std::string& body) {
    return deliver_webhook(port(), body, {{"x-paystack-signature", sign(body)}, {"X-Forwarded-For", forwarded_for}});
  }
  static std::string sign(const std::string& body) { return b2w::payments::PaystackClient::sign(kPaystackSecret, body); }
  static std::string charge(const std::string& reference, std::int64_t amount, const std::string& currency = "NGN") {
    return boost::json::serialize(object{{"event", "charge.success"},
                                         {"data", object{{"id", 302961},
                                                         {"domain", "test"},
                                                         {"status", "success"},
                                                         {"reference", reference},
                                                         {"amount", amount},
                                                         {"currency", currency},
                                                         {"channel", "card"},
                                                         {"paid_at", "2026-11-25T21:00:00.000Z"}}}});
  }
  static std::string transfer_event(const std::string& event, const std::string& reference, std::int64_t amount,
                                    const std::string& currency = "NGN") {
    return boost::json::serialize(object{{"event", event},
                                         {"data", object{{"reference", reference},
                                                         {"amount", amount},
                                                         {"currency", currency},
                                                         {"status", event.substr(9)},
                                                         {"transfer_code", "TRF_x"}}}});
  }
  // Saves a payout account for the player, as the bank holds it in `holder`'s name (the fake resolves it so), and
  // returns its id; saving the same account again finds the same one (Paystack is not asked again).
  std::string payout_account(const std::string& token, const std::string& account_number = "0123456789",
                             const std::string& bank_code = "058", const std::string& holder = "OBI ADA") {
    paystack_.set_resolvable(bank_code, account_number, holder);
    auto r = post("/api/v1/wallet/payout-accounts", {{"bank_code", bank_code}, {"account_number", account_number}},
                  token, "");
    EXPECT_TRUE(r && (r->status == 201 || r->status == 200)) << (r ? r->body : "");
    if (!r || (r->status != 201 && r->status != 200)) return "pa_missing";
    return std::string(json_of(*r)["id"].as_string());
  }
  // A withdrawal's body: `amount` to the player's default payout account (saved on first use).
  object withdrawal(const std::string& token, std::int64_t amount) {
    return {{"amount", amount}, {"payout_account_id", payout_account(token)}};
  }
  // Deposits and confirms `amount`; returns the deposit's reference.
  std::string fund(const std::string& token, std::int64_t amount, const std::string& key) {
    auto dep = post("/api/v1/wallet/deposits", {{"amount", amount}}, token, key);
    EXPECT_TRUE(dep && dep->status == 201) << (dep ? dep->body : "");
    std::string ref(json_of(*dep)["reference"].as_string());
    EXPECT_EQ(webhook(charge(ref, amount))->status, 200);
    return ref;
  }
  std::optional<HttpResponse> deliver_webhook(int port, const std::string& body,
                                              std::map<std::string, std::string> headers) {
    Client c(port, 15s);
    headers["Content-Type"] = "application/json";
    return c.request("POST", "/api/v1/payments/paystack/webhook", headers, body);
  }
  // SIGKILL, then a new process on the same stores.
  void crash_and_restart() {
    server_->signal(SIGKILL);
    server_->wait_exit(5s);
    server_ = std::make_unique<ServerProcess>(env_);
    wire_webhooks();
  }
  object wallet(const std::string& token) { return json_of(*get_auth("/api/v1/wallet", token)); }
  int verify_ledger() { return run_binary(env_, {"ledger", "verify"}, 20s).status; }

 private:
  // The fake Paystack's scripted early webhooks go to this server.
  void wire_webhooks() {
    if (server_->started())
      paystack_.set_webhook_target("http://127.0.0.1:" + std::to_string(port()) + "/api/v1/payments/paystack/webhook");
  }

  FakePaystack paystack_;
  std::string data_dir_;
  Env env_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace b2w::test
