#include "api/errors.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace b2w::api {
namespace {

using domain::Error;
using domain::ErrorKind;

TEST(ApiErrors, EachKindHasItsStatus) {
  const std::pair<ErrorKind, http::Status> expected[] = {
      {ErrorKind::malformed, http::Status::bad_request},
      {ErrorKind::invalid, http::Status::unprocessable_entity},
      {ErrorKind::unauthenticated, http::Status::unauthorized},
      {ErrorKind::forbidden, http::Status::forbidden},
      {ErrorKind::not_found, http::Status::not_found},
      {ErrorKind::conflict, http::Status::conflict},
      {ErrorKind::rate_limited, http::Status::too_many_requests},
      {ErrorKind::upstream_failed, http::Status::bad_gateway},
      {ErrorKind::unavailable, http::Status::service_unavailable},
  };
  for (const auto& [kind, status] : expected) {
    EXPECT_EQ(to_api_error(Error(kind, "some_code", "m")).status(), status) << domain::to_string(kind);
  }
}

TEST(ApiErrors, CodeMessageAndDetailsGoOnTheWireUnchanged) {
  auto error = Error::validation("The slip is not valid");
  error.detail("legs", "must have 1 to 20 legs").detail(boost::json::object{{"leg", 2}, {"odds", "1.85"}});
  const auto api = to_api_error(error);
  EXPECT_EQ(api.code(), "validation_error");
  EXPECT_STREQ(api.what(), "The slip is not valid");
  ASSERT_EQ(api.details().size(), 2u);
  EXPECT_EQ(api.details()[0].as_object().at("field").as_string(), "legs");
  EXPECT_EQ(api.details()[1].as_object().at("odds").as_string(), "1.85");
  EXPECT_TRUE(api.headers().empty());
}

TEST(ApiErrors, ARetryHintBecomesRetryAfter) {
  const auto api = to_api_error(Error(ErrorKind::rate_limited, "rate_limited", "Too many").retry_after(42));
  ASSERT_EQ(api.headers().size(), 1u);
  EXPECT_EQ(api.headers()[0].first, "Retry-After");
  EXPECT_EQ(api.headers()[0].second, "42");
}

TEST(ApiErrors, OnlyDomainErrorsAreTranslated) {
  EXPECT_TRUE(translate(Error::not_found()).has_value());
  EXPECT_FALSE(translate(std::runtime_error("disk on fire")).has_value());
}

}  // namespace
}  // namespace b2w::api
