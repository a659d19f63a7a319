#include "config/config.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using b2w::config::Env;
using b2w::config::load;
using namespace std::chrono;

namespace {

const std::string kSecretA(40, 'a');
const std::string kSecretB(40, 'b');

Env production_env() {
  return {{"APP_ENV", "production"},
          {"JWT_SECRET", kSecretA},
          {"JWT_REFRESH_SECRET", kSecretB},
          {"PAYSTACK_SECRET_KEY", "sk_test_0123456789"},
          {"DATABASE_URL", "postgresql://app@db.local/b2w"},
          {"REDIS_URL", "rediss://cache.local:6379"},
          {"TERMII_API_KEY", "TLtest0123456789"}};
}

bool has_error_about(const std::vector<std::string>& errors, const std::string& name) {
  for (const auto& e : errors)
    if (e.rfind(name + ":", 0) == 0) return true;
  return false;
}

}  // namespace

TEST(Config, DefaultsWithAnEmptyEnvironment) {
  auto r = load({}, "1.2.3");
  ASSERT_TRUE(r.errors.empty());
  const auto& c = r.config;
  EXPECT_EQ(c.port, 4000);
  EXPECT_EQ(c.app_env, "development");
  EXPECT_EQ(c.app_version, "1.2.3");
  EXPECT_EQ(c.root_entry, "/api/v1");
  EXPECT_EQ(c.api_docs, "/api/v1/docs");
  EXPECT_EQ(c.keepalive_timeout, seconds(65));
  EXPECT_EQ(c.header_timeout, seconds(10));
  EXPECT_EQ(c.shutdown_drain, seconds(5));
  EXPECT_EQ(c.shutdown_timeout, seconds(25));
  EXPECT_EQ(c.max_body_bytes, 1024u * 1024);
  EXPECT_EQ(c.jwt_expiry, hours(1));
  EXPECT_EQ(c.jwt_refresh_expiry, hours(24 * 7));
  EXPECT_EQ(c.trusted_proxy_hops, 1);
  EXPECT_TRUE(c.trusted_proxies.empty()) << "X-Forwarded-For is read only from configured proxies";
  EXPECT_EQ(c.blocking_threads, 0);
  EXPECT_EQ(c.blocking_queue, 0);
  EXPECT_EQ(c.login_failure_window, hours(24));
  EXPECT_EQ(c.login_throttle_base, seconds(5));
  EXPECT_EQ(c.login_throttle_max, std::chrono::minutes(15));
  EXPECT_EQ(c.rate_limit_permission_points, 100);
  EXPECT_EQ(c.rate_limit_duration_seconds, 60);
  EXPECT_EQ(c.settlement_resume_interval, seconds(60));
  EXPECT_EQ(c.metrics_interval, seconds(60));
  EXPECT_EQ(c.payment_reconcile_interval, seconds(60));
  EXPECT_EQ(c.payment_reconcile_after, std::chrono::minutes(10));
  EXPECT_EQ(c.payment_expire_after, hours(24));
  EXPECT_EQ(c.payment_reconcile_lease, std::chrono::minutes(3));
  EXPECT_EQ(c.payment_reconcile_batch, 100);
}

TEST(Config, DevelopmentGeneratesMissingSecretsWithAWarning) {
  auto r = load({}, "1");
  ASSERT_TRUE(r.errors.empty());
  EXPECT_TRUE(r.config.jwt_secret.generated);
  EXPECT_EQ(r.config.jwt_secret.value.size(), 64u);
  EXPECT_NE(r.config.jwt_secret.value, r.config.jwt_refresh_secret.value);
  EXPECT_EQ(r.warnings.size(), 3u);
  auto again = load({}, "1");
  EXPECT_NE(again.config.jwt_secret.value, r.config.jwt_secret.value) << "per process, not fixed";
}

