// The daily reconciliation (issue 21) on the real binary against the fake Paystack's listings: `bet2wealth reconcile
// --date D [--json]` and GET /admin/reconciliation?date=D. A clean day exits 0; each planted mismatch kind is reported
// with its reference and exits 1; every page of a long listing is read; Paystack down is exit 2 / 503 and no report;
// the endpoint admits finance staff only. On SQLite and PostgreSQL.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json/parse.hpp>
#include <set>
#include <thread>

#include "harness.hpp"
#include "money_server.hpp"
#include "pg_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::object;

namespace {

// Today in Lagos (UTC+1), as the command takes it. A test that would straddle Lagos midnight (23:00 UTC) waits for it
// to pass first, so its payments and its report fall on one day.
std::string lagos_today() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  const auto into_utc_day = now % 86400;
  constexpr std::time_t kLagosMidnight = 23 * 3600;
  if (into_utc_day >= kLagosMidnight - 300 && into_utc_day < kLagosMidnight)
    std::this_thread::sleep_for(std::chrono::seconds(kLagosMidnight - into_utc_day + 2));
  const auto lagos = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) + 3600;
  std::tm tm{};
  gmtime_r(&lagos, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// The Lagos date `days` from today (negative: before).
std::string lagos_date_in(int days) {
  const auto lagos = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) + 3600 + days * 86400;
  std::tm tm{};
  gmtime_r(&lagos, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// A deposit credited by its webhook, which the fake Paystack also records as paid now.
std::string paid_deposit(Money& m, const std::string& token, std::int64_t amount, const std::string& key) {
  auto reference = m.fund(token, amount, key);
  m.paystack().set_verify_status("transaction", reference, "success");
  return reference;
}

// A withdrawal moved by `event` (transfer.success / transfer.failed / transfer.reversed) as Paystack would.
std::string settled_withdrawal(Money& m, const std::string& token, std::int64_t amount, const std::string& key,
                               const std::string& event) {
  auto r = m.post("/api/v1/wallet/withdrawals", m.withdrawal(token, amount), token, key);
  EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "");
  if (!r || r->status != 201) return "";
  std::string reference(json_of(*r)["reference"].as_string());
  m.paystack().set_verify_status("transfer", reference, event.substr(9));
  EXPECT_EQ(m.webhook(Money::transfer_event(event, reference, amount))->status, 200);
  return reference;
}

struct Reconciled {
  int status = -1;
  object report;
  std::string out, err;
};

Reconciled reconcile_cli(Money& m, const std::string& date, bool json = true) {
  std::vector<std::string> args{"reconcile", "--date", date};
  if (json) args.push_back("--json");
  auto run = run_binary(m.env(), args, 120s);
  Reconciled r{run.status, {}, run.out, run.err};
  if (json && !run.out.empty()) {
    boost::system::error_code ec;
    auto parsed = boost::json::parse(run.out, ec);
    if (!ec && parsed.is_object()) r.report = parsed.as_object();
  }
  return r;
}

std::set<std::pair<std::string, std::string>> mismatches(const object& report) {
  std::set<std::pair<std::string, std::string>> out;
  const auto* list = report.if_contains("mismatches");
  if (!list || !list->is_array()) return out;
  for (const auto& item : list->as_array()) {
    const auto& o = item.as_object();
    out.emplace(std::string(o.at("kind").as_string()), std::string(o.at("reference").as_string()));
  }
  return out;
}

std::int64_t total(const object& report, const char* side, const char* kind, const char* field) {
  return report.at("totals").at(side).at(kind).at(field).as_int64();
}

// Runs one statement on the server's SQLite file, as an operator (or a bug) would.
void sqlite_exec(Money& m, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(m.sqlite_path().c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

int list_requests(Money& m, const std::string& prefix) {
  auto seen = boost::json::parse(m.paystack().requests_json()).as_array();
  int n = 0;
  for (const auto& r : seen) n += std::string(r.as_object().at("path").as_string()).rfind(prefix, 0) == 0;
  return n;
}

void a_clean_day(Money& m, const std::string& tag) {
  const auto today = lagos_today();
  const auto token = m.user("clean-" + tag + "@example.ng");
  paid_deposit(m, token, 250000, "d1");
  paid_deposit(m, token, 70000, "d2");
  settled_withdrawal(m, token, 30000, "w1", "transfer.success");
  settled_withdrawal(m, token, 20000, "w2", "transfer.failed");
  settled_withdrawal(m, token, 10000, "w3", "transfer.reversed");
  // A deposit still pending and one abandoned at Paystack: neither counts on either side.
  m.post("/api/v1/wallet/deposits", {{"amount", 5000}}, token, "d-open");

  const auto r = reconcile_cli(m, today);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(r.report.at("date").as_string(), today);
  EXPECT_TRUE(r.report.at("clean").as_bool());
  EXPECT_TRUE(mismatches(r.report).empty()) << r.out;
  EXPECT_EQ(total(r.report, "ours", "deposits", "count"), 2);
  EXPECT_EQ(total(r.report, "ours", "deposits", "kobo"), 320000);
  EXPECT_EQ(total(r.report, "paystack", "deposits", "kobo"), 320000);
  EXPECT_EQ(total(r.report, "ours", "withdrawals", "count"), 1);
  EXPECT_EQ(total(r.report, "paystack", "withdrawals", "kobo"), 30000);
  EXPECT_GE(list_requests(m, "/transaction?"), 1);
  EXPECT_GE(list_requests(m, "/transfer?"), 1);

  // The table for people says so too, on stdout; the logs went to stderr.
  const auto table = reconcile_cli(m, today, false);
  EXPECT_EQ(table.status, 0);
  EXPECT_NE(table.out.find("clean: no mismatch"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("\"level\""), std::string::npos) << "a log line in the report";

  // The admin endpoint runs the same report.
  const auto finance = m.staff("finance-" + tag + "@example.ng", "finance");
  auto answer = m.get_auth("/api/v1/admin/reconciliation?date=" + today, finance);
  ASSERT_TRUE(answer && answer->status == 200) << (answer ? answer->body : "");
  EXPECT_TRUE(json_of(*answer)["clean"].as_bool());
  EXPECT_EQ(json_of(*answer)["totals"].as_object()["ours"].as_object()["deposits"].as_object()["kobo"].as_int64(),
            320000);
  EXPECT_EQ(m.verify_ledger(), 0);
}

}  // namespace

TEST(DailyReconciliation, ACleanDayExitsZeroOnSqlite) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  a_clean_day(m, "sqlite");
}

TEST(DailyReconciliation, ACleanDayExitsZeroOnPostgres) {
  PgServer pg;
  pg.create_database("daily_clean");
  Money m(Env{{"DATABASE_URL", pg.url("daily_clean")}, {"DB_POOL_MAX", "20"}, {"DB_ACQUIRE_TIMEOUT", "60s"}});
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  a_clean_day(m, "postgres");
}

TEST(DailyReconciliation, EveryPlantedMismatchKindIsReportedWithItsReference) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto today = lagos_today();
  const auto token = m.user("planted@example.ng");
  const auto fine = paid_deposit(m, token, 100000, "fine");
  // We credited it (its webhook came), but Paystack lists no success and its verify still says abandoned.
  const auto not_at_paystack = m.fund(token, 11000, "not-at-paystack");
  const auto amount = paid_deposit(m, token, 12000, "amount");
  m.paystack().plant(R"({"kind":"transaction","reference":")" + amount + R"(","amount":12001})");
  const auto currency = paid_deposit(m, token, 13000, "currency");
  m.paystack().plant(R"({"kind":"transaction","reference":")" + currency + R"(","currency":"GHS"})");
  const auto reversed = settled_withdrawal(m, token, 14000, "reversed-there", "transfer.success");
  m.paystack().plant(R"({"kind":"transfer","reference":")" + reversed + R"(","status":"reversed"})");
  // Paystack has a success we never heard of, and one for a deposit we never completed.
  m.paystack().plant(R"({"kind":"transaction","reference":"ghost-dep-1","amount":5000,"currency":"NGN"})");
  auto open = m.post("/api/v1/wallet/deposits", {{"amount", 16000}}, token, "open");
  ASSERT_EQ(open->status, 201);
  const std::string not_here(json_of(*open)["reference"].as_string());
  m.paystack().set_verify_status("transaction", not_here, "success");
  // The ledger: a credit's clearing entry altered behind the service's back.
  const auto ledger = paid_deposit(m, token, 17000, "ledger");
  sqlite_exec(m,
              "UPDATE ledger_entries SET amount = amount + 1 WHERE account_id LIKE 'provider_clearing:paystack%' AND"
              " transaction_id = (SELECT 'deposit:' || id FROM payments WHERE reference = '" +
                  ledger + "')");

  const auto r = reconcile_cli(m, today);
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_FALSE(r.report.at("clean").as_bool());
  const std::set<std::pair<std::string, std::string>> expected{{"missing_at_paystack", not_at_paystack},
                                                               {"amount_differs", amount},
                                                               {"currency_differs", currency},
                                                               {"status_differs", reversed},
                                                               {"missing_here", "ghost-dep-1"},
                                                               {"missing_here", not_here},
                                                               {"ledger_differs", ledger}};
  EXPECT_EQ(mismatches(r.report), expected) << r.out;
  EXPECT_EQ(mismatches(r.report).count({"missing_at_paystack", fine}), 0u);
  // Every mismatch says what each side says.
  for (const auto& item : r.report.at("mismatches").as_array())
    EXPECT_FALSE(item.as_object().at("detail").as_string().empty());

  const auto table = reconcile_cli(m, today, false);
  EXPECT_EQ(table.status, 1);
  EXPECT_NE(table.out.find("7 mismatch(es)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("ghost-dep-1"), std::string::npos);

  const auto finance = m.staff("finance-planted@example.ng", "finance");
  auto answer = m.get_auth("/api/v1/admin/reconciliation?date=" + today, finance);
  ASSERT_TRUE(answer && answer->status == 200) << (answer ? answer->body : "");
  EXPECT_EQ(mismatches(json_of(*answer)), expected);
}

TEST(DailyReconciliation, PlantedMismatchesOnPostgres) {
  PgServer pg;
  pg.create_database("daily_planted");
  Money m(Env{{"DATABASE_URL", pg.url("daily_planted")}, {"DB_POOL_MAX", "20"}, {"DB_ACQUIRE_TIMEOUT", "60s"}});
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto today = lagos_today();
  const auto token = m.user("planted-pg@example.ng");
  paid_deposit(m, token, 100000, "fine");
  const auto amount = paid_deposit(m, token, 12000, "amount");
  m.paystack().plant(R"({"kind":"transaction","reference":")" + amount + R"(","amount":11000})");
  const auto failed_there = settled_withdrawal(m, token, 14000, "failed-there", "transfer.success");
  m.paystack().plant(R"({"kind":"transfer","reference":")" + failed_there + R"(","status":"failed"})");
  m.paystack().plant(R"({"kind":"transfer","reference":"ghost-wd-1","amount":900,"status":"success"})");
  const auto r = reconcile_cli(m, today);
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_EQ(mismatches(r.report),
            (std::set<std::pair<std::string, std::string>>{
                {"amount_differs", amount}, {"status_differs", failed_there}, {"missing_here", "ghost-wd-1"}}))
      << r.out;
  EXPECT_EQ(total(r.report, "ours", "deposits", "kobo"), 112000);
  EXPECT_EQ(total(r.report, "paystack", "deposits", "kobo"), 111000);
}

// Lagos midnight is 23:00 UTC: a payment settled at 23:30 UTC belongs to the next Lagos day, one at 22:30 UTC to the
// day before it. The two deposits' times (ours, their ledger postings and Paystack's) are moved there.
TEST(DailyReconciliation, ALagosDayStartsAt2300UtcTheDayBefore) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto today = lagos_today();
  const auto yesterday = lagos_date_in(-1);
  const auto token = m.user("midnight@example.ng");
  const auto after_midnight = paid_deposit(m, token, 40000, "after");
  const auto before_midnight = paid_deposit(m, token, 60000, "before");
  // 23:30 and 22:30 UTC on the day before today in Lagos, in epoch microseconds and as Paystack writes them.
  std::tm tm{};
  ASSERT_TRUE(strptime((yesterday + " 23:30:00").c_str(), "%Y-%m-%d %H:%M:%S", &tm));
  const std::int64_t at_2330 = static_cast<std::int64_t>(timegm(&tm)) * 1'000'000;
  const std::int64_t at_2230 = at_2330 - 3'600'000'000LL;
  const auto move = [&](const std::string& reference, std::int64_t when, const std::string& paid_at) {
    const auto at = std::to_string(when);
    sqlite_exec(m, "UPDATE payments SET updated_at = " + at + " WHERE reference = '" + reference + "'");
    sqlite_exec(m, "UPDATE ledger_entries SET created_at = " + at +
                       " WHERE transaction_id = (SELECT 'deposit:' || id FROM payments WHERE reference = '" +
                       reference + "')");
    m.paystack().plant(R"({"kind":"transaction","reference":")" + reference + R"(","paid_at":")" + paid_at +
                       R"(","created_at":")" + paid_at + R"("})");
  };
  move(after_midnight, at_2330, yesterday + "T23:29:00.000Z");
  move(before_midnight, at_2230, yesterday + "T22:29:00.000Z");

  const auto on_today = reconcile_cli(m, today);
  EXPECT_EQ(on_today.status, 0) << on_today.out << on_today.err;
  EXPECT_EQ(total(on_today.report, "ours", "deposits", "kobo"), 40000) << on_today.out;
  EXPECT_EQ(total(on_today.report, "paystack", "deposits", "kobo"), 40000);
  EXPECT_TRUE(on_today.report.at("different_day").as_array().empty()) << on_today.out;
  const auto on_yesterday = reconcile_cli(m, yesterday);
  EXPECT_EQ(on_yesterday.status, 0) << on_yesterday.out << on_yesterday.err;
  EXPECT_EQ(total(on_yesterday.report, "ours", "deposits", "kobo"), 60000) << on_yesterday.out;
  EXPECT_EQ(total(on_yesterday.report, "paystack", "deposits", "kobo"), 60000);
}

