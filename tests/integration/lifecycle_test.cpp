// Process lifecycle: start-up, configuration errors, logging, graceful shutdown.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;

namespace {

std::vector<boost::json::object> log_lines(const std::string& out) {
  std::vector<boost::json::object> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    EXPECT_FALSE(ec) << "not JSON: " << line;
    if (!ec) lines.push_back(v.as_object());
  }
  return lines;
}

}  // namespace

TEST(Lifecycle, SigtermDrainsThenExitsZero) {
  ServerProcess server(Env{{"SHUTDOWN_DRAIN_SECONDS", "1"}, {"SHUTDOWN_TIMEOUT", "8s"}});
  ASSERT_TRUE(server.started()) << server.stderr_text();

  // A slow request in flight: headers sent, half its body still to come.
  Client slow(server.port(), 10s);
  ASSERT_TRUE(slow.send("POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345"));
  std::this_thread::sleep_for(100ms);
  const auto signalled = std::chrono::steady_clock::now();
  server.signal(SIGTERM);
  ASSERT_TRUE(server.wait_for_log("shutdown started", 2s));

  // During the drain: the health-check says 503 draining, and answers carry Connection: close.
  auto health = get(server.port(), "/api/v1/health-check");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503);
  EXPECT_NE(health->body.find("\"draining\""), std::string::npos);
  EXPECT_EQ(health->header("connection"), "close");

  // After the drain the listener is closed, but the slow request still completes.
  std::this_thread::sleep_for(1300ms);
  EXPECT_FALSE(Client(server.port()).connected());
  ASSERT_TRUE(slow.send("67890"));
  auto r = slow.read_response();
  ASSERT_TRUE(r) << "the in-flight request was dropped";
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->header("connection"), "close");

  auto status = server.wait_exit(8s);
  ASSERT_TRUE(status) << "did not exit within the shutdown timeout";
  EXPECT_EQ(*status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 8s);
  EXPECT_NE(server.stdout_text().find("shutdown complete"), std::string::npos);
}

TEST(Lifecycle, IdleKeepAliveConnectionsCloseAtShutdown) {
  ServerProcess server;
  ASSERT_TRUE(server.started());
  Client idle(server.port());
  ASSERT_TRUE(idle.request("GET", "/api/v1/health-check"));
  server.signal(SIGTERM);
  EXPECT_TRUE(idle.closed_by_peer(3s));
  EXPECT_EQ(server.wait_exit(5s), 0);
}

TEST(Lifecycle, SecondSignalExitsAtOnce) {
  ServerProcess server(Env{{"SHUTDOWN_DRAIN_SECONDS", "20s"}, {"SHUTDOWN_TIMEOUT", "25s"}});
  ASSERT_TRUE(server.started());
  server.signal(SIGTERM);
  ASSERT_TRUE(server.wait_for_log("shutdown started", 2s));
  const auto t0 = std::chrono::steady_clock::now();
  server.signal(SIGINT);
  auto status = server.wait_exit(2s);
  ASSERT_TRUE(status);
  EXPECT_NE(*status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
}

TEST(Lifecycle, ShutdownTimeoutIsEnforced) {
  ServerProcess server(Env{{"SHUTDOWN_DRAIN_SECONDS", "0"}, {"SHUTDOWN_TIMEOUT", "1s"}, {"BODY_TIMEOUT", "30s"}});
  ASSERT_TRUE(server.started());
  Client stuck(server.port());
  ASSERT_TRUE(stuck.send("POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n1"));
  std::this_thread::sleep_for(100ms);
  server.signal(SIGTERM);
  auto status = server.wait_exit(4s);
  ASSERT_TRUE(status) << "the shutdown timeout did not end the process";
  EXPECT_EQ(*status, 1);
  EXPECT_NE(server.stdout_text().find("shutdown timeout"), std::string::npos);
}

TEST(Lifecycle, IdleKeepAliveTimeout) {
  ServerProcess server(Env{{"KEEPALIVE_TIMEOUT", "300ms"}});
  ASSERT_TRUE(server.started());
  Client c(server.port());
  ASSERT_TRUE(c.request("GET", "/api/v1/health-check"));
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_by_peer(3s));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 250ms);
}

