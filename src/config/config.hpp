#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/env_reader.hpp"
#include "util/ip_network.hpp"

namespace b2w::config {

// A secret from the environment. In development a missing one is replaced by a
// random per-process value (generated == true) so the service still starts.
struct Secret {
  std::string value;
  bool generated = false;
};

// Defaults are the initial values below; the environment variables that override them, with their
// checks and documentation, are the rows of one table (settings.cpp).
struct Config {
  // Identity
  std::string app_name = "bet2wealth-backend";
  std::string app_version;              // APP_VERSION, else the build version
  std::string app_env = "development";  // development | production
  bool production() const { return app_env == "production"; }
  // Error reporting: SENTRY_DSN (a secret); empty: errors go to the log only.
  std::string sentry_dsn;

  // HTTP
  std::string bind_address = "0.0.0.0";
  std::uint16_t port = 4000;
  std::string host_url = "http://localhost:4000";
  std::string root_entry = "/api/v1";
  std::string api_docs = "/api/v1/docs";
  std::string docs_dir;  // empty: <directory of the executable>/docs
  int io_threads = 0;    // 0: one per CPU this process may run on
  std::uint64_t max_body_bytes = 1024 * 1024;
  std::uint64_t max_header_bytes = 16 * 1024;
  int max_connections = 10000;
  // GET /stream (WebSocket push, src/stream/README.md).
  int stream_max_connections = 20000;
  int stream_max_subscriptions = 100;
  std::uint64_t stream_max_message_bytes = 4 * 1024;
  std::uint64_t stream_send_queue_bytes = 256 * 1024;
  std::chrono::milliseconds stream_idle_timeout = std::chrono::seconds(45);
  std::string stream_allowed_origins;  // comma-separated; empty: any
  std::chrono::milliseconds header_timeout = std::chrono::seconds(10);
  std::chrono::milliseconds body_timeout = std::chrono::seconds(30);
  std::chrono::milliseconds keepalive_timeout = std::chrono::seconds(65);
  std::chrono::milliseconds shutdown_drain = std::chrono::seconds(5);
  std::chrono::milliseconds shutdown_timeout = std::chrono::seconds(25);
  // Peers whose X-Forwarded-For is read (empty: never), and how many of its entries at most.
  std::vector<IpNetwork> trusted_proxies;
  int trusted_proxy_hops = 1;
  // Threads for CPU-heavy work (argon2) and how many jobs may wait for them before requests get 503.
  int blocking_threads = 0;  // 0: max(2, CPUs)
  int blocking_queue = 0;    // 0: 8 per blocking thread

  // Logging
  std::string log_level = "info";

  // Auth
  std::chrono::milliseconds jwt_expiry = std::chrono::hours(1);
  std::chrono::milliseconds jwt_refresh_expiry = std::chrono::hours(24 * 7);
  Secret jwt_secret;
  Secret jwt_refresh_secret;
  std::string jwt_secret_previous;          // during a rotation: the access key rotated out (verifies, never signs)
  std::string jwt_refresh_secret_previous;  // during a rotation: the refresh key rotated out

  // Redis
  std::optional<std::string> redis_url;
  int redis_pool_max = 10;
  int redis_pool_min = 1;
  std::chrono::milliseconds redis_pool_idle_timeout = std::chrono::seconds(30);
  std::chrono::milliseconds redis_pool_acquire_timeout = std::chrono::seconds(2);
  int redis_pool_retry_attempts = 3;
  std::chrono::milliseconds redis_command_timeout = std::chrono::seconds(2);
  std::string redis_ca_file;  // empty: the system CAs

  // Rate limiting
  int rate_limit_duration_seconds = 60;
  int rate_limit_permission_points = 100;
  int login_max_failures_per_account = 10;  // per LOGIN_FAILURE_WINDOW, before the account is throttled
  int login_max_attempts_per_ip = 30;       // per LOGIN_RATE_WINDOW
  int register_max_per_ip = 10;             // per LOGIN_RATE_WINDOW
  std::chrono::milliseconds login_rate_window = std::chrono::minutes(15);
  std::chrono::milliseconds login_failure_window = std::chrono::hours(24);
  // A throttled account waits this long after a failure, doubled with each further one, up to the max.
  std::chrono::milliseconds login_throttle_base = std::chrono::seconds(5);
  std::chrono::milliseconds login_throttle_max = std::chrono::minutes(15);

