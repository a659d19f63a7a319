// Two tasks sharing PostgreSQL and Redis, as in production: token rotation and rate limits span tasks.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <iterator>
#include <thread>

#include "harness.hpp"
#include "pg_server.hpp"
#include "redis_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::object;

namespace {

object json_of(const HttpResponse& r) {
  return boost::json::parse(r.body).as_object();
}

std::optional<HttpResponse> post_json(int port, const std::string& path, const object& body) {
  Client c(port, 10s);
  return c.request("POST", path, {{"Content-Type", "application/json"}}, boost::json::serialize(body));
}

}  // namespace

TEST(SharedStores, TwoTasksShareRotationRevocationAndRateLimits) {
  PgServer pg;
  pg.create_database("shared");
  RedisServer redis(RedisServer::Options{.password = "redis-test-password"});
  const Env env{{"DATABASE_URL", pg.url("shared")},
                {"REDIS_URL", redis.url()},
                {"JWT_SECRET", "shared-jwt-secret-0123456789abcdefghij"},
                {"JWT_REFRESH_SECRET", "shared-refresh-secret-0123456789abcdefgh"},
                {"RATE_LIMIT_PERMISSION_POINTS", "6"},
                {"TRUSTED_PROXIES", "127.0.0.1/32"}};  // the test stands in for the ALB
  ServerProcess a(env), b(env);
  ASSERT_TRUE(a.started()) << a.stdout_text();
  ASSERT_TRUE(b.started()) << b.stdout_text();
  {
    // libpq is loaded on demand (dlopen) when DATABASE_URL selects PostgreSQL.
    std::ifstream maps("/proc/" + std::to_string(a.pid()) + "/maps");
    const std::string all((std::istreambuf_iterator<char>(maps)), std::istreambuf_iterator<char>());
    EXPECT_NE(all.find("libpq.so.5"), std::string::npos);
  }

  auto reg =
      post_json(a.port(), "/api/v1/auth/register", {{"email", "shared@example.ng"}, {"password", "shared-pass-1"}});
  ASSERT_TRUE(reg);
  ASSERT_EQ(reg->status, 201) << reg->body;
  const std::string first = std::string(json_of(*reg)["refresh_token"].as_string());
  auto rotated = post_json(a.port(), "/api/v1/auth/refresh", {{"refresh_token", first}});
  ASSERT_EQ(rotated->status, 200) << rotated->body;
  const std::string second = std::string(json_of(*rotated)["refresh_token"].as_string());

  // The old token shown to the other task is a reuse: the family dies everywhere.
  auto reused = post_json(b.port(), "/api/v1/auth/refresh", {{"refresh_token", first}});
  ASSERT_TRUE(reused);
  EXPECT_EQ(reused->status, 401);
  EXPECT_EQ(json_of(*reused)["error"].as_object()["code"].as_string(), "token_reused");
  EXPECT_EQ(post_json(a.port(), "/api/v1/auth/refresh", {{"refresh_token", second}})->status, 401);

  // One client, alternating between the tasks: the limit counts across both.
  int ok = 0, limited = 0;
  for (int i = 0; i < 10; ++i) {
    auto r = get(i % 2 ? a.port() : b.port(), "/api/v1/nothing", {{"X-Forwarded-For", "41.58.77.77"}});
    ASSERT_TRUE(r);
    if (r->status == 404) ++ok;
    if (r->status == 429) ++limited;
  }
  EXPECT_EQ(ok, 6);
  EXPECT_EQ(limited, 4) << "the requests over the limit get 429 on either task";

  // Both dependencies are reported by the background probes.
  object checks;
  for (int i = 0; i < 100; ++i) {
    checks = json_of(*get(a.port(), "/api/v1/health-check"))["checks"].as_object();
    if (checks.contains("database") && checks.contains("cache")) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(checks["database"].as_object()["status"].as_string(), "ok");
  EXPECT_EQ(checks["database"].as_object()["kind"].as_string(), "postgres");
  EXPECT_EQ(checks["cache"].as_object()["status"].as_string(), "ok");
  EXPECT_EQ(checks["cache"].as_object()["kind"].as_string(), "redis");
  EXPECT_EQ(a.stdout_text().find("redis-test-password"), std::string::npos);
}

TEST(SharedStores, CacheDownOrdinaryRoutesFailOpenLoginFailsClosed) {
  PgServer pg;
  pg.create_database("outage");
  RedisServer redis;
  const Env env{{"DATABASE_URL", pg.url("outage")},
                {"REDIS_URL", redis.url()},
                {"REDIS_POOL_ACQUIRE_TIMEOUT", "300"},
                {"REDIS_COMMAND_TIMEOUT", "300ms"}};
  ServerProcess task(env);
  ASSERT_TRUE(task.started()) << task.stdout_text();
  auto reg =
      post_json(task.port(), "/api/v1/auth/register", {{"email", "outage@example.ng"}, {"password", "outage-pass-1"}});
  ASSERT_EQ(reg->status, 201) << reg->body;
  const std::string access = std::string(json_of(*reg)["access_token"].as_string());

  redis.stop();
  const auto t0 = std::chrono::steady_clock::now();
  // The rate limiter cannot count: ordinary routes are admitted anyway (fail open)...
  auto me = get(task.port(), "/api/v1/users/me", {{"Authorization", "Bearer " + access}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200) << me->body;
  // ...but login refuses rather than allow unthrottled password guessing (fail closed), quickly.
  auto login =
      post_json(task.port(), "/api/v1/auth/login", {{"email", "outage@example.ng"}, {"password", "outage-pass-1"}});
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 503);
  EXPECT_EQ(json_of(*login)["error"].as_object()["code"].as_string(), "service_unavailable");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s) << "requests must fail fast, not hang";

  redis.start();
  bool recovered = false;
  for (int i = 0; i < 50 && !recovered; ++i) {
    auto again =
        post_json(task.port(), "/api/v1/auth/login", {{"email", "outage@example.ng"}, {"password", "outage-pass-1"}});
    recovered = again && again->status == 200;
    if (!recovered) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(recovered) << "login did not recover by itself when Redis returned";
}
