#include "config/config.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <cstdio>
#include <stdexcept>

#include "config/duration.hpp"
#include "util/ids.hpp"

namespace b2w::config {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Reads a secret; in development a missing one is generated, in production it is collected as missing.
Secret read_secret(EnvReader& env, const std::string& name, bool production, std::size_t min_length,
                   std::vector<std::string>& missing, std::vector<std::string>& warnings) {
  if (auto value = env.raw(name)) {
    if (production && value->size() < min_length)
      env.fail(name, "must be at least " + std::to_string(min_length) + " characters in production");
    return {*value, false};
  }
  if (production) {
    missing.push_back(name);
    return {};
  }
  warnings.push_back(name + " is not set: using a random value for this process only (tokens will not survive a restart)");
  return {random_hex(32), true};
}

// Validates a URL's scheme; returns nullopt (and records the problem) when it is not usable.
std::optional<std::string> read_url(EnvReader& env, const std::string& name, const std::vector<std::string>& schemes) {
  auto value = env.raw(name);
  if (!value) return std::nullopt;
  auto parsed = boost::urls::parse_absolute_uri(*value);
  std::string list;
  for (const auto& s : schemes) list += (list.empty() ? "" : ", ") + s + "://";
  if (!parsed || parsed->host().empty()) {
    env.fail(name, "must be a URL starting with " + list);
    return std::nullopt;
  }
  for (const auto& s : schemes)
    if (parsed->scheme() == s) return value;
  env.fail(name, "must be a URL starting with " + list + ", got scheme \"" + std::string(parsed->scheme()) + "\"");
  return std::nullopt;
}

std::string redact_url(const std::optional<std::string>& url) {
  if (!url) return "(unset)";
  auto parsed = boost::urls::parse_absolute_uri(*url);
  if (!parsed) return "[redacted]";
  boost::urls::url copy(*parsed);
  if (copy.has_password()) copy.set_password("[redacted]");
  return std::string(copy.buffer());
}

void add_url_password(const std::optional<std::string>& url, std::vector<std::string>& out) {
  if (!url) return;
  auto parsed = boost::urls::parse_absolute_uri(*url);
  if (parsed && parsed->has_password()) {
    out.push_back(parsed->password());
    out.push_back(std::string(parsed->encoded_password()));
  }
}

// ECS cannot template one variable from a secret, so the task may give REDIS_HOST /
// REDIS_PORT / REDIS_TLS / REDIS_AUTH_TOKEN instead of REDIS_URL; the URL is assembled here.
std::optional<std::string> assemble_redis_url(EnvReader& env) {
  auto host = env.raw("REDIS_HOST");
  if (!host) return std::nullopt;
  const auto port = env.integer("REDIS_PORT", 6379, 1, 65535);
  const auto tls = env.one_of("REDIS_TLS", "true", {"true", "false"});
  boost::urls::url url;
  url.set_scheme(tls == "true" ? "rediss" : "redis");
  url.set_host(*host);
  url.set_port_number(static_cast<std::uint16_t>(port));
  if (auto token = env.raw("REDIS_AUTH_TOKEN")) {
    url.set_user(env.string("REDIS_USER", "default"));
    url.set_password(*token);
  }
  return std::string(url.buffer());
}

// Likewise DB_HOST / DB_PORT / DB_NAME / DB_USER / DB_PASSWORD (from the RDS-managed secret) / DB_SSLMODE.
std::optional<std::string> assemble_database_url(EnvReader& env) {
  auto host = env.raw("DB_HOST");
  if (!host) return std::nullopt;
  boost::urls::url url;
  url.set_scheme("postgresql");
  url.set_host(*host);
  url.set_port_number(static_cast<std::uint16_t>(env.integer("DB_PORT", 5432, 1, 65535)));
  std::string path = "/";
  path += env.string("DB_NAME", "bet2wealth");
  url.set_path(path);
  url.set_user(env.string("DB_USER", "bet2wealth"));
  if (auto password = env.raw("DB_PASSWORD")) url.set_password(*password);
  url.params().append({"sslmode", env.one_of("DB_SSLMODE", "verify-full",
                                             {"disable", "prefer", "require", "verify-ca", "verify-full"})});
  if (auto ca = env.raw("DB_SSLROOTCERT")) url.params().append({"sslrootcert", *ca});
  return std::string(url.buffer());
}

std::string networks_text(const std::vector<IpNetwork>& networks) {
  if (networks.empty()) return "(none: X-Forwarded-For is not read)";
  std::string out;
  for (const auto& n : networks) out += (out.empty() ? "" : ",") + n.to_string();
  return out;
}

}  // namespace