// The embedded configuration never maps libpq (loaded with dlopen only for PostgreSQL) nor its
// dependency chain: about a fifth of the idle process's memory (bench/http_health.sh).
TEST(Lifecycle, EmbeddedDefaultsNeverMapLibpq) {
  ServerProcess server;
  ASSERT_TRUE(server.started()) << server.stderr_text();
  ASSERT_TRUE(get(server.port(), "/api/v1/health-check"));
  std::ifstream maps("/proc/" + std::to_string(server.pid()) + "/maps");
  ASSERT_TRUE(maps);
  std::string line;
  int lines = 0;
  while (std::getline(maps, line)) {
    ++lines;
    EXPECT_EQ(line.find("libpq.so"), std::string::npos) << line;
    EXPECT_EQ(line.find("libgssapi_krb5"), std::string::npos) << line;
    EXPECT_EQ(line.find("libldap"), std::string::npos) << line;
  }
  EXPECT_GT(lines, 10);
}

TEST(Lifecycle, LogsAreJsonLinesWithAccessFields) {
  ServerProcess server(
      Env{{"TRUSTED_PROXIES", "127.0.0.0/8"}, {"TRUSTED_PROXY_HOPS", "1"}, {"APP_VERSION", "9.9.9-test"}});
  ASSERT_TRUE(server.started());
  auto r = get(server.port(), "/api/v1/health-check?probe=1",
               {{"X-Request-Id", "log-check-1"}, {"X-Forwarded-For", "6.6.6.6, 41.58.10.20"}});
  ASSERT_TRUE(r);
  server.signal(SIGTERM);
  ASSERT_EQ(server.wait_exit(5s), 0);
  bool saw_startup = false, saw_access = false;
  for (auto& line : log_lines(server.stdout_text())) {
    ASSERT_TRUE(line.contains("ts") && line.contains("level") && line.contains("msg"));
    if (line["msg"] == "starting") {
      saw_startup = true;
      EXPECT_EQ(line["version"].as_string(), "9.9.9-test");
      EXPECT_TRUE(line["config"].is_object());
    }
    if (line["msg"] == "request" && line["request_id"] == "log-check-1") {
      saw_access = true;
      EXPECT_EQ(line["method"].as_string(), "GET");
      EXPECT_EQ(line["path"].as_string(), "/api/v1/health-check");
      EXPECT_EQ(line["status"].as_int64(), 200);
      EXPECT_TRUE(line["duration_us"].is_int64());
      EXPECT_GT(line["bytes_out"].as_int64(), 0);
      EXPECT_EQ(line["client_ip"].as_string(), "41.58.10.20");
    }
  }
  EXPECT_TRUE(saw_startup);
  EXPECT_TRUE(saw_access);
}

