// Login limits under parallelism, the throttle's policy and the bounded hashing queue, against the real binary.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "harness.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::object;

namespace {

object json_of(const HttpResponse& r) {
  return boost::json::parse(r.body).as_object();
}

std::optional<HttpResponse> post(int port, const std::string& path, const object& body,
                                 std::map<std::string, std::string> headers = {}) {
  Client c(port, 60s);
  headers["Content-Type"] = "application/json";
  return c.request("POST", path, headers, boost::json::serialize(body));
}

std::optional<HttpResponse> login(int port, const std::string& email, const std::string& password,
                                  const std::string& ip) {
  return post(port, "/api/v1/auth/login", {{"email", email}, {"password", password}}, {{"X-Forwarded-For", ip}});
}

struct Burst {
  std::map<int, int> by_status;
  std::vector<HttpResponse> limited;
  int correct_status = 0;
};

}  // namespace

// The security pass: 40 parallel wrong passwords from 40 addresses all got 401 and a correct one in the same
// burst signed in. Now at most one verification per account is in flight, each attempt is counted before
// its verification, and the account is held once its free failures are used up.
TEST(LoginLimits, ParallelGuessesFromManyAddressesAreThrottled) {
  constexpr int kFree = 3;
  ServerProcess server(Env{{"TRUSTED_PROXIES", "127.0.0.1/32"},  // the test stands in for the ALB
                           {"LOGIN_MAX_FAILURES_PER_ACCOUNT", std::to_string(kFree)},
                           {"LOGIN_THROTTLE_BASE", "5m"},  // no hold ends during the test
                           {"LOGIN_MAX_ATTEMPTS_PER_IP", "1000"}});
  ASSERT_TRUE(server.started()) << server.stderr_text();
  ASSERT_EQ(
      post(server.port(), "/api/v1/auth/register", {{"email", "target@example.ng"}, {"password", "the-right-password"}})
          ->status,
      201);

  Burst burst;
  std::mutex mutex;
  std::vector<std::thread> threads;
  for (int i = 0; i <= 40; ++i)
    threads.emplace_back([&, i] {
      const bool correct = i == 20;
      auto r = login(server.port(), "target@example.ng", correct ? "the-right-password" : "guess-" + std::to_string(i),
                     "41.58.100." + std::to_string(i));
      std::lock_guard lock(mutex);
      const int status = r ? r->status : 0;
      ++burst.by_status[status];
      if (status == 429) burst.limited.push_back(*r);
      if (correct) burst.correct_status = status;
    });
  for (auto& t : threads) t.join();

  const int verified = burst.by_status[401] + burst.by_status[200];
  // A success clears the failures, so the wrong guesses get at most the free allowance on either side of it.
  const int allowed = burst.correct_status == 200 ? 2 * kFree + 1 : kFree;
  EXPECT_LE(verified, allowed) << "401: " << burst.by_status[401] << ", 200: " << burst.by_status[200];
  EXPECT_GE(burst.by_status[429], 41 - allowed);
  EXPECT_EQ(burst.by_status[401] + burst.by_status[200] + burst.by_status[429], 41) << "no 5xx, no dropped connection";
  for (const auto& r : burst.limited) {
    EXPECT_EQ(json_of(r)["error"].as_object()["code"].as_string(), "rate_limited");
    EXPECT_GE(std::stoi(r.header("retry-after")), 1);
  }
  // However the burst went, the free failures are spent now: the right password waits for the hold.
  auto after = login(server.port(), "target@example.ng", "the-right-password", "41.58.101.1");
  if (burst.by_status[401] >= kFree && burst.correct_status != 200) {
    EXPECT_EQ(after->status, 429) << after->body;
  }
}

// Ten wrong passwords must not lock the owner out for a quarter of an hour: the hold after the free
// failures is short and grows only with further failures.
TEST(LoginLimits, AStrangerHoldsTheOwnerUpForSecondsNotMinutes) {
  ServerProcess server(Env{{"TRUSTED_PROXIES", "127.0.0.1/32"},
                           {"LOGIN_MAX_FAILURES_PER_ACCOUNT", "3"},
                           // Long enough that the next login lands inside the hold even when a loaded
                           // machine makes the three failed verifications slow (argon2 runs at SCHED_IDLE).
                           {"LOGIN_THROTTLE_BASE", "4s"},
                           {"LOGIN_MAX_ATTEMPTS_PER_IP", "1000"}});
  ASSERT_TRUE(server.started()) << server.stderr_text();
  ASSERT_EQ(
      post(server.port(), "/api/v1/auth/register", {{"email", "owner@example.ng"}, {"password", "owners-own-pass"}})
          ->status,
      201);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(login(server.port(), "owner@example.ng", "stranger-guess", "41.58.7." + std::to_string(i))->status, 401);
  auto held = login(server.port(), "owner@example.ng", "owners-own-pass", "41.58.8.1");
  ASSERT_TRUE(held);
  EXPECT_EQ(held->status, 429) << held->body;
  EXPECT_LE(std::stoi(held->header("retry-after")), 4);
  // A generous margin past the hold (4 s): the owner signs in; the failures are forgotten.
  std::this_thread::sleep_for(6s);
  auto in = login(server.port(), "owner@example.ng", "owners-own-pass", "41.58.8.1");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->status, 200) << in->body;
  EXPECT_EQ(login(server.port(), "owner@example.ng", "stranger-guess", "41.58.7.9")->status, 401)
      << "a success starts the count afresh";
}

// 150 concurrent logins used to queue for 7 s behind argon2. With one hashing thread and room for one
// waiting job, a burst of registrations (each hashes a password) is answered at once: what does not fit
// gets 503 service_unavailable with Retry-After.
TEST(LoginLimits, AFullHashingQueueAnswers503WithRetryAfter) {
  ServerProcess server(Env{{"BLOCKING_THREADS", "1"}, {"BLOCKING_QUEUE", "1"}, {"REGISTER_MAX_PER_IP", "1000"}});
  ASSERT_TRUE(server.started()) << server.stderr_text();
  std::map<int, int> by_status;
  std::vector<HttpResponse> unavailable;
  std::mutex mutex;
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i)
    threads.emplace_back([&, i] {
      auto r = post(server.port(), "/api/v1/auth/register",
                    {{"email", "burst" + std::to_string(i) + "@example.ng"}, {"password", "burst-password-ok"}});
      std::lock_guard lock(mutex);
      ++by_status[r ? r->status : 0];
      if (r && r->status == 503) unavailable.push_back(*r);
    });
  for (auto& t : threads) t.join();
  EXPECT_GE(by_status[201], 1);
  EXPECT_GE(by_status[503], 1) << "at most two of sixteen fit at once";
  EXPECT_EQ(by_status[201] + by_status[503], 16);
  for (const auto& r : unavailable) {
    EXPECT_EQ(json_of(r)["error"].as_object()["code"].as_string(), "service_unavailable");
    EXPECT_EQ(r.header("retry-after"), "1");
  }
  // The queue drains: the next one is admitted.
  EXPECT_EQ(
      post(server.port(), "/api/v1/auth/register", {{"email", "after@example.ng"}, {"password", "burst-password-ok"}})
          ->status,
      201);
}
