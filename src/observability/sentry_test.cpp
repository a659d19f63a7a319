#include "observability/sentry.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

#include "observability/log.hpp"

using namespace b2w;

TEST(Sentry, DsnParsesIntoEndpointAndKey) {
  const auto dsn = sentry::parse_dsn("https://abc123def@o42.ingest.sentry.io/4504");
  ASSERT_TRUE(dsn);
  EXPECT_EQ(dsn->public_key, "abc123def");
  EXPECT_EQ(dsn->base_url(), "https://o42.ingest.sentry.io");
  EXPECT_EQ(dsn->envelope_path(), "/api/4504/envelope/");

  const auto local = sentry::parse_dsn("http://key1:legacysecret@127.0.0.1:9000/prefix/7");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->public_key, "key1");
  EXPECT_EQ(local->base_url(), "http://127.0.0.1:9000/prefix");
  EXPECT_EQ(local->envelope_path(), "/api/7/envelope/");

  for (const char* bad : {"", "https://o42.ingest.sentry.io/1", "ftp://k@h/1", "https://k@h/", "https://k@h/abc",
                          "https://@h/1", "https://k@h:x/1", "https://k@/1", "https://k y@h/1"})
    EXPECT_FALSE(sentry::parse_dsn(bad)) << bad;
}

TEST(Sentry, ScrubRemovesPersonalDataAndSecrets) {
  log::configure(log::Level::info, {"configured-secret-value"});
  const auto out = sentry::scrub(
      "user ada.obi+x@example.com card 4084084084084081 account 0123456789 token "
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl Authorization: Bearer abc.def-ghi key "
      "configured-secret-value amount 5000 id 42");
  EXPECT_EQ(out.find("ada.obi"), std::string::npos) << out;
  EXPECT_EQ(out.find("example.com"), std::string::npos) << out;
  EXPECT_EQ(out.find("4084084084084081"), std::string::npos) << out;
  EXPECT_EQ(out.find("0123456789"), std::string::npos) << out;
  EXPECT_EQ(out.find("eyJhbGci"), std::string::npos) << out;
  EXPECT_EQ(out.find("abc.def-ghi"), std::string::npos) << out;
  EXPECT_EQ(out.find("configured-secret-value"), std::string::npos) << out;
  EXPECT_NE(out.find("[email]"), std::string::npos) << out;
  EXPECT_NE(out.find("[number]"), std::string::npos) << out;
  EXPECT_NE(out.find("[token]"), std::string::npos) << out;
  EXPECT_NE(out.find("amount 5000 id 42"), std::string::npos) << out;  // short numbers stay
  log::configure(log::Level::info, {});

  const auto long_text = sentry::scrub(std::string(5000, 'x'));
  EXPECT_LE(long_text.size(), sentry::kMaxMessage + 3);
}

TEST(Sentry, EnvelopeIsHeaderItemHeaderAndEvent) {
  sentry::Options options{.dsn = *sentry::parse_dsn("https://pubkey@sentry.example/12"),
                          .release = "1.2.3",
                          .environment = "production",
                          .server_name = "task-1"};
  EXPECT_EQ(sentry::auth_header(options), "Sentry sentry_version=7, sentry_key=pubkey, sentry_client=bet2wealth/1.2.3");
  sentry::Report report{.type = "b2w::store::QueryError",
                        .message = "no such table: ledger_entries (ada@example.com)",
                        .component = "http",
                        .request_id = "req-1",
                        .trace_id = "1-67891233-abcdef012345678912345678",
                        .method = "GET",
                        .route = "/api/v1/wallet/transactions",
                        .user_id = "usr_1"};
  const auto id = sentry::new_event_id();
  ASSERT_EQ(id.size(), 32u);
  const auto text = sentry::envelope(options, report, BOOST_CURRENT_LOCATION, id, 1'764'000'000'000'000);
  ASSERT_EQ(text.back(), '\n');
  const auto first = text.find('\n');
  const auto second = text.find('\n', first + 1);
  const auto header = boost::json::parse(text.substr(0, first)).as_object();
  const auto item = boost::json::parse(text.substr(first + 1, second - first - 1)).as_object();
  const auto payload = text.substr(second + 1, text.size() - second - 2);
  EXPECT_EQ(header.at("event_id").as_string(), id);
  EXPECT_EQ(item.at("type").as_string(), "event");
  EXPECT_EQ(item.at("length").as_int64(), static_cast<std::int64_t>(payload.size()));
  const auto event = boost::json::parse(payload).as_object();
  EXPECT_EQ(event.at("event_id").as_string(), id);
  EXPECT_EQ(event.at("release").as_string(), "1.2.3");
  EXPECT_EQ(event.at("environment").as_string(), "production");
  EXPECT_EQ(event.at("platform").as_string(), "native");
  EXPECT_EQ(event.at("level").as_string(), "error");
  EXPECT_EQ(std::string(event.at("timestamp").as_string()).substr(0, 10), "2025-11-24");
  EXPECT_EQ(event.at("tags").at("request_id").as_string(), "req-1");
  EXPECT_EQ(event.at("tags").at("route").as_string(), "/api/v1/wallet/transactions");
  EXPECT_EQ(event.at("user").as_object().size(), 1u);
  EXPECT_EQ(event.at("user").at("id").as_string(), "usr_1");
  const auto& exception = event.at("exception").at("values").as_array().at(0).as_object();
  EXPECT_EQ(exception.at("type").as_string(), "b2w::store::QueryError");
  EXPECT_EQ(exception.at("value").as_string(), "no such table: ledger_entries ([email])");
  const auto& frame = exception.at("stacktrace").at("frames").as_array().at(0).as_object();
  EXPECT_NE(std::string(frame.at("filename").as_string()).find("sentry_test.cpp"), std::string::npos);
  EXPECT_GT(frame.at("lineno").as_int64(), 0);
}

TEST(Sentry, ReportWithoutStartDoesNothing) {
  EXPECT_FALSE(sentry::enabled());
  sentry::report({.type = "x", .message = "y"});
  EXPECT_EQ(sentry::stats().sent + sentry::stats().dropped, 0u);
}

TEST(Sentry, TypeNameIsDemangled) {
  const std::runtime_error e("boom");
  EXPECT_EQ(sentry::type_name(e), "std::runtime_error");
}
