#include "http/request_identity.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace b2w::http;

TEST(RequestId, ReusesASaneXRequestId) {
  EXPECT_EQ(request_id_from("abc-123_x.y:z", ""), "abc-123_x.y:z");
}

TEST(RequestId, DerivesFromTheAlbTraceRoot) {
  EXPECT_EQ(request_id_from("", "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1"),
            "1-67891233-abcdef012345678912345678");
  EXPECT_EQ(request_id_from("", "Self=1-1-1;Root=1-2-3"), "1-2-3");
}

TEST(RequestId, RejectsHostileIdsAndGenerates) {
  for (const char* bad : {"has space", "quote\"", "new\nline", "<script>"}) {
    auto id = request_id_from(bad, "");
    EXPECT_EQ(id.size(), 32u) << bad;
  }
  EXPECT_EQ(request_id_from(std::string(200, 'a'), "").size(), 32u);
}

TEST(RequestId, GeneratedIdsAreUnique) {
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) ids.insert(generate_request_id());
  EXPECT_EQ(ids.size(), 10000u);
  for (const auto& id : ids) EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
}

TEST(RequestId, ThreadsDrawApart) {
  // Each thread counts from 1 under keys of its own: the same counts must not give the same ids.
  std::vector<std::string> first(4), second(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      first[t] = generate_request_id();
      second[t] = generate_request_id();
    });
  for (auto& thread : threads) thread.join();
  std::set<std::string> all(first.begin(), first.end());
  all.insert(second.begin(), second.end());
  EXPECT_EQ(all.size(), 8u);
}

TEST(ClientIp, UsesThePeerWithoutTrustedHops) {
  EXPECT_EQ(client_ip_from("1.2.3.4", "10.0.0.9", 0), "10.0.0.9");
  EXPECT_EQ(client_ip_from("", "10.0.0.9", 1), "10.0.0.9");
}

TEST(ClientIp, OneHopTakesTheRightmostEntry) {
  // A client may send its own X-Forwarded-For; the ALB appends the real address.
  EXPECT_EQ(client_ip_from("6.6.6.6, 41.58.1.2", "10.0.1.5", 1), "41.58.1.2");
  EXPECT_EQ(client_ip_from("41.58.1.2", "10.0.1.5", 1), "41.58.1.2");
}

TEST(ClientIp, TwoHopsSkipTheInnerProxy) {
  EXPECT_EQ(client_ip_from("6.6.6.6, 41.58.1.2, 172.16.0.1", "10.0.1.5", 2), "41.58.1.2");
  EXPECT_EQ(client_ip_from("41.58.1.2", "10.0.1.5", 2), "41.58.1.2");
}

TEST(ClientIp, IgnoresGarbage) {
  EXPECT_EQ(client_ip_from("evil\"value", "10.0.1.5", 1), "10.0.1.5");
  EXPECT_EQ(client_ip_from(" , ", "10.0.1.5", 1), "10.0.1.5");
  EXPECT_EQ(client_ip_from("2001:db8::1", "10.0.1.5", 1), "2001:db8::1");
}
