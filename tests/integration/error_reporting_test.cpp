// Error reporting to Sentry and tracing (issue 25): the real binary, a fake Sentry that parses envelopes on its own
// (tests/support/fake_sentry.py) and the fake Paystack recording the trace headers it receives.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <regex>
#include <thread>

#include "fake_sentry.hpp"
#include "money_server.hpp"

namespace b2w::test {
namespace {

using Clock = std::chrono::steady_clock;

std::string str(const boost::json::value& v) {
  return std::string(v.as_string());
}

// What a broken database looks like to the service: a table gone from under it (no production code path does this;
// it makes the store's own error reach the pipeline as a real internal error would).
void break_table(const std::string& db_path, const std::string& table) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* error = nullptr;
  const std::string sql = "ALTER TABLE " + table + " RENAME TO " + table + "_gone";
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

// The envelopes of one component (tags.component), once at least `count` came (or the wait ran out).
boost::json::array wait_envelopes(const FakeSentry& sentry, const std::string& component, std::size_t count,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    boost::json::array found;
    for (const auto& e : sentry.envelopes()) {
      const auto& items = e.at("items").as_array();
      if (items.empty()) continue;
      const auto& tags = items.at(0).at("payload").at("tags").as_object();
      if (tags.contains("component") && tags.at("component").as_string() == component) found.push_back(e);
    }
    if (found.size() >= count || Clock::now() > deadline) return found;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

const std::string kEmail = "ada.sentry@example.com";

// Every request the fake Paystack received (path, body, authorization, x_amzn_trace_id, traceparent).
boost::json::array paystack_requests(Money& m) {
  auto parsed = boost::json::parse(m.paystack().requests_json());
  return std::move(parsed.as_array());
}

TEST(ErrorReporting, InternalErrorSendsOneScrubbedEnvelope) {
  FakeSentry sentry;
  Money m({{"SENTRY_DSN", sentry.dsn()}, {"APP_VERSION", "9.8.7-test"}});
  const auto token = m.user(kEmail);
  const auto me = json_of(*m.get_auth("/api/v1/users/me", token));
  const auto user_id = str(me.at("id"));
  break_table(m.sqlite_path(), "ledger_entries");

  const auto started = Clock::now();
  auto r = get(m.port(), "/api/v1/wallet/transactions",
               {{"Authorization", "Bearer " + token}, {"X-Request-Id", "req-sentry-500"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 500) << r->body;
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(2));
  EXPECT_EQ(code_of(*r), "internal_error");

  const auto envelopes = wait_envelopes(sentry, "http", 1);
  ASSERT_EQ(envelopes.size(), 1u) << boost::json::serialize(sentry.envelopes());
  const auto& e = envelopes.at(0).as_object();
  EXPECT_TRUE(e.at("problem").is_null()) << e.at("problem");
  EXPECT_EQ(str(e.at("project")), sentry.project());
  EXPECT_EQ(str(e.at("content_type")), "application/x-sentry-envelope");
  const auto& auth = e.at("auth").as_object();
  EXPECT_EQ(str(auth.at("sentry_version")), "7");
  EXPECT_EQ(str(auth.at("sentry_key")), sentry.key());
  EXPECT_EQ(str(auth.at("sentry_client")), "bet2wealth/9.8.7-test");
  const auto& item = e.at("items").at(0).as_object();
  EXPECT_EQ(str(item.at("header").at("type")), "event");
  const auto& event = item.at("payload").as_object();
  EXPECT_TRUE(std::regex_match(str(event.at("event_id")), std::regex("[0-9a-f]{32}")));
  EXPECT_EQ(str(event.at("event_id")), str(e.at("header").at("event_id")));
  EXPECT_EQ(str(event.at("release")), "9.8.7-test");
  EXPECT_EQ(str(event.at("environment")), "development");
  EXPECT_EQ(str(event.at("level")), "error");
  EXPECT_EQ(str(event.at("tags").at("request_id")), "req-sentry-500");
  EXPECT_EQ(str(event.at("tags").at("route")), "/api/v1/wallet/transactions");
  EXPECT_EQ(str(event.at("tags").at("method")), "GET");
  ASSERT_TRUE(event.contains("user"));
  EXPECT_EQ(event.at("user").as_object().size(), 1u);  // the id, nothing else
  EXPECT_EQ(str(event.at("user").at("id")), user_id);
  const auto& exception = event.at("exception").at("values").at(0).as_object();
  EXPECT_NE(str(exception.at("value")).find("ledger_entries"), std::string::npos) << exception;
  EXPECT_FALSE(str(exception.at("type")).empty());
  const auto& frame = exception.at("stacktrace").at("frames").at(0).as_object();
  EXPECT_NE(str(frame.at("filename")).find("pipeline.cpp"), std::string::npos);
  // Nothing personal or secret anywhere in what was sent.
  const auto raw = str(e.at("raw"));
  EXPECT_EQ(raw.find(kEmail), std::string::npos);
  EXPECT_EQ(raw.find(token), std::string::npos);
  EXPECT_EQ(raw.find("money-pass-1"), std::string::npos);
  EXPECT_EQ(raw.find(kPaystackSecret), std::string::npos);
  // The DSN is a secret: not in the logs.
  EXPECT_EQ(m.server().stdout_text().find(sentry.dsn()), std::string::npos);

  // A 4xx is not an error to report.
  auto missing = get(m.port(), "/api/v1/no-such-thing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(wait_envelopes(sentry, "http", 2, std::chrono::milliseconds(0)).size(), 1u);
}

TEST(ErrorReporting, SlowSentryCostsRequestsNothingAndTheQueueIsBounded) {
  FakeSentry sentry;
  sentry.set_mode("hang");  // holds every post 30 s
  Money m({{"SENTRY_DSN", sentry.dsn()}});
  const auto token = m.user(kEmail);
  break_table(m.sqlite_path(), "ledger_entries");

  constexpr int kRequests = 150;
  auto slowest = std::chrono::nanoseconds(0);
  Client c(m.port(), std::chrono::seconds(5));
  for (int i = 0; i < kRequests; ++i) {
    const auto started = Clock::now();
    auto r = c.request("GET", "/api/v1/wallet/transactions", {{"Authorization", "Bearer " + token}});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 500);
    slowest = std::max(slowest, Clock::now() - started);
  }
  EXPECT_LT(slowest, std::chrono::seconds(1));
  ASSERT_TRUE(m.server().wait_for_log("error reports dropped", std::chrono::seconds(5)));
  EXPECT_LE(sentry.received(), 1);  // one post in flight, held by the fake

  // The exit waits for the queue a bounded time, then counts what it could not send.
  const auto stopping = Clock::now();
  m.server().signal(SIGTERM);
  ASSERT_TRUE(m.server().wait_exit(std::chrono::seconds(20)));
  EXPECT_LT(Clock::now() - stopping, std::chrono::seconds(12));
  const auto logs = m.server().stdout_text();
  std::smatch stats;
  ASSERT_TRUE(std::regex_search(logs, stats,
                                std::regex("\"error reporting stopped\",\"sent\":(\\d+),\"failed\":(\\d+),"
                                           "\"dropped\":(\\d+)")))
      << logs.substr(logs.size() > 3000 ? logs.size() - 3000 : 0);
  EXPECT_EQ(std::stoi(stats[1]), 0);
  // At most the queue (64) and the one in flight were ever held; the rate limit (60 a minute) admits fewer still.
  EXPECT_GE(std::stoi(stats[3]), kRequests - 61);
  EXPECT_EQ(std::stoi(stats[1]) + std::stoi(stats[2]) + std::stoi(stats[3]), kRequests);
}

TEST(ErrorReporting, UnreachableSentryLeavesTheServiceAlone) {
  // A DSN whose host answers nothing: a port taken and closed again.
  int closed_port = 0;
  {
    FakeSentry gone;
    closed_port = std::stoi(gone.dsn().substr(gone.dsn().rfind(':') + 1));
  }
  Money m({{"SENTRY_DSN", "http://deadkey@127.0.0.1:" + std::to_string(closed_port) + "/1"}});
  const auto token = m.user(kEmail);
  EXPECT_EQ(get(m.port(), "/api/v1/health-check")->status, 200);
  break_table(m.sqlite_path(), "ledger_entries");
  for (int i = 0; i < 5; ++i) {
    const auto started = Clock::now();
    auto r = m.get_auth("/api/v1/wallet/transactions", token);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500);
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(1));
  }
  EXPECT_TRUE(m.server().wait_for_log("\"error report not delivered\"", std::chrono::seconds(10)));
  EXPECT_NE(m.server().stdout_text().find("\"outcome\":\"unreachable\""), std::string::npos);
  EXPECT_EQ(m.get_auth("/api/v1/wallet", token)->status, 200);
  EXPECT_EQ(get(m.port(), "/api/v1/health-check")->status, 200);
}

TEST(ErrorReporting, FailedBackgroundRoundIsReported) {
  FakeSentry sentry;
  Money m({{"SENTRY_DSN", sentry.dsn()}, {"SETTLEMENT_RESUME_INTERVAL", "200ms"}});
  break_table(m.sqlite_path(), "pending_settlements");
  const auto envelopes = wait_envelopes(sentry, "settlement_resumer", 1);
  ASSERT_GE(envelopes.size(), 1u) << boost::json::serialize(sentry.envelopes());
  const auto& event = envelopes.at(0).at("items").at(0).at("payload").as_object();
  EXPECT_FALSE(event.contains("user"));
  const auto& exception = event.at("exception").at("values").at(0).as_object();
  EXPECT_NE(str(exception.at("value")).find("pending_settlements"), std::string::npos) << exception;
  EXPECT_NE(str(exception.at("stacktrace").at("frames").at(0).at("filename")).find("settlement_resumer"),
            std::string::npos);
}

TEST(ErrorReporting, StartUpFailureIsReportedBeforeExit) {
  FakeSentry sentry;
  // A PostgreSQL URL where nothing listens: the start-up fails after error reporting started.
  int closed_port = 0;
  {
    FakeSentry gone;
    closed_port = std::stoi(gone.dsn().substr(gone.dsn().rfind(':') + 1));
  }
  const auto run = run_binary({{"SENTRY_DSN", sentry.dsn()},
                               {"PORT", "0"},
                               {"BIND_ADDRESS", "127.0.0.1"},
                               {"DATABASE_URL", "postgresql://u:p@127.0.0.1:" + std::to_string(closed_port) + "/db"}},
                              {}, std::chrono::seconds(30));
  EXPECT_NE(run.status, 0);
  const auto envelopes = wait_envelopes(sentry, "startup", 1, std::chrono::seconds(2));
  ASSERT_EQ(envelopes.size(), 1u) << run.out << run.err;
  const auto& event = envelopes.at(0).at("items").at(0).at("payload").as_object();
  EXPECT_EQ(str(event.at("level")), "fatal");
}

// ---- Tracing ----

const std::string kAmzn = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1";
const std::string kTraceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

TEST(Tracing, TraceHeadersReachPaystackTheLogAndTheResponse) {
  Money m;
  const auto token = m.user("trace.ada@example.com");
  Client c(m.port(), std::chrono::seconds(15));
  auto r = c.request("POST", "/api/v1/wallet/deposits",
                     {{"Content-Type", "application/json"},
                      {"Authorization", "Bearer " + token},
                      {"Idempotency-Key", "trace-dep-1"},
                      {"X-Request-Id", "req-traced-1"},
                      {"X-Amzn-Trace-Id", kAmzn},
                      {"traceparent", kTraceparent}},
                     R"({"amount": 12345})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(r->header("x-amzn-trace-id"), kAmzn);
  EXPECT_EQ(r->header("traceparent"), kTraceparent);
  EXPECT_EQ(r->header("x-request-id"), "req-traced-1");

  // The same headers went to Paystack with the initialize call.
  bool seen = false;
  for (const auto& req : paystack_requests(m)) {
    if (str(req.at("path")) != "/transaction/initialize") continue;
    seen = true;
    EXPECT_EQ(str(req.at("x_amzn_trace_id")), kAmzn);
    EXPECT_EQ(str(req.at("traceparent")), kTraceparent);
  }
  EXPECT_TRUE(seen);

  // The access line carries the trace id.
  ASSERT_TRUE(m.server().wait_for_log(
      "\"request_id\":\"req-traced-1\",\"trace_id\":\"1-67891233-abcdef012345678912345678\"", std::chrono::seconds(5)))
      << m.server().stdout_text();

  // A request without a trace sends none (no leftover of the one before).
  auto plain = m.post("/api/v1/wallet/deposits", {{"amount", 12346}}, token, "trace-dep-2");
  ASSERT_TRUE(plain);
  ASSERT_EQ(plain->status, 201);
  EXPECT_EQ(plain->header("x-amzn-trace-id"), "");
  int initializes = 0;
  for (const auto& req : paystack_requests(m)) {
    if (str(req.at("path")) != "/transaction/initialize") continue;
    if (++initializes == 2) {
      EXPECT_TRUE(req.at("x_amzn_trace_id").is_null());
      EXPECT_TRUE(req.at("traceparent").is_null());
    }
  }
  EXPECT_EQ(initializes, 2);
}

TEST(Tracing, MalformedOrOversizedHeadersAreIgnored) {
  Money m;
  const auto token = m.user("trace.bad@example.com");
  const std::string oversized = "Root=1-67891233-abcdef012345678912345678;Pad=" + std::string(400, 'a');
  const std::string forged = "Root=1-67891233-abcdef012345678912345678;Parent=x\"},\"admin\":\"yes";
  int n = 0;
  for (const auto& amzn : {oversized, forged, std::string("Root=nonsense")}) {
    Client c(m.port(), std::chrono::seconds(15));
    const std::string request_id = n == 0 ? std::string(300, 'r') : n == 1 ? "bad id<script>" : "ok-id-3";
    auto r = c.request("POST", "/api/v1/wallet/deposits",
                       {{"Content-Type", "application/json"},
                        {"Authorization", "Bearer " + token},
                        {"Idempotency-Key", "trace-bad-" + std::to_string(n)},
                        {"X-Request-Id", request_id},
                        {"X-Amzn-Trace-Id", amzn},
                        {"traceparent", "00-zz-" + amzn.substr(0, 20)}},
                       R"({"amount": 22222})");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    EXPECT_EQ(r->header("x-amzn-trace-id"), "");
    EXPECT_EQ(r->header("traceparent"), "");
    // The client's request id only when it is a short plain token; otherwise the ALB's Root (a plain token) when
    // there is one, else one of ours.
    if (n < 2)
      EXPECT_TRUE(
          std::regex_match(r->header("x-request-id"), std::regex("[0-9a-f]{32}|1-67891233-abcdef012345678912345678")))
          << r->header("x-request-id");
    else
      EXPECT_EQ(r->header("x-request-id"), "ok-id-3");
    ++n;
  }
  for (const auto& req : paystack_requests(m)) {
    EXPECT_TRUE(req.at("x_amzn_trace_id").is_null()) << req;
    EXPECT_TRUE(req.at("traceparent").is_null()) << req;
  }
  const auto logs = m.server().stdout_text();
  EXPECT_EQ(logs.find("\"trace_id\""), std::string::npos);
  EXPECT_EQ(logs.find("admin\\\":\\\"yes"), std::string::npos);
}

}  // namespace
}  // namespace b2w::test