std::vector<std::string> Config::secret_values() const {
  std::vector<std::string> out;
  for (const Secret* s : {&jwt_secret, &jwt_refresh_secret, &paystack_secret_key})
    if (!s->value.empty()) out.push_back(s->value);
  add_url_password(redis_url, out);
  add_url_password(database_url, out);
  return out;
}

std::vector<std::pair<std::string, std::string>> Config::summary() const {
  auto secret = [](const Secret& s) -> std::string {
    if (s.value.empty()) return "(unset)";
    return s.generated ? "[generated]" : "[set]";
  };
  return {
      {"APP_NAME", app_name},
      {"APP_ENV", app_env},
      {"APP_VERSION", app_version},
      {"BIND_ADDRESS", bind_address},
      {"PORT", std::to_string(port)},
      {"HOST_URL", host_url},
      {"ROOT_ENTRY", root_entry},
      {"API_DOCS", api_docs},
      {"IO_THREADS", io_threads == 0 ? "auto" : std::to_string(io_threads)},
      {"MAX_BODY_BYTES", std::to_string(max_body_bytes)},
      {"MAX_CONNECTIONS", std::to_string(max_connections)},
      {"HEADER_TIMEOUT", format_duration(header_timeout)},
      {"BODY_TIMEOUT", format_duration(body_timeout)},
      {"KEEPALIVE_TIMEOUT", format_duration(keepalive_timeout)},
      {"SHUTDOWN_DRAIN_SECONDS", format_duration(shutdown_drain)},
      {"SHUTDOWN_TIMEOUT", format_duration(shutdown_timeout)},
      {"TRUSTED_PROXIES", networks_text(trusted_proxies)},
      {"TRUSTED_PROXY_HOPS", std::to_string(trusted_proxy_hops)},
      {"BLOCKING_THREADS", blocking_threads == 0 ? "auto" : std::to_string(blocking_threads)},
      {"BLOCKING_QUEUE", blocking_queue == 0 ? "auto" : std::to_string(blocking_queue)},
      {"LOG_LEVEL", log_level},
      {"JWT_EXPIRY", format_duration(jwt_expiry)},
      {"JWT_REFRESH_EXPIRY", format_duration(jwt_refresh_expiry)},
      {"JWT_SECRET", secret(jwt_secret)},
      {"JWT_REFRESH_SECRET", secret(jwt_refresh_secret)},
      {"REDIS_URL", redact_url(redis_url)},
      {"REDIS_POOL_MIN", std::to_string(redis_pool_min)},
      {"REDIS_POOL_MAX", std::to_string(redis_pool_max)},
      {"RATE_LIMIT_DURATION_SECONDS", std::to_string(rate_limit_duration_seconds)},
      {"RATE_LIMIT_PERMISSION_POINTS", std::to_string(rate_limit_permission_points)},
      {"LOGIN_MAX_FAILURES_PER_ACCOUNT", std::to_string(login_max_failures_per_account)},
      {"LOGIN_MAX_ATTEMPTS_PER_IP", std::to_string(login_max_attempts_per_ip)},
      {"REGISTER_MAX_PER_IP", std::to_string(register_max_per_ip)},
      {"LOGIN_RATE_WINDOW", format_duration(login_rate_window)},
      {"LOGIN_FAILURE_WINDOW", format_duration(login_failure_window)},
      {"LOGIN_THROTTLE_BASE", format_duration(login_throttle_base)},
      {"LOGIN_THROTTLE_MAX", format_duration(login_throttle_max)},
      {"PAYSTACK_BASE_URL", paystack_base_url},
      {"PAYSTACK_SECRET_KEY", secret(paystack_secret_key)},
      {"PAYSTACK_TIMEOUT", format_duration(paystack_timeout)},
      {"PAYSTACK_CALLBACK_URL", paystack_callback_url.empty() ? "(Paystack default)" : paystack_callback_url},
      {"MAX_TRANSACTION_AMOUNT", std::to_string(max_transaction_amount)},
      {"WITHDRAWAL_REVIEW_THRESHOLD", std::to_string(withdrawal_review_threshold)},
      {"MIN_DEPOSIT", std::to_string(min_deposit)},
      {"MIN_WITHDRAWAL", std::to_string(min_withdrawal)},
      {"MAX_WITHDRAWALS_PER_DAY", std::to_string(max_withdrawals_per_day)},
      {"MIN_STAKE", std::to_string(min_stake)},
      {"MAX_STAKE", std::to_string(max_stake)},
      {"MAX_PAYOUT", std::to_string(max_payout)},
      {"MAX_LEGS", std::to_string(max_legs)},
      {"SETTLEMENT_BATCH_SIZE", std::to_string(settlement_batch_size)},
      {"SETTLEMENT_RESUME_INTERVAL", format_duration(settlement_resume_interval)},
      {"METRICS_INTERVAL", format_duration(metrics_interval)},
      {"DATABASE_URL", redact_url(database_url)},
      {"DATA_DIR", data_dir},
      {"DB_POOL_MIN", std::to_string(db_pool_min)},
      {"DB_POOL_MAX", std::to_string(db_pool_max)},
      {"DB_ACQUIRE_TIMEOUT", format_duration(db_acquire_timeout)},
      {"DB_QUERY_TIMEOUT", format_duration(db_query_timeout)},
      {"REDIS_COMMAND_TIMEOUT", format_duration(redis_command_timeout)},
      {"REDIS_CA_FILE", redis_ca_file.empty() ? "(system CAs)" : redis_ca_file},
  };
}

