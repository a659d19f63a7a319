#include "http/pipeline.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include "http/api_error.hpp"
#include "observability/log.hpp"
#include "util/unavailable.hpp"

using namespace b2w::http;

namespace {

Reply run(const Pipeline& pipeline, Request& req) {
  boost::asio::io_context ctx;
  auto fut = boost::asio::co_spawn(ctx, pipeline.handle(req, "10.0.0.1"), boost::asio::use_future);
  ctx.run();
  return fut.get();
}

Request make(Verb method, const std::string& target) {
  Request req{method, target, 11};
  return req;
}

Router routes() {
  Router r;
  r.add(Verb::get, "/api/v1/boom", [](RequestContext&) -> Awaitable<Response> {
    throw std::runtime_error("SELECT * FROM users WHERE secret_column = 1 /var/lib/data.db");
    co_return Response{};
  });
  r.add(Verb::post, "/api/v1/validate", [](RequestContext& ctx) -> Awaitable<Response> {
    auto body = ctx.json_body();
    throw ApiError::validation("Stake is invalid").detail("stake", "must be a positive integer");
    co_return Response{};
  });
  r.add(Verb::get, "/api/v1/items/{id}", [](RequestContext& ctx) -> Awaitable<Response> {
    Response res{Status::ok, 11};
    res.body() = std::string("item:") + std::string(ctx.param("id")) + ":" + ctx.query_param("q").value_or("-");
    co_return res;
  });
  r.add(Verb::get, "/api/v1/down", [](RequestContext&) -> Awaitable<Response> {
    throw b2w::ServiceUnavailable("database", "connection refused to 10.0.11.5:5432");
    co_return Response{};
  });
  r.add(Verb::get, "/api/v1/interim", [](RequestContext&) -> Awaitable<Response> {
    co_return Response{Status::continue_, 11};
  });
  r.add(Verb::get, "/api/v1/limited", [](RequestContext&) -> Awaitable<Response> {
    throw ApiError(Status::too_many_requests, "rate_limited", "Slow down").header(Field::retry_after, "7");
    co_return Response{};
  });
  return r;
}

// A GET of `target` through a pipeline over routes().
Reply get(const std::string& target) {
  auto router = routes();
  Pipeline p(router, {});
  auto req = make(Verb::get, target);
  return run(p, req);
}

boost::json::object error_of(const Reply& reply) {
  return boost::json::parse(reply.response.body()).as_object()["error"].as_object();
}

}  // namespace

TEST(Pipeline, UnexpectedExceptionsBecomeAnOpaque500) {
  b2w::log::configure(b2w::log::Level::error, {});
  auto router = routes();
  Pipeline p(router, {});
  auto req = make(Verb::get, "/api/v1/boom");
  req.set("X-Request-Id", "boom-1");
  auto res = run(p, req);
  EXPECT_EQ(res.response.result(), Status::internal_server_error);
  auto err = error_of(res);
  EXPECT_EQ(err["code"].as_string(), "internal_error");
  EXPECT_EQ(err["request_id"].as_string(), "boom-1");
  EXPECT_EQ(res.response.body().find("SELECT"), std::string::npos);
  EXPECT_EQ(res.response.body().find("/var/lib"), std::string::npos);
}

TEST(Pipeline, InvalidJsonIs400) {
  auto router = routes();
  Pipeline p(router, {});
  auto req = make(Verb::post, "/api/v1/validate");
  req.body() = "{not json";
  auto res = run(p, req);
  EXPECT_EQ(res.response.result(), Status::bad_request);
  EXPECT_EQ(error_of(res)["code"].as_string(), "invalid_json");
  req.body() = "[1,2]";
  EXPECT_EQ(error_of(run(p, req))["code"].as_string(), "invalid_json");
}

TEST(Pipeline, ValidationErrorsCarryDetails) {
  auto router = routes();
  Pipeline p(router, {});
  auto req = make(Verb::post, "/api/v1/validate");
  req.body() = "{\"stake\": -1}";
  auto res = run(p, req);
  EXPECT_EQ(res.response.result(), Status::unprocessable_entity);
  auto err = error_of(res);
  EXPECT_EQ(err["code"].as_string(), "validation_error");
  auto& details = err["details"].as_array();
  ASSERT_EQ(details.size(), 1u);
  EXPECT_EQ(details[0].as_object().at("field").as_string(), "stake");
}

