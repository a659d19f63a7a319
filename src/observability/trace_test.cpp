#include "observability/trace.hpp"

#include <gtest/gtest.h>

using namespace b2w;

TEST(Trace, AmznTraceIdRootIsTheId) {
  const auto t = trace::from_headers("Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1", "");
  EXPECT_EQ(t.id, "1-67891233-abcdef012345678912345678");
  EXPECT_EQ(t.amzn, "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1");
  EXPECT_TRUE(t.traceparent.empty());
  EXPECT_EQ(
      trace::from_headers("Self=1-67891233-abcdef012345678912345671;Root=1-67891233-abcdef012345678912345678", "").id,
      "1-67891233-abcdef012345678912345678");
}

TEST(Trace, TraceparentWhenNoAmznHeader) {
  const auto t = trace::from_headers("", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  EXPECT_EQ(t.id, "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(t.traceparent, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  // Both: the ALB's root is the id, both are kept for outbound calls.
  const auto both = trace::from_headers("Root=1-67891233-abcdef012345678912345678",
                                        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  EXPECT_EQ(both.id, "1-67891233-abcdef012345678912345678");
  EXPECT_FALSE(both.traceparent.empty());
}

TEST(Trace, MalformedOrOversizedHeadersAreIgnored) {
  for (const std::string& bad :
       {std::string("Root=1-6789123-abcdef012345678912345678"), std::string("Root=1-67891233-abcdef01234567891234567g"),
        std::string("Root=1-67891233-abcdef012345678912345678;Parent=\"x y\""),
        std::string("Root=1-67891233-abcdef012345678912345678\r\nX-Evil: 1"),
        std::string("Root=1-67891233-abcdef012345678912345678;Root=1-67891233-abcdef012345678912345679"),
        std::string("Parent=53995c3f42cd8ad8"),
        "Root=1-67891233-abcdef012345678912345678;x=" + std::string(300, 'a')}) {
    const auto t = trace::from_headers(bad, "");
    EXPECT_TRUE(t.empty()) << bad;
    EXPECT_TRUE(t.amzn.empty()) << bad;
  }
  for (const std::string& bad : {std::string("00-00000000000000000000000000000000-b7ad6b7169203331-01"),
                                 std::string("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01"),
                                 std::string("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                                 std::string("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra"),
                                 std::string("00-0af7651916cd43dd8448eb211c80319z-b7ad6b7169203331-01"),
                                 std::string("0af7651916cd43dd8448eb211c80319c")}) {
    const auto t = trace::from_headers("", bad);
    EXPECT_TRUE(t.empty()) << bad;
    EXPECT_TRUE(t.traceparent.empty()) << bad;
  }
  // A later version may append fields.
  EXPECT_FALSE(trace::from_headers("", "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-abc").empty());
}

TEST(Trace, ScopeSetsAndRestoresTheCurrentTrace) {
  EXPECT_EQ(trace::current(), nullptr);
  const trace::Trace a{"a", "", ""};
  const trace::Trace b{"b", "", ""};
  {
    trace::Scope outer(&a);
    EXPECT_EQ(trace::current(), &a);
    {
      trace::Scope inner(&b);
      EXPECT_EQ(trace::current(), &b);
    }
    EXPECT_EQ(trace::current(), &a);
  }
  EXPECT_EQ(trace::current(), nullptr);
}