TEST(DailyReconciliation, EveryPageOfALongListingIsRead) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto today = lagos_today();
  const auto token = m.user("pages@example.ng");
  const auto ours = paid_deposit(m, token, 100000, "ours");
  // 230 successes Paystack lists that we never heard of: three pages of 100.
  std::set<std::pair<std::string, std::string>> expected;
  for (int i = 0; i < 230; ++i) {
    const auto reference = "unknown-" + std::to_string(i);
    m.paystack().plant(R"({"kind":"transaction","reference":")" + reference + R"(","amount":)" +
                       std::to_string(1000 + i) + "}");
    expected.emplace("missing_here", reference);
  }
  const auto r = reconcile_cli(m, today);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(mismatches(r.report), expected);
  EXPECT_EQ(total(r.report, "paystack", "deposits", "count"), 231);
  EXPECT_EQ(list_requests(m, "/transaction?"), 3);
  EXPECT_EQ(list_requests(m, "/transaction/verify/" + ours), 0) << "found in the listing, not looked up";
  const auto seen = m.paystack().requests_json();
  EXPECT_NE(seen.find("perPage=100&page=3"), std::string::npos);
  EXPECT_EQ(seen.find("page=4"), std::string::npos);
}

TEST(DailyReconciliation, PaystackDownIsExitTwoAnd503NeverAPartialReport) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto today = lagos_today();
  const auto token = m.user("down@example.ng");
  paid_deposit(m, token, 100000, "d");
  m.paystack().set_mode("down");
  const auto r = reconcile_cli(m, today);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty()) << "no report on stdout: " << r.out;
  EXPECT_NE(r.err.find("Paystack"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no report"), std::string::npos) << r.err;

  const auto finance = m.staff("finance-down@example.ng", "finance");
  auto answer = m.get_auth("/api/v1/admin/reconciliation?date=" + today, finance);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 503) << answer->body;
  EXPECT_EQ(code_of(*answer), "payment_provider_unavailable");
  m.paystack().set_mode("ok");
  EXPECT_EQ(reconcile_cli(m, today).status, 0);
}