TEST(Config, ProductionNamesEveryMissingSecretInOneMessage) {
  auto r = load({{"APP_ENV", "production"}}, "1");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("JWT_SECRET"), std::string::npos);
  EXPECT_NE(r.errors[0].find("JWT_REFRESH_SECRET"), std::string::npos);
  EXPECT_NE(r.errors[0].find("PAYSTACK_SECRET_KEY"), std::string::npos);
  EXPECT_NE(r.errors[0].find("DATABASE_URL"), std::string::npos);
  EXPECT_NE(r.errors[0].find("REDIS_URL"), std::string::npos);
}

TEST(Config, ProductionWithSecretsLoads) {
  auto r = load(production_env(), "1");
  EXPECT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_TRUE(r.config.production());
  EXPECT_TRUE(r.warnings.empty());
}

TEST(Config, WithdrawalsNeedAVerifiedPhoneInProductionUnlessSaidOtherwise) {
  EXPECT_TRUE(load(production_env(), "1").config.require_verified_phone_for_withdrawal);
  EXPECT_FALSE(load({}, "1").config.require_verified_phone_for_withdrawal);
  auto env = production_env();
  env["REQUIRE_VERIFIED_PHONE_FOR_WITHDRAWAL"] = "false";
  EXPECT_FALSE(load(env, "1").config.require_verified_phone_for_withdrawal);
  // On without Termii no phone can be verified, so no withdrawal made: loaded, with a warning.
  env = production_env();
  env.erase("TERMII_API_KEY");
  auto r = load(env, "1");
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings.front().find("REQUIRE_VERIFIED_PHONE_FOR_WITHDRAWAL"), std::string::npos);
}

TEST(Config, NodeEnvIsAnAliasAndAppEnvWins) {
  auto env = production_env();
  env.erase("APP_ENV");
  env["NODE_ENV"] = "production";
  EXPECT_EQ(load(env, "1").config.app_env, "production");
  EXPECT_EQ(load({{"NODE_ENV", "production"}, {"APP_ENV", "development"}}, "1").config.app_env, "development");
}

TEST(Config, ProductionRejectsShortOrEqualJwtSecrets) {
  auto env = production_env();
  env["JWT_SECRET"] = "short";
  EXPECT_TRUE(has_error_about(load(env, "1").errors, "JWT_SECRET"));
  env = production_env();
  env["JWT_REFRESH_SECRET"] = kSecretA;
  EXPECT_TRUE(has_error_about(load(env, "1").errors, "JWT_REFRESH_SECRET"));
}

struct BadValue {
  const char* name;
  const char* value;
};

class ConfigBadValue : public ::testing::TestWithParam<BadValue> {};