  // Payments (amounts in kobo)
  std::string paystack_base_url = "https://api.paystack.co";
  Secret paystack_secret_key;
  std::chrono::milliseconds paystack_timeout = std::chrono::seconds(10);
  std::string paystack_callback_url;  // where Paystack sends the customer after paying; empty: Paystack's default
  std::vector<IpNetwork> paystack_webhook_ips;  // empty: webhooks from any source (the signature decides)
  // The reconciler of payments whose webhook was lost (payments/reconciler.hpp); interval 0: off.
  std::chrono::milliseconds payment_reconcile_interval = std::chrono::seconds(60);
  std::chrono::milliseconds payment_reconcile_after = std::chrono::minutes(10);
  std::chrono::milliseconds payment_expire_after = std::chrono::hours(24);
  std::chrono::milliseconds payment_reconcile_lease = std::chrono::minutes(3);
  int payment_reconcile_batch = 100;
  std::int64_t max_transaction_amount = 500'000'000;      // ₦5,000,000
  std::int64_t withdrawal_review_threshold = 50'000'000;  // ₦500,000: larger withdrawals wait for an admin
  std::int64_t min_deposit = 10'000;                      // ₦100
  std::int64_t min_withdrawal = 100'000;                  // ₦1,000
  int max_withdrawals_per_day = 5;                        // requested per user in any 24 hours
  // Payout accounts (payments/payout_accounts.hpp): the bank list's cache, accounts per player, a name mismatch.
  std::chrono::milliseconds paystack_banks_ttl = std::chrono::hours(6);
  int payout_accounts_max = 5;
  std::string payout_name_mismatch = "review";  // review | refuse
  // KYC tiers' withdrawal caps (domain::KycCaps; above one a withdrawal waits for review), per rolling 24 hours.
  std::int64_t kyc_tier0_withdrawal_daily_amount = 5'000'000;  // ₦50,000
  int kyc_tier0_withdrawals_per_day = 3;
  std::int64_t kyc_tier0_max_withdrawal = 2'000'000;            // ₦20,000
  std::int64_t kyc_tier1_withdrawal_daily_amount = 50'000'000;  // ₦500,000
  int kyc_tier1_withdrawals_per_day = 5;
  std::int64_t kyc_tier1_max_withdrawal = 20'000'000;            // ₦200,000
  std::int64_t kyc_tier2_withdrawal_daily_amount = 500'000'000;  // ₦5,000,000
  int kyc_tier2_withdrawals_per_day = 10;
  std::int64_t kyc_tier2_max_withdrawal = 500'000'000;  // ₦5,000,000

  // Betting (amounts in kobo)
  std::int64_t min_stake = 10'000;                  // ₦100
  std::int64_t max_stake = 100'000'000;             // ₦1,000,000
  std::int64_t max_payout = 5'000'000'000;          // ₦50,000,000
  std::int64_t max_payout_per_day = 5'000'000'000;  // ₦50,000,000
  int max_legs = 20;
  int settlement_batch_size = 500;  // bets per settlement transaction

  // Trading feed (sportsbook/feed)
  std::string feed_hmac_secret;            // empty: POST /feed/messages answers 404
  int feed_max_batch = 500;                // messages per request
  std::string feed_provider = "feed";      // the provider's name in the id mapping
  std::string feed_transaction = "event";  // event | batch: the catalogue changes' transactions
  // In-play bets (sportsbook/live_bets): the acceptance delay, per sport overrides, the worker's round.
  int live_bet_delay_seconds = 5;
  std::string live_bet_delay_by_sport;  // "football:5,tennis:3"
  std::chrono::milliseconds live_bet_worker_interval = std::chrono::milliseconds(250);
  // How often the metrics line (CloudWatch Embedded Metric Format) is written; 0: never.
  std::chrono::milliseconds metrics_interval = std::chrono::seconds(60);
  // How often each task finishes settlements cut short (markets recorded at least this long ago); 0: never.
  std::chrono::milliseconds settlement_resume_interval = std::chrono::seconds(60);