// duration_us counts from the request's first bytes, as nginx's $request_time does: a client slow
// to finish its header shows up in it.
TEST(Lifecycle, AccessDurationCountsFromTheFirstBytes) {
  ServerProcess server;
  ASSERT_TRUE(server.started());
  Client c(server.port());
  ASSERT_TRUE(c.send("GET /api/v1/health-check HTTP/1.1\r\nHost: x\r\n"));
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(c.send("X-Request-Id: slow-head-1\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  ASSERT_TRUE(server.wait_for_log("slow-head-1", 2s));
  bool seen = false;
  for (auto& line : log_lines(server.stdout_text())) {
    if (line["msg"] != "request" || line["request_id"] != "slow-head-1") continue;
    seen = true;
    EXPECT_GE(line["duration_us"].as_int64(), 290'000);
    EXPECT_LT(line["duration_us"].as_int64(), 5'000'000);
  }
  EXPECT_TRUE(seen);
}

// The metrics line (CloudWatch Embedded Metric Format) counts what was served; the last one is
// written at exit, so a task's final partial minute is not lost.
TEST(Lifecycle, MetricsLineCountsRequestsAndIsWrittenAtExit) {
  ServerProcess server(Env{{"METRICS_INTERVAL", "1h"}, {"APP_ENV", "development"}});
  ASSERT_TRUE(server.started());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(get(server.port(), "/api/v1/health-check"));
  ASSERT_TRUE(get(server.port(), "/api/v1/no-such-thing"));
  server.signal(SIGTERM);
  ASSERT_EQ(server.wait_exit(5s), 0);
  int metric_lines = 0;
  for (auto& line : log_lines(server.stdout_text())) {
    if (line["msg"] != "metrics") continue;
    ++metric_lines;
    EXPECT_EQ(line["Environment"].as_string(), "development");
    EXPECT_GE(line["Requests"].as_int64(), 6);
    EXPECT_EQ(line["ClientErrors"].as_int64(), 1);
    EXPECT_EQ(line["ServerErrors"].as_int64(), 0);
    EXPECT_TRUE(line["_aws"].as_object()["CloudWatchMetrics"].is_array());
    EXPECT_TRUE(line["Latency"].as_object()["Values"].is_array());
  }
  EXPECT_EQ(metric_lines, 1) << server.stdout_text();
}

TEST(Lifecycle, NoSecretValueInAnyLogLine) {
  const std::string jwt = "jwt-secret-value-0123456789abcdef-XYZ";
  const std::string refresh = "refresh-secret-value-0123456789abcdef-XYZ";
  const std::string paystack = "sk_test_paystack_secret_5f3a9c";
  const std::string redis_pw = "redis-password-77aa";
  ServerProcess server(Env{
      {"JWT_SECRET", jwt}, {"JWT_REFRESH_SECRET", refresh}, {"PAYSTACK_SECRET_KEY", paystack}, {"LOG_LEVEL", "debug"}});
  ASSERT_TRUE(server.started());
  // Clients may send secrets anywhere: as the request id, in the path, in headers.
  get(server.port(), "/api/v1/" + paystack + "?token=" + jwt, {{"X-Request-Id", refresh}, {"User-Agent", jwt}});
  get(server.port(), "/api/v1/health-check", {{"X-Forwarded-For", paystack}});
  server.signal(SIGTERM);
  ASSERT_EQ(server.wait_exit(5s), 0);
  const auto out = server.stdout_text() + server.stderr_text();
  for (const auto& secret : {jwt, refresh, paystack, redis_pw})
    EXPECT_EQ(out.find(secret), std::string::npos) << secret;
  EXPECT_NE(out.find("[REDACTED]"), std::string::npos);
  EXPECT_NE(out.find("\"JWT_SECRET\":\"[set]\""), std::string::npos);
}

TEST(Lifecycle, DevelopmentWarnsAboutGeneratedSecrets) {
  ServerProcess server;
  ASSERT_TRUE(server.started());
  EXPECT_NE(server.stdout_text().find("JWT_SECRET is not set"), std::string::npos);
}

TEST(Lifecycle, PortInUseIsAClearError) {
  ServerProcess first;
  ASSERT_TRUE(first.started());
  auto r = run_binary({{"PORT", std::to_string(first.port())}, {"BIND_ADDRESS", "127.0.0.1"}}, {}, 5s);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("cannot listen"), std::string::npos);
  EXPECT_NE(r.out.find("Address already in use"), std::string::npos);
}

struct ConfigCase {
  const char* name;
  const char* value;
};

class ConfigErrors : public ::testing::TestWithParam<ConfigCase> {};

TEST_P(ConfigErrors, ExitTwoWithOneLineNamingTheVariable) {
  auto r = run_binary({{GetParam().name, GetParam().value}}, {}, 5s);
  EXPECT_EQ(r.status, 2);
  std::istringstream lines(r.err);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    EXPECT_NE(line.find(GetParam().name), std::string::npos) << line;
  }
  EXPECT_EQ(count, 1) << r.err;
  EXPECT_EQ(r.out, "") << "nothing is served or logged with a bad configuration";
}

INSTANTIATE_TEST_SUITE_P(Cli, ConfigErrors,
                         ::testing::Values(ConfigCase{"PORT", "abc"}, ConfigCase{"JWT_EXPIRY", "1x"},
                                           ConfigCase{"APP_ENV", "staging"}, ConfigCase{"LOG_LEVEL", "chatty"},
                                           ConfigCase{"MAX_BODY_BYTES", "huge"}, ConfigCase{"REDIS_URL", "nope"},
                                           ConfigCase{"KEEPALIVE_TIMEOUT", "-1s"}, ConfigCase{"ROOT_ENTRY", "api"}),
                         [](const auto& info) {
                           return std::string(info.param.name) + "_" + std::to_string(info.index);
                         });

TEST(Cli, ProductionNamesAllMissingSecrets) {
  auto r = run_binary({{"APP_ENV", "production"}}, {}, 5s);
  EXPECT_EQ(r.status, 2);
  for (const char* name : {"JWT_SECRET", "JWT_REFRESH_SECRET", "PAYSTACK_SECRET_KEY"})
    EXPECT_NE(r.err.find(name), std::string::npos) << name;
}

TEST(Cli, VersionHelpAndUnknownCommand) {
  auto version = run_binary({}, {"--version"}, 5s);
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.out.rfind("bet2wealth ", 0), 0u);
  auto help = run_binary({}, {"--help"}, 5s);
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("serve"), std::string::npos);
  auto unknown = run_binary({}, {"frobnicate"}, 5s);
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("unknown command"), std::string::npos);
}

