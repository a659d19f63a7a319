#include "observability/log.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

using namespace b2w;

TEST(Log, LinesAreJsonWithEscaping) {
  log::configure(log::Level::debug, {});
  log::Line line(log::Level::info, "hello \"world\"\n");
  line.str("path", "/a\\b").num("status", 200).flag("ok", true).object("config", {{"PORT", "4000"}});
  auto text = std::string(line.text()) + "}";
  auto v = boost::json::parse(text).as_object();
  EXPECT_EQ(v["msg"].as_string(), "hello \"world\"\n");
  EXPECT_EQ(v["level"].as_string(), "info");
  EXPECT_EQ(v["path"].as_string(), "/a\\b");
  EXPECT_EQ(v["status"].as_int64(), 200);
  EXPECT_EQ(v["config"].as_object()["PORT"].as_string(), "4000");
  EXPECT_EQ(v["ts"].as_string().size(), 24u);  // 2026-11-25T21:06:59.123Z
}

TEST(Log, ControlCharactersAreEscaped) {
  std::string out;
  log::append_json_escaped(out, std::string("a\x01\x1f\x7f", 4));
  EXPECT_EQ(out, "a\\u0001\\u001f\\u007f");
}

TEST(Log, RedactsConfiguredSecrets) {
  log::configure(log::Level::info, {"s3cr3t-value", "tiny"});
  EXPECT_EQ(log::redact("token=s3cr3t-value and again s3cr3t-value"), "token=[REDACTED] and again [REDACTED]");
  EXPECT_EQ(log::redact("tiny stays: too short to be a real secret"), "tiny stays: too short to be a real secret");
  log::configure(log::Level::info, {});
}

TEST(Log, RedactsEverySecretEveryTimeIncludingTheirEscapedForm) {
  const std::string quoted = "pa\"ss\\word-9";
  log::configure(log::Level::info, {"0123456789abcdef", "fedcba9876543210", quoted});
  EXPECT_EQ(log::redact("0123456789abcdef0123456789abcdeffedcba9876543210!"), "[REDACTED][REDACTED][REDACTED]!");
  std::string escaped;
  log::append_json_escaped(escaped, quoted);
  EXPECT_EQ(log::redact("{\"v\":\"" + escaped + "\"} raw " + quoted), "{\"v\":\"[REDACTED]\"} raw [REDACTED]");
  EXPECT_EQ(log::redact("0123456789abcde"), "0123456789abcde");  // a prefix is not the secret
  log::configure(log::Level::info, {});
}

TEST(Log, EscapesRunsAndSpecialsTogether) {
  std::string out;
  log::append_json_escaped(out,
                           "plain \"q\" back\\slash\ttab\nline\r\x02"
                           "end");
  EXPECT_EQ(out, "plain \\\"q\\\" back\\\\slash\\ttab\\nline\\r\\u0002end");
}

TEST(Log, LevelThreshold) {
  log::configure(log::Level::warn, {});
  EXPECT_FALSE(log::enabled(log::Level::info));
  EXPECT_TRUE(log::enabled(log::Level::error));
  log::configure(log::Level::info, {});
  EXPECT_EQ(log::parse_level("debug"), log::Level::debug);
  EXPECT_FALSE(log::parse_level("verbose"));
}