TEST(DailyReconciliation, TheEndpointAdmitsFinanceStaffAndValidatesTheDate) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto today = lagos_today();
  const auto path = "/api/v1/admin/reconciliation?date=" + today;
  const auto player = m.user("player-recon@example.ng");
  EXPECT_EQ(m.get_auth(path, player)->status, 403);
  EXPECT_EQ(m.get_auth(path, m.staff("support-recon@example.ng", "support"))->status, 403);
  EXPECT_EQ(m.get_auth(path, m.staff("trader-recon@example.ng", "trader"))->status, 403);
  EXPECT_EQ(get(m.port(), path, {})->status, 401);
  const auto finance = m.staff("finance-recon@example.ng", "finance");
  EXPECT_EQ(m.get_auth(path, finance)->status, 200);
  EXPECT_EQ(m.get_auth(path, m.admin("super-recon@example.ng"))->status, 200);
  for (const auto& bad :
       {std::string("2026-13-01"), std::string("yesterday"), std::string("2026-02-30"), lagos_date_in(2)}) {
    auto answer = m.get_auth("/api/v1/admin/reconciliation?date=" + bad, finance);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 422) << bad << " " << answer->body;
    EXPECT_EQ(code_of(*answer), "validation_error");
  }
  EXPECT_EQ(m.get_auth("/api/v1/admin/reconciliation", finance)->status, 422);
  // The CLI: usage errors are exit 2.
  EXPECT_EQ(run_binary(m.env(), {"reconcile"}, 20s).status, 2);
  EXPECT_EQ(run_binary(m.env(), {"reconcile", "--date", "25-11-2026"}, 20s).status, 2);
  EXPECT_EQ(run_binary(m.env(), {"reconcile", "--date", today, "--verbose"}, 20s).status, 2);
  EXPECT_EQ(run_binary(m.env(), {"reconcile", "--date", lagos_date_in(2)}, 20s).status, 2);
}