TEST(Lifecycle, HealthReportsTheEmbeddedDatabase) {
  ServerProcess server;
  ASSERT_TRUE(server.started());
  boost::json::object database;
  for (int i = 0; i < 100 && database.empty(); ++i) {
    auto r = get(server.port(), "/api/v1/health-check");
    ASSERT_TRUE(r);
    auto checks = boost::json::parse(r->body).as_object()["checks"].as_object();
    if (checks.contains("database"))
      database = checks["database"].as_object();
    else
      std::this_thread::sleep_for(20ms);
  }
  ASSERT_FALSE(database.empty()) << "the background probe never reported";
  EXPECT_EQ(database["status"].as_string(), "embedded");
  EXPECT_EQ(database["kind"].as_string(), "sqlite");
  EXPECT_GE(database["schema_version"].as_int64(), 1);
  EXPECT_NE(server.stdout_text().find("embedded SQLite store"), std::string::npos);
}

TEST(Cli, MigrateAppliesOnceThenNothing) {
  const std::string dir = std::filesystem::temp_directory_path() / ("b2w-migrate-" + std::to_string(::getpid()));
  auto first = run_binary({{"DATA_DIR", dir}}, {"migrate"}, 10s);
  EXPECT_EQ(first.status, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("\"msg\":\"migrations applied\""), std::string::npos);
  EXPECT_EQ(first.out.find("\"applied\":0"), std::string::npos);
  auto second = run_binary({{"DATA_DIR", dir}}, {"migrate"}, 10s);
  EXPECT_EQ(second.status, 0);
  EXPECT_NE(second.out.find("\"applied\":0"), std::string::npos) << second.out;
  std::filesystem::remove_all(dir);
}

// Where the task's database role may not change the schema, `bet2wealth migrate` runs first (as the
// migrator) and a task never starts on a schema older than its own.
TEST(Cli, WithoutMigrateOnStartAnOlderSchemaIsRefusedUntilMigrated) {
  const std::string dir = std::filesystem::temp_directory_path() / ("b2w-no-migrate-" + std::to_string(::getpid()));
  const Env env{{"DATA_DIR", dir}, {"MIGRATE_ON_START", "false"}, {"PORT", "0"}, {"BIND_ADDRESS", "127.0.0.1"}};
  auto refused = run_binary(env, {}, 10s);
  EXPECT_NE(refused.status, 0);
  EXPECT_NE((refused.out + refused.err).find("run `bet2wealth migrate` first"), std::string::npos)
      << refused.out << refused.err;

  ASSERT_EQ(run_binary({{"DATA_DIR", dir}}, {"migrate"}, 10s).status, 0);
  {
    ServerProcess server(Env{{"DATA_DIR", dir}, {"MIGRATE_ON_START", "false"}});
    ASSERT_TRUE(server.started()) << server.stdout_text() << server.stderr_text();
    EXPECT_NE(server.stdout_text().find("\"migrations_applied\":0"), std::string::npos) << server.stdout_text();
  }
  std::filesystem::remove_all(dir);
}

TEST(Cli, ProductionRefusesTheEmbeddedStores) {
  auto r = run_binary({{"APP_ENV", "production"},
                       {"JWT_SECRET", std::string(40, 'a')},
                       {"JWT_REFRESH_SECRET", std::string(40, 'b')},
                       {"PAYSTACK_SECRET_KEY", "sk_test_x"}},
                      {}, 5s);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("SQLite"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("REDIS_URL"), std::string::npos) << r.err;
}