TEST_P(ConfigBadValue, IsOneLineNamingTheVariable) {
  auto r = load({{GetParam().name, GetParam().value}}, "1");
  ASSERT_EQ(r.errors.size(), 1u) << GetParam().name;
  EXPECT_TRUE(has_error_about(r.errors, GetParam().name)) << r.errors[0];
  EXPECT_EQ(r.errors[0].find('\n'), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    EveryKind, ConfigBadValue,
    ::testing::Values(
        BadValue{"PORT", "abc"}, BadValue{"PORT", "70000"}, BadValue{"PORT", "-1"}, BadValue{"JWT_EXPIRY", "1x"},
        BadValue{"JWT_REFRESH_EXPIRY", "soon"}, BadValue{"APP_ENV", "staging"}, BadValue{"NODE_ENV", "prod"},
        BadValue{"LOG_LEVEL", "loud"}, BadValue{"ROOT_ENTRY", "api"}, BadValue{"ROOT_ENTRY", "/api v1"},
        BadValue{"API_DOCS", "//x"}, BadValue{"HOST_URL", "not a url"}, BadValue{"REDIS_URL", "http://cache:6379"},
        BadValue{"DATABASE_URL", "mysql://db/x"}, BadValue{"PAYSTACK_BASE_URL", "ftp://x"},
        BadValue{"MAX_BODY_BYTES", "lots"}, BadValue{"MAX_BODY_BYTES", "1"}, BadValue{"MAX_HEADER_BYTES", "lots"},
        BadValue{"MAX_HEADER_BYTES", "2MiB"}, BadValue{"HEADER_TIMEOUT", "10q"}, BadValue{"KEEPALIVE_TIMEOUT", "5ms"},
        BadValue{"SHUTDOWN_DRAIN_SECONDS", "30s"}, BadValue{"SHUTDOWN_TIMEOUT", "x"},
        BadValue{"TRUSTED_PROXY_HOPS", "-1"}, BadValue{"IO_THREADS", "many"}, BadValue{"REDIS_POOL_MAX", "0"},
        BadValue{"REDIS_POOL_MIN", "50"}, BadValue{"REDIS_POOL_ACQUIRE_TIMEOUT", "soon"},
        BadValue{"REDIS_POOL_IDLE_TIMEOUT", "1y"}, BadValue{"REDIS_POOL_RETRY_ATTEMPTS", "11"},
        BadValue{"RATE_LIMIT_DURATION_SECONDS", "0"}, BadValue{"RATE_LIMIT_PERMISSION_POINTS", "1.5"},
        BadValue{"MAX_CONNECTIONS", "0"}, BadValue{"SETTLEMENT_BATCH_SIZE", "0"},
        BadValue{"SETTLEMENT_RESUME_INTERVAL", "often"}, BadValue{"METRICS_INTERVAL", "1 minute"},
        BadValue{"TRUSTED_PROXIES", "vpc"}, BadValue{"TRUSTED_PROXIES", "10.0.0.0/8,10.0.0.1/8"},
        BadValue{"TRUSTED_PROXIES", "::1/129"}, BadValue{"JWT_EXPIRY", "30s"}, BadValue{"JWT_EXPIRY", "2d"},
        BadValue{"JWT_REFRESH_EXPIRY", "30m"}, BadValue{"BLOCKING_QUEUE", "-1"}, BadValue{"BLOCKING_THREADS", "lots"},
        BadValue{"LOGIN_THROTTLE_MAX", "1s"}, BadValue{"LOGIN_FAILURE_WINDOW", "never"},
        BadValue{"PAYMENT_RECONCILE_INTERVAL", "often"}, BadValue{"PAYMENT_RECONCILE_AFTER", "500ms"},
        BadValue{"PAYMENT_EXPIRE_AFTER", "5m"}, BadValue{"PAYMENT_RECONCILE_LEASE", "30s"},
        BadValue{"PAYMENT_RECONCILE_BATCH", "0"}),
    [](const auto& info) { return std::string(info.param.name) + "_" + std::to_string(info.index); });

TEST(Config, TrustedProxiesAreCidrBlocks) {
  auto r = load({{"TRUSTED_PROXIES", "10.0.0.0/16, ::1/128,127.0.0.1"}}, "1");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  ASSERT_EQ(r.config.trusted_proxies.size(), 3u);
  EXPECT_EQ(r.config.trusted_proxies[2].to_string(), "127.0.0.1/32");
  const auto summary = r.config.summary();
  const auto it =
      std::find_if(summary.begin(), summary.end(), [](const auto& kv) { return kv.first == "TRUSTED_PROXIES"; });
  ASSERT_NE(it, summary.end());
  EXPECT_EQ(it->second, "10.0.0.0/16,::1/128,127.0.0.1/32");
}

TEST(Config, AccessTokensLiveAMinuteToADayAndLessThanRefreshTokens) {
  EXPECT_TRUE(load({{"JWT_EXPIRY", "15m"}}, "1").errors.empty());
  EXPECT_TRUE(load({{"JWT_EXPIRY", "1m"}}, "1").errors.empty());
  EXPECT_TRUE(load({{"JWT_EXPIRY", "24h"}, {"JWT_REFRESH_EXPIRY", "2d"}}, "1").errors.empty());
  EXPECT_FALSE(load({{"JWT_EXPIRY", "2h"}, {"JWT_REFRESH_EXPIRY", "1h"}}, "1").errors.empty());
}

TEST(Config, ReportsEveryProblemAtOnce) {
  auto r = load({{"PORT", "abc"}, {"JWT_EXPIRY", "1x"}, {"LOG_LEVEL", "loud"}}, "1");
  EXPECT_EQ(r.errors.size(), 3u);
}

TEST(Config, RedisPoolTimeoutsAsBareNumbersAreMilliseconds) {
  auto r = load({{"REDIS_POOL_ACQUIRE_TIMEOUT", "1500"}, {"REDIS_POOL_IDLE_TIMEOUT", "30000"}}, "1");
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.config.redis_pool_acquire_timeout, milliseconds(1500));
  EXPECT_EQ(r.config.redis_pool_idle_timeout, seconds(30));
  EXPECT_EQ(load({{"REDIS_POOL_ACQUIRE_TIMEOUT", "2s"}}, "1").config.redis_pool_acquire_timeout, seconds(2));
}

