#include "util/ip_network.hpp"

#include <gtest/gtest.h>

using namespace b2w;

TEST(IpAddress, ParsesLiteralsOnly) {
  EXPECT_EQ(parse_ip("41.58.1.2")->to_string(), "41.58.1.2");
  EXPECT_EQ(parse_ip("2001:DB8:0:0::1")->to_string(), "2001:db8::1");
  EXPECT_TRUE(parse_ip("::1"));
  for (const char* bad : {"", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "0x7f.0.0.1", " 1.2.3.4", "1.2.3.4:80",
                          "[::1]", "fe80::1%eth0", "2001:db8::1::2", "unknown", "1.2.3.4/32", "_hidden"})
    EXPECT_FALSE(parse_ip(bad)) << bad;
  EXPECT_FALSE(parse_ip(std::string(100, '1')));
}

TEST(IpAddress, AMappedIpv4IsTheIpv4Address) {
  const auto mapped = parse_ip("::ffff:127.0.0.1");
  ASSERT_TRUE(mapped);
  EXPECT_TRUE(mapped->v4);
  EXPECT_EQ(*mapped, *parse_ip("127.0.0.1"));
  EXPECT_EQ(mapped->to_string(), "127.0.0.1");
}

TEST(IpNetwork, ContainsByPrefix) {
  const auto vpc = parse_network("10.20.0.0/16");
  ASSERT_TRUE(vpc);
  EXPECT_TRUE(vpc->contains(*parse_ip("10.20.0.1")));
  EXPECT_TRUE(vpc->contains(*parse_ip("10.20.255.254")));
  EXPECT_FALSE(vpc->contains(*parse_ip("10.21.0.1")));
  EXPECT_FALSE(vpc->contains(*parse_ip("::ffff:10.21.0.1")));
  EXPECT_TRUE(vpc->contains(*parse_ip("::ffff:10.20.3.4")));
  EXPECT_FALSE(vpc->contains(*parse_ip("::a14:1")));  // an IPv6 address is never in an IPv4 network

  const auto odd = parse_network("192.168.0.0/23");
  EXPECT_TRUE(odd->contains(*parse_ip("192.168.1.200")));
  EXPECT_FALSE(odd->contains(*parse_ip("192.168.2.1")));

  const auto v6 = parse_network("2001:db8:abcd::/48");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains(*parse_ip("2001:db8:abcd:12::1")));
  EXPECT_FALSE(v6->contains(*parse_ip("2001:db8:abce::1")));
  EXPECT_FALSE(v6->contains(*parse_ip("10.0.0.1")));

  EXPECT_TRUE(parse_network("0.0.0.0/0")->contains(*parse_ip("8.8.8.8")));
  EXPECT_TRUE(parse_network("::/0")->contains(*parse_ip("2001:db8::1")));
  const auto host = parse_network("127.0.0.1");
  EXPECT_EQ(host->prefix, 32);
  EXPECT_TRUE(host->contains(*parse_ip("127.0.0.1")));
  EXPECT_FALSE(host->contains(*parse_ip("127.0.0.2")));
  EXPECT_EQ(parse_network("::1")->prefix, 128);
}

TEST(IpNetwork, RefusesMalformedBlocks) {
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "10.0.0.1/8", "::/129",
                          "2001:db8::1/32", "vpc", "10.0.0.0/ 8", "/8"})
    EXPECT_FALSE(parse_network(bad)) << bad;
}

TEST(IpNetwork, ListsNameEveryBadEntry) {
  std::vector<std::string> problems;
  auto list = parse_network_list(" 127.0.0.0/8, ::1/128 ,,10.0.0.0/16", problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].to_string(), "127.0.0.0/8");
  EXPECT_EQ(list[1].to_string(), "::1/128");
  EXPECT_TRUE(parse_network_list("", problems).empty());
  parse_network_list("10.0.0.0/8, private, 10.0.0.1/8", problems);
  EXPECT_EQ(problems, (std::vector<std::string>{"private", "10.0.0.1/8"}));
}

TEST(IpNetwork, InAnyIsTheAllowlistTest) {
  std::vector<std::string> problems;
  const auto allowed = parse_network_list("52.31.139.75, 10.0.0.0/8, 2001:db8::/32", problems);
  ASSERT_TRUE(problems.empty());
  EXPECT_TRUE(in_any(allowed, "52.31.139.75"));
  EXPECT_TRUE(in_any(allowed, "::ffff:52.31.139.75")) << "the mapped spelling of an allowed IPv4 address";
  EXPECT_TRUE(in_any(allowed, "10.200.3.4"));
  EXPECT_TRUE(in_any(allowed, "2001:db8:1::9"));
  EXPECT_FALSE(in_any(allowed, "52.31.139.76"));
  EXPECT_FALSE(in_any(allowed, "11.0.0.1"));
  EXPECT_FALSE(in_any(allowed, "2001:db9::1"));
  EXPECT_FALSE(in_any(allowed, "")) << "a Unix socket peer has no address";
  EXPECT_FALSE(in_any(allowed, "52.31.139.75:443"));
  EXPECT_FALSE(in_any({}, "52.31.139.75")) << "an empty list admits nothing; callers treat empty as off";
}