  // Casino (seamless wallet)
  std::string fundist_hmac_secret;  // empty: Fundist's callbacks are refused
  std::vector<IpNetwork> fundist_callback_networks;
  std::int64_t casino_max_transaction = 1'000'000'000;  // ₦10,000,000 per debit or credit
  // Fundist's API (game list, launches); off unless FUNDIST_API_KEY is set.
  std::string fundist_base_url;
  std::string fundist_api_key;
  std::string fundist_api_password;
  std::string fundist_player_secret;
  std::string fundist_system_id;  // comma-separated merchant ids; empty: all
  std::chrono::milliseconds fundist_timeout = std::chrono::seconds(10);
  std::chrono::milliseconds casino_games_refresh = std::chrono::minutes(15);

  // Mail (SMTP) and the links it carries
  std::string smtp_host;  // empty: mail waits in the outbox, unsent
  int smtp_port = 587;
  std::string smtp_security = "starttls";  // starttls | tls | plain
  std::string smtp_user;
  std::string smtp_password;
  std::string mail_from = "no-reply@bet2wealth.co";
  std::string mail_from_name = "Bet2wealth";
  std::string web_app_url = "http://localhost:3000";
  std::chrono::milliseconds mail_send_lease = std::chrono::minutes(5);

  // Google sign-in
  std::string google_oauth_client_id;      // empty: POST /auth/google answers 503 google_unavailable
  std::string google_oauth_client_secret;  // read for parity with the service replaced; ID tokens need none
  std::string google_jwks_url = "https://www.googleapis.com/oauth2/v3/certs";
  std::chrono::milliseconds google_timeout = std::chrono::seconds(5);

  // Phone codes by SMS (Termii)
  std::string termii_api_key;  // empty: POST /auth/otp/send answers 503 sms_unavailable
  std::string termii_base_url = "https://api.ng.termii.com";
  std::string termii_sender_id = "Bet2wealth";
  std::string termii_channel = "dnd";  // dnd | generic | whatsapp
  std::chrono::milliseconds termii_timeout = std::chrono::seconds(10);
  int otp_ttl_minutes = 10;
  std::chrono::milliseconds otp_resend_interval = std::chrono::seconds(60);  // 0: only the hourly and daily bounds
  // Withdrawals need a verified phone (REQUIRE_VERIFIED_PHONE_FOR_WITHDRAWAL; default: in production).
  bool require_verified_phone_for_withdrawal = false;

  // Responsible gambling: a raised or removed deposit, stake or loss limit applies after this.
  std::chrono::milliseconds player_limit_cooling_off = std::chrono::hours(24);

  // SQL
  std::optional<std::string> database_url;
  std::string data_dir = "./data";
  bool migrate_on_start = true;
  // `bet2wealth db-roles` only: the login roles it creates (store/db/login_roles.hpp).
  std::string db_app_user = "bet2wealth_app";
  std::string db_app_password;
  std::string db_migrator_user = "bet2wealth_migrator";
  std::string db_migrator_password;
  int db_pool_max = 10;
  int db_pool_min = 1;
  std::chrono::milliseconds db_acquire_timeout = std::chrono::seconds(5);
  std::chrono::milliseconds db_query_timeout = std::chrono::seconds(10);

  // Values that must never appear in a log line.
  std::vector<std::string> secret_values() const;
  // name -> value pairs for the start-up log, secrets shown only as set/generated.
  std::vector<std::pair<std::string, std::string>> summary() const;
};

struct LoadResult {
  Config config;
  std::vector<std::string> errors;    // each names a variable; any error means exit 2
  std::vector<std::string> warnings;  // logged at start-up
};

LoadResult load(const Env& env, const std::string& build_version);

// README.md's configuration table, generated from the settings table.
std::string markdown_table();
// `bet2wealth config --markdown`: prints markdown_table() (tools/config_docs.sh puts it in README.md).
int config_command(const std::vector<std::string>& args);

}  // namespace b2w::config