TEST(Config, TrailingSlashOnPathsIsDropped) {
  auto r = load({{"ROOT_ENTRY", "/api/v2/"}}, "1");
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.config.root_entry, "/api/v2");
  EXPECT_EQ(r.config.api_docs, "/api/v2/docs");
}

TEST(Config, SummaryNeverShowsSecretValues) {
  auto env = production_env();
  env["REDIS_URL"] = "rediss://default:hunter2hunter2@cache.local:6379";
  env["DATABASE_URL"] = "postgres://app:pg-pass-123456@db.local:5432/b2w";
  auto r = load(env, "1");
  ASSERT_TRUE(r.errors.empty());
  std::string all;
  for (const auto& [k, v] : r.config.summary()) all += k + "=" + v + "\n";
  for (const auto& secret : r.config.secret_values()) EXPECT_EQ(all.find(secret), std::string::npos) << secret;
  EXPECT_NE(all.find("cache.local"), std::string::npos);
  const auto secrets = r.config.secret_values();
  EXPECT_NE(std::find(secrets.begin(), secrets.end(), "hunter2hunter2"), secrets.end());
  EXPECT_NE(std::find(secrets.begin(), secrets.end(), "pg-pass-123456"), secrets.end());
}

TEST(Config, ProductionRefusesEmbeddedStores) {
  auto env = production_env();
  env.erase("DATABASE_URL");
  auto r = load(env, "1");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("SQLite"), std::string::npos);
  env = production_env();
  env.erase("REDIS_URL");
  r = load(env, "1");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("in-process"), std::string::npos);
}

TEST(Config, AssemblesUrlsFromSplitVariablesAsEcsInjectsThem) {
  auto r = load({{"REDIS_HOST", "master.cache.euc1.amazonaws.com"},
                 {"REDIS_AUTH_TOKEN", "tok/with:odd@chars"},
                 {"DB_HOST", "db.rds.amazonaws.com"},
                 {"DB_NAME", "b2w"},
                 {"DB_USER", "app"},
                 {"DB_PASSWORD", "p@ss:word/1"},
                 {"DB_SSLROOTCERT", "/etc/ssl/rds.pem"}},
                "1");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_EQ(*r.config.redis_url, "rediss://default:tok%2Fwith:odd%40chars@master.cache.euc1.amazonaws.com:6379");
  EXPECT_EQ(*r.config.database_url,
            "postgresql://app:p%40ss:word%2F1@db.rds.amazonaws.com:5432/b2w?sslmode=verify-full&sslrootcert=/etc/ssl/"
            "rds.pem");
  const auto secrets = r.config.secret_values();
  EXPECT_NE(std::find(secrets.begin(), secrets.end(), "tok/with:odd@chars"), secrets.end());
  EXPECT_NE(std::find(secrets.begin(), secrets.end(), "p@ss:word/1"), secrets.end());
}
