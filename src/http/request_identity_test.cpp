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

namespace {

ProxyTrust trusting(const std::string& list, int hops = 1) {
  std::vector<std::string> problems;
  ProxyTrust trust{b2w::parse_network_list(list, problems), hops};
  EXPECT_TRUE(problems.empty()) << list;
  return trust;
}

}  // namespace

TEST(ClientIp, NoTrustedProxiesMeansThePeer) {
  // The default: X-Forwarded-For from anyone is never read (a client reaching the task directly
  // would otherwise pick its own address for every per-IP limit).
  const ProxyTrust none{{}, 1};
  EXPECT_EQ(client_ip_from("1.2.3.4", "10.0.0.9", none), "10.0.0.9");
  EXPECT_EQ(client_ip_from("", "10.0.0.9", none), "10.0.0.9");
  EXPECT_EQ(client_ip_from("1.2.3.4", "10.0.0.9", trusting("10.0.0.0/8", 0)), "10.0.0.9");
}

TEST(ClientIp, AnUntrustedPeerIsTheClientWhateverItSends) {
  const auto alb = trusting("10.0.0.0/16");
  EXPECT_EQ(client_ip_from("41.58.1.2", "203.0.113.7", alb), "203.0.113.7");
  EXPECT_EQ(client_ip_from("41.58.1.2", "10.1.0.5", alb), "10.1.0.5");
}

TEST(ClientIp, OneTrustedHopTakesTheRightmostEntry) {
  // A client may send its own X-Forwarded-For; the ALB appends the real address.
  const auto alb = trusting("10.0.0.0/16");
  EXPECT_EQ(client_ip_from("6.6.6.6, 41.58.1.2", "10.0.1.5", alb), "41.58.1.2");
  EXPECT_EQ(client_ip_from("41.58.1.2", "10.0.1.5", alb), "41.58.1.2");
  EXPECT_EQ(client_ip_from("", "10.0.1.5", alb), "10.0.1.5");
  EXPECT_EQ(client_ip_from(" , ", "10.0.1.5", alb), "10.0.1.5");
}

TEST(ClientIp, TheWalkSkipsTrustedProxiesWithinTheHopBound) {
  const auto two = trusting("10.0.0.0/16, 172.16.0.0/12", 2);
  EXPECT_EQ(client_ip_from("6.6.6.6, 41.58.1.2, 172.16.0.1", "10.0.1.5", two), "41.58.1.2");
  EXPECT_EQ(client_ip_from("41.58.1.2", "10.0.1.5", two), "41.58.1.2");
  // The walk stops at the first untrusted address, however many hops are allowed.
  EXPECT_EQ(client_ip_from("6.6.6.6, 41.58.1.2", "10.0.1.5", two), "41.58.1.2");
  // Past the bound an entry is not read, even if it names a trusted range: the hop before is the answer.
  const auto one = trusting("10.0.0.0/16, 172.16.0.0/12", 1);
  EXPECT_EQ(client_ip_from("41.58.1.2, 172.16.0.1", "10.0.1.5", one), "172.16.0.1");
  // Everything trusted: the leftmost entry within the bound.
  EXPECT_EQ(client_ip_from("10.0.0.1, 10.0.0.2", "10.0.1.5", two), "10.0.0.1");
}

TEST(ClientIp, OnlyIpLiteralsCount) {
  const auto alb = trusting("10.0.0.0/16", 2);
  // A non-IP entry stops the walk: the last trusted hop's address stands.
  EXPECT_EQ(client_ip_from("evil\"value", "10.0.1.5", alb), "10.0.1.5");
  EXPECT_EQ(client_ip_from("41.58.1.2, unknown", "10.0.1.5", alb), "10.0.1.5");
  EXPECT_EQ(client_ip_from("41.58.1.2, 10.0.0.7, not-an-ip", "10.0.1.5", alb), "10.0.1.5");
  EXPECT_EQ(client_ip_from("garbage, 10.0.0.7", "10.0.1.5", alb), "10.0.0.7");
  for (const char* bad : {"41.58.1.2:443", "[2001:db8::1]", "1.2.3", "0x29.0.0.1", "fe80::1%eth0", "_hidden"})
    EXPECT_EQ(client_ip_from(bad, "10.0.1.5", alb), "10.0.1.5") << bad;
  // IPv6 clients and proxies; results are canonical.
  EXPECT_EQ(client_ip_from("2001:DB8:0::1", "10.0.1.5", alb), "2001:db8::1");
  EXPECT_EQ(client_ip_from("41.58.1.2", "::1", trusting("::1/128")), "41.58.1.2");
  EXPECT_EQ(client_ip_from("41.58.1.2", "::ffff:10.0.1.5", alb), "41.58.1.2");
}

TEST(ClientIp, APeerThatIsNotAnAddressIsKeptAsItIs) {
  EXPECT_EQ(client_ip_from("41.58.1.2", "", trusting("0.0.0.0/0")), "");
}