TEST(Pipeline, ErrorHeadersArePassedThrough) {
  auto res = get("/api/v1/limited");
  EXPECT_EQ(res.response.result(), Status::too_many_requests);
  EXPECT_EQ(res.response[Field::retry_after], "7");
}

TEST(Pipeline, ParamsQueryAndAbsoluteFormTargets) {
  auto router = routes();
  Pipeline p(router, {});
  auto req = make(Verb::get, "/api/v1/items/it_9?q=a%20b");
  EXPECT_EQ(run(p, req).response.body(), "item:it_9:a b");
  auto absolute = make(Verb::get, "http://api.dev.bet2wealth.co/api/v1/items/x");
  EXPECT_EQ(run(p, absolute).response.body(), "item:x:-");
}

TEST(Pipeline, HeadKeepsTheBodyOffTheWire) {
  auto router = routes();
  Pipeline p(router, {});
  auto req = make(Verb::head, "/api/v1/items/abc");
  auto res = run(p, req);
  EXPECT_EQ(res.response.result(), Status::ok);
  EXPECT_TRUE(res.omit_body);
  EXPECT_EQ(res.response.body().size(), 10u);  // its length goes into the head
  EXPECT_TRUE(res.body_on_wire().empty());
}

TEST(Pipeline, EveryReplyHasARequestId) {
  auto router = routes();
  Pipeline p(router, {});
  for (const char* target : {"/api/v1/items/1", "/nowhere", "/api/v1/boom"}) {
    auto req = make(Verb::get, target);
    EXPECT_EQ(run(p, req).request_id.size(), 32u) << target;
  }
  auto req = make(Verb::get, "/nowhere");
  req.set("X-Request-Id", "mine-1");
  auto res = run(p, req);
  EXPECT_EQ(res.request_id, "mine-1");
  EXPECT_EQ(error_of(res)["request_id"].as_string(), "mine-1");
}

TEST(Pipeline, AnInterimStatusFromAHandlerBecomesA500) {
  b2w::log::configure(b2w::log::Level::error, {});
  auto res = get("/api/v1/interim");
  EXPECT_EQ(res.response.result(), Status::internal_server_error);
  EXPECT_EQ(error_of(res)["code"].as_string(), "internal_error");
}

TEST(Pipeline, ARejectedHeadRequestGetsNoBody) {
  auto router = routes();
  Pipeline p(router, {});
  auto head = make(Verb::head, "/api/v1/items/1");
  auto reply = p.reject(Status::request_header_fields_too_large, "header_too_large", "Too large", head, "10.0.0.1");
  EXPECT_EQ(reply.response.result(), Status::request_header_fields_too_large);
  EXPECT_TRUE(reply.body_on_wire().empty());
  auto get = make(Verb::get, "/api/v1/items/1");
  EXPECT_FALSE(p.reject(Status::bad_request, "bad_request", "Bad", get, "10.0.0.1").body_on_wire().empty());
}

TEST(QueryParams, DecodingAndEdgeCases) {
  Request req{Verb::get, "/", 11};
  RequestContext ctx{req, "/", "a=1&b=x%20y+z&empty=&flag&c%41t=%zz&a=2", {}, "", ""};
  EXPECT_EQ(ctx.query_param("a"), "1");
  EXPECT_EQ(ctx.query_param("b"), "x y z");
  EXPECT_EQ(ctx.query_param("empty"), "");
  EXPECT_EQ(ctx.query_param("flag"), "");
  EXPECT_EQ(ctx.query_param("cAt"), "%zz");
  EXPECT_FALSE(ctx.query_param("missing"));
  RequestContext none{req, "/", "", {}, "", ""};
  EXPECT_FALSE(none.query_param("a"));
}

TEST(Pipeline, UnavailableDependencyIs503WithoutDetail) {
  auto res = get("/api/v1/down");
  EXPECT_EQ(res.response.result(), Status::service_unavailable);
  EXPECT_EQ(error_of(res)["code"].as_string(), "service_unavailable");
  EXPECT_EQ(res.response[Field::retry_after], "1");
  EXPECT_EQ(res.response.body().find("10.0.11.5"), std::string::npos);
}