LoadResult load(const Env& env_map, const std::string& build_version) {
  LoadResult result;
  Config& c = result.config;
  EnvReader env(env_map);

  // APP_ENV wins; NODE_ENV is accepted because the environments this service replaces set it.
  const std::vector<std::string> envs = {"development", "production"};
  c.app_env = env.raw("APP_ENV") ? env.one_of("APP_ENV", "development", envs)
                                 : env.one_of("NODE_ENV", "development", envs);
  const bool prod = c.production();

  c.app_name = env.string("APP_NAME", c.app_name);
  c.app_version = env.string("APP_VERSION", build_version);
  c.bind_address = env.string("BIND_ADDRESS", c.bind_address);
  c.port = static_cast<std::uint16_t>(env.integer("PORT", c.port, 0, 65535));
  c.host_url = read_url(env, "HOST_URL", {"http", "https"}).value_or(c.host_url);
  c.root_entry = env.path_prefix("ROOT_ENTRY", c.root_entry);
  c.api_docs = env.path_prefix("API_DOCS", c.root_entry + "/docs");
  c.docs_dir = env.string("DOCS_DIR", "");
  c.io_threads = static_cast<int>(env.integer("IO_THREADS", 0, 0, 256));
  c.max_body_bytes = env.bytes("MAX_BODY_BYTES", c.max_body_bytes, 1024, 64ULL * 1024 * 1024);
  c.max_connections = static_cast<int>(env.integer("MAX_CONNECTIONS", c.max_connections, 1, 1'000'000));
  c.header_timeout = env.duration("HEADER_TIMEOUT", c.header_timeout, seconds(1), milliseconds(100));
  c.body_timeout = env.duration("BODY_TIMEOUT", c.body_timeout, seconds(1), milliseconds(100));
  c.keepalive_timeout = env.duration("KEEPALIVE_TIMEOUT", c.keepalive_timeout, seconds(1), milliseconds(100));
  c.shutdown_drain = env.duration("SHUTDOWN_DRAIN_SECONDS", c.shutdown_drain, seconds(1));
  c.shutdown_timeout = env.duration("SHUTDOWN_TIMEOUT", c.shutdown_timeout, seconds(1), milliseconds(100));
  if (c.shutdown_drain >= c.shutdown_timeout)
    env.fail("SHUTDOWN_DRAIN_SECONDS", "must be shorter than SHUTDOWN_TIMEOUT (" + format_duration(c.shutdown_timeout) + ")");
  if (auto proxies = env.raw("TRUSTED_PROXIES")) {
    std::vector<std::string> bad;
    c.trusted_proxies = parse_network_list(*proxies, bad);
    for (const auto& entry : bad)
      env.fail("TRUSTED_PROXIES", "\"" + entry + "\" is not an IP address or CIDR block (e.g. 10.0.0.0/16, ::1/128)");
  }
  c.trusted_proxy_hops = static_cast<int>(env.integer("TRUSTED_PROXY_HOPS", c.trusted_proxy_hops, 0, 10));
  c.blocking_threads = static_cast<int>(env.integer("BLOCKING_THREADS", 0, 0, 256));
  c.blocking_queue = static_cast<int>(env.integer("BLOCKING_QUEUE", 0, 0, 100000));
  c.log_level = env.one_of("LOG_LEVEL", c.log_level, {"debug", "info", "warn", "error"});

  // An access token is checked against the database only on money and admin routes: elsewhere it
  // is good until it expires, so its lifetime is bounded (a minute to a day; 15m recommended).
  c.jwt_expiry = env.duration("JWT_EXPIRY", c.jwt_expiry, seconds(1), std::chrono::minutes(1));
  if (c.jwt_expiry > std::chrono::hours(24)) env.fail("JWT_EXPIRY", "must be at most 24h (15m is recommended)");
  c.jwt_refresh_expiry = env.duration("JWT_REFRESH_EXPIRY", c.jwt_refresh_expiry, seconds(1), seconds(1));
  if (c.jwt_refresh_expiry <= c.jwt_expiry)
    env.fail("JWT_REFRESH_EXPIRY", "must be longer than JWT_EXPIRY (" + format_duration(c.jwt_expiry) + ")");

  c.redis_url = read_url(env, "REDIS_URL", {"redis", "rediss"});
  if (!c.redis_url && !env.raw("REDIS_URL")) c.redis_url = assemble_redis_url(env);
  c.redis_command_timeout = env.duration("REDIS_COMMAND_TIMEOUT", c.redis_command_timeout, milliseconds(1), milliseconds(1));
  c.redis_ca_file = env.string("REDIS_CA_FILE", "");
  c.redis_pool_max = static_cast<int>(env.integer("REDIS_POOL_MAX", c.redis_pool_max, 1, 1000));
  c.redis_pool_min = static_cast<int>(env.integer("REDIS_POOL_MIN", c.redis_pool_min, 0, 1000));
  if (c.redis_pool_min > c.redis_pool_max)
    env.fail("REDIS_POOL_MIN", "must not exceed REDIS_POOL_MAX (" + std::to_string(c.redis_pool_max) + ")");
  // The REDIS_POOL_* timeouts keep the old service's meaning: a bare number is milliseconds.
  c.redis_pool_idle_timeout = env.duration("REDIS_POOL_IDLE_TIMEOUT", c.redis_pool_idle_timeout, milliseconds(1));
  c.redis_pool_acquire_timeout =
      env.duration("REDIS_POOL_ACQUIRE_TIMEOUT", c.redis_pool_acquire_timeout, milliseconds(1), milliseconds(1));
  c.redis_pool_retry_attempts = static_cast<int>(env.integer("REDIS_POOL_RETRY_ATTEMPTS", c.redis_pool_retry_attempts, 0, 10));

  c.rate_limit_duration_seconds =
      static_cast<int>(env.integer("RATE_LIMIT_DURATION_SECONDS", c.rate_limit_duration_seconds, 1, 86'400));
  c.rate_limit_permission_points =
      static_cast<int>(env.integer("RATE_LIMIT_PERMISSION_POINTS", c.rate_limit_permission_points, 1, 1'000'000));

  c.login_max_failures_per_account =
      static_cast<int>(env.integer("LOGIN_MAX_FAILURES_PER_ACCOUNT", c.login_max_failures_per_account, 1, 1000));
  c.login_max_attempts_per_ip = static_cast<int>(env.integer("LOGIN_MAX_ATTEMPTS_PER_IP", c.login_max_attempts_per_ip, 1, 100000));
  c.register_max_per_ip = static_cast<int>(env.integer("REGISTER_MAX_PER_IP", c.register_max_per_ip, 1, 100000));
  c.login_rate_window = env.duration("LOGIN_RATE_WINDOW", c.login_rate_window, seconds(1), seconds(1));
  c.login_failure_window = env.duration("LOGIN_FAILURE_WINDOW", c.login_failure_window, seconds(1), seconds(1));
  c.login_throttle_base = env.duration("LOGIN_THROTTLE_BASE", c.login_throttle_base, seconds(1), milliseconds(100));
  c.login_throttle_max = env.duration("LOGIN_THROTTLE_MAX", c.login_throttle_max, seconds(1), milliseconds(100));
  if (c.login_throttle_max < c.login_throttle_base)
    env.fail("LOGIN_THROTTLE_MAX", "must not be shorter than LOGIN_THROTTLE_BASE (" + format_duration(c.login_throttle_base) + ")");

  c.paystack_base_url = read_url(env, "PAYSTACK_BASE_URL", prod ? std::vector<std::string>{"https"}
                                                                  : std::vector<std::string>{"http", "https"})
                            .value_or(c.paystack_base_url);
  c.paystack_timeout = env.duration("PAYSTACK_TIMEOUT", c.paystack_timeout, seconds(1), milliseconds(100));
  c.paystack_callback_url = read_url(env, "PAYSTACK_CALLBACK_URL", {"http", "https"}).value_or("");
  c.max_transaction_amount =
      env.integer("MAX_TRANSACTION_AMOUNT", c.max_transaction_amount, 100, 1'000'000'000'000'000);
  c.withdrawal_review_threshold =
      env.integer("WITHDRAWAL_REVIEW_THRESHOLD", c.withdrawal_review_threshold, 0, 1'000'000'000'000'000);
  c.min_deposit = env.integer("MIN_DEPOSIT", c.min_deposit, 1, 1'000'000'000'000'000);
  c.min_withdrawal = env.integer("MIN_WITHDRAWAL", c.min_withdrawal, 1, 1'000'000'000'000'000);
  for (const auto& [name, min] : {std::pair{"MIN_DEPOSIT", c.min_deposit}, std::pair{"MIN_WITHDRAWAL", c.min_withdrawal}})
    if (min > c.max_transaction_amount)
      env.fail(name, "must not exceed MAX_TRANSACTION_AMOUNT (" + std::to_string(c.max_transaction_amount) + ")");
  c.max_withdrawals_per_day =
      static_cast<int>(env.integer("MAX_WITHDRAWALS_PER_DAY", c.max_withdrawals_per_day, 1, 1000));
  c.min_stake = env.integer("MIN_STAKE", c.min_stake, 1, 1'000'000'000'000);
  c.max_stake = env.integer("MAX_STAKE", c.max_stake, 1, 1'000'000'000'000);
  if (c.min_stake > c.max_stake) env.fail("MIN_STAKE", "must not exceed MAX_STAKE (" + std::to_string(c.max_stake) + ")");
  c.max_payout = env.integer("MAX_PAYOUT", c.max_payout, 1, 1'000'000'000'000'000);
  c.max_legs = static_cast<int>(env.integer("MAX_LEGS", c.max_legs, 1, 50));
  c.settlement_batch_size = static_cast<int>(env.integer("SETTLEMENT_BATCH_SIZE", c.settlement_batch_size, 1, 5000));
  c.settlement_resume_interval = env.duration("SETTLEMENT_RESUME_INTERVAL", c.settlement_resume_interval);
  c.metrics_interval = env.duration("METRICS_INTERVAL", c.metrics_interval);
  c.database_url = read_url(env, "DATABASE_URL", {"postgres", "postgresql"});
  if (!c.database_url && !env.raw("DATABASE_URL")) c.database_url = assemble_database_url(env);
  c.data_dir = env.string("DATA_DIR", c.data_dir);
  c.db_pool_max = static_cast<int>(env.integer("DB_POOL_MAX", c.db_pool_max, 1, 1000));
  c.db_pool_min = static_cast<int>(env.integer("DB_POOL_MIN", c.db_pool_min, 0, 1000));
  if (c.db_pool_min > c.db_pool_max)
    env.fail("DB_POOL_MIN", "must not exceed DB_POOL_MAX (" + std::to_string(c.db_pool_max) + ")");
  c.db_acquire_timeout = env.duration("DB_ACQUIRE_TIMEOUT", c.db_acquire_timeout, seconds(1), milliseconds(1));
  c.db_query_timeout = env.duration("DB_QUERY_TIMEOUT", c.db_query_timeout, seconds(1), milliseconds(1));

  std::vector<std::string> missing;
  if (prod && !c.database_url && !env.raw("DATABASE_URL"))
    missing.push_back("DATABASE_URL or DB_HOST (production refuses the embedded SQLite store)");
  if (prod && !c.redis_url && !env.raw("REDIS_URL"))
    missing.push_back("REDIS_URL or REDIS_HOST (production refuses the in-process key-value store, which serves one instance only)");
  c.jwt_secret = read_secret(env, "JWT_SECRET", prod, 32, missing, result.warnings);
  c.jwt_refresh_secret = read_secret(env, "JWT_REFRESH_SECRET", prod, 32, missing, result.warnings);
  c.paystack_secret_key = read_secret(env, "PAYSTACK_SECRET_KEY", prod, 1, missing, result.warnings);
  if (!c.jwt_secret.value.empty() && c.jwt_secret.value == c.jwt_refresh_secret.value)
    env.fail("JWT_REFRESH_SECRET", "must differ from JWT_SECRET");

  result.errors = env.errors();
  if (!missing.empty()) {
    std::string names;
    for (const auto& m : missing) names += (names.empty() ? "" : ", ") + m;
    result.errors.push_back("missing required settings for APP_ENV=production: " + names);
  }
  return result;
}

}  // namespace b2w::config
