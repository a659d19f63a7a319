#include "http/router.hpp"

#include <gtest/gtest.h>

using namespace b2w::http;

namespace {

Handler tagged(const std::string& tag) {
  return [tag](RequestContext&) -> Awaitable<Response> {
    Response r;
    r.body() = tag;
    co_return r;
  };
}

Router sample() {
  Router r;
  r.add(Verb::get, "/api/v1/bets", tagged("list"));
  r.add(Verb::post, "/api/v1/bets", tagged("create"));
  r.add(Verb::get, "/api/v1/bets/{id}", tagged("show"));
  r.add(Verb::get, "/api/v1/bets/open", tagged("open"));
  r.add(Verb::post, "/api/v1/events/{id}/markets", tagged("markets"));
  r.add(Verb::get, "/api/v1/events/{id}/markets/{market_id}", tagged("market"));
  return r;
}

}  // namespace

TEST(Router, MatchesLiteralAndParams) {
  auto r = sample();
  PathParams p;
  auto m = r.match(Verb::get, "/api/v1/bets/bet_123", p);
  ASSERT_TRUE(m.handler);
  EXPECT_EQ(*m.pattern, "/api/v1/bets/{id}");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].first, "id");
  EXPECT_EQ(p[0].second, "bet_123");
}

TEST(Router, LiteralSegmentsWinOverParameters) {
  auto r = sample();
  PathParams p;
  auto m = r.match(Verb::get, "/api/v1/bets/open", p);
  ASSERT_TRUE(m.handler);
  EXPECT_EQ(*m.pattern, "/api/v1/bets/open");
  EXPECT_TRUE(p.empty());
}

TEST(Router, TwoParameters) {
  auto r = sample();
  PathParams p;
  auto m = r.match(Verb::get, "/api/v1/events/ev1/markets/mk2", p);
  ASSERT_TRUE(m.handler);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[1].first, "market_id");
  EXPECT_EQ(p[1].second, "mk2");
}

TEST(Router, UnknownPathIsNotFound) {
  auto r = sample();
  PathParams p;
  for (const char* path :
       {"/api/v1/nope", "/api/v1/bets/1/2", "/", "", "relative", "/api/v1/bets/", "//api/v1/bets", "/api/v1//bets"}) {
    auto m = r.match(Verb::get, path, p);
    EXPECT_FALSE(m.handler) << path;
    EXPECT_FALSE(m.path_found) << path;
    EXPECT_TRUE(p.empty()) << path;
  }
}

TEST(Router, WrongMethodIsMethodNotAllowedWithAllow) {
  auto r = sample();
  PathParams p;
  auto m = r.match(Verb::delete_, "/api/v1/bets", p);
  EXPECT_FALSE(m.handler);
  EXPECT_TRUE(m.path_found);
  EXPECT_NE(m.allow.find("GET"), std::string::npos);
  EXPECT_NE(m.allow.find("HEAD"), std::string::npos);
  EXPECT_NE(m.allow.find("POST"), std::string::npos);
  auto only_post = r.match(Verb::get, "/api/v1/events/e/markets", p);
  EXPECT_TRUE(only_post.path_found);
  EXPECT_EQ(only_post.allow, "POST");
}

TEST(Router, HeadUsesTheGetRoute) {
  auto r = sample();
  PathParams p;
  auto m = r.match(Verb::head, "/api/v1/bets", p);
  ASSERT_TRUE(m.handler);
  EXPECT_FALSE(r.match(Verb::head, "/api/v1/events/e/markets", p).handler);
}

TEST(Router, RejectsDuplicatesAndBadPatterns) {
  Router r;
  r.add(Verb::get, "/a/{id}", tagged("x"));
  EXPECT_THROW(r.add(Verb::get, "/a/{id}", tagged("y")), std::invalid_argument);
  EXPECT_THROW(r.add(Verb::get, "/a/{other}/b", tagged("y")), std::invalid_argument);
  EXPECT_THROW(r.add(Verb::get, "no-slash", tagged("y")), std::invalid_argument);
  EXPECT_THROW(r.add(Verb::get, "/a//b", tagged("y")), std::invalid_argument);
  EXPECT_EQ(r.routes().size(), 1u);
}

TEST(Router, BacktracksFromADeadLiteralBranch) {
  Router r;
  r.add(Verb::get, "/x/lit/end", tagged("lit"));
  r.add(Verb::get, "/x/{p}/other", tagged("param"));
  PathParams p;
  auto m = r.match(Verb::get, "/x/lit/other", p);
  ASSERT_TRUE(m.handler);
  EXPECT_EQ(*m.pattern, "/x/{p}/other");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].second, "lit");
}
