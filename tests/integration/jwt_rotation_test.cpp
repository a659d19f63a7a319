// Rotating the JWT secrets without logging everyone out, on the real binary: the tasks restart with the new
// keys and the old ones as JWT_SECRET_PREVIOUS / JWT_REFRESH_SECRET_PREVIOUS; tokens signed before the rotation
// still work (access tokens read, refresh tokens rotate into tokens of the new keys); once the previous keys are
// removed, the old tokens are refused and the new ones keep working. SQLite and Redis are shared across the
// restarts, as the tasks of a deployment share PostgreSQL and Redis.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>

#include "harness.hpp"
#include "process.hpp"
#include "redis_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::object;

namespace {

const std::string kOldAccess = "rotation-old-access-secret-0123456789abcdef";
const std::string kOldRefresh = "rotation-old-refresh-secret-0123456789abcdef";
const std::string kNewAccess = "rotation-new-access-secret-0123456789abcdef";
const std::string kNewRefresh = "rotation-new-refresh-secret-0123456789abcdef";

object json_of(const HttpResponse& r) {
  return boost::json::parse(r.body).as_object();
}

std::optional<HttpResponse> post(int port, const std::string& path, const object& body) {
  Client c(port, 10s);
  return c.request("POST", path, {{"Content-Type", "application/json"}}, boost::json::serialize(body));
}

int me(int port, const std::string& token) {
  auto r = get(port, "/api/v1/users/me", {{"Authorization", "Bearer " + token}});
  return r ? r->status : 0;
}

}  // namespace

TEST(JwtRotation, OldTokensWorkWhileThePreviousKeysAreSetAndStopAfterwards) {
  RedisServer redis;
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("b2w-jwt-rotation-" + std::to_string(::getpid()))).string();
  std::filesystem::create_directories(dir);
  const Env shared{{"DATA_DIR", dir}, {"REDIS_URL", redis.url()}};
  auto with = [&](Env keys) {
    for (const auto& [k, v] : shared) keys[k] = v;
    return keys;
  };

  std::string old_access, old_refresh;
  {
    ServerProcess before(with({{"JWT_SECRET", kOldAccess}, {"JWT_REFRESH_SECRET", kOldRefresh}}));
    ASSERT_TRUE(before.started()) << before.stdout_text();
    auto r = post(before.port(), "/api/v1/auth/register",
                  {{"email", "rotating@example.ng"}, {"password", "rotation-pass-1"}, {"date_of_birth", "1990-06-15"}});
    ASSERT_TRUE(r && r->status == 201) << (r ? r->body : "");
    old_access = std::string(json_of(*r)["access_token"].as_string());
    old_refresh = std::string(json_of(*r)["refresh_token"].as_string());
    ASSERT_EQ(me(before.port(), old_access), 200);
  }

  std::string new_access, new_refresh;
  {
    ServerProcess rotating(with({{"JWT_SECRET", kNewAccess},
                                 {"JWT_REFRESH_SECRET", kNewRefresh},
                                 {"JWT_SECRET_PREVIOUS", kOldAccess},
                                 {"JWT_REFRESH_SECRET_PREVIOUS", kOldRefresh}}));
    ASSERT_TRUE(rotating.started()) << rotating.stdout_text();
    // The previous keys are secrets: redacted like the current ones.
    const auto out = rotating.stdout_text() + rotating.stderr_text();
    EXPECT_EQ(out.find(kOldAccess), std::string::npos);
    EXPECT_EQ(out.find(kOldRefresh), std::string::npos);
    EXPECT_EQ(me(rotating.port(), old_access), 200) << "an access token of the previous key is still accepted";
    auto refreshed = post(rotating.port(), "/api/v1/auth/refresh", {{"refresh_token", old_refresh}});
    ASSERT_TRUE(refreshed && refreshed->status == 200) << (refreshed ? refreshed->body : "");
    new_access = std::string(json_of(*refreshed)["access_token"].as_string());
    new_refresh = std::string(json_of(*refreshed)["refresh_token"].as_string());
    EXPECT_EQ(me(rotating.port(), new_access), 200);
    EXPECT_EQ(me(rotating.port(), "x" + old_access), 401);
  }

  {
    ServerProcess after(with({{"JWT_SECRET", kNewAccess}, {"JWT_REFRESH_SECRET", kNewRefresh}}));
    ASSERT_TRUE(after.started()) << after.stdout_text();
    EXPECT_EQ(me(after.port(), old_access), 401) << "the previous key removed: its tokens are refused";
    EXPECT_EQ(me(after.port(), new_access), 200) << "tokens issued during the rotation are of the new key";
    auto refreshed = post(after.port(), "/api/v1/auth/refresh", {{"refresh_token", new_refresh}});
    ASSERT_TRUE(refreshed);
    EXPECT_EQ(refreshed->status, 200) << refreshed->body;
  }
  std::filesystem::remove_all(dir);
}
