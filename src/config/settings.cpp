// Every environment variable the service reads, in summary and README order. Defaults are the
// initial values of Config's fields (config.hpp); a row says how to read, check, show and document one.
#include <boost/url/url.hpp>

#include "config/setting.hpp"
#include "config/sport_delays.hpp"
#include "observability/sentry.hpp"

namespace b2w::config {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using Rows = std::vector<Setting>;

constexpr std::int64_t kMaxMoney = 1'000'000'000'000'000;  // kobo; far above any real amount

// ECS cannot template one variable from a secret, so the task may give REDIS_HOST / REDIS_PORT /
// REDIS_TLS / REDIS_AUTH_TOKEN instead of REDIS_URL; the URL is assembled here.
std::optional<std::string> redis_from_parts(Loader& l) {
  const auto host = l.part("REDIS_HOST");
  if (host.empty()) return std::nullopt;
  const auto port = l.part("REDIS_PORT");
  boost::urls::url url;
  url.set_scheme(l.part("REDIS_TLS") == "true" ? "rediss" : "redis");
  url.set_host(host);
  url.set_port(port);
  if (const auto token = l.part("REDIS_AUTH_TOKEN"); !token.empty()) {
    url.set_user(l.part("REDIS_USER"));
    url.set_password(token);
  }
  return std::string(url.buffer());
}

// Likewise DB_HOST / DB_PORT / DB_NAME / DB_USER / DB_PASSWORD (from the RDS-managed secret) / DB_SSLMODE.
std::optional<std::string> database_from_parts(Loader& l) {
  const auto host = l.part("DB_HOST");
  if (host.empty()) return std::nullopt;
  boost::urls::url url;
  url.set_scheme("postgresql");
  url.set_host(host);
  url.set_port(l.part("DB_PORT"));
  url.set_path("/" + l.part("DB_NAME"));
  url.set_user(l.part("DB_USER"));
  if (const auto password = l.part("DB_PASSWORD"); !password.empty()) url.set_password(password);
  url.params().append({"sslmode", l.part("DB_SSLMODE")});
  if (const auto ca = l.part("DB_SSLROOTCERT"); !ca.empty()) url.params().append({"sslrootcert", ca});
  return std::string(url.buffer());
}

Value app_version() {
  Value v = text(&Config::app_version);
  v.read = [](Loader& l, const std::string& name) { l.config.app_version = l.env.string(name, l.build_version); };
  return v;
}

// Follows ROOT_ENTRY unless set.
Value api_docs() {
  Value v = path(&Config::api_docs);
  v.read = [](Loader& l, const std::string& name) {
    l.config.api_docs = l.env.path_prefix(name, l.config.root_entry + "/docs");
  };
  return v;
}

Rows identity_and_http() {
  return {
      {.name = "APP_ENV",
       .value = choice(&Config::app_env, {"development", "production"}),
       .description = "`production` requires every secret and refuses the embedded stores",
       .alias = "NODE_ENV"},
      {.name = "APP_NAME", .value = text(&Config::app_name), .description = "name in logs"},
      {.name = "APP_VERSION",
       .value = app_version(),
       .description = "reported by the health-check and logs",
       .default_doc = "the build version"},
      {.name = "BIND_ADDRESS", .value = text(&Config::bind_address), .description = "listening address"},
      {.name = "PORT",
       .value = integer(&Config::port, 0, 65535),
       .description = "listening port (`0`: any free port, logged)"},
      {.name = "HOST_URL", .value = url(&Config::host_url, {"http", "https"}), .description = "the public base URL"},
      {.name = "ROOT_ENTRY", .value = path(&Config::root_entry), .description = "prefix of every API route"},
      {.name = "API_DOCS",
       .value = api_docs(),
       .description = "path of the documentation page",
       .default_doc = "`${ROOT_ENTRY}/docs`"},
      {.name = "DOCS_DIR",
       .value = text(&Config::docs_dir),
       .description = "where the documentation assets are",
       .unset = "docs beside the executable"},
      {.name = "IO_THREADS",
       .value = integer(&Config::io_threads, 0, 256),
       .description = "I/O threads",
       .unset = "auto: one per CPU available"},
      {.name = "MAX_BODY_BYTES",
       .value = bytes(&Config::max_body_bytes, 1024, 64ULL * 1024 * 1024),
       .description = "larger bodies get 413"},
      {.name = "MAX_HEADER_BYTES",
       .value = bytes(&Config::max_header_bytes, 1024, 1024 * 1024),
       .description = "larger request heads (request line and headers) get 431 `header_too_large`"},
      {.name = "MAX_CONNECTIONS",
       .value = integer(&Config::max_connections, 1, 1'000'000),
       .description = "open connections before accepting pauses"},
      {.name = "STREAM_MAX_CONNECTIONS",
       .value = integer(&Config::stream_max_connections, 1, 1'000'000),
       .description = "WebSocket connections to `/stream` per task; more get 503"},
      {.name = "STREAM_MAX_SUBSCRIPTIONS",
       .value = integer(&Config::stream_max_subscriptions, 1, 10'000),
       .description = "events one WebSocket connection may subscribe to"},
      {.name = "STREAM_MAX_MESSAGE_BYTES",
       .value = bytes(&Config::stream_max_message_bytes, 256, 1024 * 1024),
       .description = "larger messages from a WebSocket client close it with 1009"},
      {.name = "STREAM_SEND_QUEUE_BYTES",
       .value = bytes(&Config::stream_send_queue_bytes, 1024, 64 * 1024 * 1024),
       .description = "bytes queued for one WebSocket client; a reader that falls this far behind is closed with 4008"},
      {.name = "STREAM_IDLE_TIMEOUT",
       .value = duration(&Config::stream_idle_timeout, 1s, 200ms),
       .description = "a WebSocket client is pinged after half of this without traffic and closed after all of it "
                      "(below the load balancer's 60 s idle timeout)"},
      {.name = "STREAM_ALLOWED_ORIGINS",
       .value = text(&Config::stream_allowed_origins),
       .description = "comma-separated Origin values admitted to `/stream`",
       .unset = "any origin"},
      {.name = "HEADER_TIMEOUT",
       .value = duration(&Config::header_timeout, 1s, 100ms),
       .description = "a request's headers must arrive within this, else the connection is closed"},
      {.name = "BODY_TIMEOUT",
       .value = duration(&Config::body_timeout, 1s, 100ms),
       .description = "a request's body must arrive within this, else 408"},
      {.name = "KEEPALIVE_TIMEOUT",
       .value = duration(&Config::keepalive_timeout, 1s, 100ms),
       .description = "idle keep-alive connections close after this"},
      {.name = "SHUTDOWN_DRAIN_SECONDS",
       .value = duration(&Config::shutdown_drain),
       .description = "after SIGTERM, keep serving (with `Connection: close`) this long",
       .checks = {must_be(Rel::less, &Config::shutdown_drain, "SHUTDOWN_TIMEOUT", &Config::shutdown_timeout)}},
      {.name = "SHUTDOWN_TIMEOUT",
       .value = duration(&Config::shutdown_timeout, 1s, 100ms),
       .description = "from SIGTERM to exit at the latest"},
  };
}

Rows proxies_and_threads() {
  return {
      {.name = "TRUSTED_PROXIES",
       .value = networks(&Config::trusted_proxies),
       .description = "the proxies in front: the VPC's block in AWS (the ALB), loopback in the local stack. "
                      "`X-Forwarded-For` (all its lines) is read only when the TCP peer is in it, right to left, "
                      "skipping trusted proxies; only IP literals count (an entry that is not one stops the walk "
                      "at the last trusted hop)",
       .unset = "none: X-Forwarded-For is never read"},
      {.name = "TRUSTED_PROXY_HOPS",
       .value = integer(&Config::trusted_proxy_hops, 0, 10),
       .description = "the most `X-Forwarded-For` entries read (the ALB appends one): the walk never goes further "
                      "left, even through trusted addresses"},
      {.name = "BLOCKING_THREADS",
       .value = integer(&Config::blocking_threads, 0, 256),
       .description = "threads hashing and verifying passwords (under SCHED_IDLE)",
       .unset = "auto: max(2, CPUs)"},
      {.name = "BLOCKING_QUEUE",
       .value = integer(&Config::blocking_queue, 0, 100'000),
       .description =
           "jobs that may wait for them; past it a request gets 503 `service_unavailable` with `Retry-After`",
       .unset = "auto: 8 per blocking thread"},
      {.name = "LOG_LEVEL",
       .value = choice(&Config::log_level, {"debug", "info", "warn", "error"}),
       .description = "the least severe level logged"},
  };
}

// An access token is checked against the database only on money and admin routes: elsewhere it
// is good until it expires, so its lifetime is bounded (a minute to a day; 15m recommended).
Check access_token_at_most_a_day() {
  return {"≤ 24h", [](Loader& l, const std::string& name) {
            if (l.config.jwt_expiry > 24h) l.env.fail(name, "must be at most 24h (15m is recommended)");
          }};
}

Check refresh_secret_differs() {
  return {"≠ `JWT_SECRET`", [](Loader& l, const std::string& name) {
            const auto& access = l.config.jwt_secret.value;
            if (!access.empty() && access == l.config.jwt_refresh_secret.value)
              l.env.fail(name, "must differ from JWT_SECRET");
          }};
}

Rows auth() {
  return {
      {.name = "JWT_SECRET", .value = secret(&Config::jwt_secret, 32), .description = "access-token signing key"},
      {.name = "JWT_REFRESH_SECRET",
       .value = secret(&Config::jwt_refresh_secret, 32),
       .description = "refresh-token signing key",
       .checks = {refresh_secret_differs()}},
      {.name = "JWT_SECRET_PREVIOUS",
       .value = optional_secret(&Config::jwt_secret_previous),
       .description = "during a rotation, the access-token key rotated out: tokens it signed are still accepted, it "
                      "never signs; remove it once `JWT_EXPIRY` has passed since the rotation (docs/runbook.md)"},
      {.name = "JWT_REFRESH_SECRET_PREVIOUS",
       .value = optional_secret(&Config::jwt_refresh_secret_previous),
       .description = "during a rotation, the refresh-token key rotated out (as `JWT_SECRET_PREVIOUS`); remove it once "
                      "`JWT_REFRESH_EXPIRY` has passed, or sooner to end the old sessions"},
      {.name = "JWT_EXPIRY",
       .value = duration(&Config::jwt_expiry, 1s, 1min),
       .description = "access-token lifetime; 15m recommended (AWS sets it): a revoked token still reads until then",
       .checks = {access_token_at_most_a_day()}},
      {.name = "JWT_REFRESH_EXPIRY",
       .value = duration(&Config::jwt_refresh_expiry, 1s, 1s),
       .description = "refresh-token lifetime",
       .checks = {must_be(Rel::greater, &Config::jwt_refresh_expiry, "JWT_EXPIRY", &Config::jwt_expiry)}},
  };
}

Rows login_limits() {
  return {
      {.name = "LOGIN_MAX_FAILURES_PER_ACCOUNT",
       .value = integer(&Config::login_max_failures_per_account, 1, 1000),
       .description = "failed logins per account per `LOGIN_FAILURE_WINDOW`, from any IP, before the account is "
                      "throttled (see [Accounts and tokens](#accounts-and-tokens))"},
      {.name = "LOGIN_FAILURE_WINDOW",
       .value = duration(&Config::login_failure_window, 1s, 1s),
       .description = "how long an account's failed logins are remembered (a success forgets them)"},
      {.name = "LOGIN_THROTTLE_BASE",
       .value = duration(&Config::login_throttle_base, 1s, 100ms),
       .description = "the hold after the first failure past the free ones, doubling per further failure"},
      {.name = "LOGIN_THROTTLE_MAX",
       .value = duration(&Config::login_throttle_max, 1s, 100ms),
       .description = "the longest hold",
       .checks = {must_be(Rel::at_least, &Config::login_throttle_max, "LOGIN_THROTTLE_BASE",
                          &Config::login_throttle_base)}},
      {.name = "LOGIN_MAX_ATTEMPTS_PER_IP",
       .value = integer(&Config::login_max_attempts_per_ip, 1, 100'000),
       .description = "login attempts per client IP per `LOGIN_RATE_WINDOW`"},
      {.name = "REGISTER_MAX_PER_IP",
       .value = integer(&Config::register_max_per_ip, 1, 100'000),
       .description = "registrations per client IP per `LOGIN_RATE_WINDOW`"},
      {.name = "LOGIN_RATE_WINDOW",
       .value = duration(&Config::login_rate_window, 1s, 1s),
       .description = "the window of the two per-IP limits above"},
      {.name = "RATE_LIMIT_DURATION_SECONDS",
       .value = integer(&Config::rate_limit_duration_seconds, 1, 86'400),
       .description = "rate-limit window, in seconds"},
      {.name = "RATE_LIMIT_PERMISSION_POINTS",
       .value = integer(&Config::rate_limit_permission_points, 1, 1'000'000),
       .description = "requests per window"},
  };
}

Rows redis() {
  return {
      {.name = "REDIS_URL",
       .value = store_url(&Config::redis_url, {"redis", "rediss"}, redis_from_parts,
                          "REDIS_URL or REDIS_HOST (production refuses the in-process key-value store, which serves "
                          "one instance only)"),
       .description = "the Redis server (user:password or AUTH token in it)",
       .default_doc = "unset: in-process store (one instance only; refused in production)"},
      {.name = "REDIS_HOST", .value = part(""), .description = "the host", .part_of = "REDIS_URL"},
      {.name = "REDIS_PORT", .value = part_port(6379), .description = "the port", .part_of = "REDIS_URL"},
      {.name = "REDIS_TLS",
       .value = part_choice("true", {"true", "false"}),
       .description = "`rediss://` or not",
       .part_of = "REDIS_URL"},
      {.name = "REDIS_USER",
       .value = part("default"),
       .description = "the user, with `REDIS_AUTH_TOKEN`",
       .part_of = "REDIS_URL"},
      {.name = "REDIS_AUTH_TOKEN",
       .value = part_secret(),
       .description = "the AUTH token (an ECS secret)",
       .part_of = "REDIS_URL"},
      {.name = "REDIS_CA_FILE",
       .value = text(&Config::redis_ca_file),
       .description = "CA bundle for `rediss://` (the hostname is verified too)",
       .unset = "the system CAs"},
      {.name = "REDIS_COMMAND_TIMEOUT",
       .value = duration(&Config::redis_command_timeout, 1ms, 1ms),
       .description =
           "reply deadline per Redis command; a call gives up (503) after `REDIS_POOL_ACQUIRE_TIMEOUT` + this"},
  };
}

Rows redis_pool() {
  return {
      {.name = "REDIS_POOL_MIN",
       .value = integer(&Config::redis_pool_min, 0, 1000),
       .description = "Redis connections each I/O thread keeps open: ⌈MIN / threads⌉",
       .checks = {must_be(Rel::at_most, &Config::redis_pool_min, "REDIS_POOL_MAX", &Config::redis_pool_max)}},
      {.name = "REDIS_POOL_MAX",
       .value = integer(&Config::redis_pool_max, 1, 1000),
       .description = "Redis connections, shared out over the I/O threads: each opens up to max(1, MAX / threads) "
                      "(plus the health probe's and the subscriber's)"},
      {.name = "REDIS_POOL_IDLE_TIMEOUT",
       .value = duration(&Config::redis_pool_idle_timeout, 1ms),
       .description = "idle pooled connections close after this"},
      {.name = "REDIS_POOL_ACQUIRE_TIMEOUT",
       .value = duration(&Config::redis_pool_acquire_timeout, 1ms, 1ms),
       .description = "waiting for a pooled connection fails after this"},
      {.name = "REDIS_POOL_RETRY_ATTEMPTS",
       .value = integer(&Config::redis_pool_retry_attempts, 0, 10),
       .description = "retries for Redis commands that are safe to resend (never an increment, SET NX or publish "
                      "that may have run)"},
  };
}

Rows payments() {
  return {
      {.name = "PAYSTACK_BASE_URL",
       .value = url(&Config::paystack_base_url, {"http", "https"}, {"https"}),
       .description = "Paystack API"},
      {.name = "PAYSTACK_SECRET_KEY",
       .value = secret(&Config::paystack_secret_key, 1),
       .description = "Paystack secret key: API calls and webhook signatures"},
      {.name = "PAYSTACK_TIMEOUT",
       .value = duration(&Config::paystack_timeout, 1s, 100ms),
       .description = "a Paystack call gives up after this (502 `payment_provider_error`)"},
      {.name = "PAYSTACK_CALLBACK_URL",
       .value = url(&Config::paystack_callback_url, {"http", "https"}),
       .description = "where Paystack sends the customer after paying",
       .unset = "Paystack's default"},
      {.name = "PAYSTACK_WEBHOOK_IPS",
       .value = networks(&Config::paystack_webhook_ips),
       .description = "if set, only these networks may deliver Paystack webhooks (403 "
                      "`webhook_source_not_allowed`), judged on the client IP as `TRUSTED_PROXIES` lets it be read; "
                      "Paystack publishes its senders (52.31.139.75, 52.49.173.169, 52.214.14.220); the signature "
                      "is checked either way",
       .unset = "any source"},
      {.name = "PAYMENT_RECONCILE_INTERVAL",
       .value = duration(&Config::payment_reconcile_interval),
       .description = "how often the payment reconciler (one task at a time) asks Paystack about payments whose "
                      "webhook has not come; `0` turns it off",
       .unset = "off"},
      {.name = "PAYMENT_RECONCILE_AFTER",
       .value = duration(&Config::payment_reconcile_after, 1s, 1s),
       .description = "a deposit or withdrawal pending this long is verified with Paystack "
                      "(`/transaction/verify`, `/transfer/verify`)"},
      {.name = "PAYMENT_EXPIRE_AFTER",
       .value = duration(&Config::payment_expire_after, 1s, 1s),
       .description = "a deposit pending this long without a successful charge at Paystack fails (a later "
                      "`charge.success` still credits it); withdrawals never expire",
       .checks = {must_be(Rel::at_least, &Config::payment_expire_after, "PAYMENT_RECONCILE_AFTER",
                          &Config::payment_reconcile_after)}},
      {.name = "PAYMENT_RECONCILE_LEASE",
       .value = duration(&Config::payment_reconcile_lease, 1s, 1s),
       .description = "the reconciler's lease in the key-value store, renewed while it works: if its task dies, "
                      "another takes over after this long",
       .checks = {must_be(Rel::greater, &Config::payment_reconcile_lease, "PAYMENT_RECONCILE_INTERVAL",
                          &Config::payment_reconcile_interval),
                  must_be(Rel::greater, &Config::payment_reconcile_lease, "PAYSTACK_TIMEOUT",
                          &Config::paystack_timeout)}},
      {.name = "PAYMENT_RECONCILE_BATCH",
       .value = integer(&Config::payment_reconcile_batch, 1, 1000),
       .description = "payments of each kind verified per round, oldest first (the next round goes on after "
                      "them)"},
      {.name = "MAX_TRANSACTION_AMOUNT",
       .value = amount(&Config::max_transaction_amount, 100, kMaxMoney),
       .description = "the largest deposit or withdrawal (422 `invalid_amount` above)"},
      {.name = "WITHDRAWAL_REVIEW_THRESHOLD",
       .value = amount(&Config::withdrawal_review_threshold, 0, kMaxMoney),
       .description = "withdrawals above this wait for an administrator"},
      {.name = "MIN_DEPOSIT",
       .value = amount(&Config::min_deposit, 1, kMaxMoney),
       .description = "the smallest deposit (422 `invalid_amount` below)",
       .checks = {must_be(Rel::at_most, &Config::min_deposit, "MAX_TRANSACTION_AMOUNT",
                          &Config::max_transaction_amount)}},
      {.name = "MIN_WITHDRAWAL",
       .value = amount(&Config::min_withdrawal, 1, kMaxMoney),
       .description = "the smallest withdrawal (422 `invalid_amount` below)",
       .checks = {must_be(Rel::at_most, &Config::min_withdrawal, "MAX_TRANSACTION_AMOUNT",
                          &Config::max_transaction_amount)}},
      {.name = "MAX_WITHDRAWALS_PER_DAY",
       .value = integer(&Config::max_withdrawals_per_day, 1, 1000),
       .description = "withdrawals a user may request in any 24 hours, whatever became of them (422 "
                      "`withdrawal_limit_reached`)"},
  };
}

Rows payout_accounts() {
  return {
      {.name = "PAYSTACK_BANKS_TTL",
       .value = duration(&Config::paystack_banks_ttl, 1s, 1s),
       .description = "how long Paystack's bank list (`GET /wallet/banks`) is served from memory before it is "
                      "fetched again; an older list is still served while Paystack is down"},
      {.name = "PAYOUT_ACCOUNTS_MAX",
       .value = integer(&Config::payout_accounts_max, 1, 50),
       .description = "payout accounts a player may have saved at once (422 `payout_account_limit_reached`)"},
      {.name = "PAYOUT_NAME_MISMATCH",
       .value = choice(&Config::payout_name_mismatch, {"review", "refuse"}),
       .description = "a payout account whose resolved name is not the player's: `review` saves it and every "
                      "withdrawal to it waits for an administrator (`review_reason` `name_mismatch`); `refuse` "
                      "does not save it, nor pay to one saved before (422 `payout_name_mismatch`)"},
  };
}

Rows kyc() {
  const char* tiers[] = {"tier 0 (registered)", "tier 1 (phone verified)", "tier 2 (identity verified)"};
  struct Fields {
    const char* prefix;
    std::int64_t Config::*daily_amount;
    int Config::*per_day;
    std::int64_t Config::*max_single;
  };
  const Fields fields[] = {{"KYC_TIER0_", &Config::kyc_tier0_withdrawal_daily_amount,
                            &Config::kyc_tier0_withdrawals_per_day, &Config::kyc_tier0_max_withdrawal},
                           {"KYC_TIER1_", &Config::kyc_tier1_withdrawal_daily_amount,
                            &Config::kyc_tier1_withdrawals_per_day, &Config::kyc_tier1_max_withdrawal},
                           {"KYC_TIER2_", &Config::kyc_tier2_withdrawal_daily_amount,
                            &Config::kyc_tier2_withdrawals_per_day, &Config::kyc_tier2_max_withdrawal}};
  Rows rows;
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string who = tiers[i];
    const std::string prefix = fields[i].prefix;
    rows.push_back({.name = prefix + "WITHDRAWAL_DAILY_AMOUNT",
                    .value = amount(fields[i].daily_amount, 0, kMaxMoney),
                    .description = who + ": withdrawals in any 24 hours (failed, rejected and reversed ones aside) "
                                         "beyond this sum wait for an administrator"});
    rows.push_back({.name = prefix + "WITHDRAWALS_PER_DAY",
                    .value = integer(fields[i].per_day, 0, 1000),
                    .description = who + ": withdrawals in any 24 hours beyond this many wait for an administrator"});
    rows.push_back({.name = prefix + "MAX_WITHDRAWAL",
                    .value = amount(fields[i].max_single, 0, kMaxMoney),
                    .description = who + ": a larger single withdrawal waits for an administrator"});
  }
  return rows;
}

Rows betting() {
  return {
      {.name = "MIN_STAKE",
       .value = amount(&Config::min_stake, 1, 1'000'000'000'000),
       .description = "the smallest stake (422 `stake_out_of_range` below)",
       .checks = {must_be(Rel::at_most, &Config::min_stake, "MAX_STAKE", &Config::max_stake)}},
      {.name = "MAX_STAKE",
       .value = amount(&Config::max_stake, 1, 1'000'000'000'000),
       .description = "the largest stake (422 `stake_out_of_range` above)"},
      {.name = "MAX_PAYOUT",
       .value = amount(&Config::max_payout, 1, kMaxMoney),
       .description = "the largest potential payout of one bet (422 `payout_too_high` above)",
       .checks = {must_be(Rel::at_most, &Config::max_payout, "MAX_PAYOUT_PER_DAY", &Config::max_payout_per_day)}},
      {.name = "MAX_PAYOUT_PER_DAY",
       .value = amount(&Config::max_payout_per_day, 1, kMaxMoney),
       .description = "the most one player's bets placed in one Lagos day may pay out: the potential payouts of "
                      "that day's open and won bets, with the new one's (422 `payout_cap_exceeded` above)"},
      {.name = "MAX_LEGS",
       .value = integer(&Config::max_legs, 1, 50),
       .description = "the most legs an accumulator may have"},
      {.name = "SETTLEMENT_BATCH_SIZE",
       .value = integer(&Config::settlement_batch_size, 1, 5000),
       .description = "bets settled per transaction: smaller batches hold locks for less time"},
      {.name = "SETTLEMENT_RESUME_INTERVAL",
       .value = duration(&Config::settlement_resume_interval),
       .description = "how often each task finishes settlements cut short by a crash or a deploy (markets whose "
                      "results were recorded at least this long ago and still have open bets); `0` turns it off",
       .unset = "off"},
      {.name = "METRICS_INTERVAL",
       .value = duration(&Config::metrics_interval),
       .description = "how often the metrics line (CloudWatch Embedded Metric Format, see [Metrics](#metrics)) is "
                      "written to stdout, and once more at exit; `0` turns it off",
       .unset = "off"},
  };
}

// `other` must be set when this setting is.
Check required_with(const std::string& other_name, std::string Config::*other) {
  auto run = [=](Loader& l, const std::string& name) {
    if (!l.env.raw(name).value_or("").empty() && (l.config.*other).empty())
      l.env.fail(name, "is set, so " + other_name + " must be too");
  };
  return {"needs `" + other_name + "`", run};
}

// "sport:seconds,..." as domain::parse_delays_by_sport reads it.
Check delays_by_sport() {
  return {"`sport:seconds,...`", [](Loader& l, const std::string& name) {
            if (!parse_delays_by_sport(l.config.live_bet_delay_by_sport))
              l.env.fail(name,
                         "must be sport:seconds pairs separated by commas, each 0 to 60 seconds, e.g. "
                         "football:5,tennis:3");
          }};
}

Rows feed() {
  return {
      {.name = "LIVE_BET_DELAY_SECONDS",
       .value = integer(&Config::live_bet_delay_seconds, 0, 60),
       .description = "the acceptance delay of an in-play bet (one with a leg on a live market): `POST /bets` answers "
                      "202 `pending`, and the bet is accepted or rejected this many seconds later"},
      {.name = "LIVE_BET_DELAY_BY_SPORT",
       .value = text(&Config::live_bet_delay_by_sport),
       .description = "per sport delays that override `LIVE_BET_DELAY_SECONDS`, e.g. `football:5,tennis:3` (sport "
                      "names as on events); a bet waits for the longest of its live legs'",
       .checks = {delays_by_sport()},
       .unset = "every sport alike"},
      {.name = "LIVE_BET_WORKER_INTERVAL",
       .value = duration(&Config::live_bet_worker_interval),
       .description = "how often each task accepts or rejects the in-play bets whose delay is over (any task "
                      "finishes any task's bets, each once); `0` turns it off on this task",
       .unset = "off"},
      {.name = "FEED_HMAC_SECRET",
       .value = optional_secret(&Config::feed_hmac_secret),
       .description = "the trading feed's signing secret: `POST /feed/messages` needs `X-Feed-Signature`, the hex "
                      "HMAC-SHA-256 of the body with it; unset: the route answers 404 `feed_disabled`",
       .unset = "feed off"},
      {.name = "FEED_MAX_BATCH",
       .value = integer(&Config::feed_max_batch, 1, 5000),
       .description = "the most messages one `POST /feed/messages` may carry (more: 422, nothing applied)"},
      {.name = "FEED_PROVIDER",
       .value = text(&Config::feed_provider),
       .description = "the feed provider's name, part of every mapped id (`feed_events`, `feed_markets`)"},
      {.name = "FEED_TRANSACTION",
       .value = choice(&Config::feed_transaction, {"event", "batch"}),
       .description = "`event`: a batch's catalogue changes commit in one transaction per event; `batch`: in one "
                      "for the whole batch (see src/sportsbook/README.md for the measurement)"},
  };
}

Rows casino() {
  return {
      {.name = "FUNDIST_HMAC_SECRET",
       .value = optional_secret(&Config::fundist_hmac_secret),
       .description = "Fundist OneWallet's callback signing secret; unset: every callback is refused"},
      {.name = "FUNDIST_CALLBACK_NETWORKS",
       .value = networks(&Config::fundist_callback_networks),
       .description = "if set, only these networks may call the Fundist callback (the client IP as the ALB "
                      "forwards it); the signature is checked either way",
       .unset = "any caller"},
      {.name = "CASINO_MAX_TRANSACTION",
       .value = amount(&Config::casino_max_transaction, 100, kMaxMoney),
       .description = "the largest casino debit or credit an aggregator may send (refused above)"},
      {.name = "FUNDIST_API_KEY",
       .value = optional_secret(&Config::fundist_api_key),
       .description = "Fundist's API key (game list and launches); unset: `GET /casino/games` and `POST "
                      "/casino/sessions` answer 503 `casino_unavailable`",
       .checks = {required_with("FUNDIST_BASE_URL", &Config::fundist_base_url),
                  required_with("FUNDIST_API_PASSWORD", &Config::fundist_api_password),
                  required_with("FUNDIST_PLAYER_SECRET", &Config::fundist_player_secret)}},
      {.name = "FUNDIST_BASE_URL",
       .value = url(&Config::fundist_base_url, {"http", "https"}, {"https"}),
       .description = "Fundist's API host (test: `https://apitest.fundist.org`; production: the one assigned)",
       .unset = "(unset)"},
      {.name = "FUNDIST_API_PASSWORD",
       .value = optional_secret(&Config::fundist_api_password),
       .description = "Fundist's API password: signs our requests and checks its replies (never sent)"},
      {.name = "FUNDIST_PLAYER_SECRET",
       .value = optional_secret(&Config::fundist_player_secret),
       .description = "derives each player's Fundist password (nothing stored); changing it changes them all"},
      {.name = "FUNDIST_SYSTEM_ID",
       .value = text(&Config::fundist_system_id),
       .description = "the Fundist merchants (game studios, its `System` ids) offered, comma-separated",
       .unset = "all"},
      {.name = "FUNDIST_TIMEOUT",
       .value = duration(&Config::fundist_timeout, 1s, 100ms),
       .description = "a Fundist API call gives up after this (503 `casino_unavailable`)"},
      {.name = "CASINO_GAMES_REFRESH",
       .value = duration(&Config::casino_games_refresh, 1s, 1s),
       .description = "how often each task fetches the game list again (a failed fetch keeps the last one and "
                      "retries sooner)"},
  };
}

Rows mail() {
  return {
      {.name = "SMTP_HOST",
       .value = text(&Config::smtp_host),
       .description = "the mail server (verification and notice mails leave through the outbox, sent in the "
                      "background)",
       .unset = "no mail is sent: it waits in the outbox"},
      {.name = "SMTP_PORT", .value = integer(&Config::smtp_port, 1, 65535), .description = "its port"},
      {.name = "SMTP_SECURITY",
       .value = choice(&Config::smtp_security, {"starttls", "tls", "plain"}),
       .description = "`starttls` (refused if not offered), `tls` (port 465), or `plain` (tests on loopback only)"},
      {.name = "SMTP_USER", .value = text(&Config::smtp_user), .description = "AUTH user", .unset = "no AUTH"},
      {.name = "SMTP_PASSWORD", .value = optional_secret(&Config::smtp_password), .description = "AUTH password"},
      {.name = "MAIL_FROM", .value = text(&Config::mail_from), .description = "the sender address"},
      {.name = "MAIL_FROM_NAME", .value = text(&Config::mail_from_name), .description = "the sender's name"},
      {.name = "MAIL_SEND_LEASE",
       .value = duration(&Config::mail_send_lease, 1s, 1s),
       .description = "a task sending a mail holds it this long; if it dies meanwhile, another sends it after "
                      "(with the same Message-ID); longer than an SMTP exchange may take"},
      {.name = "WEB_APP_URL",
       .value = url(&Config::web_app_url, {"http", "https"}, {"https"}),
       .description = "the web app the mails' links open (`<url>/verify-email?token=...`)"},
  };
}

Rows google() {
  return {
      {.name = "GOOGLE_OAUTH_CLIENT_ID",
       .value = text(&Config::google_oauth_client_id),
       .description = "the OAuth client id Google ID tokens must be issued to (their `aud`); unset: `POST "
                      "/auth/google` answers 503 `google_unavailable`",
       .unset = "(unset)"},
      {.name = "GOOGLE_OAUTH_CLIENT_SECRET",
       .value = optional_secret(&Config::google_oauth_client_secret),
       .description = "read for parity with the service this one replaces; not used: verifying an ID token needs "
                      "only Google's public keys"},
      {.name = "GOOGLE_JWKS_URL",
       .value = url(&Config::google_jwks_url, {"http", "https"}, {"https"}),
       .description = "Google's signing keys (JWKS), kept for their `Cache-Control` max-age; a token with an unknown "
                      "`kid` fetches them again at most once a minute"},
      {.name = "GOOGLE_TIMEOUT",
       .value = duration(&Config::google_timeout, 1s, 100ms),
       .description = "bounds each step of a JWKS fetch (connect, send, read) and a sign-in's wait for one (no keys "
                      "cached yet, or a new `kid`); no keys by then: 503 `google_unavailable`"},
  };
}

// Defaults to true in production (APP_ENV, the first row, is read by then).
Value on_in_production(bool Config::*field) {
  Value v = flag(field);
  v.read = [field](Loader& l, const std::string& name) {
    l.config.*field = l.env.one_of(name, l.config.production() ? "true" : "false", {"true", "false"}) == "true";
  };
  v.fallback = "`true` in production, else `false`";
  return v;
}

Rows sms() {
  return {
      {.name = "TERMII_API_KEY",
       .value = optional_secret(&Config::termii_api_key),
       .description = "Termii's API key (phone codes by SMS); unset: `POST /auth/otp/send` answers 503 "
                      "`sms_unavailable`"},
      {.name = "TERMII_BASE_URL",
       .value = url(&Config::termii_base_url, {"http", "https"}, {"https"}),
       .description = "Termii's API"},
      {.name = "TERMII_SENDER_ID",
       .value = text(&Config::termii_sender_id),
       .description = "the sender id registered with Termii (the SMS's `from`)"},
      {.name = "TERMII_CHANNEL",
       .value = choice(&Config::termii_channel, {"dnd", "generic", "whatsapp"}),
       .description = "Termii's route: `dnd` reaches numbers on the do-not-disturb list (codes must)"},
      {.name = "TERMII_TIMEOUT",
       .value = duration(&Config::termii_timeout, 1s, 100ms),
       .description = "a Termii call gives up after this (503 `sms_unavailable`, nothing recorded)"},
      {.name = "OTP_TTL_MINUTES",
       .value = integer(&Config::otp_ttl_minutes, 1, 60),
       .description = "a code sent by SMS lives this many minutes"},
      {.name = "OTP_RESEND_INTERVAL",
       .value = duration(&Config::otp_resend_interval, 1s, 0ms),
       .description = "one code per phone per this long (then 429); besides, at most 5 an hour and 10 a day per "
                      "phone and 20 an hour per IP",
       .unset = "0: only the hourly and daily bounds"},
      {.name = "REQUIRE_VERIFIED_PHONE_FOR_WITHDRAWAL",
       .value = on_in_production(&Config::require_verified_phone_for_withdrawal),
       .description = "withdrawals are refused (403 `phone_not_verified`) until the user's phone is verified",
       .checks = {{"warns without `TERMII_API_KEY`",
                   [](Loader& l, const std::string& name) {
                     // No phone can be verified then, so no withdrawal can be made: said loudly at start-up.
                     if (l.config.require_verified_phone_for_withdrawal && l.config.termii_api_key.empty())
                       l.warnings.push_back(name + " is on but TERMII_API_KEY is not set: every withdrawal is refused");
                   }}}},
  };
}

Rows responsible_gambling() {
  return {
      {.name = "PLAYER_LIMIT_COOLING_OFF",
       .value = duration(&Config::player_limit_cooling_off, 1s, 1s),
       .description = "a player's raised or removed deposit, stake or loss limit applies after this (a lower one at "
                      "once)"},
  };
}

Rows error_reporting() {
  return {
      {.name = "SENTRY_DSN",
       .value = optional_secret(&Config::sentry_dsn),
       .description = "Sentry's DSN (`https://<key>@<host>/<project>`): unhandled errors (500 answers, failed "
                      "background rounds, start-up failures) are sent there, scrubbed like the logs, from a "
                      "background sender (src/observability/README.md)",
       .checks = {{"a Sentry DSN",
                   [](Loader& l, const std::string& name) {
                     if (!l.config.sentry_dsn.empty() && !sentry::parse_dsn(l.config.sentry_dsn))
                       l.env.fail(name, "must be a Sentry DSN: http(s)://<public key>@<host>[:<port>]/<project id>");
                   }}},
       .unset = "errors go to the log only"},
  };
}

Rows sql() {
  return {
      {.name = "DATABASE_URL",
       .value = store_url(&Config::database_url, {"postgres", "postgresql"}, database_from_parts,
                          "DATABASE_URL or DB_HOST (production refuses the embedded SQLite store)"),
       .description = "the PostgreSQL server; `sslmode`/`sslrootcert` honoured",
       .default_doc = "unset: embedded SQLite (refused in production)"},
      {.name = "DB_HOST", .value = part(""), .description = "the host", .part_of = "DATABASE_URL"},
      {.name = "DB_PORT", .value = part_port(5432), .description = "the port", .part_of = "DATABASE_URL"},
      {.name = "DB_NAME", .value = part("bet2wealth"), .description = "the database", .part_of = "DATABASE_URL"},
      {.name = "DB_USER", .value = part("bet2wealth"), .description = "the user", .part_of = "DATABASE_URL"},
      {.name = "DB_PASSWORD",
       .value = part_secret(),
       .description = "the password (from the RDS-managed secret)",
       .part_of = "DATABASE_URL"},
      {.name = "DB_SSLMODE",
       .value = part_choice("verify-full", {"disable", "prefer", "require", "verify-ca", "verify-full"}),
       .description = "`sslmode`",
       .part_of = "DATABASE_URL"},
      {.name = "DB_SSLROOTCERT",
       .value = part(""),
       .description = "`sslrootcert`, the CA bundle",
       .part_of = "DATABASE_URL"},
      {.name = "DATA_DIR",
       .value = text(&Config::data_dir),
       .description = "embedded SQLite database directory (`bet2wealth.db`)"},
      {.name = "MIGRATE_ON_START",
       .value = flag(&Config::migrate_on_start),
       .description = "apply missing migrations at start-up; `false` where the task's database role may not change "
                      "the schema (`bet2wealth migrate` runs first, as the migrator): a task then refuses to start "
                      "on a schema older than its own"},
      {.name = "DB_APP_USER",
       .value = text(&Config::db_app_user),
       .description = "`bet2wealth db-roles`: the service's login role (rows only, no DDL)"},
      {.name = "DB_APP_PASSWORD",
       .value = optional_secret(&Config::db_app_password),
       .description = "`bet2wealth db-roles`: its password (the secret `bet2wealth/<env>/db-app`)"},
      {.name = "DB_MIGRATOR_USER",
       .value = text(&Config::db_migrator_user),
       .description = "`bet2wealth db-roles`: the role that owns the schema and runs `bet2wealth migrate`"},
      {.name = "DB_MIGRATOR_PASSWORD",
       .value = optional_secret(&Config::db_migrator_password),
       .description = "`bet2wealth db-roles`: its password (the secret `bet2wealth/<env>/db-migrator`)"},
      {.name = "DB_POOL_MIN",
       .value = integer(&Config::db_pool_min, 0, 1000),
       .description = "PostgreSQL connections kept open",
       .checks = {must_be(Rel::at_most, &Config::db_pool_min, "DB_POOL_MAX", &Config::db_pool_max)}},
      {.name = "DB_POOL_MAX",
       .value = integer(&Config::db_pool_max, 1, 1000),
       .description = "the most PostgreSQL connections"},
      {.name = "DB_ACQUIRE_TIMEOUT",
       .value = duration(&Config::db_acquire_timeout, 1s, 1ms),
       .description = "waiting for a pooled connection fails (503) after this"},
      {.name = "DB_QUERY_TIMEOUT",
       .value = duration(&Config::db_query_timeout, 1s, 1ms),
       .description = "a statement fails (503) and its connection is discarded after this"},
  };
}

}  // namespace

const std::vector<Setting>& settings() {
  static const Rows table = [] {
    Rows all;
    for (const auto& group : {identity_and_http(), proxies_and_threads(), auth(), login_limits(), redis(), redis_pool(),
                              payments(), payout_accounts(), kyc(), betting(), feed(), casino(), mail(), google(),
                              sms(), responsible_gambling(), error_reporting(), sql()})
      all.insert(all.end(), group.begin(), group.end());
    return all;
  }();
  return table;
}

const Setting* find_setting(std::string_view name) {
  for (const auto& s : settings())
    if (s.name == name) return &s;
  return nullptr;
}

std::string shown(const Setting& setting, const Config& config) {
  if (!setting.unset.empty() && setting.value.automatic && setting.value.automatic(config)) return setting.unset;
  return setting.value.show(config);
}

}  // namespace b2w::config
